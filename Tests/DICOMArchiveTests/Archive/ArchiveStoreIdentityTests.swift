@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing

/// A C-STORE whose data set names another SOP class or instance than its request is refused
/// with A900H (Data Set does not match SOP Class, PS3.4 B.2.3) by qrscp, as by storescp, over
/// a real socket; nothing of it is kept.
@Suite("qrscp C-STORE: a data set that is not the request's instance")
struct ArchiveStoreIdentityTests {
    static let uid = "1.2.826.0.1.3680043.10.549.1.1.1"

    /// The status qrscp answers a CT C-STORE for `uid` whose data set is `instance`'s.
    static func store(_ backend: TestBackend, _ instance: ArchiveFixtures.Instance) async throws -> (DIMSEStatus, TestArchive) {
        let test = try await TestArchive.make(backend)
        let server = try await ArchiveFixtures.startQRSCP(test.archive)
        defer { Task { await server.shutdown() } }
        var scu = ArchiveEndToEndTests.entity("TEST-SCU")
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", logger: ArchiveFixtures.logger)
        let bytes = try DataSetWriter.encode(ArchiveFixtures.dataSet(instance), transferSyntax: .explicitVRLittleEndian)
        let response = try await association.store(
            encodedDataSet: bytes, sopClassUID: .ctImageStorage, sopInstanceUID: UID(uid), transferSyntax: .explicitVRLittleEndian)
        try await association.release()
        return (response.status, test)
    }

    /// Stores `instance` as ``store(_:_:)`` does and checks it is refused with A900H, leaving
    /// nothing in the index or in `incoming/`.
    static func expectRefused(_ backend: TestBackend, _ instance: ArchiveFixtures.Instance) async throws {
        let (status, test) = try await store(backend, instance)
        defer { Task { await test.close() } }
        #expect(status == .dataSetDoesNotMatchSOPClass)
        try await test.archive.settle()
        #expect(try await test.archive.index.counts().instances == 0)
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("an MR data set sent as a CT instance is refused A900H and not kept", arguments: TestBackend.all)
    func otherSOPClass(_ backend: TestBackend) async throws {
        var instance = ArchiveFixtures.Instance(sopInstanceUID: Self.uid)
        instance.sopClassUID = UID.mrImageStorage.string
        try await Self.expectRefused(backend, instance)
    }

    @Test("a data set of another SOP Instance UID is refused A900H and not kept", arguments: TestBackend.all)
    func otherSOPInstance(_ backend: TestBackend) async throws {
        try await Self.expectRefused(backend, ArchiveFixtures.Instance(sopInstanceUID: Self.uid + "9"))
    }

    @Test("a data set without SOP Instance UID is refused C000H, as DCMTK's storescp answers, and not kept", arguments: TestBackend.all)
    func noSOPInstance(_ backend: TestBackend) async throws {
        let (status, test) = try await Self.store(backend, ArchiveFixtures.Instance(sopInstanceUID: ""))
        defer { Task { await test.close() } }
        #expect(status == .cannotUnderstand)
        try await test.archive.settle()
        #expect(try await test.archive.index.counts().instances == 0)
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("the request's own instance is stored", arguments: TestBackend.all)
    func sameInstance(_ backend: TestBackend) async throws {
        let (status, test) = try await Self.store(backend, ArchiveFixtures.Instance(sopInstanceUID: Self.uid))
        defer { Task { await test.close() } }
        #expect(status == .success)
        #expect(try await test.archive.index.counts().instances == 1)
    }
}
