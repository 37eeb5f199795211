import DICOMCore
import DICOMNetworkCore
import Testing
import TestSupport

@testable import DICOMNetwork

/// A retrieve reads a few sub-operations' files at once, on several threads, and they finish in
/// any order; the sub-operations still go out in the order the handler listed them
/// (``SubOperationSequence``). When a later, smaller file was read first and went first, the
/// retrieve, which waits for its sub-operations in order, sat behind the earlier one: its pending
/// response and its next reads came one sub-operation late.
@Suite("Retrieve sub-operations go out in the order listed")
struct RetrieveOrderTests {
    /// A file of about a megabyte first (read whole before it is sent), then small ones: the
    /// small ones' reads end first.
    static func files(_ study: TestInstances.Study) throws -> [String] {
        let directory = try TestInstances.temporaryDirectory("order-sent")
        return try (1...6).map { number in
            let side = number == 1 ? 700 : 16
            return try TestInstances.write(TestInstances.ct(study, instanceNumber: number, rows: side, columns: side), into: directory)
        }
    }

    /// A store handler that records the SOP Instance UIDs in the order they arrive.
    static func recordingHandler(_ arrivals: Recorder<[String]>) -> StoreHandler {
        StoreHandler(destination: { _ in .discard }, received: { instance in
            arrivals.update { $0.append(instance.request.message.affectedSOPInstanceUID.string) }
            return .success
        })
    }

    static func uids(of files: [String]) throws -> [String] {
        try files.map { try #require(DICOMFile(contentsOf: $0).dataSet.uid(.sopInstanceUID)).string }
    }

    @Test("C-GET: the instances arrive in the order listed, a large one first", arguments: 1...3)
    func get(round: Int) async throws {
        let study = TestInstances.Study()
        let files = try Self.files(study)
        let server = try await QueryRetrieveLoopbackTests.queryRetrieveSCP().startServer(
            host: "127.0.0.1", port: 0, handlers: ServiceHandlers(get: { _ in RetrieveResult(files.map { .file(path: $0) }) }))
        defer { Task { await server.shutdown() } }
        let arrivals = Recorder<[String]>([])
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port, contexts: QueryRetrieveLoopbackTests.getRequestorContexts,
            handlers: ServiceHandlers(store: Self.recordingHandler(arrivals)))
        var final: QueryResponse?
        for try await response in association.get(QueryRetrieveLoopbackTests.studyQuery(study)) { final = response }
        try await association.release()
        #expect(final?.status == .success)
        #expect(arrivals.value == (try Self.uids(of: files)))
    }

    @Test("C-MOVE: the instances arrive at the destination in the order listed, a large one first", arguments: 1...3)
    func move(round: Int) async throws {
        let study = TestInstances.Study()
        let files = try Self.files(study)
        let arrivals = Recorder<[String]>([])
        var destinationAE = try Entities.scp("DEST")
        try destinationAE.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let destination = try await destinationAE.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: Self.recordingHandler(arrivals)))
        defer { Task { await destination.shutdown() } }
        let server = try await QueryRetrieveLoopbackTests.queryRetrieveSCP().startServer(
            host: "127.0.0.1", port: 0,
            handlers: ServiceHandlers(
                move: { _ in RetrieveResult(files.map { .file(path: $0) }) },
                moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: destination.port)]))
        defer { Task { await server.shutdown() } }
        let association = try await QueryRetrieveLoopbackTests.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        var final: QueryResponse?
        for try await response in association.move(QueryRetrieveLoopbackTests.studyQuery(study), to: "DEST") { final = response }
        try await association.release()
        #expect(final?.status == .success)
        #expect(arrivals.value == (try Self.uids(of: files)))
    }
}
