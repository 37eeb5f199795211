import DICOMCore
import Foundation
import Testing
import TestSupport

/// Without -P or -S, findscu, getscu and movescu propose Study Root and Patient Root and use
/// whichever the SCP accepted, Study Root first: an SCP offering Patient Root only (a
/// pynetdicom AE here) still answers their study queries.
@Suite("netdicom findscu, getscu, movescu → a Patient-Root-only pynetdicom SCP")
struct QueryModelFallbackInteropTests {
    /// A pynetdicom Q/R SCP with the Patient Root FIND, GET and MOVE classes only. It prints
    /// `REQUEST <abstract syntax> <level>` for each request, answers a C-FIND with one match,
    /// and a C-GET or C-MOVE with no sub-operations. Arguments: its port.
    static let script = """
        import sys
        from pydicom.dataset import Dataset
        from pynetdicom import AE, evt
        from pynetdicom.sop_class import (
            PatientRootQueryRetrieveInformationModelFind as FIND,
            PatientRootQueryRetrieveInformationModelGet as GET,
            PatientRootQueryRetrieveInformationModelMove as MOVE)

        def report(event):
            print("REQUEST", event.context.abstract_syntax, event.identifier.QueryRetrieveLevel, flush=True)

        def on_find(event):
            report(event)
            match = Dataset()
            match.QueryRetrieveLevel = event.identifier.QueryRetrieveLevel
            match.StudyInstanceUID = "1.2.826.0.1.3680043.10.548.1"
            yield 0xFF00, match

        def on_get(event):
            report(event)
            yield 0

        def on_move(event):
            report(event)
            yield None, None

        ae = AE(ae_title="PATIENT-ONLY")
        for sop_class in (FIND, GET, MOVE):
            ae.add_supported_context(sop_class)
        handlers = [(evt.EVT_C_FIND, on_find), (evt.EVT_C_GET, on_get), (evt.EVT_C_MOVE, on_move)]
        ae.start_server(("127.0.0.1", int(sys.argv[1])), evt_handlers=handlers)
        """

    static let patientRootFind = "1.2.840.10008.5.1.4.1.2.1.1"
    static let patientRootGet = "1.2.840.10008.5.1.4.1.2.1.3"
    static let patientRootMove = "1.2.840.10008.5.1.4.1.2.1.2"

    @Test("a STUDY-level C-FIND, C-GET and C-MOVE each go in Patient Root, and each command ends as the SCP answered",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func studyQueriesUsePatientRoot() async throws {
        let port = PeerProcess.freePort()
        let peer = try await PeerProcess.listening(ExternalTools.require("python"), ["-c", Self.script, String(port)], on: port)
        defer { peer.stop() }
        let output = try TestInstances.temporaryDirectory("model-fallback")
        let keys = ["-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=PID-1", "-k", "StudyInstanceUID=1.2.826.0.1.3680043.10.548.1"]
        let target = ["-aec", "PATIENT-ONLY", "127.0.0.1", String(port)]

        let find = try await PeerProcess.run(ExternalTools.netdicom(), ["findscu"] + keys + target)
        #expect(find.status == 0, "\(find.stderr)")
        #expect(find.stdout.contains("1.2.826.0.1.3680043.10.548.1") || find.stderr.contains("1.2.826.0.1.3680043.10.548.1"), "the match is printed")
        #expect(try await peer.waitForLog(containing: "REQUEST \(Self.patientRootFind) STUDY").contains("REQUEST \(Self.patientRootFind) STUDY"))

        let get = try await PeerProcess.run(ExternalTools.netdicom(), ["getscu", "-od", output] + keys + target)
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try await peer.waitForLog(containing: "REQUEST \(Self.patientRootGet) STUDY").contains("REQUEST \(Self.patientRootGet) STUDY"))

        // The SCP knows no destination (A801H): movescu fails, but in the model it could use.
        let move = try await PeerProcess.run(ExternalTools.netdicom(), ["movescu", "-aem", "NOWHERE"] + keys + target)
        #expect(move.status != 0)
        #expect(!move.stderr.contains("did not accept"), "\(move.stderr)")
        #expect(try await peer.waitForLog(containing: "REQUEST \(Self.patientRootMove) STUDY").contains("REQUEST \(Self.patientRootMove) STUDY"))
    }

    @Test("-S proposes Study Root alone: the Patient-Root-only SCP's refusal is said in words",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func explicitStudyRootIsRefused() async throws {
        let port = PeerProcess.freePort()
        let peer = try await PeerProcess.listening(ExternalTools.require("python"), ["-c", Self.script, String(port)], on: port)
        defer { peer.stop() }
        let find = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "-aec", "PATIENT-ONLY", "127.0.0.1", String(port)])
        #expect(find.status != 0)
        #expect(find.stderr.contains("did not accept"), "\(find.stderr)")
    }
}
