import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// DCMTK's getscu and movescu and pynetdicom's getscu against our C-GET/C-MOVE SCP when one
/// sub-operation cannot be performed (an instance of a SOP class the peer did not propose or
/// accept, PS3.4 C.4.3.3.1): they see the warning B000H and the counts; movescu and pynetdicom
/// also print the Failed SOP Instance UID List of the final response's identifier.
@Suite("C-GET/C-MOVE sub-operation failures: DCMTK and pynetdicom against our SCP", .tags(.interop))
struct RetrieveFailuresInteropTests {
    /// Three CT instances of one study and one instance of a private SOP class no peer takes.
    struct Fixture {
        static let privateSOPClass = UID("1.2.826.0.1.3680043.10.999.2")
        let study = TestInstances.Study()
        let files: [String]
        let cannotBeSent: UID = .generate()

        init() throws {
            files = try TestInstances.files(3, study: study)
        }

        var items: [RetrieveItem] {
            var dataSet = DataSet()
            dataSet.setString(Self.privateSOPClass.string, for: .sopClassUID, vr: .UI)
            dataSet.setString(cannotBeSent.string, for: .sopInstanceUID, vr: .UI)
            dataSet.setString(study.studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
            return files.map { .file(path: $0) }
                + [.dataSet(dataSet, sopClassUID: Self.privateSOPClass, sopInstanceUID: cannotBeSent, transferSyntax: .explicitVRLittleEndian)]
        }
    }

    /// Our Q/R SCP, its contexts from the catalogue: Query/Retrieve, and Storage with both roles
    /// (for the C-GET sub-operations it sends back).
    static func ourSCP(_ fixture: Fixture, moveDestinations: [String: MoveDestination] = [:]) async throws -> AssociationServer {
        var entity = try Entities.scp()
        let syntaxes: [UID] = [.explicitVRLittleEndian, .implicitVRLittleEndian]
        try entity.addSupportedContexts(for: .queryRetrieve, transferSyntaxes: syntaxes)
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: syntaxes, scuRole: true, scpRole: true)
        let items = fixture.items
        let handlers = ServiceHandlers(
            get: { _ in RetrieveResult(items) }, move: { _ in RetrieveResult(items) }, moveDestinations: moveDestinations)
        return try await entity.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
    }

    static func studyKeys(_ fixture: Fixture) -> [String] {
        ["-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)"]
    }

    /// getscu (DCMTK 3.6.7's DcmSCU) reads no data set after a C-GET-RSP: the list goes
    /// unread, and its release then reports "DUL P-Data PDU arrived", as it does against
    /// dcmqrscp, which sends the list too. The status and counts are what it shows.
    @Test("DCMTK getscu → our C-GET SCP: the three CT instances arrive, the final response is a warning with one failure",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func dcmtkGetscu() async throws {
        let fixture = try Fixture()
        let server = try await Self.ourSCP(fixture)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("getscu-failures")
        let result = try await PeerProcess.run(ExternalTools.require("getscu"), [
            "-d", "-S", "-aec", "TEST-SCP", "-od", output] + Self.studyKeys(fixture) + ["127.0.0.1", String(server.port)])
        let log = result.stderr.replacingOccurrences(of: "\0", with: "\\0")
        #expect(log.contains("DIMSE Status                  : 0xb000: Warning"), "\(log)")
        #expect(log.contains("Number of Completed Suboperations : 3"), "\(log)")
        #expect(log.contains("Number of Failed Suboperations    : 1"), "\(log)")
        #expect(TestInstances.instances(under: output).count == 3, "\(log)")
    }

    @Test("DCMTK movescu → our C-MOVE SCP: movescu's Storage SCP refuses the private class, the final response lists it",
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func dcmtkMovescu() async throws {
        let fixture = try Fixture()
        let storePort = PeerProcess.freePort()
        let server = try await Self.ourSCP(fixture, moveDestinations: ["MOVESCU": MoveDestination(host: "127.0.0.1", port: storePort)])
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("movescu-failures")
        let result = try await PeerProcess.run(ExternalTools.require("movescu"), [
            "-d", "-S", "-aet", "MOVESCU", "-aem", "MOVESCU", "-aec", "TEST-SCP", "+P", String(storePort), "-od", output]
            + Self.studyKeys(fixture) + ["127.0.0.1", String(server.port)])
        let log = result.stderr.replacingOccurrences(of: "\0", with: "\\0")
        #expect(log.contains("DIMSE Status                  : 0xb000: Warning"), "\(log)")
        #expect(log.contains("Completed Suboperations       : 3"), "\(log)")
        #expect(log.contains("Failed Suboperations          : 1"), "\(log)")
        #expect(log.contains("(0008,0058) UI [\(fixture.cannotBeSent.string)]"), "\(log)")
        #expect(TestInstances.instances(under: output).count == 3, "\(log)")
    }

    @Test("pynetdicom getscu → our C-GET SCP: it reports the warning, the counts and the Failed SOP Instance UID List",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomGetscu() async throws {
        let fixture = try Fixture()
        let server = try await Self.ourSCP(fixture)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("pynetdicom-getscu-failures")
        let result = try await PeerProcess.run(ExternalTools.require("python"), [
            "-m", "pynetdicom", "getscu", "-d", "-S", "-aec", "TEST-SCP", "-od", output]
            + Self.studyKeys(fixture) + ["127.0.0.1", String(server.port)])
        let log = result.stderr
        #expect(log.contains("Get SCP Result: 0xB000 (Warning)"), "\(log)")
        #expect(log.contains("Completed: 3, Failed: 1, Warning: 0"), "\(log)")
        #expect(log.contains("(0008,0058) Failed SOP Instance UID List        UI: \(fixture.cannotBeSent.string)"), "\(log)")
        #expect(TestInstances.instances(under: output).count == 3, "\(log)")
    }

    /// A pynetdicom C-GET SCU that sends C-CANCEL after the first pending response and prints
    /// the final status and the Failed SOP Instance UID List it got.
    static let pynetdicomCancellingGet = #"""
        import sys
        from pydicom.dataset import Dataset
        from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
        from pynetdicom import AE, build_context, build_role, evt
        from pynetdicom.sop_class import CTImageStorage, StudyRootQueryRetrieveInformationModelGet as STUDY_GET
        port, study = int(sys.argv[1]), sys.argv[2]
        syntaxes = [ExplicitVRLittleEndian, ImplicitVRLittleEndian]
        ae = AE(ae_title="PYNET-SCU")
        assoc = ae.associate("127.0.0.1", port, ae_title="TEST-SCP",
                             contexts=[build_context(STUDY_GET, syntaxes), build_context(CTImageStorage, syntaxes)],
                             ext_neg=[build_role(CTImageStorage, scp_role=True)],
                             evt_handlers=[(evt.EVT_C_STORE, lambda event: 0x0000)])
        query = Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.StudyInstanceUID = study
        cancelled = False
        for status, identifier in assoc.send_c_get(query, STUDY_GET, msg_id=7):
            code = status.get("Status")
            if code == 0xFF00 and not cancelled:
                assoc.send_c_cancel(7, query_model=STUDY_GET)
                cancelled = True
            elif code != 0xFF00:
                listed = identifier.get("FailedSOPInstanceUIDList", []) if identifier is not None else []
                failed = [listed] if isinstance(listed, str) else list(listed)
                print("FINAL 0x%04X failed=%s list=%s" % (code, status.get("NumberOfFailedSuboperations"), ",".join(failed)), flush=True)
        assoc.release()
        """#

    @Test("pynetdicom C-GET cancelled after a failed sub-operation: the Cancel (FE00H) response carries the failed UID",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomCancelledGet() async throws {
        let fixture = try Fixture()
        var entity = try Entities.scp()
        try entity.addSupportedContexts(for: .queryRetrieve, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: true, scpRole: true)
        // The unsendable instance first, then the CT files slowly: the cancel comes before they are all sent.
        let items = Array(fixture.items.suffix(1)) + fixture.files.map { RetrieveItem.file(path: $0) }
        let handlers = ServiceHandlers(get: { _ in
            RetrieveResult(count: items.count, items: AsyncThrowingStream { continuation in
                let producer = Task {
                    for (index, item) in items.enumerated() {
                        if index > 0 { try? await Task.sleep(for: .seconds(1)) }
                        if Task.isCancelled { break }
                        continuation.yield(item)
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in producer.cancel() }
            })
        })
        let server = try await entity.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let result = try await PeerProcess.run(ExternalTools.require("python"), [
            "-c", Self.pynetdicomCancellingGet, String(server.port), fixture.study.studyInstanceUID.string])
        let final = result.stdout.split(separator: "\n").first { $0.hasPrefix("FINAL ") }
        #expect(final == "FINAL 0xFE00 failed=1 list=\(fixture.cannotBeSent.string)", "\(result.stdout)")
    }
}
