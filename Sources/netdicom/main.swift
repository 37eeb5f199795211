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
    let arguments = Array(DCMTKPlusFlags.dropAccepted(from: CommandLine.arguments).dropFirst())
    if let unknown = UnknownOption.find(in: arguments) {
        StandardStreams.error("Error: Unknown option '\(unknown)'\nSee 'netdicom \(arguments[0]) --help' for the options.\n")
        exit(ExitCode.validationFailure.rawValue)
    }
    await NetDICOMCommand.main(arguments)
}
await runCommand()
