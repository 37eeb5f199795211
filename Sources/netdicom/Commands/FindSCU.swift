import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging

/// `netdicom findscu`: queries a peer with C-FIND, as DCMTK's findscu.
struct FindSCU: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findscu",
        abstract: "Query a DICOM peer: associate, send C-FIND, print the matches, release.",
        discussion: """
            The query is built from -k keys (and from query files, if given: one C-FIND per \
            file, the -k keys overriding its elements). Query/Retrieve Level defaults to STUDY. \
            Each match is printed to standard output as `netdicom dump` prints a data set, after \
            a `# match N` line; logs and the summary go to standard error.

            Example: netdicom findscu -S -k QueryRetrieveLevel=STUDY -k PatientName='DOE*' \
            -k StudyInstanceUID= -k StudyDate= localhost 11112

            With --repeat N the queries are sent N times over, one after the other on the one \
            association (as DCMTK's findscu --repeat), and one summary line covers them all: \
            the way to measure an SCP's C-FINDs per second.

            The exit status is 0 when every C-FIND ended with success (or a warning, or was \
            cancelled as --cancel asked), 1 otherwise.
            """
    )

    @Argument(help: "The peer's host name or address.")
    var host: String

    @Argument(help: "The peer's TCP port.")
    var port: Int

    @Argument(help: "DICOM files whose data sets are queries (optional).", completion: .file())
    var queryFiles: [String] = []

    @Option(name: [.customLong("aetitle"), .customLong("calling-aet"), .customLong("aet", withSingleDash: true)], help: "Our (calling) AE title.")
    var callingAETitle = "FINDSCU"

    @Option(name: [.customLong("call"), .customLong("called-aet"), .customLong("aec", withSingleDash: true)], help: "The peer's (called) AE title.")
    var calledAETitle = "ANY-SCP"

    @Flag(name: [.customShort("W"), .customLong("worklist")], help: "Use the Modality Worklist information model.")
    var worklist = false

    @OptionGroup(title: "Query") var query: QueryOptions

    @Option(name: .customLong("cancel"), help: "Send C-CANCEL after this many responses.")
    var cancelAfter: Int?

    @Option(name: .customLong("repeat"), help: "Send the queries this many times on the one association.")
    var repeatCount = 1

    @Flag(name: [.customShort("X"), .customLong("extract"), .customShort("w"), .customLong("write")], help: "Also write each match to rspNNNN.dcm in the output directory.")
    var extract = false

    @Flag(name: [.customLong("extract-xml"), .customLong("Xx", withSingleDash: true)],
          help: "Also write each match to rspNNNN.xml in the output directory, in DCMTK's XML (-Xx).")
    var extractXML = false

    @Option(name: [.customLong("extract-xml-single"), .customLong("Xs", withSingleDash: true)],
            help: ArgumentHelp("Also write every match into this one XML file, <responses type=\"C-FIND\"> (-Xs).", valueName: "file"))
    var extractXMLSingle: String?

    @Option(name: [.customLong("limit-output"), .customLong("Xlo", withSingleDash: true)],
            help: ArgumentHelp("Write at most this many matches of each C-FIND to files (-X, -Xx, -Xs).", valueName: "n"))
    var limitOutput: Int?

    @Flag(name: [.customLong("hide-responses"), .customLong("sr", withSingleDash: true)],
          help: "Print no matches (DCMTK's -sr): the summary only, and the files of -X.")
    var hideResponses = false

    @OptionGroup(title: "Extended negotiation") var negotiation: FindNegotiationOptions
    @OptionGroup(title: "Output") var output: OutputDirectoryOptions
    @OptionGroup var ending: AbortOption
    @OptionGroup(title: "User identity") var identity: UserIdentityOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        try AETitleArguments.validate(callingAETitle, calledAETitle)
        guard (1...65535).contains(port) else { throw ValidationError("the port must be 1–65535") }
        if let cancelAfter, cancelAfter < 1 { throw ValidationError("--cancel must be at least 1") }
        if let limitOutput, limitOutput < 1 { throw ValidationError("--limit-output must be at least 1") }
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        // Every query file read now, so that one that cannot be read is an error of the arguments.
        _ = try query.identifiers(files: queryFiles, model: try query.proposedModels(worklist: worklist, files: queryFiles)[0])
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.findscu")
        let models = try query.proposedModels(worklist: worklist, files: queryFiles)
        let queries = try query.identifiers(files: queryFiles, model: models[0])
        if extract || extractXML { try output.create(command: "findscu") }
        var entity = ApplicationEntity(aeTitle: callingAETitle)
        network.configure(&entity)
        for model in models {
            try entity.addRequestedContext(model.find, transferSyntaxes: TransferSyntax.uncompressed.map(\.uid))
        }
        let succeeded: Bool
        do {
            let association = try await entity.associate(
                host: host, port: port, calledAETitle: calledAETitle, userIdentity: try identity.request(),
                extendedNegotiation: models.flatMap { ExtendedNegotiationRequest.items(negotiation.options, for: $0.find) }, tls: tls.client, logger: logger)
            let model = QueryAssociation.acceptedModel(of: models, { $0.find }, on: association)!.model
            identity.logResponse(of: association, logger: logger)
            logger.info("association accepted by \(association.peerAETitle)")
            logging.logPresentationContexts(association.outcome.presentationContexts, of: association.peerAETitle, logger: logger)
            ExtendedNegotiationRequest.logAnswer(negotiation.options, of: association, for: model.find, logger: logger)
            succeeded = try await QueryAssociation.run(association, sopClass: model.find, command: "findscu", ending: ending) {
                let syntax = association.acceptedContext(for: model.find)?.transferSyntax.map { TransferSyntax(uid: $0) } ?? .implicitVRLittleEndian
                var matchNumber = 0
                let (jobs, continuation) = AsyncStream.makeStream(of: [PrintJob].self)
                var printJobs = PrintQueue(continuation)
                let printer = printing(jobs, syntax: syntax, findClass: model.find, logger: logger)
                // On the association's event loop for the whole run, where the responses arrive:
                // each C-FIND is then a round trip without a hop to another thread and back.
                do {
                    try await withTaskExecutorPreference(association.taskExecutor) {
                        for _ in 0..<repeatCount {
                            for (name, identifier) in queries {
                                logger.info("sending C-FIND (\(model.rawValue)) for \(name)")
                                let outcome = try await find(identifier, model: model, on: association, matchNumber: &matchNumber, printing: &printJobs, logger: logger)
                                printJobs.add(.ended(outcome, name: queries.count > 1 ? name : nil))
                                // Without --repeat, each C-FIND's summary comes when it ends.
                                if repeatCount == 1 { printJobs.flush() }
                            }
                        }
                    }
                } catch {
                    // What came before the failure is printed first.
                    printJobs.finish()
                    _ = await printer.value
                    throw error
                }
                printJobs.finish()
                let repeated = await printer.value
                if repeatCount > 1 { printError(repeated.summary) }
                return repeated.failed == 0
            }
        } catch let error as AssociationError {
            printError("findscu: \(ErrorText.describe(error))")
            throw ExitCode.failure
        }
        if !succeeded { throw ExitCode.failure }
    }
}

extension FindSCU {
    /// What the C-FINDs of --repeat came to, for one summary line instead of one per C-FIND.
    struct Repeated {
        var finds = 0
        var matches = 0
        var failed = 0
        var lastFailure: String?

        mutating func add(_ outcome: Outcome) {
            finds += 1
            matches += outcome.matches
            if !outcome.succeeded {
                failed += 1
                lastFailure = outcome.summary(name: nil)
            }
        }

        var summary: String {
            var text = "findscu: \(finds) C-FINDs, \(matches) match\(matches == 1 ? "" : "es"), \(failed) failed"
            if let lastFailure { text += "; the last failure: " + lastFailure.dropFirst("findscu: ".count) }
            return text
        }
    }

    /// What one C-FIND came to.
    struct Outcome {
        var matches = 0
        var final: QueryResponse?
        var cancelled = false
        /// The responses before the C-CANCEL-RQ went (more may follow, sent before the peer saw it).
        var cancelledAfter = 0

        var succeeded: Bool {
            guard let status = final?.status else { return false }
            return status.kind == .success || status.kind == .warning || (cancelled && status.kind == .cancel)
        }

        func summary(name: String?) -> String {
            var text = "findscu: " + (name.map { "\($0): " } ?? "") + "\(matches) match\(matches == 1 ? "" : "es")"
            if cancelled {
                text += "; C-CANCEL sent after \(cancelledAfter) response\(cancelledAfter == 1 ? "" : "s")"
            }
            if let final {
                text += "; final status \(final.status)"
                if let comment = final.errorComment { text += " (\(comment))" }
            } else {
                text += "; no final response"
            }
            return text
        }
    }

    /// Sends one C-FIND and hands its matches to the printing task (``printing(_:syntax:findClass:logger:)``) a
    /// chunk at a time. With --cancel, a C-CANCEL-RQ goes after that many responses, and the
    /// responses go on being read to the final one (Cancel, FE00H, from a peer that honours it),
    /// as DCMTK's findscu does.
    func find(
        _ identifier: DataSet, model: QueryRetrieveModel, on association: Association,
        matchNumber: inout Int, printing: inout PrintQueue, logger: Logger
    ) async throws -> Outcome {
        let firstNumber = matchNumber
        let cancelAfter = self.cancelAfter
        var outcome = Outcome()
        var chunk: [QueryResponse] = []
        var chunkStart = firstNumber + 1
        // Each response handed over as it comes, on this task: no stream per C-FIND.
        let final: QueryResponse
        do {
            final = try await association.find(identifier, model: model) { response in
                outcome.matches += 1
                let number = firstNumber + outcome.matches
                logger.info("C-FIND response \(number): \(response.status)")
                // Decoded by the printing task, not here on the association's event loop.
                chunk.append(response)
                if chunk.count >= Self.printJobSize {
                    printing.add(.matches(chunk, firstNumber: chunkStart))
                    chunkStart += chunk.count
                    chunk = []
                }
                if let cancelAfter, outcome.matches == cancelAfter, !outcome.cancelled, let id = response.messageIDBeingRespondedTo {
                    logger.info("cancelling the C-FIND after \(cancelAfter) responses")
                    outcome.cancelled = true
                    outcome.cancelledAfter = outcome.matches
                    try await association.cancel(messageID: id)
                }
            }
        } catch {
            if !chunk.isEmpty { printing.add(.matches(chunk, firstNumber: chunkStart)) }
            throw error
        }
        if !chunk.isEmpty { printing.add(.matches(chunk, firstNumber: chunkStart)) }
        outcome.final = final
        matchNumber += outcome.matches
        return outcome
    }

    /// How much printed text is gathered before it is written out.
    static let printChunk = 64 * 1024

    /// Writes `text` to standard output, and empties it.
    static func print(_ text: inout [UInt8]) {
        guard !text.isEmpty else { return }
        text.withUnsafeBufferPointer { StandardStreams.output($0) }
        text.removeAll(keepingCapacity: true)
    }

    /// rspNNNN: the name DCMTK's findscu gives the `number`th match's file.
    static func responseName(_ number: Int) -> String {
        let digits = String(number)
        return "rsp\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)"
    }

    /// Writes an XML document to `path`.
    static func writeXML(_ document: String, to path: String) {
        do {
            try Data(document.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            printError("findscu: cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Writes a match as a Part 10 file, rspNNNN.dcm, as DCMTK's findscu --extract does. A
    /// match has no SOP Class nor Instance UID of its own: its meta information names the
    /// C-FIND's SOP class, `findClass`, and a new UID, as DCMTK's names one of its own and a
    /// new UID (empty ones made the files invalid Part 10).
    static func write(_ match: DataSet, syntax: TransferSyntax, findClass: UID, number: Int, directory: String) {
        let path = "\(directory)/\(responseName(number)).dcm"
        let meta = FileMetaInformation.make(
            sopClassUID: match.uid(.sopClassUID) ?? findClass, sopInstanceUID: match.uid(.sopInstanceUID) ?? UID.generate(), transferSyntax: syntax)
        do {
            try DICOMFile(fileMetaInformation: meta, dataSet: match, transferSyntax: syntax).write(toFileAt: path, durable: false)
        } catch {
            printError("findscu: cannot write \(path): \(ErrorText.describe(error))")
        }
    }
}
