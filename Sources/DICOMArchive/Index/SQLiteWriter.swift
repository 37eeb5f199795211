import Dispatch
import NIOPosix
import Synchronization

/// The one writer of an SQLite index: a thread of its own with a raw connection
/// (``SQLiteWriterConnection``), and group commit. Jobs queue up; the thread takes every job
/// waiting, runs each in a savepoint of one transaction, commits once, and only then answers
/// each job. Concurrent stores (an operations window, several associations) thus share one
/// commit, and none is answered before its rows are committed. Commits do not fsync
/// (synchronous = NORMAL): ``makeDurable()`` does, for many at once, when ``IncomingJournal``
/// settles a batch; until then the instances are recoverable from `incoming/`.
///
/// Jobs nobody waits for (``submit(preparing:prepared:promptly:_:completion:)``: stores
/// acknowledged once read, one at a time from a sender that waits for each answer) keep the
/// transaction open for up to ``defaultLingerDelay`` after the last for the jobs that follow (at
/// most ``defaultLingerBound`` in all), so that a series sent one instance at a time shares
/// commits too; a job someone waits for (``write(_:)``, a reader's ``awaitSubmitted()``)
/// commits at once. While the transaction lingers, a job nobody waits for does not wake the
/// thread: it is taken when the linger delay ends, with the others that came meanwhile (one
/// wake-up per batch, not two thread switches per job); a job someone waits for, or whose
/// preparing someone waits for, wakes it.
final class SQLiteWriter: Sendable {
    /// A queued job: `prepare` runs before the batch's transaction begins; `run` runs it in the
    /// transaction and returns how to answer once the batch committed (nil) or failed (the
    /// error); `fail` answers it unrun.
    private struct Job: Sendable {
        var prepare: @Sendable () -> Void
        var run: @Sendable (SQLiteWriterConnection) -> @Sendable ((any Error)?) -> Void
        var fail: @Sendable (any Error) -> Void
        /// Whether someone waits for its commit: the transaction does not linger.
        var awaited: Bool
        /// Whether it wakes a lingering thread: someone waits for its commit or its preparing.
        var wakes: Bool
    }

    /// What a job's `prepare` produced, for its `run`: both run on the writer's thread, one
    /// after the other, never at once.
    private final class Prepared<Value>: @unchecked Sendable {
        var result: Result<Value, any Error>?
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
        var closed = false
        /// The thread waits on ``SQLiteWriter/arrival`` for the next job.
        var lingering = false
        /// When the last job was queued: a lingering transaction waits for more until
        /// ``SQLiteWriter/lingerDelay`` after it, as if each job had woken the thread.
        var lastArrival = DispatchTime.now()
    }

    /// What a queued job asks of the thread.
    private enum QueueStart {
        /// Nothing: the writer is closed.
        case closed
        /// To start draining the queue.
        case drain
        /// To stop lingering and take it.
        case wake
        /// Nothing more: the thread will take it.
        case none
    }

    /// How long an open transaction waits for more jobs when nobody waits for its commit.
    static let defaultLingerDelay = DispatchTimeInterval.milliseconds(5)
    /// The most jobs a lingering transaction takes.
    static let lingerLimit = 256
    /// The longest a lingering transaction stays open, by default.
    static let defaultLingerBound = DispatchTimeInterval.milliseconds(100)

    private let lingerDelay: DispatchTimeInterval
    private let lingerBound: DispatchTimeInterval
    private let thread: NIOThreadPool
    private let connection: SQLiteWriterConnection
    private let queue = Mutex(Queue())
    /// Signalled when a job arrives while the thread lingers.
    private let arrival = DispatchSemaphore(value: 0)

    /// Opens the writer's connection to the SQLite file at `path`.
    ///
    /// - Parameters:
    ///   - lingerDelay: how long a transaction of jobs nobody waits for stays open for the
    ///     next job.
    ///   - lingerBound: how long it stays open at most.
    init(
        path: String, lingerDelay: DispatchTimeInterval = SQLiteWriter.defaultLingerDelay,
        lingerBound: DispatchTimeInterval = SQLiteWriter.defaultLingerBound
    ) throws(ArchiveError) {
        self.lingerDelay = lingerDelay
        self.lingerBound = lingerBound
        connection = try SQLiteWriterConnection(path: path)
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Runs `body` on the writer's thread inside a write transaction, possibly shared with other
    /// jobs, and returns its result once that transaction committed. When `body` throws, its
    /// own changes (and the rollback actions it registered) are undone and the others' kept.
    func write<Output: Sendable>(_ body: @escaping @Sendable (SQLiteWriterConnection) throws -> Output) async throws -> Output {
        try await write(preparing: {}, { connection, _ in try body(connection) })
    }

    /// Runs `prepare` on the writer's thread before the transaction begins (work that needs
    /// none, such as reading the instance to record: done here, it costs no trip to another
    /// thread and back), then `body` with what it returned, as ``write(_:)`` does. When
    /// `prepare` throws, `body` does not run and the error is returned.
    func write<Value, Output: Sendable>(
        preparing prepare: @escaping @Sendable () throws -> Value,
        _ body: @escaping @Sendable (SQLiteWriterConnection, Value) throws -> Output
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            enqueue(preparing: prepare, body, awaited: true, promptly: true) { continuation.resume(with: $0) }
        }
    }

    /// ``write(preparing:_:)`` without waiting: `prepared` is called on the writer's thread with
    /// what `prepare` returned or threw, before the transaction begins; `completion` once the
    /// transaction committed or failed (or the writer is closed).
    ///
    /// - Parameter promptly: whether someone waits for `prepared` (an answer that depends on
    ///   it): the job then wakes a lingering thread at once. Without, it waits for the end of
    ///   the linger delay, at most ``defaultLingerDelay``.
    func submit<Value, Output: Sendable>(
        preparing prepare: @escaping @Sendable () throws -> Value,
        prepared onPrepared: @escaping @Sendable (Result<Value, any Error>) -> Void = { _ in },
        promptly: Bool = true,
        _ body: @escaping @Sendable (SQLiteWriterConnection, Value) throws -> Output,
        completion: @escaping @Sendable (Result<Output, any Error>) -> Void
    ) {
        enqueue(preparing: prepare, prepared: onPrepared, body, awaited: false, promptly: promptly, completion: completion)
    }

    /// Queues a job (see ``submit(preparing:prepared:promptly:_:completion:)``); `awaited` when
    /// someone waits for its commit, `promptly` when someone waits for its preparing.
    private func enqueue<Value, Output: Sendable>(
        preparing prepare: @escaping @Sendable () throws -> Value,
        prepared onPrepared: @escaping @Sendable (Result<Value, any Error>) -> Void = { _ in },
        _ body: @escaping @Sendable (SQLiteWriterConnection, Value) throws -> Output,
        awaited: Bool,
        promptly: Bool,
        completion: @escaping @Sendable (Result<Output, any Error>) -> Void
    ) {
        let prepared = Prepared<Value>()
        let job = Job(prepare: {
            let result = Result { try prepare() }
            prepared.result = result
            onPrepared(result)
        }, run: { connection in
            let value: Value
            do {
                guard let result = prepared.result else { throw ArchiveError(.database, "a job of the index ran unprepared") }
                value = try result.get()
            } catch {
                return { _ in completion(.failure(error)) }
            }
            let mark = connection.rollbackActions.count
            do {
                try connection.execute(Statements.savepoint)
                let output = try body(connection, value)
                try connection.execute(Statements.release)
                return { error in completion(error.map { .failure($0) } ?? .success(output)) }
            } catch {
                _ = try? connection.execute(Statements.rollbackToSavepoint)
                connection.forgetUpsertedParents()
                _ = try? connection.execute(Statements.release)
                connection.rollBackActions(since: mark)
                return { _ in completion(.failure(error)) }
            }
        }, fail: { completion(.failure($0)) }, awaited: awaited, wakes: awaited || promptly)
        let start: QueueStart = queue.withLock { queue in
            guard !queue.closed else { return .closed }
            queue.jobs.append(job)
            queue.lastArrival = .now()
            if queue.lingering {
                // Taken when the linger delay ends, unless someone waits.
                guard job.wakes else { return .none }
                queue.lingering = false
                return .wake
            }
            defer { queue.draining = true }
            return queue.draining ? .none : .drain
        }
        switch start {
        case .closed:
            // Not on the caller's thread: it may hold a lock the completion takes.
            DispatchQueue.global().async { completion(.failure(ArchiveError(.database, "the index is closed"))) }
        case .drain:
            thread.submit { [self] state in
                guard case .active = state else { return failQueued() }
                drain()
            }
        case .wake:
            arrival.signal()
        case .none:
            break
        }
    }

    /// Whether the thread waits for more jobs in an open transaction (for tests).
    var isLingering: Bool { queue.withLock { $0.lingering } }

    /// Waits until every job submitted before the call has committed or failed; returns at
    /// once when the writer is idle.
    func awaitSubmitted() async {
        guard queue.withLock({ $0.draining }) else { return }
        _ = try? await write { _ in }
    }

    /// Runs the queued jobs, a batch per transaction, until none waits.
    private func drain() {
        while true {
            let jobs: [Job] = queue.withLock { queue in
                if queue.jobs.isEmpty { queue.draining = false }
                defer { queue.jobs = [] }
                return queue.jobs
            }
            if jobs.isEmpty { return }
            for job in jobs { job.prepare() }
            do {
                try connection.execute(Statements.begin)
                connection.forgetUpsertedParents()
            } catch {
                for job in jobs { job.fail(error) }
                continue
            }
            var answers = jobs.map { $0.run(connection) }
            var awaited = jobs.contains { $0.awaited }
            // Jobs that came during the wait extend it, so that a sender's steady stream
            // shares one commit, up to a bound on how late the first job's rows commit.
            let latest = DispatchTime.now() + lingerBound
            while !awaited, answers.count < Self.lingerLimit,
                  let more = nextJobs(before: min(queue.withLock { $0.lastArrival } + lingerDelay, latest)) {
                for job in more { job.prepare() }
                answers += more.map { $0.run(connection) }
                awaited = more.contains { $0.awaited }
            }
            var failure: (any Error)?
            do {
                try connection.execute(Statements.commit)
                connection.forgetRollbackActions()
            } catch {
                failure = error
                _ = try? connection.execute(Statements.rollback)
                connection.forgetUpsertedParents()
                connection.rollBackActions(since: 0)
            }
            for answer in answers { answer(failure) }
        }
    }

    /// The jobs queued now, or the first to arrive before `deadline`; nil when none does.
    private func nextJobs(before deadline: DispatchTime) -> [Job]? {
        let waiting: [Job]?? = queue.withLock { queue in
            guard queue.jobs.isEmpty else {
                defer { queue.jobs = [] }
                return queue.jobs
            }
            // Closed: none will come.
            if queue.closed { return .some(nil) }
            queue.lingering = true
            return nil
        }
        if let waiting { return waiting }
        let woken = arrival.wait(timeout: deadline) == .success
        let (jobs, signalledLate): ([Job], Bool) = queue.withLock { queue in
            // Still lingering: no job that wakes came, no signal is on its way (jobs that do
            // not wake may have). Otherwise such a job's enqueue took the flag and signals (or
            // did), even if the wait timed out first.
            let signalledLate = !woken && !queue.lingering
            queue.lingering = false
            defer { queue.jobs = [] }
            return (queue.jobs, signalledLate)
        }
        // The semaphore counts that signal: take it, so that the next wait waits.
        if signalledLate { arrival.wait() }
        return jobs.isEmpty ? nil : jobs
    }

    /// Answers every queued job with an error: the thread stopped.
    private func failQueued() {
        let jobs = queue.withLock { queue in
            defer { queue.jobs = []; queue.draining = false }
            return queue.jobs
        }
        for job in jobs { job.fail(ArchiveError(.database, "the index is closed")) }
    }

    /// Makes every transaction committed so far durable: fsyncs the write-ahead log, which the
    /// commits (synchronous = NORMAL) wrote without fsync. A checkpoint fsyncs the log before
    /// copying it into the database and the database after, so frames no longer in the log are
    /// durable already; with no log file there is nothing to do.
    func makeDurable() throws(ArchiveError) {
        try FileSystem.syncFile(connection.path + "-wal")
    }

    /// Waits for the queued jobs, then closes the connection and stops the thread.
    func close() async throws {
        // A lingering transaction commits now.
        let lingering = queue.withLock { queue in
            queue.closed = true
            defer { queue.lingering = false }
            return queue.lingering
        }
        if lingering { arrival.signal() }
        let connection = self.connection
        try await thread.runIfActive { connection.close() }
        try await thread.shutdownGracefully()
    }
}

/// The writer's own statements: a transaction per batch, a savepoint per job.
private enum Statements {
    static let begin = SQLiteStatement("BEGIN IMMEDIATE")
    static let commit = SQLiteStatement("COMMIT")
    static let rollback = SQLiteStatement("ROLLBACK")
    static let savepoint = SQLiteStatement("SAVEPOINT job")
    static let release = SQLiteStatement("RELEASE job")
    static let rollbackToSavepoint = SQLiteStatement("ROLLBACK TO job")
}
