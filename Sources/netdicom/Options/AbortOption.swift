import ArgumentParser
import DICOMNetwork

/// `--abort`, as DCMTK's requestors spell it: end the association with an A-ABORT instead of a
/// release (to see how a peer copes with one).
struct AbortOption: ParsableArguments {
    @Flag(name: .customLong("abort"), help: "Abort the association instead of releasing it.")
    var abort = false

    /// Ends `association` as asked.
    func end(_ association: Association) async throws {
        if abort {
            await association.abort()
        } else {
            try await association.release()
        }
    }
}
