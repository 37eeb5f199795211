#!/usr/bin/env python3
"""Print, as JSON, what pydicom and Python's codecs read from DICOM character-set bytes.

The Swift interop tests (Tests/DICOMCoreTests/CharacterSets/PydicomInteropTests.swift) run this
with the virtualenv's Python (pydicom 3) and decode the same bytes with SpecificCharacterSet.

    pydicom_charset_values.py elements   every PN, LO, SH, ST, LT, UT and UC element of pydicom's
                                         data/charset_files/*.dcm, sequences included: the file,
                                         the element's path, VR, raw bytes (hex), the raw value of
                                         the (0008,0005) in force for it, pydicom's terms for it,
                                         and pydicom's decoded values
    pydicom_charset_values.py tables     every code of every single-byte set (0x80-0xFF) and of
                                         every 94x94 double-byte set, with the character Python's
                                         codec gives it (null when the codec rejects the code)
"""

import glob
import json
import os
import sys

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.multival import MultiValue

TEXT_VRS = {"PN", "LO", "SH", "ST", "LT", "UT", "UC"}
SPECIFIC_CHARACTER_SET = 0x00080005


def charset_files():
    folder = os.path.join(os.path.dirname(pydicom.__file__), "data", "charset_files")
    return sorted(glob.glob(os.path.join(folder, "*.dcm")))


def raw_charset(dataset):
    """The raw (0008,0005) value of `dataset` as text, or None when it has none."""
    raw = dataset.get_item(SPECIFIC_CHARACTER_SET)
    if raw is None:
        return None
    value = raw.value if isinstance(raw, RawDataElement) else None
    if value is None:
        # Already converted by pydicom: rebuild the raw text from its values.
        converted = dataset[SPECIFIC_CHARACTER_SET].value
        values = list(converted) if isinstance(converted, MultiValue) else [converted]
        return "\\".join(values)
    return value.decode("ascii")


def as_list(value):
    if value is None:
        return []
    if isinstance(value, MultiValue):
        return [str(item) for item in value]
    return [str(value)]


def walk(dataset, charset, file_name, path, out):
    own = raw_charset(dataset)
    if own is not None:
        charset = own
    for tag in list(dataset.keys()):
        if tag == SPECIFIC_CHARACTER_SET:
            continue
        raw = dataset.get_item(tag)
        raw_bytes = raw.value if isinstance(raw, RawDataElement) else None
        element = dataset[tag]
        here = f"{path}({tag.group:04X},{tag.element:04X})"
        if element.VR == "SQ":
            for index, item in enumerate(element.value):
                walk(item, charset, file_name, f"{here}[{index}]/", out)
        elif element.VR in TEXT_VRS and raw_bytes is not None:
            out.append({
                "file": file_name,
                "path": here,
                "vr": element.VR,
                "charset": charset or "",
                "terms": [term for term in (charset or "").split("\\")],
                "hex": raw_bytes.hex(),
                "values": as_list(element.value),
            })


def elements():
    out = []
    for path in charset_files():
        dataset = pydicom.dcmread(path)
        walk(dataset, None, os.path.basename(path), "", out)
    return out


# Python codecs for each set, as pydicom maps the terms (pydicom.charset.python_encoding);
# ISO_IR 203, which pydicom 3.0 does not map, is ISO 8859-15.
SINGLE_BYTE = {
    "ISO_IR 100": "latin_1",
    "ISO_IR 101": "iso8859_2",
    "ISO_IR 109": "iso8859_3",
    "ISO_IR 110": "iso8859_4",
    "ISO_IR 144": "iso8859_5",
    "ISO_IR 127": "iso8859_6",
    "ISO_IR 126": "iso8859_7",
    "ISO_IR 138": "iso8859_8",
    "ISO_IR 148": "iso8859_9",
    "ISO_IR 203": "iso8859_15",
    "ISO_IR 166": "tis_620",
    "ISO_IR 13": "shift_jis",
}

# term, Python codec, bytes before the code, bytes after it, whether the code has its high bits set
DOUBLE_BYTE = [
    ("ISO 2022 IR 87", "iso2022_jp", b"\x1b$B", b"\x1b(B", False),
    ("ISO 2022 IR 159", "iso2022_jp_2", b"\x1b$(D", b"\x1b(B", False),
    ("ISO 2022 IR 149", "euc_kr", b"", b"", True),
    ("ISO 2022 IR 58", "gb2312", b"", b"", True),
]


def decoded(data, codec):
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text


def tables():
    out = []
    for term, codec in SINGLE_BYTE.items():
        cells = [decoded(bytes([byte]), codec) for byte in range(0x80, 0x100)]
        out.append({"term": term, "codec": codec, "first": 0x80, "cells": cells})
    for term, codec, prefix, suffix, high in DOUBLE_BYTE:
        cells = []
        for row in range(0x21, 0x7F):
            for column in range(0x21, 0x7F):
                code = bytes([row | 0x80, column | 0x80]) if high else bytes([row, column])
                cells.append(decoded(prefix + code + suffix, codec))
        out.append({"term": term, "codec": codec, "first": 0x2121, "cells": cells})
    return out


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "elements"
    if mode == "elements":
        result = elements()
    elif mode == "tables":
        result = tables()
    else:
        sys.exit(f"unknown mode {mode!r}: use 'elements' or 'tables'")
    json.dump(result, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
