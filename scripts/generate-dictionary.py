#!/usr/bin/env python3
"""Generate DICOMCore's data dictionary and UID registry from pydicom's tables.

Rerun from the repository root whenever pydicom is upgraded:

    .build-tools/venv/bin/python scripts/generate-dictionary.py

It reads the facts (tags, VRs, VMs, names, keywords, UIDs) of PS3.6 and of the
vendors' private dictionaries as pydicom ships them, and writes:

    Sources/DICOMCore/Generated/DataDictionaryTable.swift     public tags
    Sources/DICOMCore/Generated/RepeatingGroupsTable.swift    (50xx,eeee), (60xx,eeee), ...
    Sources/DICOMCore/Generated/PrivateDictionaryTable.swift  private tags by creator
    Sources/DICOMCore/Generated/UIDRegistryTable.swift        PS3.6 Annex A UIDs
    Sources/DICOMCore/Generated/Tag+Keywords.swift            `Tag.patientName` & co.
    Sources/DICOMCore/Generated/UID+Keywords.swift            `UID.ctImageStorage` & co.
    Tests/DICOMCoreTests/Dictionary/KeywordStatics.swift      every static, for the
                                                              round-trip tests

The tables are tab-separated lines inside one raw string literal each, parsed
once at first use by the hand-written code in Sources/DICOMCore/Dictionary/:
thousands of array-literal elements would make the type checker crawl. The
keyword constants are computed properties, not `static let`s: 5,000 stored
statics each get a lazy initializer, accessor and once-token, which tripled the
debug and quadrupled the release compile time of the module when measured. The
output is sorted and depends only on pydicom's tables, so a rerun with the same
pydicom version changes nothing. Pass --check to fail (exit 1) instead of
writing when a file would change.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pydicom
from pydicom._dicom_dict import DicomDictionary, RepeatersDictionary
from pydicom._private_dict import private_dictionaries
from pydicom._uid_dict import UID_dictionary

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "Sources" / "DICOMCore" / "Generated"
TEST_FIXTURE = ROOT / "Tests" / "DICOMCoreTests" / "Dictionary" / "KeywordStatics.swift"

# The 34 VRs of PS3.5 Table 6.2-1, as `enum VR` spells them.
VRS = {
    "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF",
    "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN",
    "UR", "US", "UT", "UV",
}

SWIFT_KEYWORDS = {
    "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension",
    "fileprivate", "func", "import", "init", "inout", "internal", "let", "nonisolated", "open",
    "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
    "throw", "switch", "where", "while", "as", "false", "is", "nil", "super", "throws", "true",
    "try", "await", "any", "some",
}

# Members the hand-written Tag and UID code already declares: a generated static of the same
# name would not compile. Tag.item & co. are declared in Values/Tag.swift with the same values.
TAG_MEMBERS = {
    "rawValue", "group", "element", "isPrivate", "isPrivateCreator", "privateCreatorTag",
    "isGroupLength", "isDelimiter", "isFileMetaInformation", "isCommand", "item",
    "itemDelimitationItem", "sequenceDelimitationItem", "description", "hex4", "keyword",
    "name", "dictionaryEntry",
}
UID_MEMBERS = {
    "string", "description", "maximumLength", "isValid", "uuidRoot", "generate", "decimal",
    "name", "registryEntry",
}

# Leading acronyms made of two that the general rule would run together: `JPEGLSLossless`
# becomes `jpegLSLossless` (as `TransferSyntax.jpegLSLossless`), not `jpeglsLossless`.
LEADING_ACRONYMS = {"JPEGLS": "jpegLS"}


def fail(message: str) -> None:
    sys.exit(f"generate-dictionary: {message}")


def lower_camel(keyword: str) -> str:
    """`PatientName` → `patientName`, `SOPInstanceUID` → `sopInstanceUID`,
    `JPEG2000Lossless` → `jpeg2000Lossless`, `ITIS_TSN` → `itisTSN`."""
    parts = [part for part in keyword.split("_") if part]
    head = parts[0]
    for prefix, lowered in LEADING_ACRONYMS.items():
        if head.startswith(prefix):
            return lowered + head[len(prefix):] + "".join(parts[1:])
    run = len(head) - len(head.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if run == len(head):
        head = head.lower()
    elif run > 1 and head[run].islower():
        # "SOPInstance": the last capital of the run starts the next word.
        head = head[: run - 1].lower() + head[run - 1 :]
    else:
        head = head[:run].lower() + head[run:]
    name = head + "".join(parts[1:])
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        fail(f"keyword {keyword!r} does not make a Swift identifier")
    return name


def swift_identifier(name: str) -> str:
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def split_vr(text: str, context: str) -> list[str]:
    """'US or SS' → ['US', 'SS']; pydicom's 'NONE' (item delimiters) → []; 'OB_OW' → OB, OW."""
    if text == "NONE":
        return []
    vrs = [part.strip() for part in re.split(r" or |_", text)]
    for vr in vrs:
        if vr not in VRS:
            fail(f"unknown VR {vr!r} in {context}")
    return vrs


def check_vm(text: str, context: str) -> str:
    if not re.fullmatch(r"\d+(-(\d+|\d*n))?", text):
        fail(f"unreadable VM {text!r} in {context}")
    return text


def check_field(text: str, context: str) -> str:
    if "\t" in text or "\n" in text or '"#' in text or "\\#" in text:
        fail(f"field {text!r} in {context} cannot go into the table")
    return text


def tag_text(value: int) -> str:
    return f"({value >> 16:04X},{value & 0xFFFF:04X})"


def uid_sort_key(uid: str) -> list[int]:
    return [int(part) for part in uid.split(".")]


def header(description: str) -> str:
    return (
        f"// Generated by scripts/generate-dictionary.py from pydicom {pydicom.__version__}; "
        "do not edit.\n"
        f"// {description}\n"
        "// Rerun: .build-tools/venv/bin/python scripts/generate-dictionary.py\n\n"
    )


def table_literal(lines: list[str]) -> str:
    body = "\n".join(lines)
    return '#"""\n' + body + '\n"""#'


# MARK: - Public dictionary


def public_rows() -> list[tuple[int, list[str], str, str, str, bool]]:
    rows = []
    for tag, (vr, vm, name, retired, keyword) in sorted(DicomDictionary.items()):
        context = f"public tag {tag_text(tag)}"
        if retired not in ("", "Retired"):
            fail(f"odd retired flag {retired!r} in {context}")
        if keyword and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", keyword):
            fail(f"odd keyword {keyword!r} in {context}")
        rows.append((tag, split_vr(vr, context), check_vm(vm, context), check_field(name, context),
                     keyword, retired == "Retired"))
    keywords = [row[4] for row in rows if row[4]]
    if len(keywords) != len(set(keywords)):
        fail("duplicate keywords in the public dictionary")
    return rows


def write_public_table(rows) -> str:
    lines = [
        "\t".join([f"{tag:08X}", "/".join(vrs), vm, keyword, "R" if retired else "", name])
        for tag, vrs, vm, name, keyword, retired in rows
    ]
    return (
        header("PS3.6 Tables 6-1, 7-1, 8-1 and E.1-1: every public data element with a fixed tag.")
        + "extension DataDictionary {\n"
        + "    /// One line per element: tag (hex), VRs separated by `/` (empty for the item\n"
        + "    /// delimiters, which have none), VM, keyword (may be empty), `R` if retired, name.\n"
        + "    static var publicTableText: String {\n"
        + "        " + table_literal(lines) + "\n"
        + "    }\n}\n"
    )


def repeater_rows():
    rows = []
    for pattern, (vr, vm, name, retired, keyword) in sorted(RepeatersDictionary.items()):
        context = f"repeating tag {pattern}"
        pattern = pattern.upper().replace("X", "x")
        if not re.fullmatch(r"[0-9A-Fx]{8}", pattern):
            fail(f"odd pattern in {context}")
        rows.append((pattern, split_vr(vr, context), check_vm(vm, context),
                     check_field(name, context), keyword, retired == "Retired"))
    return rows


def write_repeater_table(rows, public_keywords: set[str]) -> str:
    for row in rows:
        if row[4] in public_keywords:
            fail(f"repeating keyword {row[4]} is also a public keyword")
    lines = [
        "\t".join([pattern, "/".join(vrs), vm, keyword, "R" if retired else "", name])
        for pattern, vrs, vm, name, keyword, retired in rows
    ]
    return (
        header("PS3.6 repeating groups and elements: curves (50xx), overlays (60xx) and the like.")
        + "extension DataDictionary {\n"
        + "    /// One line per element: tag pattern (hex, `x` for any digit), VRs separated by `/`,\n"
        + "    /// VM, keyword, `R` if retired, name.\n"
        + "    static var repeatingTableText: String {\n"
        + "        " + table_literal(lines) + "\n"
        + "    }\n}\n"
    )


# MARK: - Private dictionaries

# pydicom looks a private tag up as gggg eeee, then gggg xx ee, then gg xxxx ee; other patterns
# (the 'gggg10xx' rows of a few GEMS creators) are never reached, so they are left out.
PRIVATE_PATTERN = re.compile(r"[0-9A-F]{8}|[0-9A-F]{4}xx[0-9A-F]{2}|[0-9A-F]{2}xxxx[0-9A-F]{2}")


def write_private_table() -> tuple[str, list[str]]:
    lines: list[str] = []
    skipped: list[str] = []
    for creator in sorted(private_dictionaries):
        if not creator or "\t" in creator or creator != creator.strip():
            fail(f"odd private creator {creator!r}")
        check_field(creator, "private creator")
        entries = []
        for pattern, (vr, vm, name, retired) in sorted(private_dictionaries[creator].items()):
            context = f"private tag {pattern} of {creator!r}"
            pattern = pattern.upper().replace("X", "x")
            if not PRIVATE_PATTERN.fullmatch(pattern):
                skipped.append(f"{creator} {pattern}")
                continue
            if retired:
                fail(f"retired flag in {context}")
            entries.append("\t".join([pattern, "/".join(split_vr(vr, context)),
                                      check_vm(vm, context), check_field(name, context)]))
        if entries:
            lines.append(creator)
            lines.extend(entries)
    text = (
        header("Vendors' private data elements, by private creator.")
        + "extension DataDictionary {\n"
        + "    /// A line without a tab names a private creator; the lines after it are its\n"
        + "    /// elements: tag pattern (`ggggeeee`, `ggggxxee` or `ggxxxxee`, `x` for the block or\n"
        + "    /// group digits), VRs separated by `/`, VM, name.\n"
        + "    static var privateTableText: String {\n"
        + "        " + table_literal(lines) + "\n"
        + "    }\n}\n"
    )
    return text, skipped


# MARK: - UIDs


def uid_rows():
    rows = []
    for uid, (name, kind, info, retired, keyword) in sorted(UID_dictionary.items(),
                                                           key=lambda item: uid_sort_key(item[0])):
        context = f"UID {uid}"
        if not re.fullmatch(r"\d+(\.\d+)*", uid):
            fail(f"odd {context}")
        if retired not in ("", "Retired"):
            fail(f"odd retired flag {retired!r} in {context}")
        if keyword and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", keyword):
            fail(f"odd keyword {keyword!r} in {context}")
        rows.append((uid, check_field(kind, context), keyword, retired == "Retired",
                     check_field(name, context)))
    keywords = [row[2] for row in rows if row[2]]
    if len(keywords) != len(set(keywords)):
        fail("duplicate keywords in the UID registry")
    return rows


def write_uid_table(rows) -> str:
    lines = ["\t".join([uid, kind, keyword, "R" if retired else "", name])
             for uid, kind, keyword, retired, name in rows]
    return (
        header("PS3.6 Annex A: registry of DICOM unique identifiers.")
        + "extension UIDRegistry {\n"
        + "    /// One line per UID: UID, type, keyword (may be empty), `R` if retired, name.\n"
        + "    static var tableText: String {\n"
        + "        " + table_literal(lines) + "\n"
        + "    }\n}\n"
    )


# MARK: - Statics


def statics(keywords: list[str], reserved: set[str], what: str) -> dict[str, str]:
    """keyword → Swift member name, skipping names the hand-written code declares."""
    names: dict[str, str] = {}
    seen: dict[str, str] = {}
    for keyword in keywords:
        name = lower_camel(keyword)
        if name in reserved:
            print(f"no {what} static for {keyword}: Swift code already declares {name}")
            continue
        if name in seen:
            fail(f"{what} keywords {seen[name]} and {keyword} both become {name}")
        seen[name] = keyword
        names[keyword] = name
    return names


def write_tag_statics(rows, names: dict[str, str]) -> str:
    out = [header("A static for every keyword of the public dictionary (PS3.6)."),
           "extension Tag {\n"]
    for tag, vrs, vm, name, keyword, retired in rows:
        if keyword not in names:
            continue
        vr_text = " or ".join(vrs) if vrs else "no VR"
        note = " Retired." if retired else ""
        out.append(f"    /// {name} {tag_text(tag)}: {vr_text}, VM {vm}.{note}\n")
        out.append(f"    @inlinable public static var {swift_identifier(names[keyword])}: Tag {{ "
                   f"Tag(0x{tag >> 16:04X}_{tag & 0xFFFF:04X}) }}\n")
    out.append("}\n")
    return "".join(out)


def write_uid_statics(rows, names: dict[str, str]) -> str:
    out = [header("A static for every UID of the registry that has a keyword (PS3.6 Annex A)."),
           "extension UID {\n"]
    for uid, kind, keyword, retired, name in rows:
        if keyword not in names:
            continue
        note = " Retired." if retired else ""
        out.append(f"    /// {name} ({kind}), `{uid}`.{note}\n")
        out.append(f"    public static var {swift_identifier(names[keyword])}: UID {{ "
                   f'UID(registered: "{uid}") }}\n')
    out.append("}\n")
    return "".join(out)


def write_test_fixture(tag_rows, tag_names, uid_rows_, uid_names) -> str:
    out = [header("Every generated keyword static, for the round-trip tests."),
           "import DICOMCore\n\n",
           "// `DICOMCore.Tag` in full: Swift Testing has a `Tag` type too.\n",
           "/// Calls `body` with each generated `Tag` static and the keyword it was made from.\n",
           "func forEachTagKeywordStatic(_ body: (String, DICOMCore.Tag) -> Void) {\n"]
    for row in tag_rows:
        keyword = row[4]
        if keyword in tag_names:
            out.append(f'    body("{keyword}", .{swift_identifier(tag_names[keyword])})\n')
    out.append("}\n\n")
    out.append("/// Calls `body` with each generated `UID` static and the keyword it was made from.\n")
    out.append("func forEachUIDKeywordStatic(_ body: (String, UID) -> Void) {\n")
    for row in uid_rows_:
        keyword = row[2]
        if keyword in uid_names:
            out.append(f'    body("{keyword}", .{swift_identifier(uid_names[keyword])})\n')
    out.append("}\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a generated file is out of date instead of writing it")
    arguments = parser.parse_args()

    rows = public_rows()
    repeaters = repeater_rows()
    uids = uid_rows()
    public_keywords = {row[4] for row in rows if row[4]}
    tag_names = statics([row[4] for row in rows if row[4]], TAG_MEMBERS, "tag")
    uid_names = statics([row[2] for row in uids if row[2]], UID_MEMBERS, "UID")
    private_text, skipped = write_private_table()

    files = {
        GENERATED / "DataDictionaryTable.swift": write_public_table(rows),
        GENERATED / "RepeatingGroupsTable.swift": write_repeater_table(repeaters, public_keywords),
        GENERATED / "PrivateDictionaryTable.swift": private_text,
        GENERATED / "UIDRegistryTable.swift": write_uid_table(uids),
        GENERATED / "Tag+Keywords.swift": write_tag_statics(rows, tag_names),
        GENERATED / "UID+Keywords.swift": write_uid_statics(uids, uid_names),
        TEST_FIXTURE: write_test_fixture(rows, tag_names, uids, uid_names),
    }
    stale = []
    for path, text in files.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not arguments.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if arguments.check and stale:
        fail("out of date: " + ", ".join(map(str, stale)))

    print(f"pydicom {pydicom.__version__}: {len(rows)} public tags "
          f"({len(tag_names)} statics), {len(repeaters)} repeating tags, "
          f"{sum(len(d) for d in private_dictionaries.values()) - len(skipped)} private tags of "
          f"{len(private_dictionaries)} creators, {len(uids)} UIDs ({len(uid_names)} statics)")
    if skipped:
        print(f"skipped {len(skipped)} private rows no lookup can reach: " + "; ".join(skipped))
    for path in stale:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
