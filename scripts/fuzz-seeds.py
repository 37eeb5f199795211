#!/usr/bin/env python3
"""Writes the starting corpora of the fuzz targets in Fuzz/ (see scripts/fuzz --help).

The seeds come from third-party encoders, so that the fuzzers start from what real peers send:
- pdu/: every PDU a pynetdicom requestor and acceptor exchange on loopback (echo, a store of each
  small test file, a find, a get, a move, an N-ACTION, release, abort), as the bytes went over;
- command-set/: the command sets inside those P-DATA-TF PDUs;
- part10/: pydicom's test files;
- data-set/: their data sets, each prefixed with the byte FuzzDataSet reads the transfer syntax from;
- query/: C-FIND identifiers (Implicit VR Little Endian), a zero byte, then a candidate data set.

Usage: fuzz-seeds.py OUTPUT_DIR   (run with a Python that has pynetdicom and pydicom)
"""
import hashlib
import os
import struct
import sys
import threading

from pydicom import dcmread
from pydicom.data import get_testdata_files
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset
from pynetdicom import AE, evt, debug_logger  # noqa: F401  (debug_logger: handy when editing)
from pynetdicom.sop_class import (
    CTImageStorage,
    PatientRootQueryRetrieveInformationModelFind,
    PatientRootQueryRetrieveInformationModelGet,
    PatientRootQueryRetrieveInformationModelMove,
    StorageCommitmentPushModel,
    Verification,
)

# FuzzDataSet's first byte selects the transfer syntax: its value modulo this list's length.
SYNTAXES = [
    "1.2.840.10008.1.2",        # Implicit VR Little Endian
    "1.2.840.10008.1.2.1",      # Explicit VR Little Endian
    "1.2.840.10008.1.2.2",      # Explicit VR Big Endian
    "1.2.840.10008.1.2.1.99",   # Deflated Explicit VR Little Endian
    "1.2.840.10008.1.2.4.50",   # JPEG Baseline: encapsulated pixel data
]


def write(directory, data):
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def data_set_offset(raw):
    """Where the data set starts in a Part 10 file: after the preamble and the File Meta group."""
    if raw[128:132] != b"DICM":
        return None
    offset = 132
    while offset + 8 <= len(raw):
        group, _element = struct.unpack_from("<HH", raw, offset)
        if group != 0x0002:
            return offset
        vr = raw[offset + 4:offset + 6]
        if vr in (b"OB", b"OW", b"OF", b"SQ", b"UT", b"UN"):
            length = struct.unpack_from("<I", raw, offset + 8)[0]
            offset += 12 + length
        else:
            length = struct.unpack_from("<H", raw, offset + 6)[0]
            offset += 8 + length
    return None


def file_seeds(out):
    for path in get_testdata_files():
        if not os.path.isfile(path) or os.path.getsize(path) > 256 * 1024:
            continue
        with open(path, "rb") as f:
            raw = f.read()
        write(os.path.join(out, "part10"), raw)
        offset = data_set_offset(raw)
        if offset is None:
            continue
        try:
            syntax = str(dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID)
        except Exception:
            continue
        index = SYNTAXES.index(syntax) if syntax in SYNTAXES else 4
        write(os.path.join(out, "data-set"), bytes([index]) + raw[offset:])


def implicit(ds):
    buffer = DicomBytesIO()
    buffer.is_implicit_VR = True
    buffer.is_little_endian = True
    write_dataset(buffer, ds)
    return buffer.getvalue()


def query_seeds(out):
    candidate = Dataset()
    candidate.SpecificCharacterSet = "ISO_IR 192"
    candidate.PatientName = "Müller^Jürgen=ミュラー^ユルゲン"
    candidate.PatientID = "PID-1"
    candidate.StudyDate = "20240131"
    candidate.StudyTime = "101530.25"
    candidate.ModalitiesInStudy = ["CT", "MR"]
    candidate.StudyInstanceUID = "1.2.3.4"
    item = Dataset()
    item.CodeValue = "T-A0100"
    item.CodingSchemeDesignator = "SRT"
    candidate.AnatomicRegionSequence = [item]
    identifiers = []
    for level, keys in [
        ("PATIENT", {"PatientName": "M*ller^J?rgen", "PatientID": ""}),
        ("STUDY", {"StudyDate": "20240101-20241231", "StudyTime": "-1200", "PatientName": "", "ModalitiesInStudy": "CT"}),
        ("STUDY", {"StudyInstanceUID": "1.2.3.4\\1.2.3.5", "AccessionNumber": "*"}),
        ("SERIES", {"StudyInstanceUID": "1.2.3.4", "Modality": "CT", "SeriesNumber": ""}),
        ("IMAGE", {"SOPInstanceUID": "", "AcquisitionDateTime": "20240101120000-20240102"}),
    ]:
        ds = Dataset()
        ds.QueryRetrieveLevel = level
        for keyword, value in keys.items():
            setattr(ds, keyword, value)
        identifiers.append(ds)
    sequence_query = Dataset()
    sequence_query.QueryRetrieveLevel = "STUDY"
    sequence_item = Dataset()
    sequence_item.CodeValue = "T-A0100"
    sequence_query.AnatomicRegionSequence = [sequence_item]
    identifiers.append(sequence_query)
    for ds in identifiers:
        write(os.path.join(out, "query"), implicit(ds) + b"\x00" + implicit(candidate))


def exchange_seeds(out):
    """Runs a pynetdicom requestor against a pynetdicom acceptor and keeps every PDU both send."""
    pdus = []
    lock = threading.Lock()

    def keep(event):
        with lock:
            pdus.append(bytes(event.data))

    def found(event):
        yield 0xFF00, event.identifier
        yield 0x0000, None

    def retrieved(event):
        yield 0
        yield 0x0000, None

    def moved(event):
        yield None, None  # unknown destination: answered A801H
        yield 0

    def action(event):
        return 0x0000, None

    scp = AE(ae_title="FUZZSCP")
    for context in (Verification, CTImageStorage, PatientRootQueryRetrieveInformationModelFind,
                    PatientRootQueryRetrieveInformationModelGet, PatientRootQueryRetrieveInformationModelMove,
                    StorageCommitmentPushModel):
        scp.add_supported_context(context)
    handlers = [(evt.EVT_DATA_RECV, keep), (evt.EVT_DATA_SENT, keep), (evt.EVT_C_STORE, lambda e: 0x0000),
                (evt.EVT_C_FIND, found), (evt.EVT_C_GET, retrieved), (evt.EVT_C_MOVE, moved),
                (evt.EVT_N_ACTION, action)]
    server = scp.start_server(("127.0.0.1", 0), block=False, evt_handlers=handlers)
    port = server.server_address[1]
    try:
        scu = AE(ae_title="FUZZSCU")
        for context in (Verification, CTImageStorage, PatientRootQueryRetrieveInformationModelFind,
                        PatientRootQueryRetrieveInformationModelGet, PatientRootQueryRetrieveInformationModelMove,
                        StorageCommitmentPushModel):
            scu.add_requested_context(context)
        association = scu.associate("127.0.0.1", port, ae_title="FUZZSCP")
        if association.is_established:
            association.send_c_echo()
            ct = dcmread(get_testdata_files("CT_small.dcm")[0])
            association.send_c_store(ct)
            query = Dataset()
            query.QueryRetrieveLevel = "PATIENT"
            query.PatientName = "CompressedSamples^CT1"
            query.PatientID = ""
            for _ in association.send_c_find(query, PatientRootQueryRetrieveInformationModelFind):
                pass
            for _ in association.send_c_get(query, PatientRootQueryRetrieveInformationModelGet):
                pass
            for _ in association.send_c_move(query, "NOWHERE", PatientRootQueryRetrieveInformationModelMove):
                pass
            commitment = Dataset()
            commitment.TransactionUID = "1.2.3.4.5"
            reference = Dataset()
            reference.ReferencedSOPClassUID = CTImageStorage
            reference.ReferencedSOPInstanceUID = ct.SOPInstanceUID
            commitment.ReferencedSOPSequence = [reference]
            association.send_n_action(commitment, 1, StorageCommitmentPushModel, "1.2.840.10008.1.20.1.1")
            association.release()
        second = scu.associate("127.0.0.1", port, ae_title="FUZZSCP")
        if second.is_established:
            second.abort()
        rejected = scu.associate("127.0.0.1", port, ae_title="NOSUCHAE")
        rejected.abort()
    finally:
        server.shutdown()
    for pdu in pdus:
        write(os.path.join(out, "pdu"), pdu)
        if pdu[0] != 0x04:
            continue
        offset = 6
        while offset + 6 <= len(pdu):
            length = struct.unpack_from(">I", pdu, offset)[0]
            control = pdu[offset + 5]
            if control & 0x01:  # a command fragment
                write(os.path.join(out, "command-set"), pdu[offset + 6:offset + 4 + length])
            offset += 4 + length


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    file_seeds(out)
    query_seeds(out)
    exchange_seeds(out)
    for name in sorted(os.listdir(out)):
        print(f"{name}: {len(os.listdir(os.path.join(out, name)))} seeds")


if __name__ == "__main__":
    main()
