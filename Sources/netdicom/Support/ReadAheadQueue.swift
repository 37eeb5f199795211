import Dispatch
import NIOCore
import Synchronization

/// The files storescu sends, handed to its senders in order, with the data sets of the next
/// few read ahead on threads of their own: a C-STORE's response is then followed at once by the
/// next request, instead of by that file's read (about a fifth of a millisecond for a CT image,
/// as long as the peer takes to answer a small one).
///
/// Only data sets up to ``limit`` bytes are read ahead, so that those read ahead and those on
/// the wire hold ``budget`` bytes at most; larger files stream from disk when their turn comes,
/// as before.
final class ReadAheadQueue: Sendable {
    /// The most bytes the data sets read ahead and being sent hold together.
    static let budget = 16 << 20
    /// The most bytes one data set read ahead holds, whatever the budget allows.
    static let largestReadAhead = 4 << 20

    private struct State {
        var next = 0
        var reads: [Int: Task<ByteBuffer?, Never>] = [:]
    }

    private let work: [PendingInstance]
    private let depth: Int
    /// The longest data set read ahead.
    let limit: Int
    private let state = Mutex(State())

    /// A queue of `work` for `senders` tasks, reading `depth` data sets ahead of the one handed
    /// out (0: none).
    init(_ work: [PendingInstance], depth: Int, senders: Int) {
        self.work = work
        self.depth = depth
        limit = min(Self.largestReadAhead, Self.budget / max(1, depth + senders))
    }

    /// The next file to send, with its data set if it was read ahead; nil once all were handed
    /// out.
    func next() async -> (instance: PendingInstance, dataSet: ByteBuffer?)? {
        let limit = self.limit
        let taken = state.withLock { state -> (Int, Task<ByteBuffer?, Never>?)? in
            let index = state.next
            guard index < work.count else { return nil }
            state.next += 1
            for ahead in index..<min(index + depth + 1, work.count) where state.reads[ahead] == nil {
                let instance = work[ahead]
                guard depth > 0, instance.dataSet == nil, instance.fileSize <= limit else { continue }
                state.reads[ahead] = Task {
                    await withCheckedContinuation { continuation in
                        DispatchQueue.global().async {
                            continuation.resume(returning: instance.readAhead(limit: limit))
                        }
                    }
                }
            }
            return (index, state.reads.removeValue(forKey: index))
        }
        guard let (index, read) = taken else { return nil }
        return (work[index], await read?.value)
    }
}
