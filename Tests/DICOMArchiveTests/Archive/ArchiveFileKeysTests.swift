@testable import DICOMArchive
import DICOMCore
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing

/// C-FIND keys the index does not keep, above the image level: read from one instance's file of
/// each entity the index matched, matched there and returned with the file's value (PS3.4
/// C.4.1.2.3), with the index's values laid over the file's in the file's character set; and
/// the patient's counts at a Study Root study query (PS3.4 C.6.2.1.1).
@Suite("Archive: C-FIND keys read from the files above the image level")
struct ArchiveFileKeysTests {
    static let s1 = "1.2.826.0.1.3680043.10.543.1"
    static let s2 = "1.2.826.0.1.3680043.10.543.2"
    static let s3 = "1.2.826.0.1.3680043.10.543.3"

    /// The fixture population, with an Institution Name in the files of study S1 ("SOMEWHERE
    /// NORTH") and S2 ("ELSEWHERE"), a Protocol Name in series S1.1, and Patient Comments
    /// ("NONE") for patient PAT-1.
    static func populate(_ archive: Archive) async throws {
        let directory = try ArchiveFixtures.temporaryDirectory("file-keys")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for var instance in ArchiveFixtures.population {
            if instance.studyUID == s1 { instance.extra.append((.institutionName, .LO, "SOMEWHERE NORTH")) }
            if instance.studyUID == s2 { instance.extra.append((.institutionName, .LO, "ELSEWHERE")) }
            if instance.seriesUID == "\(s1).1" { instance.extra.append((.protocolName, .LO, "THORAX")) }
            if instance.patientID == "PAT-1" { instance.extra.append((.patientComments, .LT, "NONE")) }
            try await archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        }
    }

    static func responses(
        _ service: ArchiveService, _ level: QueryRetrieveLevel, _ keys: [(Tag, VR, String)]
    ) async throws -> [DataSet] {
        try await service.responses(to: try Query(identifier: ArchiveFixtures.identifier(level, keys)), level: level)
    }

    /// The value of `tag` in each of `responses`, by the value of `key` ("" for none).
    static func values(of tag: Tag, by key: Tag, in responses: [DataSet]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: responses.map { ($0.string(key) ?? "", $0.string(tag) ?? "") })
    }

    /// Runs `body` with the service of an archive on `backend` holding ``populate(_:)``'s instances.
    static func withPopulatedArchive(_ backend: TestBackend, _ body: (ArchiveService) async throws -> Void) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await populate(test.archive)
        try await body(ArchiveService(archive: test.archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger))
    }

    @Test("a study key the index lacks is matched on, and returned from, one file of each study; the status is FF00H",
          arguments: TestBackend.all)
    func studyKey(_ backend: TestBackend) async throws {
        try await Self.withPopulatedArchive(backend) { service in
            let all = try await Self.responses(service, .study, [(.studyInstanceUID, .UI, ""), (.institutionName, .LO, "")])
            #expect(Self.values(of: .institutionName, by: .studyInstanceUID, in: all) == [Self.s1: "SOMEWHERE NORTH", Self.s2: "ELSEWHERE", Self.s3: ""])

            let keys: [(Tag, VR, String)] = [(.studyInstanceUID, .UI, ""), (.accessionNumber, .SH, ""), (.institutionName, .LO, "SOMEWHERE*")]
            let matched = try await Self.responses(service, .study, keys)
            #expect(matched.map { $0.string(.studyInstanceUID) } == [Self.s1])
            #expect(matched.first?.string(.accessionNumber) == "ACC-1")
            #expect(matched.first?.string(.institutionName) == "SOMEWHERE NORTH")
            #expect(service.pendingStatus(for: try Query(identifier: ArchiveFixtures.identifier(.study, keys)), level: .study) == .pending)
        }
    }

    @Test("patient and series levels: Patient Comments and Protocol Name from the files; a key of a lower level stays unsupported",
          arguments: TestBackend.all)
    func patientAndSeriesKeys(_ backend: TestBackend) async throws {
        try await Self.withPopulatedArchive(backend) { service in
            let patients = try await Self.responses(service, .patient, [(.patientID, .LO, ""), (.patientComments, .LT, "")])
            #expect(Self.values(of: .patientComments, by: .patientID, in: patients) == ["PAT-1": "NONE", "PAT-2": ""])

            let series = try await Self.responses(service, .series, [
                (.studyInstanceUID, .UI, Self.s1), (.seriesInstanceUID, .UI, ""), (.protocolName, .LO, ""), (.patientComments, .LT, ""),
            ])
            #expect(Self.values(of: .protocolName, by: .seriesInstanceUID, in: series) == ["\(Self.s1).1": "THORAX", "\(Self.s1).2": ""])
            #expect(series.allSatisfy { $0.string(.patientComments) == "NONE" }, "a patient's attribute, read at the series level")

            let lower = try Query(identifier: ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, ""), (.sopInstanceUID, .UI, "")]))
            #expect(service.pendingStatus(for: lower, level: .study) == .pendingWithUnsupportedOptionalKeys)
            #expect(try await service.responses(to: lower, level: .study).allSatisfy { $0.string(.sopInstanceUID) ?? "" == "" })
        }
    }

    @Test("Study Root study level: the patient's Number of Related Studies, Series and Instances", arguments: TestBackend.all)
    func patientCountsAtStudyLevel(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await ArchiveFixtures.populate(test.archive)
        let service = ArchiveService(archive: test.archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger)
        let keys: [(Tag, VR, String)] = [
            (.studyInstanceUID, .UI, ""), (.numberOfPatientRelatedStudies, .IS, ""),
            (.numberOfPatientRelatedSeries, .IS, ""), (.numberOfPatientRelatedInstances, .IS, ""),
        ]
        #expect(service.pendingStatus(for: try Query(identifier: ArchiveFixtures.identifier(.study, keys)), level: .study) == .pending)
        let counts = try await Self.responses(service, .study, keys).map { response in
            [.studyInstanceUID, .numberOfPatientRelatedStudies, .numberOfPatientRelatedSeries, .numberOfPatientRelatedInstances]
                .map { response.string($0) ?? "" }
        }
        #expect(counts == [[Self.s1, "2", "3", "4"], [Self.s2, "2", "3", "4"], [Self.s3, "1", "1", "2"]])
        // A count is a key like another.
        let two = try await Self.responses(service, .study, [(.studyInstanceUID, .UI, ""), (.numberOfPatientRelatedStudies, .IS, "2")])
        #expect(two.map { $0.string(.studyInstanceUID) } == [Self.s1, Self.s2])
    }

    @Test("a file in ISO_IR 100: the index's UTF-8 name and the file's Latin-1 key decode alike in one response")
    func characterSets() async throws {
        let test = try await TestArchive.make(.sqlite)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("file-keys-latin1")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var instance = ArchiveFixtures.Instance()
        instance.characterSet = "ISO_IR 100"
        instance.patientName = "Müller^Jürgen"
        instance.extra = [(.institutionName, .LO, "Klinikum Süd")]
        let path = try ArchiveFixtures.write(instance, into: directory)
        #expect(try DICOMFile(contentsOf: path).dataSet[.institutionName]?.bytes?.readableBytes == 12, "one byte per ü")
        try await test.archive.importFile(at: path)
        let service = ArchiveService(archive: test.archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger)

        let responses = try await Self.responses(service, .study, [
            (.studyInstanceUID, .UI, ""), (.patientName, .PN, "Müller*"), (.institutionName, .LO, "*Süd"),
        ])
        #expect(responses.count == 1)
        #expect(responses.first?.string(.specificCharacterSet) == "ISO_IR 100")
        #expect(responses.first?.string(.patientName) == "Müller^Jürgen")
        #expect(responses.first?.string(.institutionName) == "Klinikum Süd")
    }

    @Test("a sequence key at the study level is matched on the file's items", arguments: TestBackend.all)
    func sequenceKey(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("file-keys-sequence")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var dataSet = ArchiveFixtures.dataSet(ArchiveFixtures.Instance())
        var code = DataSet()
        code.setString("P1-4A", for: .codeValue, vr: .SH)
        code.setString("SRT", for: .codingSchemeDesignator, vr: .SH)
        dataSet.setSequence([code], for: .procedureCodeSequence)
        let path = "\(directory)/one.dcm"
        try DICOMFile(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian).write(toFileAt: path, durable: false)
        try await test.archive.importFile(at: path)
        let service = ArchiveService(archive: test.archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger)

        func query(_ value: String) throws -> Query {
            var item = DataSet()
            item.setString(value, for: .codeValue, vr: .SH)
            var identifier = ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, "")])
            identifier.setSequence([item], for: .procedureCodeSequence)
            return try Query(identifier: identifier)
        }
        let found = try await service.responses(to: try query("P1-4A"), level: .study)
        #expect(found.count == 1)
        #expect(found.first?.sequence(.procedureCodeSequence)?.first?.string(.codeValue) == "P1-4A")
        #expect(try await service.responses(to: try query("OTHER"), level: .study).isEmpty)
    }
}
