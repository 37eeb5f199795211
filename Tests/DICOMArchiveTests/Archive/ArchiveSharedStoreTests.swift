@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// Two archives on one storage directory and one PostgreSQL database, as two qrscp nodes are:
/// copies of the same instances stored through both at once.
@Suite("Archive: two nodes sharing a store and a PostgreSQL index")
struct ArchiveSharedStoreTests {
    static let count = 40

    /// Copy `node` (0 or 1) of instance `number`: the same SOP Instance UID on both nodes, another
    /// patient name (of another length), and for even numbers another study (another path).
    static func copy(_ number: Int, node: Int) -> ArchiveFixtures.Instance {
        var instance = ArchiveFixtures.Instance()
        instance.patientName = node == 0 ? "NODE^A" : "NODE^BRAVO^LONGER"
        if number.isMultiple(of: 2) {
            instance.studyUID = "1.2.826.0.1.3680043.10.543.7\(node)"
            instance.seriesUID = instance.studyUID + ".1"
        }
        instance.sopInstanceUID = "1.2.826.0.1.3680043.10.543.99.\(number)"
        return instance
    }

    @Test("each node storing its own copy of the same 40 SOP Instance UIDs at once: every record describes the file filed, one file per UID; --reindex finds nothing to do",
          .enabled(if: TestBackend.all.contains(.postgres)))
    func racingCopies() async throws {
        let url = try #require(TestBackend.postgresURL, "CI=true but NETDICOM_TEST_POSTGRES_URL is not set")
        let (database, drop) = try await ArchiveFixtures.makePostgresDatabase(adminURL: url)
        let root = try ArchiveFixtures.temporaryDirectory("shared-store")
        let sources = try ArchiveFixtures.temporaryDirectory("shared-store-sources")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: sources)
        }
        var nodes: [Archive] = []
        do {
            for _ in 0..<2 { nodes.append(try await Archive.open(storage: root, database: database, logger: ArchiveFixtures.logger)) }
            var files: [[String]] = [[], []]
            for node in 0..<2 {
                let directory = sources + "/\(node)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                files[node] = try (0..<Self.count).map { try ArchiveFixtures.write(Self.copy($0, node: node), into: directory) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in 0..<2 {
                    let archive = nodes[node]
                    let paths = files[node]
                    group.addTask { for path in paths { try await archive.importFile(at: path) } }
                }
                try await group.waitForAll()
            }
            try await Self.expectConsistent(nodes[0], root: root)
            #expect(try await nodes[1].reindex() == Archive.ReindexSummary(files: Self.count, unchanged: Self.count))
        } catch {
            for node in nodes { try? await node.close() }
            await drop()
            throw error
        }
        for node in nodes { try? await node.close() }
        await drop()
    }

    /// Every instance has one file in the tree, the one its record names, holding the patient
    /// name the record holds.
    static func expectConsistent(_ archive: Archive, root: String) async throws {
        let tree = archive.store.instanceFiles()
        for number in 0..<count {
            let uid = copy(number, node: 0).sopInstanceUID
            let record = try #require(try await archive.index.instance(sopInstanceUID: uid))
            let filed = tree.filter { $0.hasSuffix("/\(uid).dcm") }
            #expect(filed == [record.path], "\(uid): files \(filed), record \(record.path)")
            let file = try DICOMFile(contentsOf: archive.store.absolutePath(record.path))
            #expect(file.dataSet.string(.patientName) == record.attributes[.patientName], "\(uid): the record is not the file's")
        }
    }
}
