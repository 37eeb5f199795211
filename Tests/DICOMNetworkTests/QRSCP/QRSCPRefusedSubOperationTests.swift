import DICOMCore
import Foundation
import Testing
import TestSupport

/// A C-GET whose requestor refuses some of the instances sent back: the counts and the Failed
/// SOP Instance UID List say which, and so does the archive's log, each refusal as it comes
/// and the outcome at the end, so that an operator sees what did not arrive.
@Suite("qrscp: sub-operations the receiver refuses are counted, listed and logged", .tags(.interop))
struct QRSCPRefusedSubOperationTests {
    /// A pynetdicom C-GET of one study whose storage handler answers A700H to every other
    /// instance. Prints `REPORT {json}`: the final status, the counts, the failed list.
    static let script = #"""
        import json, sys
        from pydicom.dataset import Dataset
        from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
        from pynetdicom import AE, build_role, evt
        from pynetdicom.sop_class import CTImageStorage, StudyRootQueryRetrieveInformationModelGet as STUDY_GET

        port, aet, study = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        seen = []
        refused = []

        def on_store(event):
            uid = event.request.AffectedSOPInstanceUID
            seen.append(uid)
            if len(seen) % 2 == 0:
                refused.append(uid)
                return 0xA700
            return 0x0000

        ae = AE(ae_title="REFUSER")
        ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = 10
        ae.add_requested_context(STUDY_GET)
        ae.add_requested_context(CTImageStorage, [ExplicitVRLittleEndian, ImplicitVRLittleEndian])
        assoc = ae.associate("127.0.0.1", port, ae_title=aet, ext_neg=[build_role(CTImageStorage, scp_role=True)],
                             evt_handlers=[(evt.EVT_C_STORE, on_store)])
        if not assoc.is_established:
            print("REPORT " + json.dumps({"error": "not associated"}), flush=True)
            sys.exit(1)
        query = Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.StudyInstanceUID = study
        final = None
        for status, identifier in assoc.send_c_get(query, STUDY_GET):
            if status is not None and status.Status not in (0xFF00, 0xFF01):
                # One UID comes as a str, several as a list.
                failed = identifier.get("FailedSOPInstanceUIDList", []) if identifier else []
                if isinstance(failed, str):
                    failed = [failed]
                final = {"status": status.Status,
                         "completed": status.get("NumberOfCompletedSuboperations"),
                         "failed": status.get("NumberOfFailedSuboperations"),
                         "list": [str(u) for u in failed]}
        assoc.release()
        print("REPORT " + json.dumps({"final": final, "refused": [str(u) for u in refused]}), flush=True)
        """#

    struct Report: Decodable {
        struct Final: Decodable {
            var status: Int
            var completed: Int?
            var failed: Int?
            var list: [String]
        }

        var final: Final?
        var refused: [String]
    }

    @Test("pynetdicom refuses every other instance of a C-GET: B000H, the refused ones counted and listed, each refusal and the outcome logged",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func refusedByRequestor() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-refused"))
        defer { archive.peer.stop() }
        let stored = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "--no-progress", "-aec", archive.aeTitle, "127.0.0.1", String(archive.port)] + content.files)
        try #require(stored.status == 0, "\(stored.stderr)\nqrscp:\n\(archive.log)")
        let study = content.instances(inStudyOf: content.seriesA1)

        let output = try await PeerProcess.run(
            ExternalTools.require("python"), ["-c", Self.script, String(archive.port), archive.aeTitle, content.seriesA1.studyInstanceUID.string],
            timeout: .seconds(60))
        let line = try #require(output.stdout.split(separator: "\n").last { $0.hasPrefix("REPORT ") }, "\(output.stdout)\nqrscp:\n\(archive.log)")
        let report = try JSONDecoder().decode(Report.self, from: Data(line.dropFirst("REPORT ".count).utf8))
        let context = "pynetdicom:\n\(output.stdout)\nqrscp:\n\(archive.log)"

        // Five instances: the second and fourth refused.
        #expect(report.refused.count == study.count / 2, "\(context)")
        let final = try #require(report.final, "\(context)")
        #expect(final.status == 0xB000, "\(context)")
        #expect(final.completed == study.count - report.refused.count && final.failed == report.refused.count, "\(context)")
        #expect(final.list.sorted() == report.refused.sorted(), "\(context)")

        // The archive's log, at its default level: each refusal, then the outcome.
        let log = archive.log
        for uid in report.refused {
            #expect(log.contains("sub-operation: REFUSER answered the C-STORE of \(uid) with A700H"), "\(log)")
        }
        #expect(log.contains("C-GET-RQ from REFUSER ended with B000H"), "\(log)")
        #expect(log.contains("\(study.count - report.refused.count) completed, \(report.refused.count) failed, 0 with warnings"), "\(log)")
    }
}
