import DICOMNetwork

/// What `netdicom qrscp --config` takes from a DCMTK dcmqrscp configuration file, so that an
/// archive moves over with its file: the port (NetworkTCPPort), the AE title and storage
/// directory of the AETable's first entry, every `(AETitle, host, port)` of the HostTable as a
/// C-MOVE destination, each AETable entry's peers and access: who may associate with it and
/// whether it takes C-STOREs (``DCMQRSCPPeerAccess``), and the VendorTable's groups of AE
/// titles (for -ZV), MaxPDUSize and MaxAssociations. The rest (quotas, UserName, GroupName)
/// has no counterpart, and is left out.
struct DCMQRSCPConfiguration {
    /// A peer of the HostTable or of an AETable entry: `(AETitle, host, port)`.
    struct Peer: Hashable {
        var aeTitle: String
        var host: String
        var port: Int
    }

    /// Who may associate with an AETable entry: anyone (`ANY`), or the peers listed (by
    /// HostTable name or as tuples).
    enum Peers: Equatable {
        case any
        case listed([Peer])
    }

    /// One line of the AETable: a local AE title, its storage area, its access and its peers.
    struct Entry: Equatable {
        var aeTitle: String
        var storage: String
        /// R, RW or W: whether the area takes C-STOREs (W) and answers queries (R; dcmqrscp
        /// answers them in a W area too).
        var access: String
        var peers: Peers

        /// Whether the area takes no C-STORE (dcmqrscp refuses the Storage contexts).
        var isReadOnly: Bool { !access.uppercased().contains("W") }
    }

    var port: Int?
    /// MaxPDUSize: the largest PDU we receive.
    var maximumPDUSize: UInt32?
    /// MaxAssociations: how many associations are served at once.
    var maximumAssociations: Int?
    var destinations: [(aeTitle: String, destination: MoveDestination)] = []
    /// The AETable, in order.
    var entries: [Entry] = []
    /// The VendorTable: each vendor's name (without its quotes) and peers, in order.
    var vendors: [(name: String, peers: [Peer])] = []

    /// The first AETable entry's AE title: the archive's, unless --ae-title names another.
    var aeTitle: String? { entries.first?.aeTitle }

    /// The AETable entry the archive serves as `aeTitle`: the entry of that title, else the
    /// first.
    func entry(servedAs aeTitle: String) -> Entry? {
        entries.first { $0.aeTitle == aeTitle } ?? entries.first
    }

    /// The network defaults it sets (MaxPDUSize), which flags override.
    var networkDefaults: NetworkOptions.Defaults {
        var defaults = NetworkOptions.Defaults()
        defaults.maximumPDUSize = maximumPDUSize ?? defaults.maximumPDUSize
        return defaults
    }

    /// Whether `text` is a dcmqrscp configuration rather than our "AET HOST:PORT" lines.
    static func recognizes(_ text: String) -> Bool {
        text.contains("HostTable") || text.contains("AETable") || text.contains("NetworkTCPPort")
    }

    /// Reads `text`; throws a message naming the first line it cannot use.
    init(parsing text: String) throws(ConfigurationFileError) {
        var section: String?
        // The HostTable's symbolic names, each defined before it is used (as dcmqrscp wants).
        var names: [String: [Peer]] = [:]
        // The HostTable's peers so far, each a C-MOVE destination.
        var known: Set<Peer> = []
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
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "NetworkTCPPort":
                    guard let port = Int(parts[1]), (1...65535).contains(port) else { throw ConfigurationFileError("\(context): not a port") }
                    self.port = port
                case "MaxPDUSize":
                    guard let size = UInt32(parts[1]), size >= 4096 else { throw ConfigurationFileError("\(context): not a PDU size (4096 or more)") }
                    maximumPDUSize = size
                case "MaxAssociations":
                    guard let count = Int(parts[1]), count >= 1 else { throw ConfigurationFileError("\(context): not a number of associations") }
                    maximumAssociations = count
                default:
                    continue
                }
            case "HostTable":
                // name = (AETitle, host, port), (AETitle, host, port)… or name = other names.
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmed(of: " \t") }
                guard parts.count == 2, !parts[0].isEmpty else { throw ConfigurationFileError("\(context) is not \"name = peers\"") }
                let peers = try Self.peers(in: parts[1], names: names, context: context)
                names[parts[0]] = peers
                // Each peer once: a name of names brings none that is new.
                for peer in peers where known.insert(peer).inserted {
                    destinations.append((peer.aeTitle, MoveDestination(host: peer.host, port: peer.port)))
                }
            case "VendorTable":
                // "Vendor Name" = HostTable names
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmed(of: " \t") }
                guard parts.count == 2, !parts[0].trimmed(of: "\"'").isEmpty else { throw ConfigurationFileError("\(context) is not \"\"Vendor\" = names\"") }
                vendors.append((parts[0].trimmed(of: "\"'"), try Self.peers(in: parts[1], names: names, context: context)))
            case "AETable":
                // AETitle StorageArea Access (maxStudies, maxBytesPerStudy) Peers
                guard words.count >= 5, let quotaEnd = line.firstIndex(of: ")"), line.firstIndex(of: "(").map({ $0 < quotaEnd }) == true else {
                    throw ConfigurationFileError("\(context) is not \"AETitle StorageArea Access (maxStudies, maxBytesPerStudy) Peers\"")
                }
                let peersText = line[line.index(after: quotaEnd)...].trimmed(of: " \t")
                let peers: Peers = peersText == "ANY" ? .any : .listed(try Self.peers(in: peersText, names: names, context: context))
                entries.append(Entry(aeTitle: words[0], storage: words[1], access: words[2], peers: peers))
            default:
                continue
            }
        }
    }

    /// The peers of a list of HostTable names and `(AETitle, host, port)` tuples, separated by
    /// commas or spaces.
    private static func peers(in text: String, names: [String: [Peer]], context: String) throws(ConfigurationFileError) -> [Peer] {
        var peers: [Peer] = []
        var rest = text[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            guard let first = rest.first else { break }
            if first == "(" {
                guard let close = rest.firstIndex(of: ")") else { throw ConfigurationFileError("\(context): \"\(rest)\" has no \")\"") }
                peers.append(try peer(rest[rest.index(after: rest.startIndex)..<close], context: context))
                rest = rest[rest.index(after: close)...]
            } else {
                let name = rest.prefix { $0 != " " && $0 != "\t" && $0 != "," && $0 != "(" }
                guard let named = names[String(name)] else {
                    throw ConfigurationFileError("\(context): \"\(name)\" is not a name the HostTable defines above")
                }
                peers += named
                rest = rest.dropFirst(name.count)
            }
        }
        guard !peers.isEmpty else { throw ConfigurationFileError("\(context): no peers (ANY, HostTable names or (AETitle, host, port))") }
        return peers
    }

    /// The peer of the contents of a `(AETitle, host, port)` tuple.
    private static func peer(_ tuple: Substring, context: String) throws(ConfigurationFileError) -> Peer {
        let fields = tuple.split(separator: ",").map { $0.trimmed(of: " \t") }
        guard fields.count == 3, let port = Int(fields[2]), (1...65535).contains(port), !fields[0].isEmpty, fields[0].count <= 16 else {
            throw ConfigurationFileError("\(context): \"(\(tuple))\" is not (AETitle, host, port)")
        }
        return Peer(aeTitle: fields[0], host: fields[1], port: port)
    }
}
