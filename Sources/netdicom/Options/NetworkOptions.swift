import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Logging

/// Options every networking subcommand shares, spelled as DCMTK and pynetdicom spell them.
struct NetworkOptions: ParsableArguments {
    @Option(name: [.customLong("acse-timeout"), .customLong("ta", withSingleDash: true)],
            help: "Seconds to wait for association messages (A-ASSOCIATE, A-RELEASE), and the ARTIM timer (default: 30).")
    var acseTimeout: Double?

    @Option(name: [.customLong("timeout"), .customLong("to", withSingleDash: true)],
            help: "Seconds to wait for the TCP connection to the peer (default: the network timeout).")
    var connectionTimeout: Double?

    @Option(name: [.customLong("dimse-timeout"), .customLong("td", withSingleDash: true)],
            help: "Seconds to wait for a DIMSE response (default: 30).")
    var dimseTimeout: Double?

    // -tn and --network-timeout are pynetdicom's names, -ts and --socket-timeout DCMTK's.
    @Option(name: [
        .customLong("network-timeout"), .customLong("tn", withSingleDash: true),
        .customLong("socket-timeout"), .customLong("ts", withSingleDash: true),
    ], help: "Seconds of silence from the peer before the association is aborted (default: 60); not counted while an operation the peer asked for is in progress.")
    var networkTimeout: Double?

    @Option(name: [.customLong("max-pdu"), .customLong("pdu", withSingleDash: true)],
            help: "The largest P-DATA-TF PDU to receive, in bytes: 0 (unlimited) or at least 4096. The default, 131072, is DCMTK's largest: fewer, larger PDUs cost less per megabyte than the library's 16382.")
    var maximumPDUSize: UInt32?

    /// What the commands receive by default: DCMTK's largest `-pdu` (ASC_MAXIMUMPDUSIZE), which
    /// every peer sends without trouble. The library keeps pynetdicom's 16382.
    static let defaultMaximumPDUSize: UInt32 = 131_072

    /// The values where a flag is absent: the commands' defaults, or a configuration file's.
    struct Defaults {
        var acseTimeout: Double = 30
        var dimseTimeout: Double = 30
        var networkTimeout: Double = 60
        var maximumPDUSize: UInt32 = NetworkOptions.defaultMaximumPDUSize
    }

    /// The smallest `--max-pdu` but 0 (unlimited): DCMTK's lower bound. Less leaves a PDU
    /// little room beyond its headers, and is a typo more often than a wish.
    static let minimumPDUSize: UInt32 = 4096

    func validate() throws {
        if let maximumPDUSize, maximumPDUSize != 0, maximumPDUSize < Self.minimumPDUSize {
            throw ValidationError("--max-pdu must be 0 (unlimited) or at least \(Self.minimumPDUSize), not \(maximumPDUSize)")
        }
        for (name, value) in [("--acse-timeout", acseTimeout), ("--dimse-timeout", dimseTimeout), ("--network-timeout", networkTimeout), ("--timeout", connectionTimeout)] {
            if let value, !(value > 0) { throw ValidationError("\(name) must be a positive number of seconds, not \(value)") }
        }
    }

    /// Applies the options to `entity`, and `defaults` where a flag is absent.
    func configure(_ entity: inout ApplicationEntity, defaults: Defaults = Defaults()) {
        entity.acseTimeout = .milliseconds(Int64((acseTimeout ?? defaults.acseTimeout) * 1000))
        entity.dimseTimeout = .milliseconds(Int64((dimseTimeout ?? defaults.dimseTimeout) * 1000))
        entity.networkTimeout = .milliseconds(Int64((networkTimeout ?? defaults.networkTimeout) * 1000))
        entity.connectionTimeout = connectionTimeout.map { .milliseconds(Int64($0 * 1000)) }
        entity.maximumPDUSize = maximumPDUSize ?? defaults.maximumPDUSize
    }
}

/// `-v`, `-d`, `--log-level`: how much goes to standard error.
struct LoggingOptions: ParsableArguments {
    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Log each association's life (info level).")
    var verbose = false

    @Flag(name: [.customShort("d"), .customLong("debug")], help: "Log every PDU and state transition (trace level).")
    var debug = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Log no warnings or errors, as DCMTK's -q; unlike it, the one line saying why the command failed is still printed.")
    var quiet = false

    @Flag(name: .customLong("verbose-pc"), help: "With -v, log each association's presentation contexts too (DCMTK's +v).")
    var verbosePresentationContexts = false

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

    /// Logs an association's negotiated `contexts` at info, one line each, when --verbose-pc
    /// asks for them.
    func logPresentationContexts(_ contexts: [PresentationContext], of peer: String, logger: Logger) {
        guard verbosePresentationContexts else { return }
        for context in contexts {
            let id = context.contextID.map(String.init) ?? "?"
            var line = "presentation context \(id) with \(peer): \(Self.named(context.abstractSyntax)): \(context.result.map { "\($0)" } ?? "not answered")"
            if let syntax = context.transferSyntax { line += ", \(Self.named(syntax))" }
            if context.isAccepted, let scu = context.asSCU, let scp = context.asSCP {
                line += scu && scp ? ", SCU and SCP" : scp ? ", SCP" : ", SCU"
            }
            logger.info("\(line)")
        }
    }

    /// "CT Image Storage (1.2.840.10008.5.1.4.1.1.2)", or the bare UID when it is not registered.
    private static func named(_ uid: UID) -> String {
        UIDRegistry.name(for: uid).map { "\($0) (\(uid.string))" } ?? uid.string
    }

    /// An EVT_ACCEPTED handler for an acceptor that logs each association's contexts, when
    /// --verbose-pc asks for them; nil otherwise.
    func presentationContextLogger(_ logger: Logger) -> (@Sendable (AssociationInfo) async -> Void)? {
        guard verbosePresentationContexts else { return nil }
        let options = self
        return { info in
            options.logPresentationContexts(info.acceptance?.presentationContextDefinitionResultList ?? [], of: info.peerAETitle, logger: logger)
        }
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

    /// A logger writing to standard error at the chosen level, control characters escaped.
    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { ControlCharacterEscapingLogHandler(wrapped: StreamLogHandler.standardError(label: $0)) }
        logger.logLevel = level
        return logger
    }
}
