#!/usr/bin/env python3
"""Read a DICOM file and re-encodings of it with pydicom, and print, as JSON, where they differ.

The Swift interop tests (Tests/netdicomTests/TranscodingInteropTests.swift) write each of pydicom's
uncompressed test files in the four native transfer syntaxes with NetDICOM, then run this with the
virtualenv's Python (pydicom 3):

    pydicom_compare.py ORIGINAL TRANSCODED [TRANSCODED ...]
    pydicom_compare.py --serve

The first form prints one JSON object: {"original": path, "results": [result, ...]}, a result per
TRANSCODED. The second reads requests from standard input, one JSON array [ORIGINAL, TRANSCODED,
...] per line, and answers each with that object on one line of standard output: the tests keep
one such process for all files, as starting Python and importing pydicom costs more than a
comparison. A result:

    {"file": path, "transfer_syntax": "1.2.840.10008.1.2", "error": null, "elements": 123,
     "differences": [{"path": "(0008,1115)[0]/(0008,1150)", "tag": "00081150", "kind": "vr",
                      "original": "UI", "transcoded": "UN", "encoded": [null, "UN"]}, ...]}

"encoded" holds the VRs as the two files encode them (null for implicit VR), which differ from
what pydicom reports when it replaces a UN with the VR its dictionary knows.

ORIGINAL is read with force=True (some of pydicom's files have no meta information); a TRANSCODED
file must read without it, as a Part 10 file. The data sets (meta information aside) are walked
together, sequences included. Kinds of difference: "missing" and "extra" (an element on one side
only), "vr", "items" (item counts), "shape" (a sequence on one side, a value on the other) and
"value". Values are compared as pydicom decodes them: text with the file's character sets,
numbers with their byte order. Binary values (OB, OW, OF, OL, OD, OV, UN) are compared as little
endian bytes. When the VRs differ and one is UN (an implicit VR file's private element), the UN
bytes are decoded with the other VR before comparing.
"""

import json
import logging
import sys
import warnings

import pydicom
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

SWAP_UNITS = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
BINARY_VRS = {"OB", "OW", "OF", "OL", "OD", "OV", "UN"}


def little_endian_bytes(value, vr, big_endian):
    """A binary value as little-endian bytes."""
    data = bytes(value or b"")
    unit = SWAP_UNITS.get(vr)
    if not big_endian or unit is None:
        return data
    whole = len(data) - len(data) % unit
    swapped = bytearray()
    for start in range(0, whole, unit):
        swapped += data[start:start + unit][::-1]
    return bytes(swapped) + data[whole:]


def comparable(value, vr, big_endian):
    """A value in a form that compares equal when the decoded values are equal."""
    if value is None or value == "" or value == b"":
        return ""  # pydicom gives an empty value as None, "" or b"" depending on the VR
    if vr in BINARY_VRS or isinstance(value, (bytes, bytearray)):
        return little_endian_bytes(value, vr, big_endian).hex()
    if isinstance(value, MultiValue) or isinstance(value, list):
        return [comparable(item, vr, big_endian) for item in value]
    if isinstance(value, float):
        return repr(value)
    return str(value)


def decoded_as(raw, dataset, vr):
    """The raw element `raw` of `dataset` decoded with `vr` instead of its own."""
    if not isinstance(raw, RawDataElement):
        return None
    return convert_raw_data_element(raw._replace(VR=vr), encoding=dataset._character_set, ds=dataset)


def encoded_vr(raw):
    """The VR as the file encodes it (None for implicit VR): pydicom may replace a UN."""
    return raw.VR if isinstance(raw, RawDataElement) and not raw.is_implicit_VR else None


def tag_text(tag):
    return f"({tag.group:04X},{tag.element:04X})"


def compare(original, transcoded, path, big_endians, differences, counter):
    tags = sorted(set(original.keys()) | set(transcoded.keys()))
    for tag in tags:
        if tag.group == 0x0002:
            continue
        where = path + tag_text(tag)
        record = {"path": where, "tag": f"{tag.group:04X}{tag.element:04X}"}
        if tag not in transcoded:
            differences.append(dict(record, kind="missing", original=original[tag].VR, transcoded=None))
            continue
        if tag not in original:
            differences.append(dict(record, kind="extra", original=None, transcoded=transcoded[tag].VR))
            continue
        counter[0] += 1
        # The raw elements first: reading an element converts it, and its raw bytes are gone.
        raw_a = original.get_item(tag)
        raw_b = transcoded.get_item(tag)
        record["encoded"] = [encoded_vr(raw_a), encoded_vr(raw_b)]
        a = original[tag]
        b = transcoded[tag]
        if a.VR != b.VR:
            differences.append(dict(record, kind="vr", original=a.VR, transcoded=b.VR))
            if a.VR == "UN" and b.VR != "SQ":
                a = decoded_as(raw_a, original, b.VR) or a
            elif b.VR == "UN" and a.VR != "SQ":
                b = decoded_as(raw_b, transcoded, a.VR) or b
        a_items = isinstance(a.value, Sequence)
        b_items = isinstance(b.value, Sequence)
        if a_items and b_items:
            if len(a.value) != len(b.value):
                differences.append(dict(record, kind="items", original=len(a.value), transcoded=len(b.value)))
                continue
            for index, (item_a, item_b) in enumerate(zip(a.value, b.value)):
                compare(item_a, item_b, f"{where}[{index}]/", big_endians, differences, counter)
            continue
        if a_items or b_items:
            differences.append(dict(record, kind="shape",
                                    original="sequence" if a_items else a.VR,
                                    transcoded="sequence" if b_items else b.VR))
            continue
        value_a = comparable(a.value, a.VR, big_endians[0])
        value_b = comparable(b.value, b.VR, big_endians[1])
        if value_a != value_b:
            differences.append(dict(record, kind="value", original=shorten(value_a), transcoded=shorten(value_b)))


def shorten(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


def is_big_endian(dataset):
    return dataset.original_encoding[1] is False


def compare_files(original_path, paths):
    results = []
    for path in paths:
        result = {"file": path, "transfer_syntax": None, "error": None, "elements": 0, "differences": []}
        try:
            # Read afresh for each comparison, so that its raw elements are still raw.
            original = pydicom.dcmread(original_path, force=True)
            transcoded = pydicom.dcmread(path)
            result["transfer_syntax"] = str(transcoded.file_meta.TransferSyntaxUID)
            counter = [0]
            compare(original, transcoded, "", (is_big_endian(original), is_big_endian(transcoded)),
                    result["differences"], counter)
            result["elements"] = counter[0]
        except Exception as error:  # reported to the Swift side, which fails the test
            result["error"] = f"{type(error).__name__}: {error}"
        results.append(result)
    return {"original": original_path, "results": results}


def serve():
    warnings.simplefilter("ignore")
    logging.getLogger("pydicom").setLevel(logging.CRITICAL)
    for line in sys.stdin:
        if not line.strip():
            continue
        paths = json.loads(line)
        print(json.dumps(compare_files(paths[0], paths[1:]), ensure_ascii=False), flush=True)
    return 0


def main(arguments):
    if arguments == ["--serve"]:
        return serve()
    if len(arguments) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(compare_files(arguments[0], arguments[1:]), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
