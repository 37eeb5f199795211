import ArgumentParser

/// An option a subcommand does not have, found where ArgumentParser reports something else. With
/// a trailing list of positional arguments (findscu's query files, storescu's paths), it reads an
/// unknown option's value as a positional and reports that the host or the port is invalid
/// (`findscu -f query.dcm HOST PORT`, pynetdicom's spelling, said "'HOST' is invalid for
/// '<port>'"), never the option itself.
enum UnknownOption {
    /// The first argument of `arguments` (the subcommand's name first) that looks like an option
    /// and is none of the subcommand's, when parsing them failed (`failure`) over a positional's
    /// value; nil otherwise, or when every option-like argument is known.
    static func find(in arguments: [String], failure: any Error) -> String? {
        guard NetDICOMCommand.message(for: failure).contains("is invalid for '<"), let name = arguments.first,
              let command = NetDICOMCommand.configuration.subcommands.first(where: { $0.configuration.commandName == name }) else { return nil }
        let known = optionNames(inHelpOf: command)
        return arguments.dropFirst().first { argument in
            guard argument.count > 1, argument.hasPrefix("-"), Double(argument) == nil else { return false }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            return !known.contains(name)
        }
    }

    /// Every word of `command`'s help that begins with "-": its options' names, short and long.
    static func optionNames(inHelpOf command: any ParsableCommand.Type) -> Set<String> {
        let help = command.helpMessage(includeHidden: true, columns: 10_000)
        let words = help.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "(" || $0 == ")" || $0 == "[" || $0 == "]" || $0 == "|" })
        return Set(words.filter { $0.hasPrefix("-") }.map { String($0.split(separator: "=").first ?? $0) })
    }
}
