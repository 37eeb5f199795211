import Synchronization

/// The lock under which arrivals are placed in the tree and the files that uncommitted copies
/// left behind (``UnindexedArrivals/Displaced``) are removed, so that nothing is placed at
/// such a file's path while it goes. Which copy is placed after which needs no lock of its own:
/// on SQLite every arrival is placed on the index's writer thread, in its transaction, in the
/// order the rows commit; on PostgreSQL under its SOP Instance UID's advisory lock.
final class PlacingOrder: Sendable {
    private let lock = Mutex(())

    /// Runs `body` in the lock.
    func inLock<Value: Sendable>(_ body: () throws(ArchiveError) -> Value) throws(ArchiveError) -> Value {
        try lock.withLock { _ -> Result<Value, ArchiveError> in
            do throws(ArchiveError) {
                return .success(try body())
            } catch {
                return .failure(error)
            }
        }.get()
    }

    /// Runs `body`, which cannot fail, in the lock.
    func inLock(_ body: () -> Void) {
        lock.withLock { _ in body() }
    }
}
