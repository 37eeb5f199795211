@testable import DICOMArchive
import Foundation
import Synchronization
import Testing

/// The SQLite index's one writer: jobs nobody waits for keep the transaction open for the jobs
/// that follow (a sender storing one instance at a time shares commits); a job someone waits
/// for commits at once.
@Suite("SQLite writer: group commit, lingering for jobs nobody waits for")
struct SQLiteWriterTests {
    /// A writer whose transactions of jobs nobody waits for stay open far longer than any test
    /// takes: only a job someone waits for, or closing, commits them.
    static func writer(path: String? = nil) throws -> SQLiteWriter {
        try SQLiteWriter(path: path ?? ArchiveFixtures.temporaryDirectory("writer") + "/index.sqlite", lingerDelay: .seconds(600), lingerBound: .seconds(600))
    }

    /// Well under the linger delay, and well over what a test takes on a loaded machine.
    static let promptly: Duration = .seconds(60)

    /// What the jobs did, in order.
    final class Events: Sendable {
        private let list = Mutex<[String]>([])
        func append(_ event: String) { list.withLock { $0.append(event) } }
        var all: [String] { list.withLock { $0 } }
    }

    /// Submits a job that notes its steps in `events` under `name`; `then` runs once it is read.
    /// Submits a prompt job inserting `name` and returns once the writer has read it.
    static func submitAndAwaitRead(_ name: String, to writer: SQLiteWriter, _ events: Events) async {
        await withCheckedContinuation { (read: CheckedContinuation<Void, Never>) in
            submit(name, to: writer, events, then: { read.resume() })
        }
    }

    static func submit(
        _ name: String, to writer: SQLiteWriter, _ events: Events, promptly: Bool = true,
        then: @escaping @Sendable () -> Void = {}, completion: @escaping @Sendable () -> Void = {}
    ) {
        writer.submit(preparing: { events.append("read \(name)") }, prepared: { _ in then() }, promptly: promptly, { (connection: SQLiteWriterConnection, _: Void) in
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
        _ = try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        await withCheckedContinuation { (read: CheckedContinuation<Void, Never>) in
            Self.submit("A", to: writer, events, then: {
                // A's transaction has not begun yet: without lingering it would commit alone.
                Self.submit("B", to: writer, events, then: { read.resume() })
            })
        }
        let clock = ContinuousClock()
        let start = clock.now
        await writer.awaitSubmitted()
        #expect(clock.now - start < Self.promptly, "a reader's wait commits the lingering transaction")
        #expect(events.all == ["read A", "read B", "committed A", "committed B"])
        #expect(try await writer.write { connection in try connection.execute("SELECT name FROM t").count } == 2)
        try await writer.close()
    }

    @Test("a job someone waits for commits at once, with the lingering jobs before it")
    func awaitedCommitsAtOnce() async throws {
        let writer = try Self.writer()
        _ = try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        Self.submit("A", to: writer, events)
        let clock = ContinuousClock()
        let start = clock.now
        for number in 0..<20 {
            _ = try await writer.write { connection in try connection.execute("INSERT INTO t VALUES (?)", [.text("\(number)")]) }
        }
        #expect(clock.now - start < Self.promptly)
        #expect(events.all == ["read A", "committed A"], "committed with the first write")
        try await writer.close()
    }

    @Test("a job nobody waits for does not wake a lingering transaction; one whose reading someone waits for does, and takes it along")
    func onlyPromptJobsWake() async throws {
        let writer = try Self.writer()
        _ = try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        await Self.submitAndAwaitRead("A", to: writer, events)
        let clock = ContinuousClock()
        let start = clock.now
        while !writer.isLingering, clock.now - start < Self.promptly { try await Task.sleep(for: .milliseconds(1)) }
        #expect(writer.isLingering)
        Self.submit("B", to: writer, events, promptly: false)
        // Woken, the thread would read B at once; it waits out the (long) linger delay instead.
        try await Task.sleep(for: .milliseconds(300))
        #expect(events.all == ["read A"])
        await Self.submitAndAwaitRead("C", to: writer, events)
        #expect(clock.now - start < Self.promptly)
        #expect(events.all == ["read A", "read B", "read C"])
        await writer.awaitSubmitted()
        #expect(events.all == ["read A", "read B", "read C", "committed A", "committed B", "committed C"])
        try await writer.close()
    }

    @Test("closing commits a lingering transaction at once")
    func closeCommitsLingering() async throws {
        let path = try ArchiveFixtures.temporaryDirectory("writer") + "/index.sqlite"
        let writer = try Self.writer(path: path)
        _ = try await writer.write { connection in try connection.execute("CREATE TABLE t (name TEXT)") }
        let events = Events()
        await Self.submitAndAwaitRead("A", to: writer, events)
        let clock = ContinuousClock()
        let start = clock.now
        try await writer.close()
        #expect(clock.now - start < Self.promptly)
        #expect(events.all == ["read A", "committed A"])
        let reopened = try Self.writer(path: path)
        #expect(try await reopened.write { connection in try connection.execute("SELECT name FROM t").count } == 1)
        try await reopened.close()
    }
}
