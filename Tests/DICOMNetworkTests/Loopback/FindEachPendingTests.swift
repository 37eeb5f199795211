import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// ``Association/find(_:model:priority:eachPending:)``: a C-FIND's pending responses handed to
/// a closure on the caller's task, the final one returned, over real sockets on loopback.
@Suite("C-FIND with a closure per pending response, ours ↔ ours")
struct FindEachPendingTests {
    typealias Loopback = QueryRetrieveLoopbackTests

    struct Stop: Error {}

    @Test("500 matches reach the closure whole and in order, the final success is returned, and the next C-FIND on the association works")
    func everyMatchInOrder() async throws {
        let handlers = ServiceHandlers(find: { _ in Loopback.matches(500) })
        let server = try await Loopback.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let query = Loopback.studyQuery(TestInstances.Study())
        for _ in 1...2 {
            var names: [String] = []
            var statuses: [DIMSEStatus] = []
            let final = try await association.find(query) { response in
                statuses.append(response.status)
                names.append(response.identifier?.string(.patientName) ?? "")
            }
            #expect(final.status == .success)
            #expect(final.identifier == nil)
            #expect(Set(statuses) == [.pending])
            #expect(names == (1...500).map { "PATIENT^\($0)" })
        }
        try await association.release()
    }

    @Test("a closure that throws after two matches: C-CANCEL goes, the SCP's handler is cancelled, the error is thrown, the association goes on")
    func throwingClosureCancels() async throws {
        let handlerCancelled = Recorder(false)
        let calls = Recorder(0)
        let handlers = ServiceHandlers(find: { _ in
            calls.update { $0 += 1 }
            guard calls.value == 1 else { return Loopback.matches(1) }
            return Loopback.slowMatches(cancelled: handlerCancelled)
        })
        let server = try await Loopback.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let serverEvents = EventLog(server.events)
        let association = try await Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let query = Loopback.studyQuery(TestInstances.Study())

        var seen = 0
        await #expect(throws: Stop.self) {
            _ = try await association.find(query) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2, "no match is handed over after the closure threw")
        #expect(await eventually { handlerCancelled.value }, "the SCP's handler was not cancelled")
        #expect(await eventually { serverEvents.received("C-CANCEL-RQ") == 1 }, "the server saw no C-CANCEL")
        // The final response was read before the error was thrown: the message ID is free and the
        // next C-FIND is not confused by the cancelled one.
        #expect(try await association.echo() == .success)
        var next = 0
        let final = try await association.find(query) { _ in next += 1 }
        #expect(final.status == .success)
        #expect(next == 1)
        try await association.release()
    }

    @Test("cancel(messageID:) from the closure: the responses go on to the final Cancel (FE00H), which is returned")
    func cancelFromTheClosure() async throws {
        let handlerCancelled = Recorder(false)
        let handlers = ServiceHandlers(find: { _ in Loopback.slowMatches(cancelled: handlerCancelled) })
        let server = try await Loopback.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let serverEvents = EventLog(server.events)
        let association = try await Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)

        var pending = 0
        var messageID: UInt16?
        let final = try await association.find(Loopback.studyQuery(TestInstances.Study())) { response in
            pending += 1
            if pending == 2, let id = response.messageIDBeingRespondedTo {
                messageID = id
                let sent = try await association.cancel(messageID: id)
                #expect(sent)
            }
        }
        #expect(final.status == .cancel)
        #expect(pending >= 2 && pending < 10, "\(pending) pending responses")
        #expect(await eventually { handlerCancelled.value }, "the SCP's handler was not cancelled")
        #expect(await eventually { serverEvents.received("C-CANCEL-RQ") == 1 }, "the server saw no C-CANCEL")
        let id = try #require(messageID)
        #expect(try await association.cancel(messageID: id) == false, "the C-FIND is over: nothing to cancel")
        try await association.release()
    }

    @Test("a context the peer did not accept throws noAcceptedContext, sending nothing")
    func noAcceptedContext() async throws {
        let server = try await Loopback.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(find: { _ in Loopback.matches(1) }))
        defer { Task { await server.shutdown() } }
        let association = try await Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        do {
            _ = try await association.find(Loopback.studyQuery(TestInstances.Study()), model: .patientRoot) { _ in }
            Issue.record("a C-FIND on a model without an accepted context went")
        } catch let error as AssociationError {
            #expect(error.code == .noAcceptedContext)
        }
        #expect(try await association.echo() == .success)
        try await association.release()
    }
}
