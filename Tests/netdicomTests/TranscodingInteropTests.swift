import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// Every uncompressed, well-formed file pydicom ships, transcoded by DICOMCore into each native
/// transfer syntax — Implicit VR Little Endian, Explicit VR Little Endian, Explicit VR Big Endian
/// and Deflated Explicit VR Little Endian — with ``DICOMFile/transcoded(to:)`` and written with
/// ``DataSetWriter``; then read back by three readers:
///
/// - DICOMCore: the file decodes to the data set that was written, and encodes again to the same
///   bytes ("every transfer syntax both ways"). Through implicit VR only what implicit VR cannot
///   carry may change: the VR of private and unknown elements, of elements that were UN, and of
///   the "OB or OW" / "US or SS" elements (PS3.5 §A.1); the bytes may not.
/// - DCMTK: `dcmdump` reads it without error and lists the same elements with the same values as
///   it lists for the original (see ``compareListings(_:_:from:to:)`` for what may differ).
/// - pydicom: `scripts/pydicom_compare.py` reads original and transcoded files and reports every
///   element whose decoded value differs; none may, but recomputed group lengths (gggg,0000) and
///   the one misreading of pydicom's listed in ``isExpected(_:from:to:)``.
///
/// Files with encapsulated (compressed) pixel data are not transcoded into the native syntaxes,
/// which needs a codec: for them the test checks that ``DICOMFile/transcoded(to:)`` refuses. A
/// file in an encapsulated syntax without pixel data (UN_sequence.dcm) is transcoded.
@Suite("Files NetDICOM writes are read by DCMTK and pydicom", .tags(.interop),
       .enabled(if: ExternalTools.shouldRun(needing: "dcmdump") && ExternalTools.shouldRun(needing: "python")))
struct TranscodingInteropTests {
    static let targets: [TransferSyntax] = [
        .implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian,
    ]

    /// Transcodings pydicom 3.0 cannot read, and why; each must still fail, so that the list
    /// stays honest. DCMTK reads them all.
    static let pydicomCannotRead: [String: (target: TransferSyntax, reason: String)] = [
        "UN_sequence.dcm": (.explicitVRBigEndian,
            "a UN of undefined length holds Implicit VR Little Endian items whatever the transfer syntax (PS3.5 §6.2.2); "
            + "pydicom's data_element_generator reads them in the file's byte order, and big endian they are not"),
    ]

    /// pydicom's files that are not valid DICOM (see DICOMCoreTests' round-trip tests).
    static let malformed: Set<String> = ["MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm"]

    @Test("written in every native syntax, read back by DICOMCore, DCMTK and pydicom", arguments: PydicomTestFiles.names)
    func transcode(name: String) throws {
        let url = try PydicomTestFiles.url(name)
        if Self.malformed.contains(name) {
            #expect(throws: DICOMParsingError.self) { try DICOMFile(contentsOf: url.path) }
            return
        }
        let file = try DICOMFile(contentsOf: url.path)
        if file.dataSet[.pixelData]?.fragments != nil {
            for target in Self.targets {
                #expect { try file.transcoded(to: target) } throws: { error in
                    (error as? DICOMEncodingError)?.code == .unsupportedConversion
                }
            }
            return
        }

        let scratch = try SampleFiles()
        var paths: [String] = []
        for target in Self.targets {
            let transcoded = try file.transcoded(to: target)
            let bytes = try transcoded.encoded()
            let path = scratch.path("\(target.uid.string).dcm")
            try Data(bytes.readableBytesView).write(to: URL(fileURLWithPath: path))
            paths.append(path)

            // DICOMCore, both ways.
            let reread = try DICOMFile(reading: bytes)
            #expect(reread.transferSyntax == target)
            #expect(reread.fileMetaInformation == transcoded.fileMetaInformation, "\(target): meta information")
            #expect(try reread.encoded() == bytes, "\(target): read and written again, the bytes changed")
            let wrongGroupLengths = Self.wrongGroupLengths(in: reread.dataSet, syntax: target)
            #expect(wrongGroupLengths.isEmpty, "\(target): group lengths not recomputed: \(wrongGroupLengths)")
            if target.isExplicitVR {
                #expect(reread.dataSet == transcoded.dataSet, "\(target): read back differently")
            } else {
                let differences = Self.contentDifferences(transcoded.dataSet, reread.dataSet)
                #expect(differences.isEmpty, "\(target): \(differences.prefix(10))")
            }

        }

        // DCMTK: the original and the four files in one run (+F heads each file's listing).
        let dump = try ExternalTools.run(ExternalTools.require("dcmdump"), ["+F", "+Qo", url.path] + paths)
        #expect(dump.status == 0 && !dump.stderr.contains("E: "), "dcmdump: \(dump.stderr)")
        let listings = ("\n" + dump.stdout).components(separatedBy: "\n# dcmdump (").dropFirst().map { DumpListing.lines($0, dataSetOnly: true) }
        try #require(listings.count == 1 + Self.targets.count, "dcmdump listed \(listings.count) files: \(dump.stderr)")
        for (target, listing) in zip(Self.targets, listings.dropFirst()) {
            let differences = Self.compareListings(listings[0], listing, from: file.transferSyntax, to: target)
            #expect(differences.isEmpty, "\(name) → \(target), dcmdump lists:\n\(differences.prefix(10).joined(separator: "\n"))")
        }

        // pydicom, all four files in one request.
        let comparison = try PydicomWorker.shared.get().compare(original: url.path, transcoded: paths)
        try #require(comparison.results.count == Self.targets.count)
        for (target, result) in zip(Self.targets, comparison.results) {
            if let known = Self.pydicomCannotRead[name], known.target == target {
                #expect(result.error != nil, "pydicom now reads \(name) in \(target): remove it from pydicomCannotRead")
                continue
            }
            #expect(result.error == nil, "\(target): pydicom cannot read it: \(result.error ?? "")")
            #expect(result.transferSyntax == target.uid.string)
            #expect(result.elements > 0)
            let unexpected = result.differences.filter { !Self.isExpected($0, from: file.transferSyntax, to: target) }
            #expect(unexpected.isEmpty, "\(name) → \(target), pydicom reads:\n\(unexpected.prefix(10).map(\.description).joined(separator: "\n"))")
        }
    }

    // MARK: - What may change

    /// Whether a tag's VR is one implicit VR cannot carry: a private or unknown element's.
    static func isPrivateOrUnknown(_ tag: DICOMCore.Tag) -> Bool {
        tag.isPrivate || DataDictionary.entry(for: tag) == nil
    }

    /// Whether an element may change from VR `old` to `new` between `source` and `target`: only
    /// through implicit VR, and only for private and unknown elements, for elements that were or
    /// become UN, and between the VRs PS3.6 allows an element ("OB or OW", "US or SS").
    static func mayChangeVR(_ tag: DICOMCore.Tag, _ old: String, _ new: String, from source: TransferSyntax, to target: TransferSyntax) -> Bool {
        if let entry = DataDictionary.entry(for: tag), entry.allowedVRs.count > 1,
           let oldVR = VR(rawValue: old), let newVR = VR(rawValue: new),
           entry.allowedVRs.contains(oldVR), entry.allowedVRs.contains(newVR) {
            return true
        }
        guard !source.isExplicitVR || !target.isExplicitVR else { return false }
        return isPrivateOrUnknown(tag) || old == "UN" || new == "UN"
    }

    /// Where `reread` differs from `written` beyond what implicit VR may change (see
    /// ``mayChangeVR(_:_:_:from:to:)``): a private sequence may come back as the UN bytes of its
    /// items, as implicit VR cannot say it is one.
    static func contentDifferences(_ written: DataSet, _ reread: DataSet, path: String = "") -> [String] {
        guard written.tags == reread.tags else { return ["\(path): tags \(written.tags) → \(reread.tags)"] }
        var differences: [String] = []
        for (old, new) in zip(written, reread) {
            let here = path + old.tag.description
            if old.vr != new.vr, !mayChangeVR(old.tag, old.vr.rawValue, new.vr.rawValue, from: .explicitVRLittleEndian, to: .implicitVRLittleEndian) {
                differences.append("\(here): VR \(old.vr) → \(new.vr)")
            }
            switch (old.value, new.value) {
            case (.bytes(let a), .bytes(let b)):
                if a != b { differences.append("\(here): value changed") }
            case (.sequence(let a), .sequence(let b)):
                guard a.count == b.count else {
                    differences.append("\(here): \(a.count) items → \(b.count)")
                    continue
                }
                for (index, (itemA, itemB)) in zip(a, b).enumerated() {
                    differences += contentDifferences(itemA, itemB, path: "\(here)[\(index)]/")
                }
            case (.sequence, .bytes):
                if !isPrivateOrUnknown(old.tag) { differences.append("\(here): sequence → bytes") }
            case (.fragments(let a), .fragments(let b)):
                if a != b { differences.append("\(here): fragments changed") }
            case (.bytes, _), (.sequence, _), (.fragments, _):
                differences.append("\(here): the value changed shape")
            }
        }
        return differences
    }

    /// The group lengths (gggg,0000) of `dataSet` and its items that are not the encoded length
    /// of the rest of their group in `syntax` (PS3.5 §7.2).
    static func wrongGroupLengths(in dataSet: DataSet, syntax: TransferSyntax) -> [DICOMCore.Tag] {
        var wrong: [DICOMCore.Tag] = []
        for element in dataSet {
            if element.tag.isGroupLength, element.tag.group != 0x0002 {
                let group = DataSet(dataSet.filter { $0.tag.group == element.tag.group && !$0.tag.isGroupLength })
                if dataSet.integer(element.tag) != DataSetWriter.encodedLength(of: group, transferSyntax: syntax) {
                    wrong.append(element.tag)
                }
            }
            for item in element.items ?? [] {
                wrong += wrongGroupLengths(in: item, syntax: element.vr == .UN ? .implicitVRLittleEndian : syntax)
            }
        }
        return wrong
    }

    /// Where dcmdump's listing of a transcoded file differs from its listing of the original.
    ///
    /// Compared line by line: tag, nesting, VR and value (lengths change with the syntax). A VR
    /// may differ as ``mayChangeVR(_:_:_:from:to:)`` allows; then binary values (OB, OW, UN) are
    /// compared as the bytes both lists show, other values not (pydicom compares those), and when
    /// one side is a sequence and the other not, the sequence's lines are skipped. Group lengths
    /// (gggg,0000) are recomputed for the new syntax, so their values are not compared.
    static func compareListings(_ original: [DumpLine], _ transcoded: [DumpLine], from source: TransferSyntax, to target: TransferSyntax) -> [String] {
        var differences: [String] = []
        var i = 0
        var j = 0
        while i < original.count, j < transcoded.count {
            var a = original[i]
            var b = transcoded[j]
            // dcmdump's "??" is an implicit VR element its dictionary does not know (it writes UN).
            if a.vr == "??" { a.vr = "UN" }
            if b.vr == "??" { b.vr = "UN" }
            guard a.tag == b.tag, a.depth == b.depth else {
                differences.append("out of step:\n  original   \(a)\n  transcoded \(b)")
                return differences
            }
            let tag = DICOMCore.Tag(group: a.group, element: a.element)
            // In implicit VR dcmdump leaves the VR of some elements PS3.6 gives two VRs unresolved
            // and prints its placeholder: "xs" for "US or SS", "ox" for "OB or OW", "lt" for
            // "US or SS or OW". Such a line still shows the value.
            if let placeholder = Self.dcmtkPlaceholders[b.vr], placeholder.contains(a.vr) { b.vr = a.vr }
            if let placeholder = Self.dcmtkPlaceholders[a.vr], placeholder.contains(b.vr) { a.vr = b.vr }
            if a.vr != b.vr {
                if !mayChangeVR(tag, a.vr, b.vr, from: source, to: target) {
                    differences.append("VR changed:\n  original   \(a)\n  transcoded \(b)")
                } else if let bytesA = shownBytes(a), let bytesB = shownBytes(b) {
                    let common = min(bytesA.count, bytesB.count)
                    if bytesA.prefix(common) != bytesB.prefix(common) || (common == 0 && bytesA.count != bytesB.count) {
                        differences.append("bytes changed:\n  original   \(a)\n  transcoded \(b)")
                    }
                }
                i += 1 + childLines(original, after: i)
                j += 1 + childLines(transcoded, after: j)
                continue
            }
            if a.value != b.value, !tag.isGroupLength {
                differences.append("value changed:\n  original   \(a)\n  transcoded \(b)")
            }
            i += 1
            j += 1
        }
        if i < original.count || j < transcoded.count {
            differences.append("\(original.count - i) original and \(transcoded.count - j) transcoded lines left over")
        }
        return differences
    }

    /// DCMTK's names for unresolved ambiguous VRs, with the VRs each stands for.
    static let dcmtkPlaceholders: [String: Set<String>] = ["xs": ["US", "SS"], "ox": ["OB", "OW"], "lt": ["US", "SS", "OW"]]

    /// The number of lines nested under line `index` (a sequence's items and their elements).
    private static func childLines(_ lines: [DumpLine], after index: Int) -> Int {
        var count = 0
        while index + count + 1 < lines.count, lines[index + count + 1].depth > lines[index].depth { count += 1 }
        return count
    }

    /// The bytes a binary line shows, little endian: `00\ff` for OB and UN, `ff00` words for OW.
    private static func shownBytes(_ line: DumpLine) -> [UInt8]? {
        guard ["OB", "OW", "UN"].contains(line.vr) else { return nil }
        if line.value == "(no value available)" { return [] }
        var bytes: [UInt8] = []
        let text = line.value.hasSuffix("...") ? String(line.value.dropLast(3)) : line.value
        for number in text.split(separator: "\\") {
            guard let value = UInt16(number, radix: 16) else { return nil }
            if number.count == 4 {
                bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
            } else {
                bytes.append(UInt8(value))
            }
        }
        return bytes
    }

    /// Whether pydicom may see `difference` between the original and a transcoding to `target`.
    static func isExpected(_ difference: PydicomComparison.Difference, from source: TransferSyntax, to target: TransferSyntax) -> Bool {
        guard let raw = UInt32(difference.tag, radix: 16) else { return false }
        let tag = DICOMCore.Tag(raw)
        switch difference.kind {
        case "vr":
            return mayChangeVR(tag, difference.original?.text ?? "", difference.transcoded?.text ?? "", from: source, to: target)
        case "value":
            if tag.isGroupLength { return true }
            // pydicom decodes a UN element whose VR its dictionary knows in the file's byte order;
            // PS3.5 §6.2.2 says a UN value is never byte-swapped (Note 2: it is little endian
            // whatever the transfer syntax), and DICOMCore writes it so. Seen for the AGFA private
            // US elements (0019,10xx) of the charset files written as Explicit VR Big Endian.
            return target.isBigEndian && difference.encoded?.last == "UN"
        case "shape":
            return !target.isExplicitVR && isPrivateOrUnknown(tag)
        default:
            return false
        }
    }
}

/// What `scripts/pydicom_compare.py` prints.
struct PydicomComparison: Decodable {
    var original: String
    var results: [Result]

    struct Result: Decodable {
        var file: String
        var transferSyntax: String?
        var error: String?
        var elements: Int
        var differences: [Difference]

        enum CodingKeys: String, CodingKey {
            case file, transferSyntax = "transfer_syntax", error, elements, differences
        }
    }

    struct Difference: Decodable, CustomStringConvertible {
        var path: String
        var tag: String
        var kind: String
        var original: Scalar?
        var transcoded: Scalar?
        /// The VRs as the two files encode them (nil for implicit VR).
        var encoded: [String?]?

        var description: String {
            "\(path) \(kind): \(original?.text ?? "none") → \(transcoded?.text ?? "none")"
        }
    }

    /// A string or a number, as the script reports VRs, values and item counts.
    struct Scalar: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else {
                text = String(try container.decode(Int.self))
            }
        }
    }
}
