import DICOMCore
import DICOMNetworkCore
import Testing
import TestSupport

@testable import DICOMNetwork

/// A retrieve reads a few sub-operations' files ahead of their turn. After a C-CANCEL those must
/// not go out: only the sub-operation on the wire when it came finishes (PS3.4 C.4.2.3.1,
/// C.4.3.3.1), and the others stay remaining in the final Cancel response.
///
/// The receiver sends the C-CANCEL as the first C-STORE arrives, and holds that C-STORE a while:
/// the retrieve has the next ones read and waiting for the operations window then, whatever the
/// timing of its pending responses.
@Suite("C-CANCEL of a retrieve: sub-operations read ahead are not sent")
struct RetrieveCancelReadAheadTests {
    static let count = 8
    static let hold = Duration.milliseconds(500)

    /// A store handler that calls `cancel` with the C-STORE's Move Originator Message ID (nil
    /// under a C-GET) when the first one arrives, then holds each `hold`.
    static func cancellingStoreHandler(_ gauge: ConcurrencyGauge, cancel: @escaping @Sendable (UInt16?) async -> Void) -> StoreHandler {
        let first = Recorder(true)
        return StoreHandler(destination: { _ in .discard }, received: { instance in
            gauge.enter()
            defer { gauge.leave() }
            var isFirst = false
            first.update { isFirst = $0; $0 = false }
            if isFirst { await cancel(instance.request.message.moveOriginatorMessageID) }
            try? await Task.sleep(for: hold)
            return .success
        })
    }

    @Test("C-MOVE to a destination without an operations window, cancelled as the 1st C-STORE arrives → 1 completed, 7 remaining, 1 received")
    func move() async throws {
        let study = TestInstances.Study()
        let files = try TestInstances.files(Self.count, study: study)
        let gauge = ConcurrencyGauge()
        let requestor = Recorder<Association?>(nil)
        let cancelled = Recorder<UInt16?>(nil)
        var destinationAE = try Entities.scp("DEST")
        try destinationAE.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let destination = try await destinationAE.startServer(
            host: "127.0.0.1", port: 0,
            handlers: ServiceHandlers(store: Self.cancellingStoreHandler(gauge) { id in
                guard let id, let association = requestor.value else { return }
                cancelled.update { $0 = id }
                _ = try? await association.cancel(messageID: id)
            }))
        defer { Task { await destination.shutdown() } }
        let handlers = ServiceHandlers(
            move: { _ in RetrieveResult(files.map { .file(path: $0) }) },
            moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: destination.port)])
        let server = try await QueryRetrieveLoopbackTests.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await QueryRetrieveLoopbackTests.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        requestor.update { $0 = association }

        var responses: [QueryResponse] = []
        for try await response in association.move(QueryRetrieveLoopbackTests.studyQuery(study), to: "DEST") { responses.append(response) }
        let final = try #require(responses.last)
        #expect(cancelled.value != nil && final.messageIDBeingRespondedTo == cancelled.value, "the C-CANCEL named the C-MOVE")
        #expect(final.status == .cancel)
        #expect(final.completed == 1)
        #expect(final.remaining == Self.count - 1)
        #expect(gauge.total == 1, "C-STOREs that reached the destination")
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("C-GET without an operations window, cancelled as the 1st C-STORE arrives → 1 completed, 7 remaining, 1 received")
    func get() async throws {
        let study = TestInstances.Study()
        let files = try TestInstances.files(Self.count, study: study)
        let handlers = ServiceHandlers(get: { _ in RetrieveResult(files.map { .file(path: $0) }) })
        let server = try await QueryRetrieveLoopbackTests.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let gauge = ConcurrencyGauge()
        let requestor = Recorder<Association?>(nil)
        // The C-GET is the association's first message: ID 1 (checked against the final response).
        let getMessageID: UInt16 = 1
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port, contexts: QueryRetrieveLoopbackTests.getRequestorContexts,
            handlers: ServiceHandlers(store: Self.cancellingStoreHandler(gauge) { _ in
                _ = try? await requestor.value?.cancel(messageID: getMessageID)
            }))
        requestor.update { $0 = association }

        var responses: [QueryResponse] = []
        for try await response in association.get(QueryRetrieveLoopbackTests.studyQuery(study)) { responses.append(response) }
        let final = try #require(responses.last)
        #expect(final.messageIDBeingRespondedTo == getMessageID, "the C-CANCEL named the C-GET")
        #expect(final.status == .cancel)
        #expect(final.completed == 1)
        #expect(final.remaining == Self.count - 1)
        #expect(gauge.total == 1, "C-STOREs received")
        #expect(association.isEstablished)
        try await association.release()
    }
}
