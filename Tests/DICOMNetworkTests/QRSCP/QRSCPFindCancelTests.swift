import DICOMCore
import Foundation
import Testing
import TestSupport

/// A C-CANCEL during a C-FIND whose matches are read from the files (Image Type is a key the
/// index does not keep, so each instance's file is read and matched): of 300 instances, in SOP
/// Instance UID order, only the first and the last are DERIVED, so that after the first match the
/// archive reads file after file without a match to send. DCMTK's findscu (`--cancel 1`) and a
/// pynetdicom script cancel after the first pending response; the archive ends with Cancel
/// (FE00H, PS3.4 C.4.1.3) without the last match, answers the next query on the same association
/// (pynetdicom), and does not blame the files it no longer reads: a read the cancel stopped is no
/// file that "cannot be read". Under `CI=true` a missing peer fails these tests; elsewhere they
/// are skipped.
@Suite("netdicom qrscp: C-CANCEL of a C-FIND that reads files", .tags(.interop))
struct QRSCPFindCancelTests {
    static let instanceCount = 300

    /// The instances of one series, written into a new temporary directory.
    struct Content {
        let study = TestInstances.Study(patientID: "CANCEL-PAT", patientName: "CANCEL^CARL")
        let files: [String]

        init(count: Int = QRSCPFindCancelTests.instanceCount) throws {
            let directory = try TestInstances.temporaryDirectory("qrscp-cancel")
            var files: [String] = []
            for index in 0..<count {
                // Five-digit last components: the UIDs sort as their numbers.
                let uid = UID("1.2.826.0.1.3680043.10.543.77.\(10_000 + index)")
                var dataSet = try TestInstances.ct(study, sopInstanceUID: uid, instanceNumber: index + 1, rows: 4, columns: 4)
                if index == 0 || index == count - 1 {
                    dataSet.setStrings(["DERIVED", "SECONDARY"], for: .imageType, vr: .CS)
                }
                files.append(try TestInstances.write(dataSet, into: directory))
            }
            self.files = files
        }
    }

    static func archive(holding content: Content) async throws -> QRSCPProcess {
        try await QRSCPProcess.holding(content.files, label: "qrscp-cancel-archive")
    }

    static func keys(_ content: Content) -> [String] {
        ["QueryRetrieveLevel=IMAGE", "StudyInstanceUID=\(content.study.studyInstanceUID.string)",
         "SeriesInstanceUID=\(content.study.seriesInstanceUID.string)", "SOPInstanceUID", "ImageType=DERIVED*"]
    }

    @Test("findscu --cancel 1: Cancel (FE00H) after the first match, and no file is logged as unreadable",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func findscuCancels() async throws {
        let content = try Content()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let found = try await DCMTKClient.find(.studyRoot, Self.keys(content), at: archive, extraArguments: ["--cancel", "1"])
        #expect(found.log.contains("Received Final Find Response (Cancel"), "\(found.log)")
        #expect(found.responses.count == 1, "\(found.log)")
        #expect(!archive.log.contains("cannot read"), "\(archive.log)")
    }

    @Test("findscu --cancel 1 on 2,000 matches the index answers alone (no file read): Cancel (FE00H) before the last",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func findscuCancelsIndexMatches() async throws {
        let count = 2_000
        let content = try Content(count: count)
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let keys = Array(Self.keys(content).dropLast())
        let found = try await DCMTKClient.find(.studyRoot, keys, at: archive, extraArguments: ["--cancel", "1"])
        #expect(found.log.contains("Received Final Find Response (Cancel"), "\(found.log.suffix(2_000))")
        // The index's pages come on the association's event loop: between two pages the loop
        // reads the C-CANCEL, so the pages after the one it arrives during are not sent (before,
        // all went out, and Success). Pages double from 64 rows, so how many went out depends on
        // when the C-CANCEL arrived; with 2,000 matches there are five pages for it to land
        // between (300 left it too few on a loaded machine).
        #expect(found.responses.count < count, "\(found.responses.count) matches before the Cancel")
    }

    @Test("pynetdicom C-CANCEL after the first match: Cancel (FE00H), the association answers the next query, no file logged as unreadable",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomCancels() async throws {
        let content = try Content()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let output = try await PeerProcess.run(ExternalTools.require("python"), [
            "-c", Self.cancelScript, String(archive.port), archive.aeTitle,
            content.study.studyInstanceUID.string, content.study.seriesInstanceUID.string])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        let matches = lines.first { $0.hasPrefix("MATCHES ") }.flatMap { Int($0.dropFirst(8)) }
        #expect(lines.contains("FINAL FE00"), "\(output.stdout)\nqrscp:\n\(archive.log)")
        #expect(matches == 1, "\(output.stdout)")
        #expect(lines.contains("NEXT 0000 1"), "the next query finds the one study: \(output.stdout)")
        #expect(!archive.log.contains("cannot read"), "\(archive.log)")
    }

    /// An image-level C-FIND of the DERIVED images, C-CANCEL sent after the first pending
    /// response; prints `MATCHES n`, `FINAL status`, then `NEXT status count` for a study query
    /// on the same association. Arguments: port, AE title, study, series.
    static let cancelScript = #"""
        import sys
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as FIND

        port, aet, study, series = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        ae = AE(ae_title="PYNET-SCU")
        ae.add_requested_context(FIND)
        assoc = ae.associate("127.0.0.1", port, ae_title=aet)
        if not assoc.is_established:
            sys.exit("association refused")
        context = next(c for c in assoc.accepted_contexts if c.abstract_syntax == FIND)
        query = Dataset()
        query.QueryRetrieveLevel = "IMAGE"
        query.StudyInstanceUID = study
        query.SeriesInstanceUID = series
        query.SOPInstanceUID = ""
        query.ImageType = "DERIVED*"
        matches = 0
        for status, identifier in assoc.send_c_find(query, FIND, msg_id=7):
            if status is None:
                sys.exit("no response")
            if identifier is not None:
                matches += 1
                if matches == 1:
                    assoc.send_c_cancel(7, context.context_id)
            else:
                print("MATCHES %d" % matches, flush=True)
                print("FINAL %04X" % status.Status, flush=True)
        studies = Dataset()
        studies.QueryRetrieveLevel = "STUDY"
        studies.StudyInstanceUID = ""
        answers = [(status.Status, identifier) for status, identifier in assoc.send_c_find(studies, FIND)]
        print("NEXT %04X %d" % (answers[-1][0], sum(1 for _, identifier in answers if identifier is not None)), flush=True)
        assoc.release()
        """#
}
