import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp --reindex`: an index lost, or a new one on PostgreSQL, filled from the
/// files of a store that DCMTK's storescu filled; then DCMTK's and pynetdicom's requestors find
/// and retrieve everything from it.
@Suite("netdicom qrscp --reindex rebuilds the index from the store", .tags(.interop))
struct QRSCPReindexTests {
    /// Runs `netdicom qrscp --storage STORAGE --reindex` (and `more` arguments).
    static func reindex(_ storage: String, _ more: [String] = []) async throws -> ExternalTools.Output {
        try await PeerProcess.run(ExternalTools.netdicom(), ["qrscp", "--storage", storage, "--reindex"] + more)
    }

    /// Stores the default content through DCMTK's storescu, stops the archive, and returns the
    /// content and the storage directory.
    static func filledStore(_ label: String) async throws -> (ArchiveContent, String) {
        let content = try ArchiveContent()
        let archive = try await QRSCPProcess.holding(content.files, label: label)
        #expect(try await archive.terminate() == 0, "\(archive.log)")
        return (content, archive.storage)
    }

    @Test("the SQLite index deleted, --reindex records every file again; a second run changes nothing; a missing file's record goes, a stray file is listed; DCMTK findscu and getscu get everything back",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")),
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func rebuildsLostSQLiteIndex() async throws {
        let (content, storage) = try await Self.filledStore("qrscp-reindex")
        defer { try? FileManager.default.removeItem(atPath: storage) }
        for name in try FileManager.default.contentsOfDirectory(atPath: storage) where name.hasPrefix("index.sqlite") {
            try FileManager.default.removeItem(atPath: storage + "/" + name)
        }

        let rebuilt = try await Self.reindex(storage)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("instance files 6; indexed already 0, indexed now 6, left out 0; records of missing files removed 0"), "\(rebuilt.stdout)")
        let again = try await Self.reindex(storage)
        #expect(again.stdout.contains("instance files 6; indexed already 6, indexed now 0, left out 0; records of missing files removed 0"), "\(again.stdout)")

        // Patient B's only instance lost; a file that is no instance where one would be.
        let lost = try #require(content.instances(of: content.seriesB).first)
        try FileManager.default.removeItem(atPath: "\(storage)/\(lost.studyInstanceUID)/\(lost.seriesInstanceUID)/\(lost.sopInstanceUID).dcm")
        let stray = "\(content.seriesA1.studyInstanceUID.string)/\(content.seriesA1.seriesInstanceUID.string)/notes.dcm"
        try "not DICOM".write(toFile: storage + "/" + stray, atomically: true, encoding: .utf8)
        let pruned = try await Self.reindex(storage)
        #expect(pruned.stdout.contains("instance files 6; indexed already 5, indexed now 0, left out 1; records of missing files removed 1"), "\(pruned.stdout)")
        #expect(pruned.stdout.contains("left out \(stray): "), "\(pruned.stdout)")
        #expect(FileManager.default.fileExists(atPath: storage + "/" + stray), "a file is never removed")

        let archive = try await QRSCPProcess(storage: storage)
        defer { archive.peer.stop() }
        let found = try await DCMTKClient.find(.patientRoot, ["QueryRetrieveLevel=PATIENT", "PatientID", "NumberOfPatientRelatedInstances"], at: archive)
        let patients = Dictionary(uniqueKeysWithValues: found.responses.map { ($0.string(.patientID) ?? "", $0.string(.numberOfPatientRelatedInstances) ?? "") })
        #expect(patients == [ArchiveContent.patientAID: "5"], "\(found.log)\nqrscp:\n\(archive.log)")
        let output = try TestInstances.temporaryDirectory("qrscp-reindex-get")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let study = content.seriesA1.studyInstanceUID.string
        let got = try await DCMTKClient.get(.studyRoot, ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(study)"], from: archive, into: output)
        ArchiveContent.expectFiles(under: output, are: content.instances(inStudyOf: content.seriesA1), log: "\(got.stdout)\nqrscp:\n\(archive.log)")
    }

    @Test("--reindex --database postgres://… fills a new PostgreSQL index from a store SQLite indexed; pynetdicom's findscu and getscu then get everything from a qrscp on it",
          .enabled(if: QRSCPTwoNodeTests.postgresURL != nil || ExternalTools.isCI),
          .enabled(if: ExternalTools.shouldRun(needing: "psql")), .enabled(if: ExternalTools.shouldRun(needing: "storescu")),
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func fillsPostgresIndex() async throws {
        guard let adminURL = QRSCPTwoNodeTests.postgresURL else {
            Issue.record("CI=true but NETDICOM_TEST_POSTGRES_URL is not set: --reindex into PostgreSQL is untested")
            return
        }
        let database = try await QRSCPTwoNodeTests.TemporaryDatabase(adminURL: adminURL)
        do {
            try await Self.fill(database.url)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    private static func fill(_ url: String) async throws {
        let (content, storage) = try await Self.filledStore("qrscp-reindex-postgres")
        defer { try? FileManager.default.removeItem(atPath: storage) }
        let filled = try await Self.reindex(storage, ["--database", url])
        #expect(filled.status == 0, "\(filled.stderr)")
        #expect(filled.stdout.contains("instance files 6; indexed already 0, indexed now 6, left out 0"), "\(filled.stdout)")

        let archive = try await QRSCPProcess(storage: storage, database: url)
        defer { archive.peer.stop() }
        let python = try ExternalTools.require("python")
        let found = try await PeerProcess.run(python, [
            "-m", "pynetdicom", "findscu", "-d", "-S", "-aec", archive.aeTitle, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID",
            "127.0.0.1", String(archive.port)])
        for series in [content.seriesA1, content.seriesB] {
            #expect(found.stdout.contains(series.studyInstanceUID.string), "\(found.stdout)\nqrscp:\n\(archive.log)")
        }
        let output = try TestInstances.temporaryDirectory("qrscp-reindex-pynetdicom-get")
        defer { try? FileManager.default.removeItem(atPath: output) }
        for series in [content.seriesA1, content.seriesB] {
            let got = try await PeerProcess.run(python, [
                "-m", "pynetdicom", "getscu", "-S", "-aec", archive.aeTitle, "-od", output,
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(series.studyInstanceUID.string)", "127.0.0.1", String(archive.port)])
            #expect(got.status == 0, "\(got.stdout)\n\(got.stderr)")
        }
        // pynetdicom asks for Implicit VR Little Endian first: the data sets come converted.
        let received = ArchiveContent.receivedDataSets(under: output)
        #expect(Set(received.keys) == Set(content.instances.map(\.sopInstanceUID)), "qrscp:\n\(archive.log)")
    }
}
