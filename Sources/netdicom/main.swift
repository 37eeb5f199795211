import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

// Swift concurrency's global executor becomes NIO's event loops: a task woken by a socket event
// goes on on the thread that read it instead of hopping to the concurrency pool and back, which
// is most of the cost of a small DIMSE round trip. Blocking file I/O goes to NIOThreadPool.
GlobalExecutorTakeover.install()
HeapThresholds.raise()
// An async context, so that overload resolution picks AsyncParsableCommand's main.
func runCommand() async {
    if let refusal = DCMTKPlusFlags.refusal(in: CommandLine.arguments) {
        StandardStreams.error("Error: \(refusal)\n")
        exit(ExitCode.validationFailure.rawValue)
    }
    // Parsed and run as AsyncParsableCommand.main does, so that a parse failure can be told
    // better when an unknown option caused it (UnknownOption).
    let arguments = Array(DCMTKPlusFlags.dropAccepted(from: CommandLine.arguments).dropFirst())
    var command: any ParsableCommand
    do {
        command = try NetDICOMCommand.parseAsRoot(arguments)
    } catch {
        if let unknown = UnknownOption.find(in: arguments, failure: error) {
            StandardStreams.error("Error: Unknown option '\(unknown)'\nSee 'netdicom \(arguments[0]) --help' for the options.\n")
            exit(ExitCode.validationFailure.rawValue)
        }
        NetDICOMCommand.exit(withError: error)
    }
    do {
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        NetDICOMCommand.exit(withError: error)
    }
}
await runCommand()
