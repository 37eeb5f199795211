@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// ``Archive/reindex()``: the index brought in line with the files of the tree, on every backend.
@Suite("Archive: reindexing the store's files")
struct ArchiveReindexTests {
    @Test("records the files the index lacks or holds at another size, forgets the records of missing files, leaves out and lists what is no instance in its place, and removes no file",
          arguments: TestBackend.all)
    func reconciles(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        do {
            try await Self.reconcile(test)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    static func reconcile(_ test: TestArchive) async throws {
        let archive = test.archive
        try await ArchiveFixtures.populate(archive)
        let population = ArchiveFixtures.population
        func path(_ instance: ArchiveFixtures.Instance) -> String {
            "\(instance.studyUID)/\(instance.seriesUID)/\(instance.sopInstanceUID).dcm"
        }

        // In agreement: nothing read, nothing done.
        #expect(try await archive.reindex() == Archive.ReindexSummary(files: 6, unchanged: 6))

        // Two records lost; one file rewritten with another patient name (another size).
        for instance in population[0..<2] { try await archive.index.remove(sopInstanceUID: instance.sopInstanceUID) }
        var renamed = population[4]
        renamed.patientName = "RENAMED^PATIENT^LONGER"
        let scratch = try ArchiveFixtures.temporaryDirectory("reindex-rewrite")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.removeItem(atPath: archive.store.absolutePath(path(renamed)))
        try FileManager.default.moveItem(atPath: ArchiveFixtures.write(renamed, into: scratch), toPath: archive.store.absolutePath(path(renamed)))
        #expect(try await archive.reindex() == Archive.ReindexSummary(files: 6, unchanged: 3, indexed: 3))
        #expect(try await archive.index.counts().instances == 6)
        #expect(try await archive.index.instance(sopInstanceUID: renamed.sopInstanceUID)?.attributes[.patientName] == "RENAMED^PATIENT^LONGER")
        let names = try await ArchiveFixtures.search(archive, .image, [(.sopInstanceUID, .UI, "")], returning: .sopInstanceUID)
        #expect(Set(names) == Set(population.map(\.sopInstanceUID)))

        // A file gone; a copy of an instance under another series; a file that is no DICOM.
        try FileManager.default.removeItem(atPath: archive.store.absolutePath(path(population[3])))
        let misplaced = "\(population[0].studyUID)/1.2.3.4/\(population[0].sopInstanceUID).dcm"
        try FileManager.default.createDirectory(atPath: archive.store.absolutePath("\(population[0].studyUID)/1.2.3.4"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: archive.store.absolutePath(path(population[0])), toPath: archive.store.absolutePath(misplaced))
        let junk = "\(population[0].studyUID)/\(population[0].seriesUID)/junk.dcm"
        try "not DICOM".write(toFile: archive.store.absolutePath(junk), atomically: true, encoding: .utf8)
        let summary = try await archive.reindex()
        #expect(summary.files == 7 && summary.unchanged == 5 && summary.indexed == 0 && summary.forgotten == 1, "\(summary)")
        #expect(summary.skipped.map(\.path).sorted() == [misplaced, junk].sorted(), "\(summary.skipped)")
        #expect(summary.skipped.first { $0.path == misplaced }?.reason.contains("filed at \(path(population[0]))") == true, "\(summary.skipped)")
        #expect(try await archive.index.instance(sopInstanceUID: population[3].sopInstanceUID) == nil)
        #expect(try await archive.index.instance(sopInstanceUID: population[0].sopInstanceUID)?.path == path(population[0]))
        #expect(FileManager.default.fileExists(atPath: archive.store.absolutePath(misplaced)))
        #expect(FileManager.default.fileExists(atPath: archive.store.absolutePath(junk)))
        // The study of the lost instance had no other: it is gone from the index too.
        #expect(try await archive.index.counts().studies == 2)
    }

    @Test("a record is removed only while it names the file given", arguments: TestBackend.all)
    func removeIfFiledAt(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        do {
            try await ArchiveFixtures.populate(test.archive)
            let instance = ArchiveFixtures.population[0]
            #expect(try await test.archive.index.remove(sopInstanceUID: instance.sopInstanceUID, ifFiledAt: "elsewhere.dcm") == nil)
            #expect(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID) != nil)
            let path = "\(instance.studyUID)/\(instance.seriesUID)/\(instance.sopInstanceUID).dcm"
            #expect(try await test.archive.index.remove(sopInstanceUID: instance.sopInstanceUID, ifFiledAt: path)?.path == path)
            #expect(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID) == nil)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    @Test("a second index on the same store (another SQLite file, or PostgreSQL) is filled with every instance and answers the same queries",
          arguments: TestBackend.all)
    func fillsNewIndex(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(.sqlite)
        var drop: (@Sendable () async -> Void)?
        do {
            try await ArchiveFixtures.populate(test.archive)
            try await test.archive.close()
            let database: IndexDatabase
            switch backend {
            case .sqlite:
                database = .sqlite(path: test.root + "/second.sqlite")
            case .postgres:
                let url = try #require(TestBackend.postgresURL, "CI=true but NETDICOM_TEST_POSTGRES_URL is not set")
                let made = try await ArchiveFixtures.makePostgresDatabase(adminURL: url)
                database = made.0
                drop = made.1
            }
            let second = try await Archive.open(storage: test.root, database: database, logger: ArchiveFixtures.logger)
            do {
                #expect(try await second.reindex() == Archive.ReindexSummary(files: 6, indexed: 6))
                let counts = try await second.index.counts()
                #expect(counts.patients == 2 && counts.studies == 3 && counts.series == 4 && counts.instances == 6)
                let studies = try await ArchiveFixtures.search(second, .study, [(.patientName, .PN, "Müller*"), (.studyInstanceUID, .UI, "")], returning: .studyInstanceUID)
                #expect(studies == ["1.2.826.0.1.3680043.10.543.3"])
            } catch {
                try? await second.close()
                throw error
            }
            try await second.close()
        } catch {
            await drop?()
            await test.close()
            throw error
        }
        await drop?()
        await test.close()
    }
}
