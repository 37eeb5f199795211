@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// Store → index → find at every level, on every backend (``TestBackend``), over the fixture
/// population (``ArchiveFixtures/population``).
@Suite("Archive index: store, then find at each level")
struct ArchiveIndexTests {
    static let s1 = "1.2.826.0.1.3680043.10.543.1"
    static let s2 = "1.2.826.0.1.3680043.10.543.2"
    static let s3 = "1.2.826.0.1.3680043.10.543.3"

    /// Runs `body` on a populated archive of `backend`, then removes it.
    static func withPopulation(_ backend: TestBackend, _ body: (Archive) async throws -> Void) async throws {
        let test = try await TestArchive.make(backend)
        do {
            try await ArchiveFixtures.populate(test.archive)
            try await body(test.archive)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    @Test("the index counts what was stored, and files sit at study/series/instance paths", arguments: TestBackend.all)
    func storedLayout(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            let counts = try await archive.index.counts()
            #expect(counts.patients == 2 && counts.studies == 3 && counts.series == 4 && counts.instances == 6)
            let record = try #require(try await archive.index.instance(sopInstanceUID: "\(Self.s1).1.2"))
            #expect(record.path == "\(Self.s1)/\(Self.s1).1/\(Self.s1).1.2.dcm")
            #expect(FileManager.default.fileExists(atPath: archive.store.absolutePath(record.path)))
            #expect(record.transferSyntaxUID == UID.explicitVRLittleEndian.string)
            #expect(record.fileSize == FileSystem.fileSize(archive.store.absolutePath(record.path)))
            #expect(record.attributes[.patientName] == "SMITH^JOHN")
            try await archive.settle()
            #expect(archive.store.incomingNames().isEmpty)
        }
    }

    @Test("PATIENT level: one match per patient with its related counts", arguments: TestBackend.all)
    func patientLevel(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            let query = try Query(identifier: ArchiveFixtures.identifier(.patient, [
                (.patientID, .LO, ""), (.patientName, .PN, ""), (.numberOfPatientRelatedStudies, .IS, ""),
                (.numberOfPatientRelatedSeries, .IS, ""), (.numberOfPatientRelatedInstances, .IS, ""),
            ]))
            let matches = try await archive.index.search(query, level: .patient)
            let byID = Dictionary(uniqueKeysWithValues: matches.map { ($0.attributes.string(.patientID) ?? "", $0.attributes) })
            #expect(byID.keys.sorted() == ["PAT-1", "PAT-2"])
            #expect(byID["PAT-1"]?.integer(.numberOfPatientRelatedStudies) == 2)
            #expect(byID["PAT-1"]?.integer(.numberOfPatientRelatedSeries) == 3)
            #expect(byID["PAT-1"]?.integer(.numberOfPatientRelatedInstances) == 4)
            #expect(byID["PAT-2"]?.integer(.numberOfPatientRelatedInstances) == 2)
            #expect(byID["PAT-2"]?.string(.patientName) == "Müller^Jürgen")
        }
    }

    @Test("STUDY level: counts, Modalities in Study, and the study keys", arguments: TestBackend.all)
    func studyLevel(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            let query = try Query(identifier: ArchiveFixtures.identifier(.study, [
                (.studyInstanceUID, .UI, ""), (.modalitiesInStudy, .CS, ""), (.numberOfStudyRelatedSeries, .IS, ""),
                (.numberOfStudyRelatedInstances, .IS, ""), (.sopClassesInStudy, .UI, ""), (.accessionNumber, .SH, ""),
            ]))
            let matches = try await archive.index.search(query, level: .study)
            let byUID = Dictionary(uniqueKeysWithValues: matches.map { ($0.attributes.string(.studyInstanceUID) ?? "", $0.attributes) })
            #expect(byUID.count == 3)
            let first = try #require(byUID[Self.s1])
            #expect(first.strings(.modalitiesInStudy) == ["CT", "SR"])
            #expect(first.integer(.numberOfStudyRelatedSeries) == 2)
            #expect(first.integer(.numberOfStudyRelatedInstances) == 3)
            #expect(first.strings(.sopClassesInStudy).count == 2)
            #expect(first.string(.patientName) == "SMITH^JOHN", "the patient's attributes come with the study")
            #expect(byUID[Self.s3]?.integer(.numberOfStudyRelatedInstances) == 2)
            #expect(byUID[Self.s2]?.strings(.modalitiesInStudy) == ["MR"])
        }
    }

    /// Study-level queries: the study UIDs found, and how many rows the SQL prefilter kept
    /// (nil: not checked), which shows the condition ran in SQL.
    static let studyQueries: [(keys: [(Tag, VR, String)], found: [String], prefiltered: Int?)] = [
        ([(.studyDate, .DA, "20230101-20241231")], [s1, s2], 2),
        ([(.studyDate, .DA, "-20221231")], [s3], 1),
        ([(.studyDate, .DA, "20230601")], [s2], 1),
        ([(.studyTime, .TM, "0800-0900")], [s3], nil),
        ([(.patientName, .PN, "smith*")], [s1, s2], 2),
        ([(.patientName, .PN, "SMITH^JOHN")], [s1, s2], 2),
        ([(.patientName, .PN, "SMITH")], [], nil),
        ([(.patientName, .PN, "müller*")], [s3], 1),
        ([(.patientName, .PN, "*^JÜRGEN")], [s3], 1),
        ([(.patientName, .PN, "M?ller*")], [s3], nil),
        ([(.accessionNumber, .SH, "ACC_3")], [s3], 1),
        ([(.accessionNumber, .SH, "ACC_*")], [s3], 1),
        ([(.accessionNumber, .SH, "ACC?1")], [s1], nil),
        ([(.accessionNumber, .SH, "acc-1")], [], 0),
        ([(.studyDescription, .LO, "*50%")], [s3], 1),
        ([(.studyInstanceUID, .UI, "\(s1)\\\(s3)")], [s1, s3], 2),
        ([(.modalitiesInStudy, .CS, "MR")], [s2, s3], 2),
        ([(.modalitiesInStudy, .CS, "SR")], [s1], 1),
        ([(.modalitiesInStudy, .CS, "CT\\MR")], [s1, s2, s3], 3),
        ([(.modalitiesInStudy, .CS, "C*")], [s1], 1),
        ([(.patientID, .LO, "PAT-1"), (.studyDate, .DA, "20240101-")], [s1], 1),
        ([(.numberOfStudyRelatedInstances, .IS, "2")], [s3], nil),
        ([(.patientSex, .CS, "F")], [s3], 1),
        ([(.patientBirthDate, .DA, "19600101-19691231")], [s3], 1),
    ]

    @Test("STUDY level: single values, wild cards, ranges and UID lists, narrowed in SQL", arguments: TestBackend.all)
    func studyMatching(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            for (keys, found, prefiltered) in Self.studyQueries {
                let description = keys.map { "\($0.0.keyword ?? "")=\($0.2)" }.joined(separator: " ")
                let returned = keys.contains { $0.0 == .studyInstanceUID } ? keys : keys + [(.studyInstanceUID, .UI, "")]
                let uids = try await ArchiveFixtures.search(archive, .study, returned, returning: .studyInstanceUID)
                #expect(uids == found.sorted(), "\(description)")
                if let prefiltered {
                    let query = try Query(identifier: ArchiveFixtures.identifier(.study, keys))
                    let rows = try await archive.index.search(query, level: .study, matching: false)
                    #expect(rows.count == prefiltered, "SQL prefilter of \(description)")
                }
            }
        }
    }

    @Test("SERIES level: series of a study, by modality and number, with instance counts", arguments: TestBackend.all)
    func seriesLevel(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            let ofStudy = try await ArchiveFixtures.search(archive, .series, [(.studyInstanceUID, .UI, Self.s1), (.seriesInstanceUID, .UI, "")], returning: .seriesInstanceUID)
            #expect(ofStudy == ["\(Self.s1).1", "\(Self.s1).2"])
            let sr = try await ArchiveFixtures.search(archive, .series, [(.modality, .CS, "SR")], returning: .seriesInstanceUID)
            #expect(sr == ["\(Self.s1).2"])
            let fifth = try await ArchiveFixtures.search(archive, .series, [(.seriesNumber, .IS, "5")], returning: .seriesInstanceUID)
            #expect(fifth == ["\(Self.s3).1"])
            let counted = try await ArchiveFixtures.search(archive, .series, [
                (.seriesInstanceUID, .UI, "\(Self.s1).1"), (.numberOfSeriesRelatedInstances, .IS, ""),
            ], returning: .numberOfSeriesRelatedInstances)
            #expect(counted == ["2"])
        }
    }

    @Test("IMAGE level: instances of a series, by number and SOP class", arguments: TestBackend.all)
    func imageLevel(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            let ofSeries = try await ArchiveFixtures.search(archive, .image, [(.seriesInstanceUID, .UI, "\(Self.s1).1"), (.sopInstanceUID, .UI, "")], returning: .sopInstanceUID)
            #expect(ofSeries == ["\(Self.s1).1.1", "\(Self.s1).1.2"])
            let second = try await ArchiveFixtures.search(archive, .image, [(.instanceNumber, .IS, "2")], returning: .sopInstanceUID)
            #expect(second == ["\(Self.s1).1.2", "\(Self.s3).1.2"])
            let mr = try await ArchiveFixtures.search(archive, .image, [(.sopClassUID, .UI, UID.mrImageStorage.string)], returning: .sopInstanceUID)
            #expect(mr.count == 3)
            let query = try Query(identifier: ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, Self.s1)]))
            let instances = try await archive.index.instances(matching: query)
            #expect(instances.map(\.sopInstanceUID).sorted() == ["\(Self.s1).1.1", "\(Self.s1).1.2", "\(Self.s1).2.1"])
        }
    }

    @Test("responses carry the keys asked, Retrieve AE Title, and UTF-8 text with ISO_IR 192", arguments: TestBackend.all)
    func responses(_ backend: TestBackend) async throws {
        try await Self.withPopulation(backend) { archive in
            let service = ArchiveService(archive: archive, aeTitle: "QRSCP")
            let query = try Query(identifier: ArchiveFixtures.identifier(.study, [
                (.patientName, .PN, "m*"), (.studyInstanceUID, .UI, ""), (.retrieveAETitle, .AE, ""),
                (.institutionName, .LO, ""), (.modality, .CS, "CT"),
            ]))
            let responses = try await service.responses(to: query, level: .study)
            let response = try #require(responses.first)
            #expect(responses.count == 1)
            #expect(response.string(.patientName) == "Müller^Jürgen")
            #expect(response.string(.specificCharacterSet) == "ISO_IR 192")
            #expect(response.string(.retrieveAETitle) == "QRSCP")
            #expect(response.string(.queryRetrieveLevel) == "STUDY")
            #expect(response[.institutionName]?.valueLength == 0, "a key the index lacks, absent from the files too, is returned empty")
            #expect(response[.modality]?.valueLength == 0, "a series key in a study query is ignored (hierarchical)")
        }
    }

    @Test("IMAGE level keys the index lacks are read from the files", arguments: TestBackend.all)
    func imageKeysFromFiles(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("files")
        for (number, maker) in ["ACME", "OTHER"].enumerated() {
            var instance = ArchiveFixtures.Instance()
            instance.sopInstanceUID = "1.2.826.0.1.3680043.10.543.1.1.\(number + 1)"
            instance.extra = [(.manufacturer, .LO, maker)]
            try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        }
        let service = ArchiveService(archive: test.archive, aeTitle: "QRSCP")
        let query = try Query(identifier: ArchiveFixtures.identifier(.image, [(.manufacturer, .LO, "AC*"), (.sopInstanceUID, .UI, "")]))
        let responses = try await service.responses(to: query, level: .image)
        #expect(responses.map { $0.string(.sopInstanceUID) } == ["1.2.826.0.1.3680043.10.543.1.1.1"])
        #expect(responses.first?.string(.manufacturer) == "ACME")
        #expect(responses.first?[.pixelData] == nil)
    }
}
