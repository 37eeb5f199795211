@testable import DICOMArchive
import Foundation
import Testing

/// Emptying an archive (qrscp --clean), and refusing another application's database, on every
/// backend.
@Suite("Archive: removing every instance; another application's database")
struct ArchiveRemoveAllTests {
    @Test("removeAll empties every level and removes the files with their study and series directories; other files stay, and the archive stores again",
          arguments: TestBackend.all)
    func removeAll(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        do {
            try await Self.removeAll(from: test)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    static func removeAll(from test: TestArchive) async throws {
        let archive = test.archive
        try await ArchiveFixtures.populate(archive)
        let notes = test.root + "/notes.txt"
        try "kept".write(toFile: notes, atomically: true, encoding: .utf8)
        let studies = Set(ArchiveFixtures.population.map(\.studyUID))

        #expect(try await archive.removeAll() == ArchiveFixtures.population.count)
        let counts = try await archive.index.counts()
        #expect(counts.patients == 0 && counts.studies == 0 && counts.series == 0 && counts.instances == 0)
        let names = Set(FileSystem.names(in: test.root))
        #expect(names.isDisjoint(with: studies), "\(names)")
        #expect(names.contains("notes.txt") && names.contains(InstanceStore.incomingName))
        #expect(archive.store.incomingNames().isEmpty)

        var again = ArchiveFixtures.Instance()
        again.sopInstanceUID = "1.2.826.0.1.3680043.10.543.9.9.9"
        let directory = try ArchiveFixtures.temporaryDirectory("remove-all-again")
        try await archive.importFile(at: ArchiveFixtures.write(again, into: directory))
        #expect(try await archive.index.counts().instances == 1)
    }

    @Test("an SQLite file with a table of the index's name and no schema_version is refused, and left byte for byte as it was")
    func foreignSQLiteDatabase() async throws {
        let directory = try ArchiveFixtures.temporaryDirectory("foreign-sqlite")
        let path = directory + "/instances.sqlite"
        let maker = try SQLiteWriterConnection(path: path)
        try maker.execute("CREATE TABLE patient (id INTEGER PRIMARY KEY, name TEXT)")
        try maker.execute("INSERT INTO patient (name) VALUES ('SMITH^JOHN')")
        maker.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try await ArchiveIndex.open(.sqlite(path: path), logger: ArchiveFixtures.logger)
            Issue.record("opened another application's database")
        } catch {
            #expect(error.code == .invalidConfiguration && error.detail.contains("has a table \"patient\" but is not a NetDICOM index"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a PostgreSQL database with a table of the index's name and no schema_version is refused, and keeps its table",
          .enabled(if: TestBackend.all.contains(.postgres)))
    func foreignPostgresDatabase() async throws {
        let url = try #require(TestBackend.postgresURL, "CI=true but NETDICOM_TEST_POSTGRES_URL is not set")
        let (database, drop) = try await ArchiveFixtures.makePostgresDatabase(adminURL: url)
        let pool = try SQLConnectionPool.make(database, logger: ArchiveFixtures.logger)
        do {
            try await pool.run("CREATE TABLE instance (id TEXT PRIMARY KEY, pixels TEXT)", logger: ArchiveFixtures.logger)
            do {
                _ = try await ArchiveIndex.open(database, logger: ArchiveFixtures.logger)
                Issue.record("opened another application's database")
            } catch {
                #expect(error.code == .invalidConfiguration && error.detail.contains("has a table \"instance\""), "\(error)")
            }
            try await pool.run("INSERT INTO instance (id, pixels) VALUES ('a', 'b')", logger: ArchiveFixtures.logger)
        } catch {
            try? await pool.shutdown()
            await drop()
            throw error
        }
        try? await pool.shutdown()
        await drop()
    }
}
