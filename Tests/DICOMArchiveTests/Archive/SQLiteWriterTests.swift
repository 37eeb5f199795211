@testable import DICOMArchive
import Foundation
import Synchronization
import Testing

/// The SQLite index's one writer: jobs nobody waits for keep the transaction open for the jobs
/// that follow (a sender storing one instance at a time shares commits); a job someone waits
/// for commits at once.
@Suite("SQLite writer: group commit, lingering for jobs nobody waits for")
struct SQLiteWriterTests {
    static func writer() throws -> SQLiteWriter {
        try SQLiteWriter(path: ArchiveFixtures.temporaryDirectory("writer") + "/index.sqlite")
    }

    /// What the jobs did, in order.
    final class Events: Sendable {
        private let list = Mutex<[String]>([])
        func append(_ event: String) { list.withLock { $0.append(event) } }
        var all: [String] { list.withLock { $0 } }
    }

    /// Submits a job that notes its steps in `events` under `name`; `then` runs once it is read.
    static func submit(_ name: String, to writer: SQLiteWriter, _ events: Events, then: @escaping @Sendable () -> Void = {}, completion: @escaping @Sendable () -> Void = {}) {
        writer.submit(preparing: { events.append("read \(name)") }, prepared: { _ in then() }, { (connection: SQLiteWriterConnection, _: Void) in
            try connection.execute("INSERT INTO t VALUES (?)", [.text(name)])
        }, completion: { result in
            let event = switch result {
            case .success: "committed \(name)"
            case .failure: "failed \(name)"
            }
            events.append(event)
            completion()
        })
    }

    @Test("a job that comes while the transaction of one nobody waits for is open joins it: one commit for both")
    func lingers() async throws {
        let writer = try Self.writer()
        try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.submit("A", to: writer, events, then: {
                // A's transaction has not begun yet: without lingering it would commit alone.
                Self.submit("B", to: writer, events, completion: { done.resume() })
            })
        }
        #expect(events.all == ["read A", "read B", "committed A", "committed B"])
        #expect(try await writer.write { connection in try connection.execute("SELECT name FROM t").count } == 2)
        try await writer.close()
    }

    @Test("a job someone waits for commits at once, with the lingering jobs before it")
    func awaitedCommitsAtOnce() async throws {
        let writer = try Self.writer()
        try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        Self.submit("A", to: writer, events)
        await writer.awaitSubmitted()
        #expect(events.all == ["read A", "committed A"], "committed by the time the reader's wait returns")

        // Were awaited jobs to linger, these would take 50 × 5 ms at least.
        let clock = ContinuousClock()
        let start = clock.now
        for number in 0..<50 {
            try await writer.write { connection in try connection.execute("INSERT INTO t VALUES (?)", [.text("\(number)")]) }
        }
        #expect(clock.now - start < .milliseconds(50 * 5), "\(clock.now - start)")
        try await writer.close()
    }

    @Test("closing waits for a lingering transaction and commits it")
    func closeCommitsLingering() async throws {
        let path = try ArchiveFixtures.temporaryDirectory("writer") + "/index.sqlite"
        let writer = try SQLiteWriter(path: path)
        try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        Self.submit("A", to: writer, events)
        try await writer.close()
        #expect(events.all == ["read A", "committed A"])
        let reopened = try SQLiteWriter(path: path)
        #expect(try await reopened.write { connection in try connection.execute("SELECT name FROM t").count } == 1)
        try await reopened.close()
    }
}
