import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging

/// `netdicom movescu`: retrieves instances with C-MOVE, as DCMTK's movescu.
struct MoveSCU: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "movescu",
        abstract: "Retrieve instances with C-MOVE: the peer sends them to a destination AE.",
        discussion: """
            Sends a C-MOVE asking the peer to store the matching instances at the AE -aem (our \
            own AE title by default), which the peer must know by title, host and port. The \
            query is built from -k keys as findscu's; Query/Retrieve Level defaults to STUDY.

            With --store (or --store-port N), movescu first starts a Storage SCP of its own \
            under our AE title (or --store-aet's, then the default destination) on port N (default 11113), writing each instance it receives to \
            DIR/SOPInstanceUID.dcm (durably unless --no-fsync; --ignore discards it), and stops \
            it once the C-MOVE is over. It accepts every transfer syntax, the requestor's first \
            choice in each context, unless a preference says otherwise, as storescp's: DCMTK's \
            +x=, +xi, +xs, +xv… (--implicit accepts Implicit VR Little Endian alone). DCMTK's -pi \
            and -pr are accepted and change nothing (a data set in a pending response is read, \
            whatever it holds), as is --no-port (no Storage SCP runs without --store).

            Example: netdicom movescu --store --store-port 11113 -od incoming \
            -k StudyInstanceUID=1.2.3 localhost 11112

            On a terminal, a progress line counts the sub-operations done from the pending \
            responses (--no-progress: none); with -v, each pending response is logged to \
            standard error; a summary always goes there. The exit status is 0 only if every sub-operation succeeded. \
            --cancel N sends a C-CANCEL after N pending responses (as DCMTK's movescu); the \
            peer then ends the retrieve with Cancel (FE00H), which counts as success. --repeat N \
            sends it N times over on the one association.
            """
    )

    @Argument(help: "The peer's host name or address.")
    var host: String

    @Argument(help: "The peer's TCP port.")
    var port: Int

    @Argument(help: "DICOM files whose data sets are queries (optional).", completion: .file())
    var queryFiles: [String] = []

    @Option(name: [.customLong("aetitle"), .customLong("calling-aet"), .customLong("aet", withSingleDash: true)], help: "Our (calling) AE title.")
    var callingAETitle = "MOVESCU"

    @Option(name: [.customLong("call"), .customLong("called-aet"), .customLong("aec", withSingleDash: true)], help: "The peer's (called) AE title.")
    var calledAETitle = "ANY-SCP"

    @Option(name: [.customLong("move"), .customLong("move-aet"), .customLong("aem", withSingleDash: true)], help: "The move destination's AE title (default: our AE title).")
    var moveDestination: String?

    @Flag(name: .customLong("store"), help: "Receive the instances ourselves: run a Storage SCP while the C-MOVE lasts.")
    var store = false

    @Option(name: [.customLong("store-port"), .customLong("port")],
            help: "The port of our Storage SCP (implies --store; default 11113). DCMTK's --port and +P N are taken for it.")
    var storePort: Int?

    @Option(name: .customLong("store-bind"), help: ServerBinding.help)
    var storeBindAddress: String?

    @Option(name: .customLong("store-aet"), help: "Our Storage SCP's AE title, and the default move destination (default: our AE title).")
    var storeAETitle: String?

    @OptionGroup(title: "Query") var query: QueryOptions
    @OptionGroup var control: RetrieveControlOptions
    @OptionGroup(title: "Extended negotiation") var negotiation: RetrieveNegotiationOptions
    @OptionGroup(title: "Output") var output: OutputDirectoryOptions
    @OptionGroup(title: "Received instances (with --store)") var received: ReceivedInstanceOptions
    @OptionGroup(title: "Transfer syntaxes (with --store)") var transferSyntaxes: AcceptorTransferSyntaxOptions
    @OptionGroup var ending: AbortOption
    @OptionGroup(title: "User identity") var identity: UserIdentityOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    /// Whether to run our own Storage SCP.
    var runsStorageSCP: Bool { store || storePort != nil }

    func validate() throws {
        try AETitleArguments.validate(callingAETitle, calledAETitle)
        guard (1...65535).contains(port) else { throw ValidationError("the port must be 1–65535") }
        if let storePort, !(1...65535).contains(storePort) { throw ValidationError("--store-port must be 1–65535") }
        // Every query file read now, so that one that cannot be read is an error of the arguments.
        _ = try query.identifiers(files: queryFiles, model: try query.proposedModels(files: queryFiles)[0])
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.movescu")
        let models = try query.proposedModels(files: queryFiles)
        let moveClasses = models.compactMap(\.move)
        guard !moveClasses.isEmpty else { throw ValidationError("the \(models[0].rawValue) model has no C-MOVE") }
        let queries = try query.identifiers(files: queryFiles, model: models[0])
        let destination = moveDestination ?? storeAETitle ?? callingAETitle

        var entity = ApplicationEntity(aeTitle: callingAETitle)
        network.configure(&entity)
        for moveClass in moveClasses {
            try entity.addRequestedContext(moveClass, transferSyntaxes: TransferSyntax.uncompressed.map(\.uid))
        }

        let counter = ReceivedCounter()
        var server: (AssociationServer, Task<Void, any Error>)?
        if runsStorageSCP {
            if received.writesFiles { try output.create(command: "movescu") }
            server = try await startStorageSCP(counter: counter, logger: logger)
        }

        var succeeded = false
        var failure: (any Error)?
        do {
            let association = try await entity.associate(
                host: host, port: port, calledAETitle: calledAETitle, userIdentity: try identity.request(),
                extendedNegotiation: moveClasses.flatMap { ExtendedNegotiationRequest.items(negotiation.options, for: $0) }, tls: tls.client, logger: logger)
            let (model, moveClass) = QueryAssociation.acceptedModel(of: models, \.move, on: association)!
            identity.logResponse(of: association, logger: logger)
            logger.info("association accepted by \(association.peerAETitle)")
            logging.logPresentationContexts(association.outcome.presentationContexts, of: association.peerAETitle, logger: logger)
            ExtendedNegotiationRequest.logAnswer(negotiation.options, of: association, for: moveClass, logger: logger)
            succeeded = try await QueryAssociation.run(association, sopClass: moveClass, command: "movescu", ending: ending) {
                var succeeded = true
                for (name, identifier) in control.rounds(of: queries) {
                    logger.info("sending C-MOVE (\(model.rawValue)) for \(name) to \(destination)")
                    let before = counter.value
                    var report = try await RetrieveReport.collect(operation: "C-MOVE", cancelAfter: control.cancelAfter, progress: control.showsProgress, on: association, logger: logger) { eachPending in
                        try await association.move(identifier, to: destination, model: model, eachPending: eachPending)
                    }
                    report.received = counter.value - before
                    printError("movescu: " + (queries.count > 1 ? "\(name): " : "") + report.summary("C-MOVE"))
                    for uid in report.failedInstances { printError("movescu: failed: \(uid)") }
                    if !report.succeeded { succeeded = false }
                }
                return succeeded
            }
        } catch let error as AssociationError {
            printError("movescu: \(ErrorText.describe(error))")
            failure = ExitCode.failure
        } catch {
            failure = error
        }
        if let (scp, task) = server {
            // Stops listening; associations still open (the peer's last release) finish first.
            await scp.shutdown()
            try? await task.value
        }
        if let failure { throw failure }
        if !succeeded { throw ExitCode.failure }
    }

    /// Starts the Storage SCP that receives the instances: every Storage SOP class in every
    /// known transfer syntax, the sender's first choice kept so that files stay byte for byte;
    /// or, with a +x option, as storescp accepts them with it.
    private func startStorageSCP(counter: ReceivedCounter, logger: Logger) async throws -> (AssociationServer, Task<Void, any Error>) {
        let aeTitle = storeAETitle ?? callingAETitle
        var entity = ApplicationEntity(aeTitle: aeTitle)
        network.configure(&entity)
        // A sender that proposes an operations window (our qrscp) may have 16 C-STOREs in flight.
        entity.asynchronousOperationsWindow = AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 16, maximumNumberOperationsPerformed: 1)
        let accepted = transferSyntaxes.configure(&entity)
        try entity.addSupportedContext(.verification, transferSyntaxes: accepted.other)
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: accepted.storage)
        let handlers = ServiceHandlers(store: counter.counting(received.handler(directory: output.outputDirectory), logger: logger))
        let port = storePort ?? 11113
        let server: AssociationServer
        let host: String
        do {
            (server, host) = try await ServerBinding.makeServer(bind: storeBindAddress) { [handlers] host in
                try await entity.makeServer(host: host, port: port, handlers: handlers, logger: logger)
            }
        } catch {
            printError("movescu: \(ServerBinding.failure(error, bind: storeBindAddress, port: port))")
            throw ExitCode.failure
        }
        logger.info("storage SCP \(aeTitle) listening on \(ListeningAddress.display(host: host, port: server.port))")
        let task = Task { try await server.run() }
        return (server, task)
    }
}
