import DICOMNetwork

/// What `netdicom qrscp --config` takes from a DCMTK dcmqrscp configuration file, so that an
/// archive moves over with its file: the port (NetworkTCPPort), the AE title and storage
/// directory of the AETable's first entry, and every `(AETitle, host, port)` of the HostTable
/// as a C-MOVE destination. The rest (MaxPDUSize, MaxAssociations, quotas, peers, the
/// VendorTable) has its own flags or no counterpart, and is left out.
struct DCMQRSCPConfiguration {
    var port: Int?
    var aeTitle: String?
    var storage: String?
    var destinations: [(aeTitle: String, destination: MoveDestination)] = []

    /// Whether `text` is a dcmqrscp configuration rather than our "AET HOST:PORT" lines.
    static func recognizes(_ text: String) -> Bool {
        text.contains("HostTable") || text.contains("AETable") || text.contains("NetworkTCPPort")
    }

    /// Reads `text`; throws a message naming the first line it cannot use.
    init(parsing text: String) throws(ConfigurationFileError) {
        var section: String?
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = (rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmed(of: " \t\r")
            if line.isEmpty { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.count == 2, words[1] == "BEGIN" { section = words[0]; continue }
            if words.count == 2, words[1] == "END" { section = nil; continue }
            let context = "line \(number + 1): \"\(rawLine)\""
            switch section {
            case nil:
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmed(of: " \t") }
                if parts.count == 2, parts[0] == "NetworkTCPPort" {
                    guard let port = Int(parts[1]), (1...65535).contains(port) else { throw ConfigurationFileError("\(context): not a port") }
                    self.port = port
                }
            case "HostTable":
                // name = (AETitle, host, port), (AETitle, host, port)… or name = other names.
                for tuple in Self.tuples(in: line) {
                    let fields = tuple.split(separator: ",").map { $0.trimmed(of: " \t") }
                    guard fields.count == 3, let port = Int(fields[2]), (1...65535).contains(port), !fields[0].isEmpty, fields[0].count <= 16 else {
                        throw ConfigurationFileError("\(context): \"(\(tuple))\" is not (AETitle, host, port)")
                    }
                    destinations.append((fields[0], MoveDestination(host: fields[1], port: port)))
                }
            case "AETable":
                guard aeTitle == nil else { continue }
                guard words.count >= 2 else { throw ConfigurationFileError("\(context) is not \"AETitle StorageArea Access Quota Peers\"") }
                aeTitle = words[0]
                storage = words[1]
            default:
                continue
            }
        }
    }

    /// The contents of each parenthesised group of `line`.
    private static func tuples(in line: String) -> [Substring] {
        var tuples: [Substring] = []
        var rest = line[...]
        while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            tuples.append(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
        }
        return tuples
    }
}
