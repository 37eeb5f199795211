import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging
import Synchronization

/// `netdicom storescu`: a Storage SCU, as DCMTK's and pynetdicom's storescu.
struct StoreSCU: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storescu",
        abstract: "Send DICOM files to a Storage SCP over one association.",
        discussion: """
            PATH may be files or directories (searched recursively unless --no-recurse, for the \
            files whose names match --scan-pattern (+sp) if given; DCMTK's +sd, +r, -nh and -R \
            and pynetdicom's -r are accepted and change nothing: it goes on after a failed file, \
            and proposes only its files' SOP classes; so are +f, +fo, -f and +C: a file's form \
            is detected, and the syntaxes proposed as said below). Each file is identified by its \
            data set's SOP Class and Instance UIDs (0008,0016) and (0008,0018), as DCMTK's storescu \
            identifies it, and sent in the transfer syntax its meta information names, or the one \
            its data set is plainly encoded in; a file whose data set lacks those UIDs (meta \
            information only, or cut short), or whose meta information names a compressed syntax \
            over an Implicit VR data set, is not sent. These decide the presentation contexts: \
            each SOP class is proposed once per \
            transfer syntax among its files, led by that syntax (an uncompressed one followed by \
            Explicit and Implicit VR Little Endian, so that a file the peer does not accept as it \
            is can be converted; a compressed one alone). DCMTK's proposals (-x=, -xs, -xv, \
            --propose-rle…) are accepted and change nothing, but -xi (--propose-implicit; \
            pynetdicom's --request-implicit): the uncompressed files' contexts then propose \
            Implicit VR Little Endian alone, and files in another syntax are converted as they \
            are sent. Files up to 64 KiB are read once, when the contexts are chosen, and sent \
            from memory (64 MiB of them at most); files up to 4 MiB are read two ahead of their \
            turn while others are on the wire (16 MiB in all at most); larger ones stream from \
            disk (memory stays flat for any size). A progress line is shown on a terminal (its byte count moves \
            within a large file too); at the end a summary, and \
            one line per failed file. The exit status is 1 if any file failed.

            --async-window N proposes an asynchronous operations window: with a peer that \
            grants it, up to N C-STOREs are in flight at once, which is much faster for many \
            small files. Peers that do not grant it get one at a time.

            As DCMTK's: --rename (+rn) renames each file once sent, to NAME.done, or NAME.bad \
            when the peer refused it; --repeat N sends the files N times over (a load test); \
            --invent-instance (+II) gives every instance sent a new SOP Instance UID and puts it \
            in invented series, studies and patients (a new series every --invent-series (+IR) \
            instances, a new study every --invent-study (+IS) series, a new patient every \
            --invent-patient (+IP) studies: 100, 50 and 25 by default), so that the same files \
            fill an archive as new data would; each is then read whole, changed and encoded again \
            in its own transfer syntax.
            """
    )

    @Argument(help: "The peer's host name or address.")
    var host: String

    @Argument(help: "The peer's TCP port.")
    var port: Int

    @Argument(help: "Files or directories to send.")
    var paths: [String]

    @Option(name: [.customLong("aetitle"), .customLong("calling-aet"), .customLong("aet", withSingleDash: true)], help: "Our (calling) AE title.")
    var callingAETitle = "STORESCU"

    @Option(name: [.customLong("call"), .customLong("called-aet"), .customLong("aec", withSingleDash: true)], help: "The peer's (called) AE title.")
    var calledAETitle = "ANY-SCP"

    @Option(name: .customLong("async-window"), help: "C-STOREs in flight at once, if the peer grants an operations window.")
    var asyncWindow: UInt16 = 1

    @Flag(name: [.customLong("propose-implicit"), .customLong("request-implicit"), .customLong("xi", withSingleDash: true)],
          help: "Propose Implicit VR Little Endian alone for the uncompressed files, and convert those in another syntax (DCMTK's and pynetdicom's -xi).")
    var proposeImplicit = false

    @Flag(name: .customLong("no-progress"), help: "No progress line, even on a terminal.")
    var noProgress = false

    @Flag(name: .customLong("no-recurse"), help: "Send the files of a directory, not those of its subdirectories.")
    var noRecurse = false

    @Option(name: .customLong("scan-pattern"), help: ArgumentHelp("Send only the files of a directory whose names match this wild card (+sp).", valueName: "pattern"))
    var scanPattern: String?

    @Flag(name: .customLong("rename"), help: "Rename each file once sent: NAME.done, or NAME.bad if refused (+rn).")
    var rename = false

    @Option(name: .customLong("max-send-pdu"), help: ArgumentHelp("Send P-DATA-TF PDUs of at most n bytes (4096–131072), even to a peer that accepts larger ones (DCMTK's --max-send-pdu).", valueName: "n"))
    var maximumSendPDUSize: UInt32?

    @Option(name: .customLong("repeat"), help: "Send the files this many times over.")
    var repeatCount = 1

    @Flag(name: .customLong("invent-instance"), help: "Give every instance sent a new SOP Instance UID, in invented series, studies and patients (+II).")
    var inventInstance = false

    @Option(name: .customLong("invent-series"), help: ArgumentHelp("A new series after this many instances (+IR; default 100; implies --invent-instance).", valueName: "n"))
    var inventSeries: Int?

    @Option(name: .customLong("invent-study"), help: ArgumentHelp("A new study after this many series (+IS; default 50; implies --invent-instance).", valueName: "n"))
    var inventStudy: Int?

    @Option(name: .customLong("invent-patient"), help: ArgumentHelp("A new patient after this many studies (+IP; default 25; implies --invent-instance).", valueName: "n"))
    var inventPatient: Int?

    @OptionGroup var ending: AbortOption
    @OptionGroup(title: "User identity") var identity: UserIdentityOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        try AETitleArguments.validate(callingAETitle, calledAETitle)
        guard (1...65535).contains(port) else { throw ValidationError("the port must be 1–65535") }
        guard asyncWindow >= 1 else { throw ValidationError("--async-window must be at least 1") }
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if let maximumSendPDUSize, !(4096...131_072).contains(maximumSendPDUSize) {
            throw ValidationError("--max-send-pdu must be 4096–131072")
        }
        if rename && repeatCount > 1 { throw ValidationError("--rename sends each file once: not with --repeat") }
        for (count, name) in [(inventSeries, "--invent-series"), (inventStudy, "--invent-study"), (inventPatient, "--invent-patient")] {
            if let count, count < 1 { throw ValidationError("\(name) must be at least 1") }
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.storescu")
        let (files, missing) = Self.collect(paths, recursive: !noRecurse, pattern: scanPattern)
        guard missing.isEmpty else {
            // As DCMTK's storescu: a path that names nothing stops the run before it sends.
            for path in missing { printError("storescu: \(path): no such file or directory") }
            throw ExitCode.failure
        }
        guard !files.isEmpty else {
            printError("storescu: no files found in \(paths.joined(separator: " "))")
            throw ExitCode.failure
        }
        var failures: [(String, String)] = []
        var instances: [PendingInstance] = []
        var kept = 0
        for path in files {
            do {
                instances.append(try PendingInstance(path: path, keepingBytes: &kept))
            } catch let error as DICOMParsingError where [.notPart10, .invalidFileMetaInformation, .missingTransferSyntax].contains(error.code) {
                failures.append((path, "not a DICOM Part 10 file: \(ErrorText.describe(error))"))
                if rename { Self.markSent(path, succeeded: false) }
            } catch {
                // Unreadable, truncated or malformed, or a UID no request could carry.
                failures.append((path, "not sent: \(ErrorText.describe(error))"))
                if rename { Self.markSent(path, succeeded: false) }
            }
        }

        var entity = ApplicationEntity(aeTitle: callingAETitle)
        network.configure(&entity)
        entity.maximumSendPDUSize = maximumSendPDUSize
        let proposal = StorageContextProposal(
            instances.map { ($0.sopClassUID, $0.transferSyntax.uid) }, uncompressedSyntaxes: proposeImplicit ? [.implicitVRLittleEndian] : nil)
        if !proposal.unproposed.isEmpty {
            printError("storescu: \(proposal.unproposed.count) SOP classes found no room in the 128 presentation contexts one association can propose; their files fail")
        }
        for context in proposal.contexts {
            try entity.addRequestedContext(context.abstractSyntax, transferSyntaxes: context.transferSyntaxes)
        }
        guard !instances.isEmpty else {
            report(failures, notSent: 0, sent: 0, bytes: 0, seconds: 0)
            throw ExitCode.failure
        }

        let window = asyncWindow > 1
            ? AsynchronousOperationsWindow(maximumNumberOperationsInvoked: asyncWindow, maximumNumberOperationsPerformed: 1) : nil
        let association: Association
        do {
            association = try await entity.associate(
                host: host, port: port, calledAETitle: calledAETitle, userIdentity: try identity.request(),
                asynchronousOperationsWindow: window, tls: tls.client, logger: logger)
        } catch {
            printError("storescu: \(ErrorText.describe(error))")
            throw ExitCode.failure
        }
        let granted = Int(association.outcome.asynchronousOperationsWindow.maximumNumberOperationsInvoked)
        let parallel = max(1, min(Int(asyncWindow), granted == 0 ? Int(asyncWindow) : granted))
        logger.info("association accepted by \(association.peerAETitle); \(parallel) C-STORE(s) at once")
        logging.logPresentationContexts(association.outcome.presentationContexts, of: association.peerAETitle, logger: logger)
        identity.logResponse(of: association, logger: logger)

        let progress = TransferProgress(
            total: instances.count * repeatCount, show: !noProgress && isatty(STDERR_FILENO) == 1, failedBeforeSending: failures.count)
        let queue = WorkQueue()
        let work = Array(Array(repeating: instances, count: repeatCount).joined())
        let rename = self.rename
        let invention = invention
        // Two data sets read ahead of each sender, eight at most (none when each file is
        // rewritten anyway).
        let sending = ReadAheadQueue(work, depth: invention == nil ? min(2 * parallel, 8) : 0, senders: parallel)
        await withTaskGroup(of: Void.self) { group in
            for slot in 0..<parallel {
                // Each sender on the association's event loop: a store is then its round trip,
                // and a file's reads when it was not read ahead, without executor switches.
                group.addTask(executorPreference: association.taskExecutor) {
                    while let (source, readAhead) = await sending.next() {
                        let path = source.path
                        do {
                            let response = if let invention {
                                try await source.store(on: association, as: invention.next())
                            } else {
                                try await source.store(on: association, readAhead: readAhead) { progress.sending(slot: slot, bytes: $0) }
                            }
                            let stored = response.status.kind == .success || response.status.kind == .warning
                            if rename { Self.markSent(path, succeeded: stored) }
                            if stored {
                                progress.sent(slot: slot, bytes: source.fileSize)
                                if response.status.kind == .warning { logger.warning("\(path): \(response.status)") }
                            } else {
                                progress.failed(slot: slot)
                                let comment = response.errorComment.map { " (\($0))" } ?? ""
                                queue.failures.withLock { $0.append((path, "\(response.status)\(comment)")) }
                            }
                        } catch {
                            progress.failed(slot: slot)
                            if rename { Self.markSent(path, succeeded: false) }
                            queue.failures.withLock { $0.append((path, ErrorText.describe(error))) }
                            if !association.isEstablished { return }
                        }
                    }
                }
            }
        }
        progress.finish()
        failures += queue.failures.withLock { $0 }
        if association.isEstablished {
            do {
                try await ending.end(association)
            } catch {
                printError("storescu: release failed: \(ErrorText.describe(error))")
            }
        }
        let (sent, bytes, seconds) = progress.totals
        // Files never attempted because the association ended count as failed too, each.
        let notSent = work.count - sent - queue.failures.withLock { $0.count }
        report(failures, notSent: notSent, sent: sent, bytes: bytes, seconds: seconds)
        if !failures.isEmpty || notSent > 0 { throw ExitCode.failure }
    }

    /// What +II, +IR, +IS and +IP ask for; nil without them.
    private var invention: InstanceInvention? {
        guard inventInstance || inventSeries != nil || inventStudy != nil || inventPatient != nil else { return nil }
        return InstanceInvention(seriesSize: inventSeries ?? 100, studySize: inventStudy ?? 50, patientSize: inventPatient ?? 25)
    }

    /// Prints each failure, the files never sent (`notSent`, the association having ended), and
    /// the totals, every file not stored counted as failed.
    private func report(_ failures: [(String, String)], notSent: Int, sent: Int, bytes: Int, seconds: Double) {
        for (path, reason) in failures { printError("storescu: \(path): \(reason)") }
        if notSent > 0 { printError("storescu: \(notSent) file\(notSent == 1 ? "" : "s") not sent: the association ended") }
        let megabytes = Double(bytes) / 1e6
        let rate = seconds > 0 ? megabytes / seconds : 0
        printError("storescu: \(sent) sent, \(failures.count + notSent) failed, \(String(format: "%.1f", megabytes)) MB in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", rate)) MB/s)")
    }

    /// --rename: the file at `path` becomes NAME.done once stored, NAME.bad when refused. Only
    /// a regular file: a device named on the command line (/dev/null) keeps its name.
    static func markSent(_ path: String, succeeded: Bool) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            printError("storescu: \(path) is not a regular file: not renamed")
            return
        }
        let renamed = path + (succeeded ? ".done" : ".bad")
        if Glibc.rename(path, renamed) != 0 {
            printError("storescu: cannot rename \(path) to \(renamed): \(String(cString: strerror(errno)))")
        }
    }

    /// The regular files among `paths`, directories searched (recursively, for names matching
    /// `pattern`) in a stable order, and the paths that name nothing.
    static func collect(_ paths: [String], recursive: Bool = true, pattern: String? = nil) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        for path in paths {
            guard let found = FileWalk.regularFiles(at: path, recursive: recursive, pattern: pattern) else {
                missing.append(path)
                continue
            }
            files += found
        }
        return (files, missing)
    }
}

/// The failures, for the tasks that send the files.
final class WorkQueue: Sendable {
    let failures = Mutex<[(String, String)]>([])
}
