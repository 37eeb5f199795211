import DICOMNetwork

/// What `netdicom qrscp --config` takes from a pynetdicom qrscp configuration file, so that an
/// archive set up for pynetdicom's qrscp runs with its file unchanged. The file is an INI file
/// as Python's configparser reads it: `[section]` headers, `key: value` or `key = value` lines
/// (keys in any case), whole-line comments starting with `#` or `;`, and a value continued on
/// lines indented deeper than its key. The `[DEFAULT]` section holds the archive's settings
/// (ae_title, port, max_pdu, the acse, dimse and network timeouts, bind_address,
/// instance_location, database_location; log_identifier and unknown keys are ignored); every
/// other section is a C-MOVE destination named by its AE title, with its address and port
/// (configparser's defaults apply: a section without a port takes [DEFAULT]'s).
struct PynetdicomQRSCPConfiguration {
    var aeTitle: String?
    var port: Int?
    var maximumPDUSize: UInt32?
    var acseTimeout: Double?
    var dimseTimeout: Double?
    var networkTimeout: Double?
    /// nil when empty: every interface.
    var bindAddress: String?
    /// The storage directory, as written (a relative one is taken from the working directory).
    var instanceLocation: String?
    /// The SQLite index file, as written.
    var databaseLocation: String?
    var destinations: [(aeTitle: String, destination: MoveDestination)] = []

    /// Whether `text` is an INI file: a line of its own is a `[section]` header.
    static func recognizes(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.trimmed(of: " \t\r")
            return trimmed.count > 2 && trimmed.hasPrefix("[") && trimmed.hasSuffix("]")
        }
    }

    /// Reads `text`; throws a message naming the first line or value it cannot use.
    init(parsing text: String) throws(ConfigurationFileError) {
        let sections = try Self.sections(of: text)
        let defaults = sections.first { $0.name == "DEFAULT" }?.values ?? [:]
        func value(_ key: String) -> String? { defaults[key]?.value }
        func number<Number: LosslessStringConvertible>(_ key: String, _ type: Number.Type, valid: (Number) -> Bool) throws(ConfigurationFileError) -> Number? {
            guard let entry = defaults[key] else { return nil }
            guard let number = Number(entry.value), valid(number) else {
                throw ConfigurationFileError("line \(entry.line): \"\(entry.value)\" is not a valid \(key)")
            }
            return number
        }
        aeTitle = value("ae_title")
        port = try number("port", Int.self) { (1...65535).contains($0) }
        maximumPDUSize = try number("max_pdu", UInt32.self) { _ in true }
        acseTimeout = try number("acse_timeout", Double.self) { $0 > 0 }
        dimseTimeout = try number("dimse_timeout", Double.self) { $0 > 0 }
        networkTimeout = try number("network_timeout", Double.self) { $0 > 0 }
        bindAddress = value("bind_address").flatMap { $0.isEmpty ? nil : $0 }
        instanceLocation = value("instance_location")
        databaseLocation = value("database_location")
        for section in sections where section.name != "DEFAULT" {
            guard let address = section.values["address"], !address.value.isEmpty else {
                throw ConfigurationFileError("line \(section.line): the move destination [\(section.name)] has no address")
            }
            let portEntry = section.values["port"] ?? defaults["port"]
            guard let portEntry, let port = Int(portEntry.value), (1...65535).contains(port) else {
                throw ConfigurationFileError("line \(portEntry?.line ?? section.line): the move destination [\(section.name)] has no valid port")
            }
            let aeTitle = section.name.trimmed(of: " ")
            guard !aeTitle.isEmpty, aeTitle.utf8.count <= 16 else {
                throw ConfigurationFileError("line \(section.line): [\(section.name)] is not an AE title (1 to 16 characters)")
            }
            destinations.append((aeTitle, MoveDestination(host: address.value, port: port)))
        }
    }

    /// The timeouts and PDU size it gives, where it gives them; the commands' own elsewhere.
    var networkDefaults: NetworkOptions.Defaults {
        var defaults = NetworkOptions.Defaults()
        defaults.acseTimeout = acseTimeout ?? defaults.acseTimeout
        defaults.dimseTimeout = dimseTimeout ?? defaults.dimseTimeout
        defaults.networkTimeout = networkTimeout ?? defaults.networkTimeout
        defaults.maximumPDUSize = maximumPDUSize ?? defaults.maximumPDUSize
        return defaults
    }

    /// One value, and the line it starts on.
    private struct Entry {
        var value: String
        var line: Int
    }

    private struct Section {
        var name: String
        var line: Int
        var values: [String: Entry] = [:]
    }

    /// The sections of `text` in order, their keys lowercased, as configparser reads them.
    private static func sections(of text: String) throws(ConfigurationFileError) -> [Section] {
        var sections: [Section] = []
        // The key being read and its line's indentation, for continuation lines.
        var current: (key: String, indent: Int)?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmed(of: " \t\r")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let indent = rawLine.prefix { $0 == " " || $0 == "\t" }.count
            if line.hasPrefix("["), line.hasSuffix("]") {
                sections.append(Section(name: String(line.dropFirst().dropLast()), line: number))
                current = nil
                continue
            }
            guard !sections.isEmpty else {
                throw ConfigurationFileError("line \(number): \"\(rawLine)\" comes before any [section]")
            }
            if let current, indent > current.indent {
                sections[sections.count - 1].values[current.key]?.value += "\n" + line
                continue
            }
            guard let delimiter = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                throw ConfigurationFileError("line \(number): \"\(rawLine)\" is not \"key: value\"")
            }
            let key = line[..<delimiter].trimmed(of: " \t").lowercased()
            let value = line[line.index(after: delimiter)...].trimmed(of: " \t")
            sections[sections.count - 1].values[key] = Entry(value: value, line: number)
            current = (key, indent)
        }
        return sections
    }
}
