import DICOMCore
import Foundation
import Testing
import TestSupport

/// Our findscu, getscu and movescu with pynetdicom's extended negotiation flags and option names
/// against netdicom qrscp, which performs relational queries and retrieval and declines the
/// other options.
@Suite("netdicom findscu, getscu and movescu: extended negotiation and pynetdicom's option names, against netdicom qrscp", .tags(.interop))
struct QRSCPExtendedNegotiationClientTests {
    @Test("findscu --relational-query: a series query without the Study UID is answered (A900H without it); a declined option is logged as declined",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func relationalQuery() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        let keys = ["-k", "QueryRetrieveLevel=SERIES", "-k", "SeriesInstanceUID", "-k", "Modality"]
        let relational = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-v", "-S", "--called-aet", archive.aeTitle, "--calling-aet", "PYNAMES", "--relational-query", "--fuzzy-names"]
            + keys + ["127.0.0.1", String(archive.port)])
        #expect(relational.status == 0, "\(relational.stderr)\nqrscp:\n\(archive.log)")
        #expect(relational.stderr.contains("the peer agreed to relational queries"), "\(relational.stderr)")
        #expect(relational.stderr.contains("the peer declined fuzzy person-name matching"), "\(relational.stderr)")
        #expect(relational.stderr.contains("findscu: 3 matches"), "\(relational.stderr)")

        let hierarchical = try await PeerProcess.run(ExternalTools.netdicom(), ["findscu", "-S", "-aec", archive.aeTitle] + keys + ["127.0.0.1", String(archive.port)])
        #expect(hierarchical.status == 1, "\(hierarchical.stderr)")
        #expect(hierarchical.stderr.contains("A900H"), "\(hierarchical.stderr)")
    }

    @Test("getscu --relational-retrieval --enhanced-conversion: agreed and declined as the archive answers; an image retrieved by its SOP Instance UID alone",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func relationalRetrieval() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        let image = content.instances[0]
        let output = try TestInstances.temporaryDirectory("getscu-relational")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-v", "-S", "-aec", archive.aeTitle, "--relational-retrieval", "--enhanced-conversion", "-od", output,
            "-k", "QueryRetrieveLevel=IMAGE", "-k", "SOPInstanceUID=\(image.sopInstanceUID)", "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp:\n\(archive.log)")
        #expect(result.stderr.contains("the peer agreed to relational retrieval"), "\(result.stderr)")
        #expect(result.stderr.contains("the peer declined enhanced multi-frame conversion"), "\(result.stderr)")
        ArchiveContent.expectFiles(under: output, are: [image], log: result.stderr)
    }

    @Test("movescu --store-aet: its Storage SCP takes that title, which is the default destination; -w is findscu's -X",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func storeAETitleAndWrite() async throws {
        let content = try ArchiveContent()
        let storePort = PeerProcess.freePort()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content, moveDestinations: ["PYSTORE": storePort])
        defer { archive.peer.stop() }
        let study = content.instances(inStudyOf: content.seriesB)
        let output = try TestInstances.temporaryDirectory("movescu-store-aet")
        let moved = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-S", "-aec", archive.aeTitle, "--store-port", String(storePort), "--store-bind", "127.0.0.1", "--store-aet", "PYSTORE",
            "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesB.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)])
        #expect(moved.status == 0, "\(moved.stderr)\nqrscp:\n\(archive.log)")
        ArchiveContent.expectFiles(under: output, are: study, log: moved.stderr)

        let responses = try TestInstances.temporaryDirectory("findscu-write")
        let found = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-S", "-aec", archive.aeTitle, "-w", "-od", responses,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=\(ArchiveContent.patientBID)", "-k", "StudyInstanceUID",
            "127.0.0.1", String(archive.port)])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(TestInstances.contents(of: responses) == ["rsp0001.dcm"], "\(TestInstances.contents(of: responses))")
    }

    @Test("pynetdicom's names for the acceptors: storescp -ba and --ae-title, echoscp --bind-address, echoscu -xe and --request-implicit")
    func acceptorNames() async throws {
        let output = try TestInstances.temporaryDirectory("storescp-pynames")
        let port = PeerProcess.freePort()
        let scp = try await PeerProcess.listening(ExternalTools.netdicom(), ["storescp", "-ba", "127.0.0.1", "--ae-title", "PYSCP", "-od", output, String(port)], on: port)
        defer { scp.stop() }
        for syntax in ["-xe", "--request-implicit", "-xb"] {
            let echo = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "-d", syntax, "--called-aet", "PYSCP", "127.0.0.1", String(port)])
            #expect(echo.status == 0, "\(syntax): \(echo.stderr)\nstorescp:\n\(scp.log)")
        }
        let echoPort = PeerProcess.freePort()
        let echoSCP = try await PeerProcess.listening(ExternalTools.netdicom(), ["echoscp", "--bind-address", "127.0.0.1", "-xe", echoPort.description], on: echoPort)
        defer { echoSCP.stop() }
        let echo = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "127.0.0.1", String(echoPort)])
        #expect(echo.status == 0, "\(echo.stderr)\nechoscp:\n\(echoSCP.log)")
    }
}
