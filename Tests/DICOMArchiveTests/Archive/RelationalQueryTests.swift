@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing

/// Hierarchical and relational C-FIND (PS3.4 C.4.1.2.2, C.4.1.3), the SOP Class Extended
/// Negotiation that chooses between them (C.5.1.1), and the optional keys the archive does not
/// support (FF01H, C.4.1.1.4): our SCU against an in-process qrscp over loopback.
@Suite("qrscp: hierarchical and relational queries")
struct RelationalQueryTests {
    static let s1 = "1.2.826.0.1.3680043.10.543.1"
    static let s2 = "1.2.826.0.1.3680043.10.543.2"
    static let s3 = "1.2.826.0.1.3680043.10.543.3"

    static func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    // MARK: - Negotiation, without a network

    @Test("FIND answers: each option the archive performs, as many bytes as proposed")
    func findAnswers() {
        let find = UID.studyRootQueryRetrieveInformationModelFind
        let cases: [(proposed: [UInt8], answered: [UInt8])] = [
            ([1], [1]),
            ([0], [0]),
            ([1, 1], [1, 1]),
            ([1, 1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 1, 1]),
            ([0, 0, 0, 0, 0, 1, 0, 9], [0, 0, 0, 0, 0, 1, 0]),
            ([2], [0]),
        ]
        for (proposed, answered) in cases {
            let answers = ArchiveService.extendedNegotiationAnswers(to: [
                SOPClassExtendedNegotiation(sopClassUID: find, serviceClassApplicationInformation: Self.bytes(proposed)),
            ])
            #expect(answers.count == 1)
            #expect(answers.first.map { Array($0.serviceClassApplicationInformation.readableBytesView) } == answered, "proposed \(proposed)")
        }
        let negotiated = FindNegotiation(proposal: Self.bytes([1, 1, 1, 1, 1, 1, 1]))
        #expect(negotiated.relationalQueries && negotiated.combinedDateTimeMatching)
        #expect(negotiated.matchingOptions == MatchingOptions(combinedDateTimeMatching: true, emptyValueMatching: true, multipleValueMatching: true))
    }

    @Test("GET and MOVE answer relational retrieve as proposed; other SOP classes get no answer")
    func retrieveAndOtherAnswers() {
        let answers = ArchiveService.extendedNegotiationAnswers(to: [
            SOPClassExtendedNegotiation(sopClassUID: .studyRootQueryRetrieveInformationModelMove, serviceClassApplicationInformation: Self.bytes([1, 1])),
            SOPClassExtendedNegotiation(sopClassUID: .patientRootQueryRetrieveInformationModelGet, serviceClassApplicationInformation: Self.bytes([0])),
            SOPClassExtendedNegotiation(sopClassUID: .ctImageStorage, serviceClassApplicationInformation: Self.bytes([2, 0, 1, 0, 0, 0])),
            SOPClassExtendedNegotiation(sopClassUID: .modalityWorklistInformationModelFind, serviceClassApplicationInformation: Self.bytes([1])),
        ])
        #expect(answers.map(\.sopClassUID) == [.studyRootQueryRetrieveInformationModelMove, .patientRootQueryRetrieveInformationModelGet])
        #expect(answers.map { Array($0.serviceClassApplicationInformation.readableBytesView) } == [[1, 0], [0]])
    }

    @Test("the hierarchical rule: one value of each unique key above the level")
    func hierarchicalRule() throws {
        func missing(_ level: QueryRetrieveLevel, _ keys: [(Tag, VR, String)], _ model: QueryRetrieveModel) throws -> [Tag] {
            QueryHierarchy.missingUniqueKeys(in: try Query(identifier: ArchiveFixtures.identifier(level, keys)), level: level, model: model)
        }
        #expect(try missing(.study, [], .studyRoot) == [])
        #expect(try missing(.study, [], .patientRoot) == [.patientID])
        #expect(try missing(.series, [(.studyInstanceUID, .UI, Self.s1)], .studyRoot) == [])
        #expect(try missing(.series, [(.studyInstanceUID, .UI, "\(Self.s1)\\\(Self.s2)")], .studyRoot) == [.studyInstanceUID], "a UID list is no single value")
        #expect(try missing(.series, [(.studyInstanceUID, .UI, "")], .studyRoot) == [.studyInstanceUID])
        #expect(try missing(.image, [(.studyInstanceUID, .UI, Self.s1)], .patientRoot) == [.patientID, .seriesInstanceUID])
        #expect(try missing(.patient, [], .patientRoot) == [])
    }

    @Test("FF01H only where a key the archive neither matches nor returns is given", arguments: TestBackend.all)
    func unsupportedOptionalKeys(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let service = ArchiveService(archive: test.archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger)
        func status(_ level: QueryRetrieveLevel, _ keys: [(Tag, VR, String)]) throws -> DIMSEStatus {
            service.pendingStatus(for: try Query(identifier: ArchiveFixtures.identifier(level, keys)), level: level)
        }
        #expect(try status(.study, [(.patientName, .PN, "SMITH*"), (.studyDate, .DA, "20240101-"), (.modalitiesInStudy, .CS, "CT"),
                                    (.numberOfStudyRelatedInstances, .IS, ""), (.retrieveAETitle, .AE, "")]) == .pending)
        #expect(try status(.study, [(.institutionName, .LO, "")]) == .pending, "a key the index lacks, read from a file")
        #expect(try status(.study, [(.modality, .CS, "CT")]) == .pendingWithUnsupportedOptionalKeys, "a key of a lower level")
        #expect(try status(.series, [(.studyInstanceUID, .UI, Self.s1), (.bodyPartExamined, .CS, "CHEST")]) == .pending)
        #expect(try status(.image, [(.manufacturer, .LO, "ACME*")]) == .pending, "image-level keys are read from the files")
    }

    // MARK: - Over the network

    /// Runs `body` with a populated archive served on loopback and a requestor entity that
    /// proposes the Study Root and Patient Root FIND classes.
    static func withServer(_ backend: TestBackend, _ body: (ApplicationEntity, Int) async throws -> Void) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await ArchiveFixtures.populate(test.archive)
        let server = try await ArchiveFixtures.startQRSCP(test.archive)
        defer { Task { await server.shutdown() } }
        var scu = ArchiveEndToEndTests.entity("TEST-SCU")
        try scu.addRequestedContext(.studyRootQueryRetrieveInformationModelFind)
        try scu.addRequestedContext(.patientRootQueryRetrieveInformationModelFind)
        try await body(scu, server.port)
    }

    static func found(_ responses: [QueryResponse], _ tag: Tag) -> [String] {
        responses.compactMap { $0.identifier?.string(tag) }.sorted()
    }

    @Test("without relational queries: a query missing a unique key above its level is refused A900H; other keys above it only return", arguments: TestBackend.all)
    func hierarchicalOverTheNetwork(_ backend: TestBackend) async throws {
        try await Self.withServer(backend) { scu, port in
            let association = try await scu.associate(host: "127.0.0.1", port: port, calledAETitle: "QRSCP", logger: ArchiveFixtures.logger)
            #expect(association.acceptance.userInformation.sopClassExtendedNegotiations.isEmpty)

            let refused = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.series, [
                (.modality, .CS, "MR"), (.seriesInstanceUID, .UI, ""),
            ])))
            #expect(refused.map(\.status) == [.identifierDoesNotMatchSOPClass])
            #expect(refused.last?.errorComment?.contains("StudyInstanceUID") == true)

            let series = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.series, [
                (.studyInstanceUID, .UI, Self.s1), (.modality, .CS, ""), (.seriesInstanceUID, .UI, ""),
            ])))
            #expect(series.last?.status == .success)
            #expect(Self.found(series, .seriesInstanceUID) == ["\(Self.s1).1", "\(Self.s1).2"])

            let patientRoot = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.studyInstanceUID, .UI, ""),
            ]), model: .patientRoot))
            #expect(patientRoot.map(\.status) == [.identifierDoesNotMatchSOPClass], "Patient Root STUDY needs the Patient ID")
            let ofPatient = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientID, .LO, "PAT-1"), (.studyInstanceUID, .UI, ""),
            ]), model: .patientRoot))
            #expect(Self.found(ofPatient, .studyInstanceUID) == [Self.s1, Self.s2])

            // Above the level only the unique keys select (PS3.4 C.4.1.3.1.1): other keys of
            // those levels come back with the entity's values, whatever they asked.
            let ofStudy = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.series, [
                (.studyInstanceUID, .UI, Self.s1), (.studyDate, .DA, "19000101"), (.patientName, .PN, "NOBODY"),
                (.seriesInstanceUID, .UI, ""),
            ])))
            #expect(ofStudy.last?.status == .success)
            #expect(Self.found(ofStudy, .seriesInstanceUID) == ["\(Self.s1).1", "\(Self.s1).2"])
            #expect(Self.found(ofStudy, .studyDate) == ["20240315", "20240315"])
            #expect(Self.found(ofStudy, .patientName) == ["SMITH^JOHN", "SMITH^JOHN"])
            let patientRootNamed = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientID, .LO, "PAT-1"), (.patientName, .PN, "NOBODY"), (.studyInstanceUID, .UI, ""),
            ]), model: .patientRoot))
            #expect(Self.found(patientRootNamed, .studyInstanceUID) == [Self.s1, Self.s2])
            // At its own level a key still selects: the Study Root study's Patient's Name.
            let studyRootNamed = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientName, .PN, "NOBODY"), (.studyInstanceUID, .UI, ""),
            ])))
            #expect(studyRootNamed.map(\.status) == [.success])
            try await association.release()
        }
    }

    @Test("with relational queries: accepted in the A-ASSOCIATE-AC; keys of any level above apply, no unique key needed",
          arguments: TestBackend.all)
    func relationalOverTheNetwork(_ backend: TestBackend) async throws {
        try await Self.withServer(backend) { scu, port in
            let proposals = [UID.studyRootQueryRetrieveInformationModelFind, .patientRootQueryRetrieveInformationModelFind].map {
                SOPClassExtendedNegotiation(sopClassUID: $0, serviceClassApplicationInformation: Self.bytes([1]))
            }
            let association = try await scu.associate(
                host: "127.0.0.1", port: port, calledAETitle: "QRSCP", extendedNegotiation: proposals, logger: ArchiveFixtures.logger)
            let answers = association.acceptance.userInformation.sopClassExtendedNegotiations
            #expect(answers.count == 2)
            #expect(answers.allSatisfy { Array($0.serviceClassApplicationInformation.readableBytesView) == [1] })

            // SERIES level by modality, across studies and patients.
            let mr = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.series, [
                (.modality, .CS, "MR"), (.seriesInstanceUID, .UI, ""),
            ])))
            #expect(mr.last?.status == .success)
            #expect(Self.found(mr, .seriesInstanceUID) == ["\(Self.s2).1", "\(Self.s3).1"])

            // IMAGE level by a patient key and a study key, two levels up.
            let images = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.image, [
                (.patientName, .PN, "smith*"), (.studyDate, .DA, "20240101-"), (.sopInstanceUID, .UI, ""),
            ])))
            #expect(Self.found(images, .sopInstanceUID) == ["\(Self.s1).1.1", "\(Self.s1).1.2", "\(Self.s1).2.1"])

            // Patient Root STUDY level without the Patient ID.
            let studies = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.accessionNumber, .SH, "ACC_3"), (.studyInstanceUID, .UI, ""),
            ]), model: .patientRoot))
            #expect(Self.found(studies, .studyInstanceUID) == [Self.s3])
            try await association.release()
        }
    }
}
