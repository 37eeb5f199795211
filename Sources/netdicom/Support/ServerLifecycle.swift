import DICOMNetwork
import Logging
import ServiceLifecycle
import UnixSignals

/// How the SCP commands run their server: until SIGINT or SIGTERM. The first signal stops
/// accepting and lets the open associations finish; a second aborts them and stops at once,
/// for a peer that holds its association open (an idle one ends by the network timeout, but
/// one that keeps sending never does). Each step is said on standard error, whatever the
/// log level: the operator who sent the signal sees what the server waits for.
enum ServerLifecycle {
    /// Thrown by the watcher on the second signal, to cancel the service group.
    private struct Stopped: Error {}

    /// Runs `server` until it stops; `command` names it in the lines printed. `shutdown`, when
    /// given, is armed with the group, so that a request can stop it (qrscp --allow-shutdown).
    static func run(_ server: AssociationServer, command: String, shutdown: ShutdownSwitch? = nil, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        shutdown?.arm(group)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    var caught = 0
                    for await signal in signals {
                        caught += 1
                        if caught == 1 {
                            StandardStreams.error(firstSignalLine(command: command, signal: "\(signal)", open: server.activeAssociations))
                            await group.triggerGracefulShutdown()
                        } else {
                            StandardStreams.error("\(command): \(signal) again: aborting the \(plural(server.activeAssociations, "open association"))\n")
                            throw Stopped()
                        }
                    }
                }
                // The group ends (every association over), or the watcher throws.
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch is Stopped {
            return
        }
    }

    /// What the first signal starts, as printed.
    private static func firstSignalLine(command: String, signal: String, open: Int) -> String {
        guard open > 0 else { return "\(command): \(signal): stopping\n" }
        return "\(command): \(signal): stopping: no new associations; waiting for the \(plural(open, "open association")) to end "
            + "(SIGINT or SIGTERM again aborts them)\n"
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
