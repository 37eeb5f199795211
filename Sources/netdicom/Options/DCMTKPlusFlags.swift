/// DCMTK's options that begin with "+", which the argument parser would take for positional
/// arguments: those that ask for what a subcommand always does are accepted and dropped, so that
/// a command line written for DCMTK runs unchanged.
enum DCMTKPlusFlags {
    /// Per subcommand, the "+" flags it accepts as no-ops.
    static let accepted: [String: Set<String>] = [
        // storescu always searches directories, recursively: DCMTK's +sd (scan directories) and
        // +r (recurse) say just that.
        "storescu": ["+sd", "--scan-directories", "+r", "--recurse"],
    ]

    /// `arguments` (the program name first) without the accepted flags of its subcommand.
    static func dropAccepted(from arguments: [String]) -> [String] {
        guard arguments.count > 1, let flags = accepted[arguments[1]] else { return arguments }
        // Only up to "--": after it every word is an argument.
        var result: [String] = []
        var optionsEnded = false
        for argument in arguments {
            if argument == "--" { optionsEnded = true }
            if !optionsEnded && flags.contains(argument) { continue }
            result.append(argument)
        }
        return result
    }
}
