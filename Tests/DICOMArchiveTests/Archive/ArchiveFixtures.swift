@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import Foundation
import Logging
import NIOCore
import TestSupport
import Testing

/// DICOM's tag, not Swift Testing's, in this test module.
typealias Tag = DICOMCore.Tag

/// The index backends the archive suites run on: SQLite always; PostgreSQL when
/// NETDICOM_TEST_POSTGRES_URL names a server (its role needs CREATEDB: each test gets a database
/// of its own). Under CI=true a missing server fails the PostgreSQL cases instead of leaving
/// them out.
enum TestBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["NETDICOM_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The backends to run.
    static var all: [TestBackend] {
        postgresURL != nil || ExternalTools.isCI ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }
}

/// A temporary archive for one test, removed by ``close()``.
struct TestArchive {
    let archive: Archive
    let root: String
    private let dropDatabase: (@Sendable () async -> Void)?

    /// A new archive in a new temporary directory, its index on `backend`.
    static func make(_ backend: TestBackend, duplicatePolicy: DuplicatePolicy = .replace, settleDelay: Duration = Archive.defaultSettleDelay) async throws -> TestArchive {
        let root = try ArchiveFixtures.temporaryDirectory("archive")
        switch backend {
        case .sqlite:
            let archive = try await Archive.open(storage: root, duplicatePolicy: duplicatePolicy, settleDelay: settleDelay, logger: ArchiveFixtures.logger)
            return TestArchive(archive: archive, root: root, dropDatabase: nil)
        case .postgres:
            guard let url = TestBackend.postgresURL else {
                Issue.record("CI=true but NETDICOM_TEST_POSTGRES_URL is not set: the PostgreSQL index is untested")
                throw ArchiveError(.invalidConfiguration, "no PostgreSQL server")
            }
            let (database, drop) = try await ArchiveFixtures.makePostgresDatabase(adminURL: url)
            let archive = try await Archive.open(storage: root, database: database, duplicatePolicy: duplicatePolicy, settleDelay: settleDelay, logger: ArchiveFixtures.logger)
            return TestArchive(archive: archive, root: root, dropDatabase: drop)
        }
    }

    /// Closes the index, drops its PostgreSQL database, removes the files.
    func close() async {
        try? await archive.close()
        await dropDatabase?()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Builders of instances and files for the archive tests.
enum ArchiveFixtures {
    static let logger: Logger = {
        var logger = Logger(label: "netdicom.archive.test")
        logger.logLevel = .warning
        return logger
    }()

    /// A new, empty temporary directory.
    static func temporaryDirectory(_ label: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A database of its own on the PostgreSQL server of `adminURL`, and how to drop it.
    static func makePostgresDatabase(adminURL: String) async throws -> (IndexDatabase, @Sendable () async -> Void) {
        let name = "netdicom_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = try SQLConnectionPool.make(.postgres(url: adminURL), logger: logger)
        do {
            try await admin.run("CREATE DATABASE \(name)", logger: logger)
        } catch {
            try? await admin.shutdown()
            throw error
        }
        guard var components = URLComponents(string: adminURL) else { throw ArchiveError(.invalidConfiguration, adminURL) }
        components.path = "/" + name
        let url = components.string ?? adminURL
        let drop: @Sendable () async -> Void = {
            try? await admin.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger: logger)
            try? await admin.shutdown()
        }
        return (.postgres(url: url), drop)
    }

    /// One instance's identity and the attributes tests query.
    struct Instance: Sendable {
        var patientID = "PAT-1"
        var patientName = "SMITH^JOHN"
        var birthDate = "19700101"
        var sex = "M"
        var studyUID = "1.2.826.0.1.3680043.10.543.1"
        var studyDate = "20240315"
        var studyTime = "101500"
        var accession = "ACC-1"
        var studyDescription = "CHEST"
        var seriesUID = "1.2.826.0.1.3680043.10.543.1.1"
        var modality = "CT"
        var seriesNumber = "1"
        var sopInstanceUID = "1.2.826.0.1.3680043.10.543.1.1.1"
        var instanceNumber = "1"
        var sopClassUID = UID.ctImageStorage.string
        var characterSet: String?
        /// Extra text attributes, by tag, with their VR.
        var extra: [(Tag, VR, String)] = []
        var pixelCount = 64
    }

    /// The data set of `instance`, with 16-bit pixels.
    static func dataSet(_ instance: Instance) -> DataSet {
        var dataSet = DataSet()
        if let characterSet = instance.characterSet {
            dataSet.setString(characterSet, for: .specificCharacterSet, vr: .CS)
        }
        dataSet.setString(instance.sopClassUID, for: .sopClassUID, vr: .UI)
        dataSet.setString(instance.sopInstanceUID, for: .sopInstanceUID, vr: .UI)
        dataSet.setString(instance.studyDate, for: .studyDate, vr: .DA)
        dataSet.setString(instance.studyTime, for: .studyTime, vr: .TM)
        dataSet.setString(instance.accession, for: .accessionNumber, vr: .SH)
        dataSet.setString(instance.modality, for: .modality, vr: .CS)
        dataSet.setString(instance.studyDescription, for: .studyDescription, vr: .LO)
        dataSet.setString(instance.patientName, for: .patientName, vr: .PN)
        dataSet.setString(instance.patientID, for: .patientID, vr: .LO)
        dataSet.setString(instance.birthDate, for: .patientBirthDate, vr: .DA)
        dataSet.setString(instance.sex, for: .patientSex, vr: .CS)
        dataSet.setString(instance.studyUID, for: .studyInstanceUID, vr: .UI)
        dataSet.setString(instance.seriesUID, for: .seriesInstanceUID, vr: .UI)
        dataSet.setString("1", for: .studyID, vr: .SH)
        dataSet.setString(instance.seriesNumber, for: .seriesNumber, vr: .IS)
        dataSet.setString(instance.instanceNumber, for: .instanceNumber, vr: .IS)
        for (tag, vr, text) in instance.extra {
            dataSet.setString(text, for: tag, vr: vr)
        }
        var pixels = ByteBuffer()
        for index in 0..<instance.pixelCount {
            pixels.writeInteger(UInt16(truncatingIfNeeded: index), endianness: .little)
        }
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: pixels)
        return dataSet
    }

    /// Writes `instance` as a Part 10 file into `directory`; its path.
    @discardableResult
    static func write(_ instance: Instance, transferSyntax: TransferSyntax = .explicitVRLittleEndian, into directory: String) throws -> String {
        let path = "\(directory)/\(instance.sopInstanceUID).dcm"
        try DICOMFile(dataSet: dataSet(instance), transferSyntax: transferSyntax, sourceAETitle: "ARCHIVE-TEST").write(toFileAt: path, durable: false)
        return path
    }

    /// The fixture archive's content: two patients, three studies, four series, six instances.
    ///
    /// | patient | study | date | series (modality, number): instances |
    /// |---|---|---|---|
    /// | PAT-1 SMITH^JOHN | S1 (ACC-1, CHEST) | 20240315 | 1.1 (CT, 1): 2 · 1.2 (SR, 2): 1 |
    /// | PAT-1 SMITH^JOHN | S2 (ACC-2, HEAD) | 20230601 | 2.1 (MR, 1): 1 |
    /// | PAT-2 Müller^Jürgen | S3 (ACC_3, KNEE 50%) | 20220110 | 3.1 (MR, 5): 2 |
    static let population: [Instance] = {
        var instances: [Instance] = []
        func add(_ patient: Int, study: Int, series: Int, instance: Int, _ configure: (inout Instance) -> Void) {
            var item = Instance()
            item.studyUID = "1.2.826.0.1.3680043.10.543.\(study)"
            item.seriesUID = "\(item.studyUID).\(series)"
            item.sopInstanceUID = "\(item.seriesUID).\(instance)"
            item.instanceNumber = String(instance)
            configure(&item)
            instances.append(item)
        }
        add(1, study: 1, series: 1, instance: 1) { _ in }
        add(1, study: 1, series: 1, instance: 2) { _ in }
        add(1, study: 1, series: 2, instance: 1) { item in
            item.modality = "SR"
            item.seriesNumber = "2"
            item.sopClassUID = "1.2.840.10008.5.1.4.1.1.88.11"
        }
        add(1, study: 2, series: 1, instance: 1) { item in
            item.studyDate = "20230601"
            item.accession = "ACC-2"
            item.studyDescription = "HEAD"
            item.modality = "MR"
            item.sopClassUID = UID.mrImageStorage.string
        }
        for number in 1...2 {
            add(2, study: 3, series: 1, instance: number) { item in
                item.patientID = "PAT-2"
                item.patientName = "Müller^Jürgen"
                item.characterSet = "ISO_IR 192"
                item.birthDate = "19601224"
                item.sex = "F"
                item.studyDate = "20220110"
                item.studyTime = "083000"
                item.accession = "ACC_3"
                item.studyDescription = "KNEE 50%"
                item.modality = "MR"
                item.seriesNumber = "5"
                item.sopClassUID = UID.mrImageStorage.string
            }
        }
        return instances
    }()

    /// Imports ``population`` into `archive`.
    static func populate(_ archive: Archive) async throws {
        let directory = try temporaryDirectory("population")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for instance in population {
            try await archive.importFile(at: write(instance, into: directory))
        }
    }

    /// A C-FIND identifier: the level and the keys, `(tag, VR, value)`.
    /// `archive`'s Storage, Query/Retrieve and Storage Commitment SCP, AE title QRSCP, listening
    /// on an ephemeral loopback port.
    static func startQRSCP(_ archive: Archive) async throws -> AssociationServer {
        var scp = ArchiveEndToEndTests.entity("QRSCP")
        try ArchiveService.addSupportedContexts(to: &scp)
        let service = ArchiveService(archive: archive, aeTitle: "QRSCP", logger: logger)
        return try await scp.startServer(host: "127.0.0.1", port: 0, handlers: service.handlers, logger: logger)
    }

    static func identifier(_ level: QueryRetrieveLevel, _ keys: [(Tag, VR, String)]) -> DataSet {
        var identifier = DataSet()
        if keys.contains(where: { !$0.2.utf8.allSatisfy { $0 < 0x80 } }) {
            identifier.setString("ISO_IR 192", for: .specificCharacterSet, vr: .CS)
        }
        identifier.setString(level.rawValue, for: .queryRetrieveLevel, vr: .CS)
        for (tag, vr, value) in keys {
            identifier.setString(value, for: tag, vr: vr)
        }
        return identifier
    }

    /// The index's matches for an identifier, each as the value of `tag`.
    static func search(_ archive: Archive, _ level: QueryRetrieveLevel, _ keys: [(Tag, VR, String)], returning tag: Tag) async throws -> [String] {
        let query = try Query(identifier: identifier(level, keys))
        return try await archive.index.search(query, level: level).map { $0.attributes.string(tag) ?? "" }.sorted()
    }
}
