import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging

/// `netdicom getscu`: retrieves instances with C-GET, as DCMTK's getscu.
struct GetSCU: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "getscu",
        abstract: "Retrieve instances with C-GET: the peer sends them back on the same association.",
        discussion: """
            Proposes the information model's C-GET SOP class and, with the SCP role (PS3.7 \
            D.3.3.4), the common Storage SOP classes in the uncompressed transfer syntaxes; each \
            instance the peer sends is written to DIR/SOPInstanceUID.dcm, durably unless \
            --no-fsync (--ignore receives and discards it). The query is built from -k keys as \
            findscu's; Query/Retrieve Level defaults to STUDY.

            An instance stored compressed comes back only in its own syntax (the peer cannot \
            always decompress it): name that syntax with one of DCMTK's preferences (+xs JPEG \
            Lossless, +xy JPEG Baseline, +xv JPEG 2000 lossless, +xr RLE…) and the 30 common \
            image classes are also proposed in a context of their own in it, so that \
            compressed and uncompressed instances both arrive from an archive that sends each \
            instance in the context of its own syntax, as netdicom qrscp and pynetdicom's qrscp \
            do (the 128 contexts of an association then leave out a few rare classes: -d lists \
            them). DCMTK's dcmqrscp does not: once it accepts the compressed context it sends \
            every instance of the class in it, and those it cannot compress fail; from \
            dcmqrscp, retrieve compressed and uncompressed instances in separate runs, with \
            and without the preference.

            Example: netdicom getscu -k StudyInstanceUID=1.2.3 -od incoming localhost 11112

            An operations window (PS3.7 D.3.3.3) is proposed that lets the peer send up to 8 \
            instances at once (--async-window N to change it, 1 to propose none); a peer that \
            does not grant it (DCMTK, pynetdicom) sends one at a time, as it would anyway. \
            netdicom qrscp grants it and sends several at once, which is faster.

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
    var callingAETitle = "GETSCU"

    @Option(name: [.customLong("call"), .customLong("called-aet"), .customLong("aec", withSingleDash: true)], help: "The peer's (called) AE title.")
    var calledAETitle = "ANY-SCP"

    @Option(name: .customLong("async-window"), help: "Instances the peer may send at once, in an operations window it grants (1: propose no window).")
    var asyncWindow: UInt16 = 8

    @OptionGroup(title: "Query") var query: QueryOptions
    @OptionGroup var control: RetrieveControlOptions
    @OptionGroup(title: "Extended negotiation") var negotiation: RetrieveNegotiationOptions
    @OptionGroup(title: "Preferred storage transfer syntax") var transferSyntaxes: StorageTransferSyntaxOptions
    @OptionGroup(title: "Output") var output: OutputDirectoryOptions
    @OptionGroup(title: "Received instances") var received: ReceivedInstanceOptions
    @OptionGroup var ending: AbortOption
    @OptionGroup(title: "User identity") var identity: UserIdentityOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        try AETitleArguments.validate(callingAETitle, calledAETitle)
        guard (1...65535).contains(port) else { throw ValidationError("the port must be 1–65535") }
        if asyncWindow < 1 { throw ValidationError("--async-window must be at least 1") }
        // Every query file read now, so that one that cannot be read is an error of the arguments.
        _ = try query.identifiers(files: queryFiles, model: try query.proposedModels(files: queryFiles)[0])
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.getscu")
        let models = try query.proposedModels(files: queryFiles)
        let getClasses = models.compactMap(\.get)
        guard !getClasses.isEmpty else { throw ValidationError("the \(models[0].rawValue) model has no C-GET") }
        let queries = try query.identifiers(files: queryFiles, model: models[0])
        if received.writesFiles { try output.create(command: "getscu") }

        var entity = ApplicationEntity(aeTitle: callingAETitle)
        network.configure(&entity)
        for getClass in getClasses {
            try entity.addRequestedContext(getClass, transferSyntaxes: TransferSyntax.uncompressed.map(\.uid))
        }
        // The C-GET's contexts first; PS3.8 §9.3.2.2 allows 128 in all, so the Storage classes
        // fill the others, the common ones first (rare and retired ones are left out).
        let leftOut = try transferSyntaxes.addStorageContexts(to: &entity)
        logger.debug("\(leftOut.count) Storage SOP classes not proposed, for want of room in the A-ASSOCIATE-RQ: \(leftOut.prefix(20).map(\.string).joined(separator: ", "))\(leftOut.count > 20 ? "…" : "")")
        let counter = ReceivedCounter()
        let store = counter.counting(received.handler(directory: output.outputDirectory), logger: logger)

        var succeeded = false
        do {
            let association = try await entity.associate(
                host: host, port: port, calledAETitle: calledAETitle, userIdentity: try identity.request(),
                extendedNegotiation: getClasses.flatMap { ExtendedNegotiationRequest.items(negotiation.options, for: $0) },
                // We invoke one C-GET at a time; the peer may invoke the window's C-STOREs on us.
                asynchronousOperationsWindow: asyncWindow > 1 ? AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 1, maximumNumberOperationsPerformed: asyncWindow) : nil,
                tls: tls.client, handlers: ServiceHandlers(store: store), logger: logger)
            let (model, getClass) = QueryAssociation.acceptedModel(of: models, \.get, on: association)!
            let storageAccepted = association.acceptedContexts.filter { !getClasses.contains($0.abstractSyntax) }.count
            logger.info("association accepted by \(association.peerAETitle); \(storageAccepted) storage contexts accepted")
            logging.logPresentationContexts(association.outcome.presentationContexts, of: association.peerAETitle, logger: logger)
            identity.logResponse(of: association, logger: logger)
            ExtendedNegotiationRequest.logAnswer(negotiation.options, of: association, for: getClass, logger: logger)
            succeeded = try await QueryAssociation.run(association, sopClass: getClass, command: "getscu", ending: ending) {
                var succeeded = true
                for (name, identifier) in control.rounds(of: queries) {
                    logger.info("sending C-GET (\(model.rawValue)) for \(name)")
                    let before = counter.value
                    var report = try await RetrieveReport.collect(operation: "C-GET", cancelAfter: control.cancelAfter, progress: control.showsProgress, on: association, logger: logger) { eachPending in
                        try await association.get(identifier, model: model, eachPending: eachPending)
                    }
                    report.received = counter.value - before
                    printError("getscu: " + (queries.count > 1 ? "\(name): " : "") + report.summary("C-GET"))
                    for uid in report.failedInstances { printError("getscu: failed: \(uid)") }
                    if !report.succeeded { succeeded = false }
                }
                return succeeded
            }
        } catch let error as AssociationError {
            printError("getscu: \(ErrorText.describe(error))")
            throw ExitCode.failure
        }
        if !succeeded { throw ExitCode.failure }
    }
}
