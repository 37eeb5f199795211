import Synchronization

/// The C-FIND responses between the task that runs the find handler (the producer: it adds each
/// match's response as the handler yields it) and the task that sends them (the sender: it takes
/// whatever is there whenever it is free, and sends it in one socket write). No match waits for
/// the next one: while the handler computes, what it found goes out; while a write is under way,
/// the matches that come meanwhile gather for the next. On one thread (the association's event
/// loop) the producer runs until the handler has to wait, so a page of database rows leaves in
/// one write.
///
/// The producer waits while ``maximumBytes`` of identifiers are not yet taken, so a peer that
/// reads slowly holds the handler back instead of filling memory.
final class FindResponseQueue<Element: Sendable>: Sendable {
    /// Past this many bytes not yet taken, ``add(_:bytes:)`` waits for the sender.
    static var maximumBytes: Int { 256 * 1024 }

    private struct State {
        var elements: [Element] = []
        var bytes = 0
        var finished = false
        var failure: (any Error)?
        /// The sender, waiting for elements or the end.
        var sender: CheckedContinuation<Void, Never>?
        /// The producer, waiting for the sender to take what is there.
        var producer: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Adds an element of `bytes` bytes; waits first while the queue is over its byte bound.
    /// After ``finish(throwing:)`` (the sender gave up) the element is dropped.
    func add(_ element: Element, bytes: Int) async {
        await add(contentsOf: [element], bytes: bytes)
    }

    /// Adds `elements`, of `bytes` bytes in all, as ``add(_:bytes:)`` adds one: the sender is
    /// woken once for them.
    func add(contentsOf elements: [Element], bytes: Int) async {
        if state.withLock({ $0.bytes >= Self.maximumBytes && !$0.finished }) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    guard state.bytes >= Self.maximumBytes, !state.finished else { return true }
                    state.producer = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        let sender = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.finished else { return nil }
            state.elements.append(contentsOf: elements)
            state.bytes += bytes
            defer { state.sender = nil }
            return state.sender
        }
        sender?.resume()
    }

    /// Ends the queue: the sender takes what is left with the end (and `failure`, if any). The
    /// first end counts.
    func finish(throwing failure: (any Error)? = nil) {
        let (sender, producer) = state.withLock { state in
            if !state.finished { state.failure = failure }
            state.finished = true
            defer { state.sender = nil; state.producer = nil }
            return (state.sender, state.producer)
        }
        sender?.resume()
        producer?.resume()
    }

    /// What the sender takes next: every element added since its last take, once there is one
    /// or the queue is finished; `finished` is true when no element will follow these.
    func take() async -> (elements: [Element], finished: Bool) {
        while true {
            if let taken = takeNow() { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    guard state.elements.isEmpty, !state.finished else { return true }
                    state.sender = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// The failure the producer finished with, once ``take()`` has said `finished`.
    var failure: (any Error)? { state.withLock { $0.failure } }

    /// The elements there are and whether the queue is finished; nil when the sender must wait.
    private func takeNow() -> (elements: [Element], finished: Bool)? {
        let (taken, producer) = state.withLock { state -> ((elements: [Element], finished: Bool)?, CheckedContinuation<Void, Never>?) in
            guard !state.elements.isEmpty || state.finished else { return (nil, nil) }
            let taken = state.elements
            state.elements = []
            state.bytes = 0
            defer { state.producer = nil }
            return ((taken, state.finished), state.producer)
        }
        producer?.resume()
        return taken
    }
}
