import DICOMCore
import Foundation
import Testing
import TestSupport

/// Two `netdicom qrscp` processes on different ports, pointed at one PostgreSQL database and one
/// storage directory, behave as one archive: what is stored through either is found and
/// retrieved through the other.
///
/// Runs when NETDICOM_TEST_POSTGRES_URL names a server (`scripts/test` starts one; its role needs
/// CREATEDB: the test makes a database of its own with `psql` and drops it). Under `CI=true` a
/// missing server or tool is a failure.
@Suite("Two netdicom qrscp nodes on one PostgreSQL database and one storage directory", .tags(.interop))
struct QRSCPTwoNodeTests {
    static let postgresURL = ProcessInfo.processInfo.environment["NETDICOM_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A database of its own on the server of `adminURL`, dropped by ``drop()``.
    struct TemporaryDatabase {
        let adminURL: String
        let name: String
        let url: String

        init(adminURL: String) async throws {
            self.adminURL = adminURL
            name = "netdicom_qrscp_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            guard var components = URLComponents(string: adminURL) else { throw PeerError(description: "not a URL: \(adminURL)") }
            components.path = "/" + name
            url = components.string ?? adminURL
            let created = try await Self.psql(adminURL, "CREATE DATABASE \(name)")
            guard created.status == 0 else { throw PeerError(description: "psql could not create \(name):\n\(created.stdout)") }
        }

        func drop() async {
            _ = try? await Self.psql(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }

        private static func psql(_ url: String, _ statement: String) async throws -> ExternalTools.Output {
            try await PeerProcess.run(ExternalTools.require("psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", statement])
        }
    }

    @Test("store through node A, find and get through node B (and the other way round): the same instances, the same bytes",
          .enabled(if: postgresURL != nil || ExternalTools.isCI),
          .enabled(if: ExternalTools.shouldRun(needing: "psql")), .enabled(if: ExternalTools.shouldRun(needing: "storescu")),
          .enabled(if: ExternalTools.shouldRun(needing: "findscu")), .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func twoNodesAreOneArchive() async throws {
        guard let adminURL = Self.postgresURL else {
            Issue.record("CI=true but NETDICOM_TEST_POSTGRES_URL is not set: the two-node archive is untested")
            return
        }
        let database = try await TemporaryDatabase(adminURL: adminURL)
        do {
            try await Self.exerciseTwoNodes(on: database.url)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    private static func exerciseTwoNodes(on databaseURL: String) async throws {
        let content = try ArchiveContent()
        let storage = try TestInstances.temporaryDirectory("qrscp-shared")
        // Started together: both migrate the fresh database at once.
        async let startA = QRSCPProcess(storage: storage, aeTitle: "NODE-A", database: databaseURL)
        async let startB = QRSCPProcess(storage: storage, aeTitle: "NODE-B", database: databaseURL)
        let (nodeA, nodeB) = try await (startA, startB)
        defer {
            nodeA.peer.stop()
            nodeB.peer.stop()
        }
        let logs = { "node A:\n\(nodeA.log)\nnode B:\n\(nodeB.log)" }

        // Patient A's study through node A, patient B's through node B.
        let studyA = content.instances(inStudyOf: content.seriesA1)
        let studyB = content.instances(inStudyOf: content.seriesB)
        let storedA = try await DCMTKClient.store(studyA.map(\.path), to: nodeA)
        #expect(DCMTKClient.successfulStores(in: storedA.stdout) == studyA.count, "\(storedA.stdout)\n\(logs())")
        let storedB = try await DCMTKClient.store(studyB.map(\.path), to: nodeB)
        #expect(DCMTKClient.successfulStores(in: storedB.stdout) == studyB.count, "\(storedB.stdout)\n\(logs())")

        // Each node finds both studies, with the counts of the instances stored through either.
        for node in [nodeA, nodeB] {
            let studies = try await DCMTKClient.find(.studyRoot, [
                "QueryRetrieveLevel=STUDY", "PatientID=QR-PAT-*", "StudyInstanceUID", "NumberOfStudyRelatedInstances"], at: node)
            let found = studies.responses.map { [$0.uid(.studyInstanceUID)?.string ?? "", $0.string(.numberOfStudyRelatedInstances) ?? ""] }
            #expect(found.sorted { $0[1] > $1[1] } == [
                [content.seriesA1.studyInstanceUID.string, "5"], [content.seriesB.studyInstanceUID.string, "1"],
            ], "through \(node.aeTitle):\n\(studies.log)\n\(logs())")
        }
        for series in [content.seriesA1, content.seriesA2] {
            let images = try await DCMTKClient.find(.studyRoot, [
                "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=\(series.studyInstanceUID.string)",
                "SeriesInstanceUID=\(series.seriesInstanceUID.string)", "SOPInstanceUID"], at: nodeB)
            #expect(images.responses.compactMap { $0.uid(.sopInstanceUID)?.string }.sorted() == content.instances(of: series).map(\.sopInstanceUID).sorted(),
                    "\(images.log)")
        }

        // Each node retrieves what the other stored.
        let fromB = try TestInstances.temporaryDirectory("node-b-get")
        let getB = try await DCMTKClient.get(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"], from: nodeB, into: fromB)
        ArchiveContent.expectFiles(under: fromB, are: studyA, log: "\(getB.stdout)\n\(logs())")
        let fromA = try TestInstances.temporaryDirectory("node-a-get")
        let getA = try await DCMTKClient.get(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesB.studyInstanceUID.string)"], from: nodeA, into: fromA)
        ArchiveContent.expectFiles(under: fromA, are: studyB, log: "\(getA.stdout)\n\(logs())")

        #expect(try await nodeA.terminate() == 0, "\(logs())")
        #expect(try await nodeB.terminate() == 0, "\(logs())")
    }
}
