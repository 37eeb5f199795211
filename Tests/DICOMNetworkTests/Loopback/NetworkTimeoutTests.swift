import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing
import TestSupport

/// The network timeout aborts an association whose peer has gone silent, but not one whose peer
/// waits, silent by design, for an operation it asked for: a C-MOVE to a slow destination, a
/// C-FIND over a large index.
@Suite("Network timeout on loopback, ours ↔ ours")
struct NetworkTimeoutTests {
    typealias Loopback = QueryRetrieveLoopbackTests

    static func scp() throws -> ApplicationEntity {
        var entity = try Loopback.queryRetrieveSCP()
        entity.networkTimeout = .milliseconds(400)
        return entity
    }

    @Test("a requestor silent for longer than the acceptor's network timeout is aborted")
    func silentPeerIsAborted() async throws {
        let server = try await Self.scp().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers())
        defer { Task { await server.shutdown() } }
        let association = try await Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        #expect(await association.ended(within: .seconds(5)))
    }

    @Test("a C-FIND whose handler takes four network timeouts is answered; once it is, silence aborts again")
    func operationInProgressHoldsTheTimeout() async throws {
        let handlers = ServiceHandlers(find: { _ in
            try await Task.sleep(for: .milliseconds(1600))
            return Loopback.matches(1)
        })
        let server = try await Self.scp().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        var statuses: [DIMSEStatus] = []
        let final = try await association.find(Loopback.studyQuery(TestInstances.Study())) { statuses.append($0.status) }
        #expect(statuses == [.pending])
        #expect(final.status == .success)
        #expect(association.isEstablished)
        #expect(await association.ended(within: .seconds(5)))
    }
}
