import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing

/// The DIMSE timeout (PS3.7 §9.1.1.1) of our requests, ours ↔ ours on loopback: one timer per
/// association serves every wait (``ResponseDeadlines``), so these check that it expires the
/// wait that is late, and only that one.
@Suite("DIMSE timeouts on loopback, ours ↔ ours")
struct DIMSETimeoutTests {
    @Test("C-ECHOs kept up for several timeout periods never time out; the first late answer after them does")
    func busyAssociationTimesOutOnlyWhenLate() async throws {
        // The echo handler answers at once until told to be late.
        let late = Recorder(false)
        let handlers = ServiceHandlers(echo: { _ in
            if late.value { try? await Task.sleep(for: .seconds(3)) }
            return .success
        })
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        scu.dimseTimeout = .milliseconds(500)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)
        let clock = ContinuousClock()
        // Four timeout periods: the timer fires while echoes go on, and must expire none.
        let end = clock.now + .seconds(2)
        var echoes = 0
        while clock.now < end {
            #expect(try await association.echo() == .success)
            echoes += 1
        }
        #expect(echoes > 5)
        #expect(association.isEstablished)

        // The timer, rescheduled all along, still ends a wait that is late.
        late.update { $0 = true }
        let started = clock.now
        await #expect { try await association.echo() } throws: { error in
            (error as? AssociationError)?.code == .timedOut
        }
        let waited = clock.now - started
        #expect(waited >= .milliseconds(500) && waited < .seconds(3), "waited \(waited)")
        #expect(!association.isEstablished)
    }

    @Test("a C-FIND whose SCP goes silent after a match times out after the DIMSE timeout, and is aborted")
    func silentFindTimesOut() async throws {
        let handlers = ServiceHandlers(find: { _ in
            AsyncThrowingStream { continuation in
                continuation.yield(QueryRetrieveLoopbackTests.match(1))
                // Then nothing for longer than the SCU waits.
                Task {
                    try? await Task.sleep(for: .seconds(3))
                    continuation.finish()
                }
            }
        })
        let server = try await QueryRetrieveLoopbackTests.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        var scu = try QueryRetrieveLoopbackTests.queryRetrieveSCU()
        scu.dimseTimeout = .milliseconds(500)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)

        var statuses: [DIMSEStatus] = []
        let started = ContinuousClock.now
        await #expect {
            for try await response in association.find(QueryRetrieveLoopbackTests.studyQuery(TestInstances.Study())) {
                statuses.append(response.status)
            }
        } throws: { error in
            (error as? AssociationError)?.code == .timedOut
        }
        let waited = ContinuousClock.now - started
        // The match came in time; the final response did not.
        #expect(statuses == [.pending])
        #expect(waited >= .milliseconds(500) && waited < .seconds(3), "waited \(waited)")
        #expect(!association.isEstablished)
    }
}
