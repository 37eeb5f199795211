import Foundation
import Testing
import TestSupport

/// `netdicom dump` and DCMTK's `dcmdump` on every file pydicom ships (test files and charset
/// files): both list the same elements, in the same order, at the same nesting depth, with the
/// same VR and the same length; binary values (OB, OW and fragments) are shortened the same way.
///
/// Compared: every element, item (`na`) and fragment (`pi`) line of the meta information and the
/// data set. Not compared: delimitation lines (see ``DumpListing/lines(_:dataSetOnly:)``), text
/// values (dcmdump prints raw bytes where netdicom decodes the character set, and its UID names
/// differ), keywords. Two differences of presentation are normalized rather than listed:
/// - dcmdump prints `??` for an element read in implicit VR that its dictionary does not know
///   (DCMTK's internal "unknown" VR, which it writes as UN); netdicom prints UN, the VR PS3.5
///   §6.2.2 gives such an element.
/// - dcmdump reports an odd-length value one byte longer: DCMTK pads values to even length
///   (PS3.5 §7.1.1) as it loads them; netdicom reports the length in the file.
@Suite("netdicom dump agrees with dcmdump", .tags(.interop),
       .enabled(if: ExternalTools.shouldRun(needing: "dcmdump") && ExternalTools.shouldRun(needing: "python")))
struct DumpAgreesWithDCMTKTests {
    /// Files neither tool can read: both must exit non-zero.
    static let malformed: Set<String> = [
        "MR_truncated.dcm",  // pixel data cut short
        "rtplan_truncated.dcm",  // a sequence cut short
        "no_meta.dcm",  // a stray byte before the first element
    ]

    /// Files only netdicom reads, and why.
    static let dcmtkCannotRead: [String: String] = [
        "SC_rgb_jpeg.dcm": "the meta information says JPEG Baseline (explicit VR) but the data set is Implicit VR "
            + "Little Endian; DICOMCore detects that from the first element's VR bytes, dcmdump stops at them",
    ]

    /// Where dcmdump's VR legitimately differs from netdicom's: file → (tag, netdicom's VR,
    /// dcmdump's VR, why). Each entry must still be observed, so that the list stays honest.
    static let vrExceptions: [String: [(tag: String, ours: String, dcmtk: String, reason: String)]] = [
        "UN_sequence.dcm": [(
            "4453,100c", "UN", "SQ",
            "encoded as UN of undefined length, whose value is an Implicit VR Little Endian sequence (PS3.5 §6.2.2); "
                + "DCMTK relabels it SQ (CP-246), DICOMCore keeps the VR it was encoded with so the file writes back byte for byte"
        )],
    ]

    /// What the two tools print for every readable file, from one run of each over all of them:
    /// the debug build of netdicom spends most of a run loading its dictionary, so one run per
    /// file would take a minute. Keyed by file name.
    struct Listings: Sendable {
        var ours: [String: String] = [:]
        var theirs: [String: String] = [:]
    }

    static let listings: Result<Listings, ExternalTools.MissingTool> = Result { () throws(ExternalTools.MissingTool) -> Listings in
        do {
            let urls = try PydicomTestFiles.all().filter {
                !malformed.contains($0.lastPathComponent) && dcmtkCannotRead[$0.lastPathComponent] == nil
            }
            let ours = try ExternalTools.run(ExternalTools.netdicom(), ["dump"] + urls.map(\.path))
            // +F: a "# dcmdump (i/n): path" heading per file; +Qo: control characters and
            // non-ASCII bytes as octal escapes, so that a CR or LF in a text value cannot split a line.
            let theirs = try ExternalTools.run(ExternalTools.require("dcmdump"), ["+F", "+Qo"] + urls.map(\.path))
            guard ours.status == 0, theirs.status == 0 else {
                throw ExternalTools.MissingTool(name: "a clean run over all files (netdicom \(ours.status): \(ours.stderr.prefix(500)); dcmdump \(theirs.status): \(theirs.stderr.prefix(500)))")
            }
            return Listings(ours: split(ours.stdout, heading: "# File: "), theirs: split(theirs.stdout, heading: "# dcmdump ("))
        } catch let error as ExternalTools.MissingTool {
            throw error
        } catch {
            throw ExternalTools.MissingTool(name: "\(error)")
        }
    }

    /// Splits a listing of several files at each file's heading line, by the file's name.
    static func split(_ output: String, heading: String) -> [String: String] {
        var files: [String: String] = [:]
        var name: String?
        var current: [Substring] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(heading) {
                if let name { files[name] = current.joined(separator: "\n") }
                name = line.split(separator: "/").last.map(String.init)
                current = []
            } else {
                current.append(line)
            }
        }
        if let name { files[name] = current.joined(separator: "\n") }
        return files
    }

    @Test("both list the same elements, VRs, lengths and multiplicities", arguments: PydicomTestFiles.names)
    func sameElements(name: String) throws {
        let url = try PydicomTestFiles.url(name)
        if Self.malformed.contains(name) || Self.dcmtkCannotRead[name] != nil {
            let ours = try ExternalTools.run(ExternalTools.netdicom(), ["dump", url.path])
            let theirs = try ExternalTools.run(ExternalTools.require("dcmdump"), [url.path])
            if let reason = Self.dcmtkCannotRead[name] {
                #expect(ours.status == 0, "netdicom dump failed: \(ours.stderr)")
                #expect(theirs.status != 0, "dcmdump now reads \(name); remove it from dcmtkCannotRead (\(reason))")
            } else {
                #expect(ours.status != 0 && theirs.status != 0, "\(name): both should refuse a malformed file")
                #expect(ours.stderr.contains("cannot read"))
            }
            return
        }
        let listings = try Self.listings.get()
        let ours = try #require(listings.ours[name], "no netdicom listing for \(name)")
        let theirs = try #require(listings.theirs[name], "no dcmdump listing for \(name)")

        var expected = DumpListing.lines(theirs)
        let actual = DumpListing.lines(ours)
        #expect(actual.count > 5, "\(name): too few lines to mean anything")
        try #require(actual.count == expected.count, "\(name): \(actual.count) lines, dcmdump \(expected.count)\n\(firstDifference(actual, expected))")

        var unused = Self.vrExceptions[name] ?? []
        for index in expected.indices {
            if expected[index].vr == "??" { expected[index].vr = "UN" }
            if let oddLength = Int(actual[index].length), oddLength % 2 == 1, expected[index].length == String(oddLength + 1) {
                expected[index].length = actual[index].length
            }
            if let exception = unused.firstIndex(where: { $0.tag == expected[index].tag && $0.dcmtk == expected[index].vr && $0.ours == actual[index].vr }) {
                expected[index].vr = actual[index].vr
                unused.remove(at: exception)
            }
        }
        #expect(unused.isEmpty, "\(name): listed differences no longer seen: \(unused.map(\.tag))")
        for (mine, dcmtk) in zip(actual, expected) {
            #expect(
                [mine.depth, Int(mine.group), Int(mine.element)] == [dcmtk.depth, Int(dcmtk.group), Int(dcmtk.element)]
                    && mine.vr == dcmtk.vr && mine.length == dcmtk.length && mine.multiplicity == dcmtk.multiplicity,
                "\(name):\n  netdicom \(mine)\n  dcmdump  \(dcmtk)")
            if ["OB", "OW", "pi"].contains(mine.vr), mine.vr == dcmtk.vr, mine.length == dcmtk.length {
                #expect(mine.value == dcmtk.value, "\(name): binary values print differently\n  netdicom \(mine)\n  dcmdump  \(dcmtk)")
            }
        }
    }

    private func firstDifference(_ actual: [DumpLine], _ expected: [DumpLine]) -> String {
        for (index, (mine, dcmtk)) in zip(actual, expected).enumerated() where mine.tag != dcmtk.tag || mine.depth != dcmtk.depth {
            return "first difference at line \(index):\n  netdicom \(mine)\n  dcmdump  \(dcmtk)"
        }
        return "one listing is a prefix of the other"
    }
}
