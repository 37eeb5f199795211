import ArgumentParser
import DICOMNetwork
import Logging

/// Options every networking subcommand shares, spelled as DCMTK and pynetdicom spell them.
struct NetworkOptions: ParsableArguments {
    @Option(name: [.customLong("acse-timeout"), .customLong("ta", withSingleDash: true)],
            help: "Seconds to wait for association messages (A-ASSOCIATE, A-RELEASE), and the ARTIM timer.")
    var acseTimeout: Double = 30

    @Option(name: [.customLong("timeout"), .customLong("to", withSingleDash: true)],
            help: "Seconds to wait for the TCP connection to the peer (default: the network timeout).")
    var connectionTimeout: Double?

    @Option(name: [.customLong("dimse-timeout"), .customLong("td", withSingleDash: true)],
            help: "Seconds to wait for a DIMSE response.")
    var dimseTimeout: Double = 30

    // -tn and --network-timeout are pynetdicom's names, -ts and --socket-timeout DCMTK's.
    @Option(name: [
        .customLong("network-timeout"), .customLong("tn", withSingleDash: true),
        .customLong("socket-timeout"), .customLong("ts", withSingleDash: true),
    ], help: "Seconds of silence from the peer before the association is aborted.")
    var networkTimeout: Double = 60

    @Option(name: [.customLong("max-pdu"), .customLong("pdu", withSingleDash: true)],
            help: "The largest P-DATA-TF PDU to receive, in bytes (0 = unlimited). The default, 131072, is DCMTK's largest: fewer, larger PDUs cost less per megabyte than the library's 16382.")
    var maximumPDUSize: UInt32 = NetworkOptions.defaultMaximumPDUSize

    /// What the commands receive by default: DCMTK's largest `-pdu` (ASC_MAXIMUMPDUSIZE), which
    /// every peer sends without trouble. The library keeps pynetdicom's 16382.
    static let defaultMaximumPDUSize: UInt32 = 131_072

    /// Applies the options to `entity`.
    func configure(_ entity: inout ApplicationEntity) {
        entity.acseTimeout = .milliseconds(Int64(acseTimeout * 1000))
        entity.dimseTimeout = .milliseconds(Int64(dimseTimeout * 1000))
        entity.networkTimeout = .milliseconds(Int64(networkTimeout * 1000))
        entity.connectionTimeout = connectionTimeout.map { .milliseconds(Int64($0 * 1000)) }
        entity.maximumPDUSize = maximumPDUSize
    }
}

/// `-v`, `-d`, `--log-level`: how much goes to standard error.
struct LoggingOptions: ParsableArguments {
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Log each association's life (info level).")
    var verbose = false

    @Flag(name: [.customShort("d"), .customLong("debug")], help: "Log every PDU and state transition (trace level).")
    var debug = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Log no warnings or errors, only critical failures (as DCMTK's -q).")
    var quiet = false

    @Option(name: [.customLong("log-level"), .customLong("ll", withSingleDash: true)],
            help: "The log level: trace, debug, info, notice, warning, error, critical (DCMTK's warn and fatal too).")
    var logLevel: String?

    /// The level the flags ask for: warning unless told otherwise.
    var level: Logger.Level {
        if let logLevel, let level = Self.level(named: logLevel) { return level }
        if debug { return .trace }
        if verbose { return .info }
        if quiet { return .critical }
        return .warning
    }

    /// swift-log's level names, and DCMTK's where they differ.
    static func level(named name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "warn": .warning
        case "fatal": .critical
        case let other: Logger.Level(rawValue: other)
        }
    }

    func validate() throws {
        if let logLevel, Self.level(named: logLevel) == nil {
            throw ValidationError("unknown log level \(logLevel): trace, debug, info, notice, warning (warn), error, critical (fatal)")
        }
    }

    /// A logger writing to standard error at the chosen level.
    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }
}
