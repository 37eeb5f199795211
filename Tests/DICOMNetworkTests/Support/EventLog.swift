import DICOMNetwork

/// Collects a server's (or association's) notification events in the background, for tests
/// that ask afterwards what went over the wire.
final class EventLog: Sendable {
    private let events = Recorder<[AssociationEvent.Kind]>([])
    private let task: Task<Void, Never>

    init(_ source: AssociationEvents) {
        let stream = source.subscribe()
        let events = self.events
        task = Task {
            for await event in stream { events.update { $0.append(event.kind) } }
        }
    }

    deinit { task.cancel() }

    /// How many DIMSE messages named `name` ("C-FIND-RSP") were received.
    func received(_ name: String) -> Int {
        events.value.count { if case .dimseReceived(name) = $0 { true } else { false } }
    }

    /// How many DIMSE messages named `name` were sent.
    func sent(_ name: String) -> Int {
        events.value.count { if case .dimseSent(name) = $0 { true } else { false } }
    }

    /// The DIMSE messages sent and received, in order, for failure messages.
    var trace: String {
        events.value.compactMap { kind -> String? in
            switch kind {
            case .dimseSent(let name): "→ \(name)"
            case .dimseReceived(let name): "← \(name)"
            default: nil
            }
        }.joined(separator: ", ")
    }

    /// Whether a connection closed.
    var connectionClosed: Bool {
        events.value.contains { if case .connectionClosed = $0 { true } else { false } }
    }
}
