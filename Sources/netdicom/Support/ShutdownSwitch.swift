import ServiceLifecycle
import Synchronization

/// Shuts a service group down gracefully from a handler that runs before the group exists
/// (qrscp --allow-shutdown: an association's screening).
final class ShutdownSwitch: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)

    /// The group that ``trigger()`` shuts down.
    func arm(_ group: ServiceGroup) {
        self.group.withLock { $0 = group }
    }

    /// Starts the armed group's graceful shutdown; does nothing before ``arm(_:)``.
    func trigger() {
        guard let group = group.withLock({ $0 }) else { return }
        Task { await group.triggerGracefulShutdown() }
    }
}
