import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging

/// `netdicom echoscu`: verifies a peer with C-ECHO, as DCMTK's echoscu.
struct EchoSCU: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echoscu",
        abstract: "Verify a DICOM peer: associate, send C-ECHO, release.",
        discussion: """
            Proposes the Verification SOP Class with the uncompressed transfer syntaxes, sends \
            one C-ECHO request (or --repeat N on the same association) and releases (or aborts \
            with --abort). The exit status is 0 only if the association was accepted and every \
            C-ECHO answered with success; a rejection or abort is printed in words.

            To see how a peer negotiates, as with DCMTK's echoscu: --propose-ts (-pts) N \
            proposes the first N transfer syntaxes NetDICOM knows (uncompressed first), \
            --propose-pc (-ppc) N proposes N Verification contexts.
            """
    )

    @Argument(help: "The peer's host name or address.")
    var host: String

    @Argument(help: "The peer's TCP port.")
    var port: Int

    @Option(name: [.customLong("aetitle"), .customLong("calling-aet"), .customLong("aet", withSingleDash: true)], help: "Our (calling) AE title.")
    var callingAETitle = "ECHOSCU"

    @Option(name: [.customLong("call"), .customLong("called-aet"), .customLong("aec", withSingleDash: true)], help: "The peer's (called) AE title.")
    var calledAETitle = "ANY-SCP"

    @Option(name: .customLong("repeat"), help: "How many C-ECHOs to send on the association.")
    var repeatCount = 1

    @OptionGroup var ending: AbortOption
    @OptionGroup(title: "User identity") var identity: UserIdentityOptions

    @Option(name: [.customLong("propose-ts"), .customLong("pts", withSingleDash: true)],
            help: "Propose this many transfer syntaxes for Verification (default: the 4 uncompressed ones).")
    var proposedSyntaxCount: Int?

    @Flag(help: "Propose only this transfer syntax (pynetdicom's -xe, -xb, -xi).")
    var onlySyntax: OnlySyntax?

    /// pynetdicom echoscu's single proposed transfer syntax.
    enum OnlySyntax: EnumerableFlag {
        case requestLittle, requestBig, requestImplicit

        static func name(for value: OnlySyntax) -> NameSpecification {
            switch value {
            case .requestLittle: [.customLong("request-little"), .customLong("xe", withSingleDash: true)]
            case .requestBig: [.customLong("request-big"), .customLong("xb", withSingleDash: true)]
            case .requestImplicit: [.customLong("request-implicit"), .customLong("xi", withSingleDash: true)]
            }
        }

        var syntax: TransferSyntax {
            switch self {
            case .requestLittle: .explicitVRLittleEndian
            case .requestBig: .explicitVRBigEndian
            case .requestImplicit: .implicitVRLittleEndian
            }
        }
    }

    @Option(name: [.customLong("propose-pc"), .customLong("ppc", withSingleDash: true)],
            help: "Propose this many Verification presentation contexts (at most 128).")
    var proposedContextCount = 1

    @Option(name: .customLong("associations"), help: "Repeat the whole association (associate, C-ECHOs, release) this many times; with -v, print the rate.")
    var associationCount = 1

    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        try AETitleArguments.validate(callingAETitle, calledAETitle)
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard associationCount >= 1 else { throw ValidationError("--associations must be at least 1") }
        guard (1...65535).contains(port) else { throw ValidationError("the port must be 1–65535") }
        if let proposedSyntaxCount, !(1...TransferSyntax.allKnown.count).contains(proposedSyntaxCount) {
            throw ValidationError("--propose-ts must be 1–\(TransferSyntax.allKnown.count)")
        }
        guard (1...128).contains(proposedContextCount) else { throw ValidationError("--propose-pc must be 1–128") }
        if onlySyntax != nil, proposedSyntaxCount != nil { throw ValidationError("give --propose-ts or one of -xe, -xb, -xi") }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.echoscu")
        var entity = ApplicationEntity(aeTitle: callingAETitle)
        network.configure(&entity)
        let syntaxes = onlySyntax.map { [$0.syntax] }
            ?? proposedSyntaxCount.map { Array(TransferSyntax.allKnown.prefix($0)) } ?? TransferSyntax.uncompressed
        for _ in 0..<proposedContextCount {
            try entity.addRequestedContext(.verification, transferSyntaxes: syntaxes.map(\.uid))
        }
        let clock = ContinuousClock()
        let start = clock.now
        var failures = 0
        do {
            for _ in 0..<associationCount {
                failures += try await verify(with: entity, logger: logger)
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let echoes = associationCount * repeatCount
            logger.info("\(associationCount) association(s), \(echoes) C-ECHO(s) in \(String(format: "%.3f", seconds)) s: \(String(format: "%.1f", Double(associationCount) / seconds)) associations/s, \(String(format: "%.1f", Double(echoes) / seconds)) C-ECHOs/s")
            if failures > 0 { throw ExitCode.failure }
        } catch let error as AssociationError {
            printError("echoscu: \(ErrorText.describe(error))")
            throw ExitCode.failure
        }
    }
}

extension EchoSCU {
    /// One association: associate, --repeat C-ECHOs, release or abort. Returns the failed echoes.
    func verify(with entity: ApplicationEntity, logger: Logger) async throws -> Int {
        let association = try await entity.associate(
            host: host, port: port, calledAETitle: calledAETitle, userIdentity: try identity.request(), tls: tls.client, logger: logger)
        logger.debug("association accepted by \(association.peerAETitle), maximum PDU \(association.peerMaximumPDUSize)")
        logging.logPresentationContexts(association.outcome.presentationContexts, of: association.peerAETitle, logger: logger)
        identity.logResponse(of: association, logger: logger)
        // On the association's event loop for the whole run: each echo is then a round trip
        // and nothing else.
        let echoes = { () async throws(AssociationError) -> Int in
            var failures = 0
            for index in 1...repeatCount {
                let status = try await association.echo()
                logger.info("C-ECHO \(index): \(status)")
                if status.kind != .success {
                    failures += 1
                    printError("C-ECHO \(index) answered \(status)")
                }
            }
            return failures
        }
        let failures: Int
        do {
            failures = try await withTaskExecutorPreference(association.taskExecutor, operation: echoes)
        } catch {
            // Verification not accepted, say: the association still ends as asked, not with
            // the connection closed under it.
            if association.isEstablished { try? await ending.end(association) }
            throw error
        }
        try await ending.end(association)
        return failures
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    StandardStreams.error(message + "\n")
}
