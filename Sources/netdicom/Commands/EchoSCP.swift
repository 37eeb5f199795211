import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import ServiceLifecycle
import UnixSignals

/// `netdicom echoscp`: a Verification SCP, as DCMTK's and pynetdicom's echoscp.
struct EchoSCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echoscp",
        abstract: "Answer C-ECHO requests: a Verification SCP.",
        discussion: """
            Accepts associations proposing the Verification SOP Class with any uncompressed \
            transfer syntax and answers every C-ECHO with success. Runs until SIGINT or SIGTERM, \
            then stops accepting and lets open associations finish; a second signal aborts them.
            """
    )

    @Argument(help: "The TCP port to listen on.")
    var port: Int

    @Option(name: [.customLong("aetitle"), .customLong("ae-title"), .customLong("aet", withSingleDash: true)], help: "Our AE title.")
    var aeTitle = "ECHOSCP"

    @Option(name: [.customLong("bind"), .customLong("bind-address"), .customLong("ba", withSingleDash: true)], help: ServerBinding.help)
    var bindAddress: String?

    @Flag(name: .customLong("require-called-aet"), help: "Reject associations that do not call our AE title (reason 7).")
    var requireCalledAETitle = false

    @Option(name: .customLong("require-calling-aet"), help: "Accept only this calling AE title (repeatable; reason 3 otherwise).")
    var requireCallingAETitle: [String] = []

    @Option(name: .customLong("max-associations"), help: "How many associations to serve at once.")
    var maximumAssociations = 10

    @OptionGroup(title: "Transfer syntaxes") var transferSyntaxes: AcceptorTransferSyntaxOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("the port must be 0–65535") }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.echoscp")
        var entity = ApplicationEntity(aeTitle: aeTitle)
        network.configure(&entity)
        entity.requireCalledAETitle = requireCalledAETitle
        entity.requireCallingAETitle = requireCallingAETitle
        entity.maximumAssociations = maximumAssociations
        // Ours in order (Explicit VR Little Endian first), or the preferred one's.
        let syntaxes = transferSyntaxes.preference.map { $0.acceptedSyntaxes.filter { TransferSyntax(uid: $0).isUncompressed } }
        try entity.addSupportedContext(.verification, transferSyntaxes: syntaxes ?? TransferSyntax.uncompressed.map(\.uid))
        var handlers = ServiceHandlers()
        handlers.associationAccepted = logging.presentationContextLogger(logger)
        let tlsOptions = try tls.server()
        let (server, _) = try await ServerBinding.listen(command: "echoscp", bind: bindAddress, port: port) { host in
            try await entity.makeServer(host: host, port: port, handlers: handlers, tls: tlsOptions, logger: logger)
        }
        try await ServerLifecycle.run(server, command: "echoscp", logger: logger)
    }
}
