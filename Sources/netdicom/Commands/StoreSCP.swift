import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `netdicom storescp`: a Storage SCP, as DCMTK's and pynetdicom's storescp.
struct StoreSCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storescp",
        abstract: "Receive instances: a Storage SCP that writes each one to a file.",
        discussion: """
            Accepts every Storage SOP Class (and Verification) in any transfer syntax the \
            requestor proposes, first choice first, and writes each instance to \
            DIR/SOPInstanceUID.dcm as a Part 10 file. An instance streams to a file created \
            unnamed in DIR, so memory stays flat for any size and a failed transfer leaves \
            nothing; the file is fsynced and linked into place before success is answered, so \
            an acknowledged instance survives a crash or power loss. A SOP Instance UID that is not safe as a file name (a path, \
            "..", control characters: anything but digits and single dots, at most 64) is refused \
            with C000H and never used as one (a leading zero in a component is accepted); a data set \
            whose SOP Class or Instance UID is not the request's is refused with A900H, one \
            without either (an empty one too) with C000H, and neither is kept, as DCMTK's \
            storescp does. So is a data set that is not well formed (C000H), or whose sequences \
            nest more than 256 deep.

            --no-fsync answers success before the data reaches the disk: faster, and like \
            DCMTK's storescp, but an acknowledged instance can be lost on power failure. \
            --ignore receives and discards (for measurements). Runs until SIGINT or SIGTERM, \
            then stops accepting and lets open associations finish; a second signal aborts them. DCMTK's +xa, +B, --fork and \
            -dhl are accepted and change nothing: every syntax is accepted, each data set is \
            written as it arrived, associations are served at once, and no host name is looked up. \
            Without a preferred syntax the requestor's first choice in each context is taken, \
            so that an instance is stored as it was sent; DCMTK's +x=, +xe, +xb, +xs, +xv… put \
            that syntax first (every other one still accepted), +xi accepts Implicit VR Little \
            Endian only. DCMTK's output options that ask for a data set written as received \
            (+F, +t=, +g=, +e, -p…) are accepted; those asking for it re-encoded (+te, -F, +g, \
            -e…) are refused, as are -xf, +ac, --inetd, -rns and the fault injection options, \
            each with the reason. --promiscuous (-pm) also accepts SOP classes the standard does \
            not know (private ones) as Storage classes.

            Naming: DIR/SOPInstanceUID.dcm by default (DCMTK's -uf is accepted and names \
            the same way; DCMTK and pynetdicom put a modality prefix, CT.UID, and no \
            extension), where a second copy \
            replaces the first; --unique-filenames (+uf) adds a suffix unique to each \
            reception, so that every copy is kept; --timenames names each file after the time \
            it arrived and a sequence number (DCMTK's -tn, which here is pynetdicom's network \
            timeout). --refuse rejects every association, --reject one whose request has no \
            Implementation Class UID; -v +v (--verbose-pc) logs each association's contexts.

            --exec-on-reception (-xcr) runs a shell command for each instance once it is \
            stored, as DCMTK's: #p is replaced by the file's directory, #f by its name, #a and \
            #c by the calling and called AE titles, #r by the peer's address (the peer's values \
            keep only letters, digits and . _ - :, so that they cannot inject shell syntax). \
            The command runs on while the next instances arrive, or, with --exec-sync (-xs), \
            before the instance is answered. Example: \
            netdicom storescp -od in -xcr 'python3 infer.py #p/#f' 11112

            As DCMTK's, --sort-on-study-uid (-su) PREFIX writes each study into a subdirectory \
            PREFIX_StudyInstanceUID, --sort-conc-studies (-ss) PREFIX into \
            PREFIX_YYYYMMDD_HHMMSSmmm and --sort-on-patientname (-sp) into \
            PatientName_YYYYMMDD_HHMMSSmmm, named when the study's first instance arrives (a \
            Study Instance UID that is not a valid UID is refused with C000H). A study has ended \
            when an instance of another study comes from the same calling AE title, or once none \
            of its instances has arrived for --eostudy-timeout (-tos) seconds (default 10); \
            --exec-on-eostudy (-xcs) then runs a shell command, #p being the \
            study's directory. --filename-extension (-fe) replaces .dcm. Example: netdicom \
            storescp -od in -su study -xcs 'python3 infer.py #p' -tos 30 11112
            """
    )

    @Argument(help: "The TCP port to listen on.")
    var port: Int

    @Option(name: [.customLong("aetitle"), .customLong("ae-title"), .customLong("aet", withSingleDash: true)], help: "Our AE title.")
    var aeTitle = "STORESCP"

    @Option(name: [.customLong("output-directory"), .customLong("od", withSingleDash: true)], help: "Where to write received instances (created if missing).")
    var outputDirectory = "."

    @Flag(name: .customLong("no-fsync"), help: "Unsafe: answer success without waiting for the disk (an acknowledged instance can be lost on power failure).")
    var noFsync = false

    @Flag(name: .customLong("ignore"), help: "Receive instances and throw them away.")
    var ignore = false

    @Flag(name: .customLong("no-echo"), help: "Do not act as a Verification SCP: C-ECHO's context is refused (pynetdicom's --no-echo).")
    var noEcho = false

    @Option(name: [.customLong("bind"), .customLong("bind-address"), .customLong("ba", withSingleDash: true)], help: ServerBinding.help)
    var bindAddress: String?

    @Option(name: .customLong("max-associations"), help: "How many associations to serve at once.")
    var maximumAssociations = 100

    @Option(name: .customLong("async-window"), help: "Operations performed at once on one association, when the requestor proposes a window (1 = one at a time).")
    var asyncWindow: UInt16 = 16

    @Flag(name: .customLong("require-called-aet"), help: "Reject associations that do not call our AE title (reason 7).")
    var requireCalledAETitle = false

    @Option(name: [.customLong("exec-on-reception"), .customLong("xcr", withSingleDash: true)],
            help: "Run this shell command for each instance stored: #p its directory, #f its file name, #a the calling and #c the called AE title, #r the peer's address.")
    var execOnReception: String?

    @Flag(name: [.customLong("exec-sync"), .customLong("xs", withSingleDash: true)],
          help: "With --exec-on-reception, answer each instance only once its command has ended.")
    var execSync = false

    @Option(name: .customLong("require-calling-aet"), help: "Accept only this calling AE title (repeatable; reason 3 otherwise).")
    var requireCallingAETitle: [String] = []

    @Option(name: [.customLong("filename-extension"), .customLong("fe", withSingleDash: true)],
            help: "The received files' extension, after the SOP Instance UID.")
    var fileExtension = ".dcm"

    @Flag(name: .customLong("unique-filenames"), help: "Name each file after its SOP Instance UID and a suffix unique to its reception, so that a second copy is kept too (+uf).")
    var uniqueFilenames = false

    @Flag(name: .customLong("timenames"), help: "Name each file after the time it arrived, and a sequence number (DCMTK's -tn; here -tn is pynetdicom's network timeout).")
    var timeNames = false

    @Flag(name: [.customLong("promiscuous"), .customLong("pm", withSingleDash: true)],
          help: "Also accept SOP classes the standard does not know (private ones), as Storage classes (-pm).")
    var promiscuous = false

    @OptionGroup var refusal: AcceptorRefusalOptions
    @OptionGroup(title: "Transfer syntaxes") var transferSyntaxes: AcceptorTransferSyntaxOptions

    @Option(name: [.customLong("sort-on-study-uid"), .customLong("su", withSingleDash: true)],
            help: ArgumentHelp("Write each study into a subdirectory PREFIX_StudyInstanceUID.", valueName: "prefix"))
    var sortOnStudyUID: String?

    @Option(name: [.customLong("sort-conc-studies"), .customLong("ss", withSingleDash: true)],
            help: ArgumentHelp("Write each study into a subdirectory PREFIX_YYYYMMDD_HHMMSSmmm (its first instance's time).", valueName: "prefix"))
    var sortConcurrentStudies: String?

    @Flag(name: [.customLong("sort-on-patientname"), .customLong("sp", withSingleDash: true)],
          help: "Write each study into a subdirectory PatientName_YYYYMMDD_HHMMSSmmm.")
    var sortOnPatientName = false

    @Option(name: [.customLong("exec-on-eostudy"), .customLong("xcs", withSingleDash: true)],
            help: "With a sorting option, run this shell command when a study has ended: #p its directory, #a #c #r as for -xcr.")
    var execOnEndOfStudy: String?

    @Option(name: [.customLong("eostudy-timeout"), .customLong("tos", withSingleDash: true)],
            help: "With a sorting option, seconds without an instance of a study after which it has ended.")
    var endOfStudyTimeout: Double = 10

    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("the port must be 0–65535") }
        guard asyncWindow >= 1 else { throw ValidationError("--async-window must be at least 1") }
        if execOnReception != nil, ignore { throw ValidationError("--exec-on-reception needs the files that --ignore does not write") }
        if execSync, execOnReception == nil { throw ValidationError("--exec-sync needs --exec-on-reception") }
        let sortings = [sortOnStudyUID != nil, sortConcurrentStudies != nil, sortOnPatientName].filter { $0 }.count
        if sortings > 1 { throw ValidationError("give one of --sort-on-study-uid, --sort-conc-studies and --sort-on-patientname") }
        if sortings > 0, ignore { throw ValidationError("sorting needs the files that --ignore does not write") }
        if execOnEndOfStudy != nil, sortings == 0 {
            throw ValidationError("--exec-on-eostudy needs --sort-on-study-uid, --sort-conc-studies or --sort-on-patientname")
        }
        guard endOfStudyTimeout > 0 else { throw ValidationError("--eostudy-timeout must be positive") }
        for prefix in [sortOnStudyUID, sortConcurrentStudies].compactMap({ $0 }) where prefix.contains("/") || prefix == "." || prefix == ".." {
            throw ValidationError("a sorting prefix is a name, not a path: \(prefix)")
        }
        if fileExtension.contains("/") { throw ValidationError("--filename-extension must not hold a /") }
        if uniqueFilenames && timeNames { throw ValidationError("--unique-filenames or --timenames: one naming") }
    }

    /// The sorting asked for, if any.
    var sortingScheme: StudySorting.Scheme? {
        if let prefix = sortOnStudyUID { return .studyUID(prefix: prefix) }
        if let prefix = sortConcurrentStudies { return .timestamp(prefix: prefix) }
        return sortOnPatientName ? .patientName : nil
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.storescp")
        var entity = ApplicationEntity(aeTitle: aeTitle)
        network.configure(&entity)
        entity.requireCalledAETitle = requireCalledAETitle
        entity.requireCallingAETitle = requireCallingAETitle
        entity.maximumAssociations = maximumAssociations
        // In the requestor's terms (PS3.7 D.3.3.3): it may invoke up to the window; we invoke nothing.
        entity.asynchronousOperationsWindow = AsynchronousOperationsWindow(maximumNumberOperationsInvoked: asyncWindow, maximumNumberOperationsPerformed: 1)
        // Without a preference, the sender's first choice, usually its file's own syntax: kept
        // byte for byte.
        let accepted = transferSyntaxes.configure(&entity)
        if !noEcho { try entity.addSupportedContext(.verification, transferSyntaxes: accepted.other) }
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: accepted.storage)
        if promiscuous {
            entity.unknownSOPClassContext = PresentationContext(abstractSyntax: .secondaryCaptureImageStorage, transferSyntaxes: accepted.storage)
        }
        let store: StoreHandler
        if ignore {
            store = .discard
        } else {
            do {
                try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            } catch {
                printError("storescp: cannot create \(outputDirectory): \(ErrorText.describe(error))")
                throw ExitCode.failure
            }
            let naming = ReceivedFileNaming(uniqueFilenames ? .unique : timeNames ? .time : .instanceUID, fileExtension: fileExtension)
            let (directory, durable) = (outputDirectory, !noFsync)
            let destination: @Sendable (StoreRequest) -> StoreDestination = { request in
                guard let name = naming.name(forSOPInstanceUID: request.message.affectedSOPInstanceUID.string) else {
                    logger.warning("refused an instance from \(request.association.peerAETitle) (C000H): its SOP Instance UID \"\(request.message.affectedSOPInstanceUID.string.prefix(80))\" is not a valid UID")
                    return .refuse(.cannotUnderstand)
                }
                return .file(path: "\(directory)/\(name)", durable: durable)
            }
            let command = execOnReception.map { ReceptionCommand(template: $0, synchronous: execSync, logger: logger) }
            let sorting = sortingScheme.map { scheme in
                StudySorting(
                    scheme: scheme, root: outputDirectory, durable: !noFsync, endOfStudyTimeout: .milliseconds(Int64(endOfStudyTimeout * 1000)),
                    endOfStudyCommand: execOnEndOfStudy.map { ReceptionCommand(template: $0, synchronous: true, logger: logger, label: "exec-on-eostudy") },
                    logger: logger)
            }
            var logging = StoreHandler(destination: destination) { instance in
                let uid = instance.request.message.affectedSOPInstanceUID
                let peer = instance.request.association.peerAETitle
                guard case .file(var path) = instance.location else { return .success }
                if let fault = instance.identityFault {
                    _ = unlink(path)
                    logger.warning("refused \(uid) from \(peer) (\(fault.status.hexCode)): \(fault)")
                    return fault.status
                }
                if let sorting {
                    do throws(SortingError) {
                        path = try sorting.file(instance, at: path)
                    } catch {
                        logger.warning("could not store \(uid) from \(peer): \(error)")
                        return error.isInstanceFault ? .cannotUnderstand : .outOfResources
                    }
                }
                logger.info("stored \(uid) from \(peer) in \(path) (\(instance.dataSetLength) bytes)")
                if let command {
                    await command.run(forFileAt: path, association: instance.request.association)
                }
                return .success
            }
            // Sorting and starting a process block: not on the event loop.
            logging.receivedNeverBlocks = command == nil && sorting == nil
            store = logging
        }
        var handlers = ServiceHandlers(store: store)
        handlers.associationAccepted = logging.presentationContextLogger(logger)
        handlers.screenAssociation = refusal.screening
        let tlsOptions = try tls.server()
        let (server, _) = try await ServerBinding.listen(command: "storescp", bind: bindAddress, port: port) { host in
            try await entity.makeServer(host: host, port: port, handlers: handlers, tls: tlsOptions, logger: logger)
        }
        try await ServerLifecycle.run(server, command: "storescp", logger: logger)
    }
}
