import Synchronization

/// Keeps the files in the tree and the index's rows in step when arrivals are placed on more
/// than one thread. On SQLite an arrival is placed before its rows are queued on the index's
/// writer, either on the I/O thread that made it durable
/// (``Archive/receiveDurable(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:)``) or on the writer's thread
/// (a job that places when it runs: ``Archive/ingest(_:expectedSOPInstanceUID:expectedSOPClassUID:)``, and
/// ``Archive/receive(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:acknowledge:)``). The rows of two copies
/// of one SOP Instance UID must commit in the order their files were placed, so:
/// - placing off the writer's thread and queuing the rows happen in one lock, so that the
///   writer meets them in the order they were placed;
/// - none happens while a job that places on the writer's thread is queued (it would place
///   after them but commit before): such jobs are counted, under the same lock.
///
/// Every placing holds the lock, and so does removing a file an uncommitted copy left behind
/// (``UnindexedArrivals/Displaced``), so that nothing is placed at its path meanwhile.
final class PlacingOrder: Sendable {
    /// The queued jobs that place on the writer's thread and have not yet placed.
    private let writerPlacings = Mutex(0)

    /// Whether no job that places on the writer's thread is queued now: a hint, checked again
    /// in ``placeUnlessWriterPlaces(_:)``.
    var isFree: Bool { writerPlacings.withLock { $0 == 0 } }

    /// Notes a job that places on the writer's thread, about to be queued.
    func queueingWriterPlacing() {
        writerPlacings.withLock { $0 += 1 }
    }

    /// Notes that such a job has placed, or will not.
    func writerPlacingDone() {
        writerPlacings.withLock { $0 -= 1 }
    }

    /// Runs `body` (placing, and queuing the rows) in the lock, unless a job that places on the
    /// writer's thread is queued: nil then, `body` not run.
    func placeUnlessWriterPlaces<Value: Sendable>(_ body: () throws(ArchiveError) -> Value) -> Result<Value, ArchiveError>? {
        locked(unlessWriterPlaces: true, body)
    }

    /// Runs `body` in the lock.
    func inLock<Value: Sendable>(_ body: () throws(ArchiveError) -> Value) throws(ArchiveError) -> Value {
        // Never nil: run whatever is queued.
        try locked(unlessWriterPlaces: false, body)!.get()
    }

    /// Runs `body`, which cannot fail, in the lock.
    func inLock(_ body: () -> Void) {
        writerPlacings.withLock { _ in body() }
    }

    private func locked<Value: Sendable>(unlessWriterPlaces: Bool, _ body: () throws(ArchiveError) -> Value) -> Result<Value, ArchiveError>? {
        writerPlacings.withLock { count -> Result<Value, ArchiveError>? in
            if unlessWriterPlaces, count > 0 { return nil }
            do throws(ArchiveError) {
                return .success(try body())
            } catch {
                return .failure(error)
            }
        }
    }
}
