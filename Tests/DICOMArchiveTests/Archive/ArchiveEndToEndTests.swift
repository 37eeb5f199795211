@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging
import NIOCore
import Testing

/// The archive on the network, ours ↔ ours on loopback: an in-process qrscp (``ArchiveService``
/// on an `AssociationServer`) receives three instances from our C-STORE SCU, finds them, sends
/// them back by C-GET, and by C-MOVE to a second in-process Storage SCP.
@Suite("qrscp end to end on loopback")
struct ArchiveEndToEndTests {
    static let study = "1.2.826.0.1.3680043.10.544.1"

    static func entity(_ aeTitle: String) -> ApplicationEntity {
        var entity = ApplicationEntity(aeTitle: aeTitle)
        entity.acseTimeout = .seconds(10)
        entity.dimseTimeout = .seconds(10)
        entity.networkTimeout = .seconds(20)
        return entity
    }

    static func collect(_ responses: AsyncThrowingStream<QueryResponse, any Error>) async throws -> [QueryResponse] {
        var collected: [QueryResponse] = []
        for try await response in responses { collected.append(response) }
        return collected
    }

    /// The data set part of a Part 10 file: what must arrive unchanged.
    static func dataSetBytes(_ path: String) throws -> ByteBuffer {
        let file = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try DICOMFile.readHeader(file)
        return file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset)!
    }

    /// The files under `directory` by SOP Instance UID.
    static func received(in directory: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".dcm") {
            let path = "\(directory)/\(name)"
            if let uid = try DICOMFile(contentsOf: path).dataSet.uid(.sopInstanceUID)?.string { result[uid] = path }
        }
        return result
    }

    @Test("store three instances, find them, C-GET them back and C-MOVE them to another AE", arguments: TestBackend.all)
    func storeFindGetMove(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let logger = ArchiveFixtures.logger

        // The C-MOVE destination: a plain Storage SCP writing files.
        let movedDirectory = try ArchiveFixtures.temporaryDirectory("moved")
        var destinationAE = Self.entity("MOVE-DEST")
        try destinationAE.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let destination = try await destinationAE.startServer(
            host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(movedDirectory)), logger: logger)
        defer { Task { await destination.shutdown() } }

        // The archive.
        var scp = Self.entity("QRSCP")
        try ArchiveService.addSupportedContexts(to: &scp)
        let service = ArchiveService(
            archive: test.archive, aeTitle: "QRSCP",
            moveDestinations: ["MOVE-DEST": MoveDestination(host: "127.0.0.1", port: destination.port)], logger: logger)
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: service.handlers, logger: logger)
        defer { Task { await server.shutdown() } }

        // Three instances, two series.
        let sourceDirectory = try ArchiveFixtures.temporaryDirectory("sent")
        var sent: [String: String] = [:]
        for (series, number) in [(1, 1), (1, 2), (2, 1)] {
            var instance = ArchiveFixtures.Instance()
            instance.patientID = "E2E"
            instance.studyUID = Self.study
            instance.seriesUID = "\(Self.study).\(series)"
            instance.sopInstanceUID = "\(Self.study).\(series).\(number)"
            instance.instanceNumber = String(number)
            instance.pixelCount = 4096 * number
            sent[instance.sopInstanceUID] = try ArchiveFixtures.write(instance, into: sourceDirectory)
        }

        var scu = Self.entity("TEST-SCU")
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        try scu.addRequestedContext(.studyRootQueryRetrieveInformationModelFind)
        try scu.addRequestedContext(.studyRootQueryRetrieveInformationModelMove)
        try scu.addRequestedContext(.patientRootQueryRetrieveInformationModelFind)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", logger: logger)
        for path in sent.values.sorted() {
            #expect(try await association.store(fileAt: path).status == .success)
        }

        // C-FIND at the study and image levels, and at the patient level of Patient Root.
        let studies = try await Self.collect(association.find(ArchiveFixtures.identifier(.study, [
            (.patientID, .LO, "E2E"), (.studyInstanceUID, .UI, ""), (.numberOfStudyRelatedInstances, .IS, ""),
            (.modalitiesInStudy, .CS, ""), (.retrieveAETitle, .AE, ""),
        ]), model: .studyRoot))
        #expect(studies.map(\.status) == [.pending, .success])
        let match = try #require(studies.first?.identifier)
        #expect(match.string(.studyInstanceUID) == Self.study)
        #expect(match.integer(.numberOfStudyRelatedInstances) == 3)
        #expect(match.string(.retrieveAETitle) == "QRSCP")
        let images = try await Self.collect(association.find(ArchiveFixtures.identifier(.image, [
            (.studyInstanceUID, .UI, Self.study), (.seriesInstanceUID, .UI, "\(Self.study).1"), (.sopInstanceUID, .UI, ""),
        ]), model: .studyRoot))
        #expect(images.compactMap { $0.identifier?.string(.sopInstanceUID) }.sorted() == ["\(Self.study).1.1", "\(Self.study).1.2"])
        let patients = try await Self.collect(association.find(ArchiveFixtures.identifier(.patient, [
            (.patientID, .LO, "E2E"), (.numberOfPatientRelatedInstances, .IS, ""),
        ]), model: .patientRoot))
        #expect(patients.first?.identifier?.integer(.numberOfPatientRelatedInstances) == 3)
        // The Retrieve AE Title comes in every response, asked for or not (PS3.4 C.4.1.1.3.2):
        // from the index's rows (patient level) and from the files' data sets (image level).
        #expect(patients.compactMap { $0.identifier?.string(.retrieveAETitle) } == ["QRSCP"])
        #expect(images.compactMap { $0.identifier?.string(.retrieveAETitle) } == ["QRSCP", "QRSCP"])
        let wrongLevel = try await Self.collect(association.find(ArchiveFixtures.identifier(.patient, [(.patientID, .LO, "")]), model: .studyRoot))
        #expect(wrongLevel.last?.status == .identifierDoesNotMatchSOPClass, "Study Root has no PATIENT level")

        // C-MOVE of the study to MOVE-DEST.
        let moved = try await Self.collect(association.move(ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, Self.study)]), to: "MOVE-DEST"))
        #expect(moved.last?.status == .success)
        #expect(moved.last?.completed == 3)
        let unknown = try await Self.collect(association.move(ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, Self.study)]), to: "NOBODY"))
        #expect(unknown.last?.status == .moveDestinationUnknown)
        try await association.release()
        let movedFiles = try Self.received(in: movedDirectory)
        #expect(movedFiles.keys.sorted() == sent.keys.sorted())
        for (uid, path) in movedFiles {
            #expect(try Self.dataSetBytes(path) == Self.dataSetBytes(try #require(sent[uid])), "moved \(uid)")
        }

        // C-GET of one series, on an association proposing the SCP role for CT storage.
        let gotDirectory = try ArchiveFixtures.temporaryDirectory("got")
        let getter = Self.entity("GET-SCU")
        let getAssociation = try await getter.associate(
            host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP",
            contexts: [
                PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelGet, transferSyntaxes: [.explicitVRLittleEndian]),
                PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: false, scpRole: true),
            ],
            handlers: ServiceHandlers(store: .directory(gotDirectory)), logger: logger)
        let got = try await Self.collect(getAssociation.get(ArchiveFixtures.identifier(.series, [
            (.studyInstanceUID, .UI, Self.study), (.seriesInstanceUID, .UI, "\(Self.study).1"),
        ])))
        #expect(got.last?.status == .success)
        #expect(got.last?.completed == 2)
        let everything = try await Self.collect(getAssociation.get(ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, "")])))
        #expect(everything.last?.status == .identifierDoesNotMatchSOPClass, "a retrieve without its unique key is refused")
        try await getAssociation.release()
        let gotFiles = try Self.received(in: gotDirectory)
        #expect(gotFiles.keys.sorted() == ["\(Self.study).1.1", "\(Self.study).1.2"])
        for (uid, path) in gotFiles {
            #expect(try Self.dataSetBytes(path) == Self.dataSetBytes(try #require(sent[uid])), "got \(uid)")
        }
    }

    @Test("an instance whose Study or SOP Instance UID is no UID is refused with C000H over the network")
    func unsafeUIDsOverTheNetwork() async throws {
        let test = try await TestArchive.make(.sqlite)
        defer { Task { await test.close() } }
        let server = try await ArchiveFixtures.startQRSCP(test.archive)
        defer { Task { await server.shutdown() } }
        var scu = Self.entity("TEST-SCU")
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", logger: ArchiveFixtures.logger)

        var badStudy = ArchiveFixtures.Instance()
        badStudy.studyUID = "../../../tmp/evil"
        #expect(try await association.store(ArchiveFixtures.dataSet(badStudy)).status == .cannotUnderstand)
        var badInstance = ArchiveFixtures.Instance()
        badInstance.sopInstanceUID = "1.2/../../x"
        #expect(try await association.store(ArchiveFixtures.dataSet(badInstance)).status == .cannotUnderstand)
        #expect(try await association.store(ArchiveFixtures.dataSet(ArchiveFixtures.Instance())).status == .success)
        try await association.release()
        #expect(try await test.archive.index.counts().instances == 1)
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }
}

/// Two archive nodes sharing one storage directory and one index behave as one archive.
@Suite("qrscp: two nodes, one archive")
struct ArchiveTwoNodeTests {
    @Test("an instance stored through one node is found and retrieved through the other", arguments: TestBackend.all)
    func twoNodes(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let logger = ArchiveFixtures.logger
        let second = try await Archive.open(storage: test.root, database: test.archive.index.database, logger: logger)
        defer { Task { try? await second.close() } }

        var servers: [AssociationServer] = []
        for (title, archive) in [("NODE-A", test.archive), ("NODE-B", second)] {
            var entity = ArchiveEndToEndTests.entity(title)
            try ArchiveService.addSupportedContexts(to: &entity)
            let service = ArchiveService(archive: archive, aeTitle: title, logger: logger)
            servers.append(try await entity.startServer(host: "127.0.0.1", port: 0, handlers: service.handlers, logger: logger))
        }
        defer { for server in servers { Task { await server.shutdown() } } }

        var scu = ArchiveEndToEndTests.entity("TEST-SCU")
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        try scu.addRequestedContext(.studyRootQueryRetrieveInformationModelFind)
        let first = try await scu.associate(host: "127.0.0.1", port: servers[0].port, calledAETitle: "NODE-A", logger: logger)
        #expect(try await first.store(ArchiveFixtures.dataSet(ArchiveFixtures.Instance())).status == .success)
        try await first.release()
        // On SQLite a node answers before its rows commit (they may linger in its writer's
        // transaction for milliseconds), and only its own searches wait for them: another node
        // sees them once committed. On PostgreSQL, the nodes' index, the answer follows the commit.
        if backend == .sqlite { await test.archive.awaitAcknowledgedInstances() }

        let other = try await scu.associate(host: "127.0.0.1", port: servers[1].port, calledAETitle: "NODE-B", logger: logger)
        let found = try await ArchiveEndToEndTests.collect(other.find(ArchiveFixtures.identifier(.image, [
            (.studyInstanceUID, .UI, ArchiveFixtures.Instance().studyUID), (.seriesInstanceUID, .UI, ArchiveFixtures.Instance().seriesUID),
            (.sopInstanceUID, .UI, ""),
        ])))
        try await other.release()
        #expect(found.compactMap { $0.identifier?.string(.sopInstanceUID) } == [ArchiveFixtures.Instance().sopInstanceUID])

        let gotDirectory = try ArchiveFixtures.temporaryDirectory("got")
        let getter = try await ArchiveEndToEndTests.entity("GET-SCU").associate(
            host: "127.0.0.1", port: servers[1].port, calledAETitle: "NODE-B",
            contexts: [
                PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelGet, transferSyntaxes: [.explicitVRLittleEndian]),
                PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: false, scpRole: true),
            ],
            handlers: ServiceHandlers(store: .directory(gotDirectory)), logger: logger)
        let got = try await ArchiveEndToEndTests.collect(getter.get(ArchiveFixtures.identifier(.image, [
            (.sopInstanceUID, .UI, ArchiveFixtures.Instance().sopInstanceUID),
        ])))
        try await getter.release()
        #expect(got.last?.status == .success && got.last?.completed == 1)
    }
}
