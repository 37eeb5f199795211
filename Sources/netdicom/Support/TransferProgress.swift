import Synchronization

/// The progress of a storescu run: counts and bytes, and a line redrawn on a terminal at most
/// ten times a second.
final class TransferProgress: Sendable {
    private struct State {
        var sent = 0
        var failed = 0
        var bytes = 0
        /// The bytes sent so far of each sender's file in flight, by sender: a large file
        /// moves the line too.
        var partial: [Int: Int] = [:]
        var lastDraw = ContinuousClock.now
    }

    private let state = Mutex(State())
    private let total: Int
    private let show: Bool
    private let start = ContinuousClock.now

    /// - Parameter failedBeforeSending: files that failed before the transfer (not DICOM,
    ///   unreadable): counted in the total and as failed from the start, so that the line's
    ///   counts end where the summary's do.
    init(total: Int, show: Bool, failedBeforeSending: Int = 0) {
        self.total = total + failedBeforeSending
        self.show = show
        state.withLock { $0.failed = failedBeforeSending }
    }

    /// Sender `slot` sent `bytes` of its file's data set so far.
    func sending(slot: Int, bytes: Int) { update { $0.partial[slot] = bytes } }
    /// Sender `slot`'s file of `bytes` was stored.
    func sent(slot: Int, bytes: Int) { update { $0.sent += 1; $0.bytes += bytes; $0.partial[slot] = nil } }
    /// Sender `slot`'s file failed.
    func failed(slot: Int) { update { $0.failed += 1; $0.partial[slot] = nil } }

    var totals: (sent: Int, bytes: Int, seconds: Double) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return state.withLock { ($0.sent, $0.bytes, seconds) }
    }

    func finish() {
        if show { StandardStreams.error("\n") }
    }

    private func update(_ change: (inout State) -> Void) {
        let line: String? = state.withLock { state in
            change(&state)
            let now = ContinuousClock.now
            guard show, now - state.lastDraw > .milliseconds(100) || state.sent + state.failed == total else { return nil }
            state.lastDraw = now
            return "\r" + Self.line(state, total: total)
        }
        if let line { StandardStreams.error(line) }
    }

    /// The line as it stands: `[#####.....] 5/18 files, 2 failed, 3 MB`.
    var line: String { state.withLock { Self.line($0, total: total) } }

    private static func line(_ state: State, total: Int) -> String {
        let done = state.sent + state.failed
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let bytes = state.bytes + state.partial.values.reduce(0, +)
        return "[\(bar)] \(done)/\(total) files, \(state.failed) failed, \(bytes / 1_000_000) MB"
    }
}
