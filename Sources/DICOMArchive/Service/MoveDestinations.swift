public import DICOMNetwork

/// C-MOVE destinations by AE title, read from `--move-destination AET@HOST:PORT` arguments and
/// from a configuration file.
///
/// The file holds one destination a line, the AE title then where it listens, separated by
/// spaces or tabs; `#` starts a comment, blank lines are skipped:
///
/// ```
/// # netdicom qrscp move destinations
/// STORESCP    127.0.0.1:11113
/// PACS        pacs.example.org:104
/// VIEWER      [::1]:4242
/// ```
///
/// AE titles are compared as sent, without their padding spaces (PS3.5 §6.2: AE is
/// case-sensitive). A later line for the same title replaces an earlier one.
public enum MoveDestinations {
    /// The destination of one `AET@HOST:PORT` argument.
    ///
    /// - Throws: ``ArchiveError/Code/invalidConfiguration`` when it is not of that form.
    public static func parse(argument: String) throws(ArchiveError) -> (aeTitle: String, destination: MoveDestination) {
        guard let at = argument.lastIndex(of: "@") else {
            throw ArchiveError(.invalidConfiguration, "\"\(argument)\" is not AET@HOST:PORT")
        }
        let aeTitle = String(argument[..<at])
        return (try checked(aeTitle, argument), try address(String(argument[argument.index(after: at)...]), argument))
    }

    /// The destinations of a configuration file's text.
    ///
    /// - Throws: ``ArchiveError/Code/invalidConfiguration`` naming the first bad line.
    public static func parse(configuration text: String) throws(ArchiveError) -> [String: MoveDestination] {
        var destinations: [String: MoveDestination] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            let context = "line \(number + 1): \"\(rawLine)\""
            guard fields.count == 2 else {
                throw ArchiveError(.invalidConfiguration, "\(context) is not \"AET HOST:PORT\"")
            }
            destinations[try checked(String(fields[0]), context)] = try address(String(fields[1]), context)
        }
        return destinations
    }

    private static func checked(_ aeTitle: String, _ context: String) throws(ArchiveError) -> String {
        let trimmed = aeTitle.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.utf8.count <= 16, trimmed.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else {
            throw ArchiveError(.invalidConfiguration, "\(context): \"\(aeTitle)\" is not an AE title (1–16 characters, no backslash or control characters)")
        }
        return trimmed
    }

    /// `HOST:PORT` or `[IPV6]:PORT`.
    private static func address(_ text: String, _ context: String) throws(ArchiveError) -> MoveDestination {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ArchiveError(.invalidConfiguration, "\(context): no port after \(text)") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ArchiveError(.invalidConfiguration, "\(context): \"\(text)\" is not HOST:PORT")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
            throw ArchiveError(.invalidConfiguration, "\(context): \"\(text)\" is not HOST:PORT with a port 1–65535")
        }
        return MoveDestination(host: String(host), port: port)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
