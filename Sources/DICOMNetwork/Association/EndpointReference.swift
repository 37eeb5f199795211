import Synchronization

/// The endpoint an ``AssociationInfo`` belongs to, held weakly: the endpoint keeps its info,
/// and a strong reference back would keep both (and the channel) alive forever. Set once the
/// association is established; until then, and once the endpoint is gone, nil.
final class EndpointReference: Sendable {
    private struct Weak {
        weak var endpoint: DIMSEEndpoint?
    }

    private let storage = Mutex(Weak())

    /// Points at `endpoint`, the association's endpoint now that it exists.
    func attach(_ endpoint: DIMSEEndpoint) {
        storage.withLock { $0.endpoint = endpoint }
    }

    /// The endpoint, while it exists.
    var endpoint: DIMSEEndpoint? {
        storage.withLock { $0.endpoint }
    }
}
