import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// Modality Worklist C-FIND both ways: DCMTK `findscu -W` and pynetdicom `findscu -W` against our
/// SCP (its find handler told the model), and our `netdicom findscu -W` against a pynetdicom
/// worklist SCP.
@Suite("Modality Worklist interop with DCMTK and pynetdicom", .tags(.interop))
struct WorklistInteropTests {
    /// Three scheduled steps on one day: two CT, one MR.
    static let items = [
        ServiceClassLoopbackTests.worklistItem(patient: "DOE^JANE", modality: "CT", date: "20260315", accession: "A1"),
        ServiceClassLoopbackTests.worklistItem(patient: "ROE^RICHARD", modality: "MR", date: "20260315", accession: "A2"),
        ServiceClassLoopbackTests.worklistItem(patient: "LOE^ANNA", modality: "CT", date: "20260315", accession: "A4"),
    ]

    /// The keys both tools send: CT steps, asking for name, accession number and station.
    static let keys = [
        "-k", "ScheduledProcedureStepSequence[0].Modality=CT",
        "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=",
        "-k", "PatientName=", "-k", "AccessionNumber=",
    ]

    static func ourWorklistSCP(seen: Recorder<[QueryRequest]>) async throws -> AssociationServer {
        var entity = try Entities.scp()
        try entity.addSupportedContexts(for: .modalityWorklist, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let handlers = ServiceHandlers(find: ServiceClassLoopbackTests.worklistHandler(items, seen: seen))
        return try await entity.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
    }

    @Test("DCMTK findscu -W → our worklist SCP: the two CT steps come back", .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func dcmtkFindscu() async throws {
        let seen = Recorder<[QueryRequest]>([])
        let server = try await Self.ourWorklistSCP(seen: seen)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("findscu-worklist")
        let result = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-v", "-W", "-aec", "TEST-SCP", "-X", "-od", output] + Self.keys + ["127.0.0.1", String(server.port)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Received Final Find Response (Success)"), "\(result.stderr)")
        let answers = try TestInstances.files(under: output).map { try DICOMFile(contentsOf: $0).dataSet }
        #expect(Set(answers.compactMap { $0.string(.accessionNumber) }) == ["A1", "A4"], "\(result.stderr)")
        #expect(answers.allSatisfy { $0.sequence(.scheduledProcedureStepSequence)?.first?.string(.scheduledStationAETitle) == "CT-ROOM-1" })
        #expect(seen.value.map(\.model) == [.modalityWorklist])
        #expect(seen.value.first?.sopClassUID == .modalityWorklistInformationModelFind)
    }

    @Test("pynetdicom findscu -W → our worklist SCP: the two CT steps come back", .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomFindscu() async throws {
        let seen = Recorder<[QueryRequest]>([])
        let server = try await Self.ourWorklistSCP(seen: seen)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("pynetdicom-findscu-worklist")
        // pynetdicom's findscu writes its rsp files into the working directory.
        let command = ([try ExternalTools.require("python"), "-m", "pynetdicom", "findscu", "-v", "-W", "-w", "-aec", "TEST-SCP"]
            + Self.keys + ["127.0.0.1", String(server.port)]).map { "'\($0)'" }.joined(separator: " ")
        let result = try await PeerProcess.run("/bin/sh", ["-c", "cd '\(output)' && exec \(command)"])
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try TestInstances.files(under: output).map { try DICOMFile(contentsOf: $0).dataSet }
        #expect(Set(answers.compactMap { $0.string(.accessionNumber) }) == ["A1", "A4"], "\(result.stderr)")
        #expect(seen.value.map(\.model) == [.modalityWorklist])
    }

    /// A pynetdicom worklist SCP: answers the steps whose Modality matches, and prints the SOP
    /// class of each request.
    static let pynetdicomWorklistSCP = """
    import sys
    from pydicom.dataset import Dataset
    from pynetdicom import AE, evt
    from pynetdicom.sop_class import ModalityWorklistInformationFind
    def item(name, modality, accession):
        ds = Dataset()
        ds.PatientName = name
        ds.AccessionNumber = accession
        step = Dataset()
        step.Modality = modality
        step.ScheduledStationAETitle = "CT-ROOM-1"
        step.ScheduledProcedureStepStartDate = "20260315"
        ds.ScheduledProcedureStepSequence = [step]
        return ds
    ITEMS = [item("DOE^JANE", "CT", "A1"), item("ROE^RICHARD", "MR", "A2"), item("LOE^ANNA", "CT", "A4")]
    def on_find(event):
        print("C-FIND on", event.request.AffectedSOPClassUID, flush=True)
        query = event.identifier
        steps = query.get("ScheduledProcedureStepSequence") or [Dataset()]
        wanted = steps[0].get("Modality", "")
        for ds in ITEMS:
            if wanted and ds.ScheduledProcedureStepSequence[0].Modality != wanted:
                continue
            yield 0xFF00, ds
    ae = AE(ae_title="PYNET-MWL")
    ae.add_supported_context(ModalityWorklistInformationFind)
    ae.start_server(("127.0.0.1", int(sys.argv[1])), evt_handlers=[(evt.EVT_C_FIND, on_find)])
    """

    @Test("our netdicom findscu -W → a pynetdicom worklist SCP: the CT steps are printed", .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func oursToPynetdicom() async throws {
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("python"), ["-c", Self.pynetdicomWorklistSCP, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let output = try TestInstances.temporaryDirectory("netdicom-findscu-worklist")
        let result = try await ExternalTools.runOffPool(ExternalTools.netdicom(), [
            "findscu", "-W", "-aec", "PYNET-MWL", "-X", "-od", output] + Self.keys + ["127.0.0.1", String(port)])
        #expect(result.status == 0, "\(result.stderr)\n\(peer.log)")
        #expect(result.stdout.components(separatedBy: "# match").count - 1 == 2, "\(result.stdout)")
        #expect(result.stdout.contains("[A1]") && result.stdout.contains("[A4]") && !result.stdout.contains("[A2]"), "\(result.stdout)")
        let answers = try TestInstances.files(under: output).map { try DICOMFile(contentsOf: $0).dataSet }
        #expect(Set(answers.compactMap { $0.string(.accessionNumber) }) == ["A1", "A4"])
        #expect(peer.log.contains("C-FIND on \(UID.modalityWorklistInformationModelFind.string)"), "\(peer.log)")
    }
}
