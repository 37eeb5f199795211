import ArgumentParser
import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `netdicom qrscp`: the archive. A Storage and Query/Retrieve SCP over a directory of files and
/// an SQL index, as DCMTK's dcmqrscp and pynetdicom's qrscp.
struct QRSCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qrscp",
        abstract: "Run an archive: Storage, Query/Retrieve (FIND, GET, MOVE) and Storage Commitment SCP with an SQL index.",
        discussion: """
            Stores every instance it receives (any Storage SOP Class, in the transfer syntax it \
            was sent in) as STORAGE/StudyInstanceUID/SeriesInstanceUID/SOPInstanceUID.dcm, and \
            answers C-FIND, C-GET and C-MOVE on the Patient Root and Study Root models from an \
            index: an SQLite file in the storage directory by default, or the PostgreSQL \
            database given with --database postgres://user:password@host:port/database, which \
            several qrscp processes sharing one storage directory may use together (they store \
            one SOP Instance UID in turn, and each recovers at start-up only the arrivals of \
            processes that have stopped). A C-FIND \
            key the index does not keep is read from the files: each match's at the IMAGE \
            level, one instance's per patient, study or series above it.

            An instance is acknowledged only once its file is fsynced in STORAGE/incoming and \
            its data set read (and, on PostgreSQL or with --duplicates keep or reject, placed \
            in the tree and indexed); it is placed and indexed in batches, which queries wait \
            for, its place and index row made durable in batches, and the files still in \
            incoming are indexed again at start-up, so neither a crash nor a power loss loses \
            an acknowledged instance. When the tree or the index cannot take it (a full disk), \
            the instances acknowledged meanwhile, or found in incoming at start-up, wait there \
            and are placed and indexed as soon as they can; until then a new one is answered only once its own \
            rows are committed, and refused (A700H) when they cannot be. A UID that is not safe \
            as a file name (digits and single dots, at most 64 characters) is refused (C000H), \
            never used as a path; a component with a leading zero, which PS3.5 forbids but \
            sloppy peers send, is accepted. A data set whose SOP Class or Instance UID is not \
            its request's is refused with A900H, one without either (or without Study or Series \
            Instance UID) with C000H. A second copy of a stored SOP \
            Instance UID replaces the first unless --duplicates says keep or reject.

            C-MOVE destinations come from --move-destination AET@HOST:PORT (repeatable) and from \
            --config FILE, a text file with one destination a line, "AET HOST:PORT", where # \
            starts a comment:

                # move destinations
                STORESCP   127.0.0.1:11113
                VIEWER     [::1]:4242

            --config (-c) also reads a DCMTK dcmqrscp configuration file, so that an archive \
            moves over with it: every (AETitle, host, port) of its HostTable is a destination, \
            its NetworkTCPPort is used unless --port says otherwise, and so are its MaxPDUSize \
            and MaxAssociations unless --max-pdu or --max-associations do. Each entry of its \
            AETable is an archive of its own, as in dcmqrscp: an association is served from the \
            storage area (with an index of its own inside) of the entry whose AE title it \
            calls, and the first entry's (or the one --ae-title names) is the one the start-up \
            line shows. With --storage or --database, that one entry is served alone, from \
            there, and the other entries' AE titles are rejected. The AETable says who may \
            associate, as in dcmqrscp: the Called AE Title must be an entry's, and the Calling \
            AE Title and host one of that entry's peers unless they are ANY; others are \
            rejected (reason 7, called AE title not recognized). Unlike dcmqrscp, a peer's host \
            matches when it resolves to the caller's address, an IP address too (dcmqrscp \
            wants the name a reverse look-up gives). Example: netdicom qrscp -c dcmqrscp.cfg

            --config also reads a pynetdicom qrscp configuration file (INI): the ae_title, \
            port, bind_address, max_pdu, acse_timeout, dimse_timeout, network_timeout, \
            instance_location and database_location of its [DEFAULT] section are used unless \
            flags say otherwise (relative paths from the working directory), and every other \
            section, [AET] with its address and port, is a move destination. So does \
            pynetdicom's command line: --instance-location, --database-location, -ba, and \
            --clean, which asks, then removes every instance from the index and the storage \
            directory and exits. A database another application made (pynetdicom's own \
            instances.sqlite) is refused, not written into.

            dcmqrscp's command line runs unchanged: the port may come last (dcmqrscp [options] \
            [port]); --disable-get, -QP, -QS, --require-find, -ZA, -ZH, -ZV (with the \
            VendorTable of a dcmqrscp --config), --allow-shutdown \
            (DCMTK's termscu then stops the archive gracefully), --refuse, --reject and --ignore \
            do as in dcmqrscp (and -pm, --promiscuous, as in storescp: private SOP classes are \
            stored too), and so do the preferred transfer syntaxes (+xe, +xi: Implicit VR \
            Little Endian only, +xs…; without one, the requestor's first choice is taken, so \
            that an instance is stored as sent); its options for what qrscp always does (-s, \
            --fork, +B, -XF, -XM, -up, the -x proposals…) are accepted, and those for what it does \
            not do (re-encoding the stored files: +te, -F…; -xf profiles; +ac, the TCP wrapper; character \
            set conversion) are refused with the reason.

            Storage Commitment (Push Model): an N-ACTION request is answered at once, then each \
            referenced instance is checked against the index and the store, and the result goes \
            back as an N-EVENT-REPORT on the same association if the requestor keeps it open for \
            half a second after the result is ready, else on a new association to the requestor's AE title, looked up among the same \
            destinations (the archive proposes the SCP role with SCP/SCU role selection). A report that \
            cannot be delivered (the requestor is not a known destination, or does not answer) is \
            logged as an error and not kept: the requestor asks again with a new N-ACTION. A requestor \
            that releases just as the report goes out may receive it twice, with the same Transaction UID.

            Matching (PS3.4 C.2.2.2): Patient's Name and the other person names match \
            whatever their case (DOE^JOHN is found by doe*), as C.2.2.2.1 permits; every other \
            key matches case-sensitively. An entity with no value for a key (absent or empty) \
            is unknown and matches it, for the Optional Keys as for the Required ones (C.2.2.1.1; \
            the responses say FF00H, Optional Keys supported as Required Keys): PatientSex=F \
            also finds the patients whose sex is not recorded, as StudyDate=20240101- finds the \
            studies without a date; dcmqrscp leaves them out. A C-FIND response whose values hold non-ASCII text \
            carries them in UTF-8 (Specific Character Set ISO_IR 192), whatever the query's and \
            the stored instance's character sets; an ASCII one carries none.

            C-GET transfer syntaxes: in a storage context the archive sends in (the requestor \
            takes the SCP role), the requestor's first uncompressed transfer syntax is accepted \
            even when a compressed one comes before it, as dcmqrscp and pynetdicom's qrscp do: \
            every uncompressed instance can be sent in it, converted if need be. A compressed \
            instance goes out only in a context accepted with its own syntax, so a requestor \
            that wants compressed instances proposes their syntax in a context of its own \
            (netdicom getscu +xs, --prefer-rle…); otherwise their sub-operations fail, and are \
            counted and listed as such.

            Pending responses (PS3.4 C.4.2.3, C.4.3.3, where they are optional): a C-GET or \
            C-MOVE answers with one after every sub-operation but the last, as dcmqrscp and \
            pynetdicom's qrscp do. With --pending-interval SECONDS, one after the first \
            sub-operation, which gives the requestor the count, then at most one per interval: \
            the requestor of a large retrieve then takes in a few messages instead of one per \
            instance, and a progress display still moves.

            Operations windows (PS3.7 D.3.3.3): a requestor that proposes one may have up to \
            --async-window C-STOREs outstanding at once, and the archive may have up to 8 \
            C-GET sub-operations outstanding on a requestor that allows them; the association \
            of a C-MOVE's sub-operations proposes a window of 8 to the destination.

            --reindex brings the index in line with the storage directory, then exits: every \
            instance file of the tree (STUDY/SERIES/NAME.dcm) that the index lacks, or holds at \
            another size, is read and recorded, and every record whose file is gone is removed; \
            it prints how many of each, and every file left out with why (not DICOM, not where \
            its UIDs file it, or a second file of a UID recorded already). The tree's files are never removed or moved (opening the \
            archive tidies incoming/ as a start-up does). For an index lost or damaged, or to \
            fill a new one from a store (--database postgres://… for several nodes); run it \
            while the archive is stopped or idle (instances arriving meanwhile are safe, but a \
            copy replacing another could be recorded at the file it replaced); -v logs its \
            progress. With a dcmqrscp --config, \
            --clean and --reindex act on each AETable entry's storage area.

            Runs until SIGINT or SIGTERM, then stops accepting and lets open associations finish \
            (an idle one ends after the --network-timeout); a second SIGINT or SIGTERM aborts them and stops.
            """
    )

    @Option(name: [.customLong("port"), .customShort("p")], help: "The TCP port to listen on (default: 11112, or a dcmqrscp --config's).")
    var portOption: Int?

    @Argument(help: "The TCP port, as dcmqrscp takes it: the same as --port.")
    var portArgument: Int?

    @Option(name: [.customLong("ae-title"), .customLong("aetitle"), .customLong("aet", withSingleDash: true)],
            help: "Our AE title (default: QRSCP, or a dcmqrscp --config's).")
    var aeTitleOption: String?

    // --instance-location and --database-location are pynetdicom qrscp's names.
    @Option(name: [.customLong("storage"), .customLong("instance-location")],
            help: "The storage directory, created if missing (default: ./netdicom-archive, or a --config's).")
    var storageOption: String?

    @Option(name: [.customLong("database"), .customLong("database-location")],
            help: "The index: postgres://user:password@host:port/database, or an SQLite file (default: STORAGE/index.sqlite, or a pynetdicom --config's).")
    var databaseOption: String?

    @Option(name: [.customLong("config"), .customShort("c")],
            help: "A file of C-MOVE destinations, one \"AET HOST:PORT\" a line; or a dcmqrscp or pynetdicom qrscp configuration file.")
    var config: String?

    @Flag(name: .customLong("clean"),
          help: "Remove every instance from the index and the storage directory, after asking (answer yes on standard input), then exit (pynetdicom qrscp's --clean).")
    var clean = false

    @Flag(name: .customLong("reindex"),
          help: "Index every instance file of the storage directory the index lacks or holds at another size, remove the records of files that are gone, print what was done, then exit.")
    var reindex = false

    @Option(name: .customLong("move-destination"), help: "A C-MOVE destination, AET@HOST:PORT (repeatable).")
    var moveDestinations: [String] = []

    @Option(name: .customLong("duplicates"), help: "What a second copy of a stored SOP Instance UID does: replace (default), keep, reject.")
    var duplicates = DuplicatePolicy.replace.rawValue

    @Option(name: [.customLong("bind"), .customLong("bind-address"), .customLong("ba", withSingleDash: true)],
            help: ServerBinding.help)
    var bindAddressOption: String?

    @Option(name: .customLong("max-associations"), help: "How many associations to serve at once (default: 100, or a dcmqrscp --config's MaxAssociations).")
    var maximumAssociations: Int?

    @Flag(name: .customLong("require-called-aet"), help: "Reject associations that do not call our AE title (reason 7).")
    var requireCalledAETitle = false

    @Option(name: .customLong("require-calling-aet"), help: "Accept only this calling AE title (repeatable; reason 3 otherwise).")
    var requireCallingAETitle: [String] = []

    @Option(name: .customLong("async-window"), help: "Operations a requestor may have outstanding at once, when it proposes a window (1 = one at a time).")
    var asyncWindow: UInt16 = 16

    @Option(name: .customLong("pending-interval"),
            help: "Seconds between a C-GET's or C-MOVE's pending responses: one after the first sub-operation, then at most one per interval (default 0: after every sub-operation, as dcmqrscp).")
    var pendingInterval: Double = 0

    @OptionGroup(title: "dcmqrscp") var dcmqrscpOptions: DCMQRSCPOptions
    @OptionGroup(title: "Transfer syntaxes") var transferSyntaxes: AcceptorTransferSyntaxOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup(title: "TLS") var tls: TLSFlags
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        for port in [portOption, portArgument].compactMap({ $0 }) {
            guard (0...65535).contains(port) else { throw ValidationError("the port must be 0–65535") }
        }
        if let portOption, let portArgument, portOption != portArgument {
            throw ValidationError("two ports: --port \(portOption) and \(portArgument)")
        }
        guard asyncWindow >= 1 else { throw ValidationError("--async-window must be at least 1") }
        guard (0...86_400).contains(pendingInterval) else { throw ValidationError("--pending-interval must be 0 to 86400 seconds") }
        guard DuplicatePolicy(rawValue: duplicates) != nil else {
            throw ValidationError("--duplicates must be one of \(DuplicatePolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "netdicom.qrscp")
        let destinations: [String: MoveDestination]
        let indexDatabase: IndexDatabase?
        let dcmqrscp: DCMQRSCPConfiguration?
        let pynetdicom: PynetdicomQRSCPConfiguration?
        let moveRestriction: MoveRestriction
        do {
            let text = try config.map { path throws(ArchiveError) in try Self.read(path) }
            dcmqrscp = try text.flatMap { text throws(ConfigurationFileError) in
                DCMQRSCPConfiguration.recognizes(text) ? try DCMQRSCPConfiguration(parsing: text) : nil
            }
            pynetdicom = try text.flatMap { text throws(ConfigurationFileError) in
                dcmqrscp == nil && PynetdicomQRSCPConfiguration.recognizes(text) ? try PynetdicomQRSCPConfiguration(parsing: text) : nil
            }
            let destinationLines = dcmqrscp == nil && pynetdicom == nil ? text : nil
            destinations = try moveDestinationTable(
                configuration: destinationLines, configured: dcmqrscp?.destinations ?? pynetdicom?.destinations ?? [])
            indexDatabase = try (databaseOption ?? pynetdicom?.databaseLocation).map { try IndexDatabase(argument: $0) }
            moveRestriction = try dcmqrscpOptions.moveRestriction.restriction(vendors: dcmqrscp?.vendors.map { Set($0.peers.map(\.aeTitle)) })
        } catch {
            printError("qrscp: \((error as? ArchiveError)?.detail ?? "\(error)")")
            throw ExitCode.failure
        }
        // The flags first, then a configuration file's values, then ours.
        let port = portOption ?? portArgument ?? dcmqrscp?.port ?? pynetdicom?.port ?? 11112
        let aeTitle = aeTitleOption ?? dcmqrscp?.aeTitle ?? pynetdicom?.aeTitle ?? "QRSCP"
        let storage = storageOption ?? dcmqrscp?.entry(servedAs: aeTitle)?.storage ?? pynetdicom?.instanceLocation ?? "./netdicom-archive"
        let bindAddress = bindAddressOption ?? pynetdicom?.bindAddress
        // Each AETable entry of a dcmqrscp configuration is an archive of its own, as in
        // dcmqrscp, unless --storage or --database names the one to serve.
        var areas = [ServedArea(aeTitle: aeTitle, storage: storage)]
        if let dcmqrscp, storageOption == nil, indexDatabase == nil {
            let primary = dcmqrscp.entry(servedAs: aeTitle)?.aeTitle
            for entry in dcmqrscp.entries where entry.aeTitle != primary && entry.aeTitle != aeTitle {
                areas.append(ServedArea(aeTitle: entry.aeTitle, storage: entry.storage))
            }
        }
        if clean || reindex {
            // Areas that share a directory are one archive.
            var directories = Set<String>()
            let storages = areas.filter { directories.insert($0.directory).inserted }.map(\.storage)
            if clean {
                try await Self.clean(storages: storages, database: indexDatabase, logger: logger)
            } else {
                try await Self.reindex(storages: storages, database: indexDatabase, logger: logger)
            }
            return
        }
        // Areas that share a directory share its archive.
        var archives: [String: Archive] = [:]
        func closeArchives() async {
            for archive in archives.values { try? await archive.close() }
        }
        for area in areas where archives[area.directory] == nil {
            do {
                archives[area.directory] = try await Archive.open(
                    storage: area.storage, database: indexDatabase,
                    duplicatePolicy: DuplicatePolicy(rawValue: duplicates) ?? .replace, logger: logger)
            } catch {
                await closeArchives()
                printError("qrscp: \(error.detail)")
                throw ExitCode.failure
            }
        }

        var entity = ApplicationEntity(aeTitle: aeTitle)
        network.configure(&entity, defaults: pynetdicom?.networkDefaults ?? dcmqrscp?.networkDefaults ?? NetworkOptions.Defaults())
        // Several areas: the AETable's screening rejects the titles of none.
        entity.requireCalledAETitle = requireCalledAETitle && areas.count == 1
        entity.requireCallingAETitle = requireCallingAETitle
        entity.maximumAssociations = maximumAssociations ?? dcmqrscp?.maximumAssociations ?? 100
        // In the requestor's terms (PS3.7 D.3.3.3): it may invoke up to the window (stores, which
        // the index commits together), and we may invoke C-GET sub-operations up to 8 on it.
        entity.asynchronousOperationsWindow = AsynchronousOperationsWindow(
            maximumNumberOperationsInvoked: asyncWindow, maximumNumberOperationsPerformed: 8)
        try ArchiveService.addSupportedContexts(
            to: &entity, models: dcmqrscpOptions.models, get: !dcmqrscpOptions.disableGet,
            preferring: transferSyntaxes.preference?.acceptedSyntaxes)
        if dcmqrscpOptions.promiscuous {
            // As the Storage classes are: every syntax they take, and the roles a C-GET needs.
            let storage = entity.supportedContexts.first { $0.abstractSyntax == .secondaryCaptureImageStorage }
            entity.unknownSOPClassContext = storage
        }
        let shutdownSwitch = ShutdownSwitch()
        var banner = ""
        var handlers = ServiceHandlers()
        for (index, area) in areas.enumerated() {
            let archive = archives[area.directory]!
            let (served, lines) = areaHandlers(
                area, archive: archive, destinations: destinations, moveRestriction: moveRestriction, dcmqrscp: dcmqrscp,
                shutdownSwitch: shutdownSwitch, logger: logger)
            if index == 0 { handlers = served } else { handlers.otherAETitles[area.aeTitle] = served }
            banner += lines
        }

        let server: AssociationServer
        let listening: String
        do {
            let tlsOptions = try tls.server()
            (server, listening) = try await ServerBinding.makeServer(bind: bindAddress) { [handlers] host in
                try await entity.makeServer(host: host, port: port, handlers: handlers, tls: tlsOptions, logger: logger)
            }
        } catch {
            await closeArchives()
            printError("qrscp: \(ServerBinding.failure(error, bind: bindAddress, port: port))")
            throw ExitCode.failure
        }
        let primary = archives[areas[0].directory]!
        var startup = "qrscp: listening on \(ListeningAddress.display(host: listening, port: server.port)) as \(aeTitle), storing in \(primary.store.root) (\(primary.index.database))\n"
        for area in areas.dropFirst() {
            let archive = archives[area.directory]!
            startup += "qrscp: also answering as \(area.aeTitle), storing in \(archive.store.root) (\(archive.index.database))\n"
        }
        if !destinations.isEmpty {
            let list = destinations.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value.host):\($0.value.port)" }
            startup += "qrscp: move destinations \(list.joined(separator: ", "))\n"
        }
        // Unbuffered, so that a script waiting for the line sees it at once.
        StandardStreams.output(startup + banner)
        do {
            try await ServerLifecycle.run(server, command: "qrscp", shutdown: shutdownSwitch, logger: logger)
        } catch {
            await closeArchives()
            throw error
        }
        for archive in archives.values { try await archive.close() }
    }

    /// One storage area the archive serves, under its AE title.
    struct ServedArea {
        var aeTitle: String
        var storage: String
        /// Its directory, as the same for every way of writing it.
        var directory: String { URL(fileURLWithPath: storage).standardizedFileURL.path }
    }

    /// The handlers that serve `area` from `archive`, and the start-up lines that say who may
    /// use it: the archive's services, with a dcmqrscp configuration's rules for its AETable
    /// entry (its peers, read-only access) and dcmqrscp's screening flags.
    private func areaHandlers(
        _ area: ServedArea, archive: Archive, destinations: [String: MoveDestination], moveRestriction: MoveRestriction,
        dcmqrscp: DCMQRSCPConfiguration?, shutdownSwitch: ShutdownSwitch, logger: Logger
    ) -> (ServiceHandlers, String) {
        var service = ArchiveService(archive: archive, aeTitle: area.aeTitle, moveDestinations: destinations, logger: logger)
        service.moveRestriction = moveRestriction
        service.retrievePendingInterval = .seconds(pendingInterval)
        var handlers = service.handlers
        if dcmqrscpOptions.ignore { handlers.store = .discard }
        handlers.associationAccepted = logging.presentationContextLogger(logger)
        // A dcmqrscp configuration's AETable says who may associate, as dcmqrscp enforces it.
        let access = dcmqrscp.map { DCMQRSCPPeerAccess($0, aeTitle: area.aeTitle) }.flatMap { $0.isEmpty ? nil : $0 }
        if access != nil || dcmqrscpOptions.screens {
            let options = dcmqrscpOptions
            handlers.screenAssociation = { info in
                var screening = access?.screening(info, log: { logger.warning("rejecting an association: \($0)") }) ?? .proceed
                guard screening.rejection == nil, options.screens else { return screening }
                let more = options.screening(info.request) {
                    let line = "qrscp: shutting down: \(info.callingAETitle) at \(info.peer) asked (DCMTK's Shutdown SOP Class, --allow-shutdown)\n"
                    StandardStreams.output(line)
                    shutdownSwitch.trigger()
                }
                guard more.rejection == nil else { return more }
                screening.refusedContextIDs.formUnion(more.refusedContextIDs)
                return screening
            }
        }
        var lines = ""
        if access != nil {
            lines += "qrscp: only \(area.aeTitle)'s peers in the dcmqrscp configuration's AETable may associate with it\n"
        }
        if access?.isReadOnly == true {
            // A C-STORE on a context proposed for both roles: refused as the area is.
            handlers.store = StoreHandler(destination: { _ in .refuse(.notAuthorized) }, received: { _ in .notAuthorized })
            lines += "qrscp: \(area.aeTitle) is read-only (Access R in the AETable): C-STOREs are refused\n"
        }
        return (handlers, lines)
    }

    /// --clean: asks on standard output, reads the answer from standard input, and removes
    /// every instance of the archives in `storages` if it is "yes"; fails otherwise.
    private static func clean(storages: [String], database: IndexDatabase?, logger: Logger) async throws {
        let directories = storages.count == 1 ? "the storage directory (\(storages[0]))" : "the storage directories (\(storages.joined(separator: ", ")))"
        StandardStreams.output("This will delete all instances from both \(directories) and the index. Are you sure you wish to continue? [yes/no]: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            printError("qrscp: --clean: not confirmed; nothing removed")
            throw ExitCode.failure
        }
        for storage in storages {
            try await withArchive(storage: storage, database: database, option: "--clean", logger: logger) { archive in
                let removed = try await archive.removeAll()
                print("qrscp: removed \(removed) instances from \(archive.store.root) and \(archive.index.database)")
            }
        }
    }

    /// --reindex: brings each archive's index in line with its files, and says what it did.
    private static func reindex(storages: [String], database: IndexDatabase?, logger: Logger) async throws {
        for storage in storages {
            try await withArchive(storage: storage, database: database, option: "--reindex", logger: logger) { archive in
                let summary = try await archive.reindex()
                var report = "qrscp: \(archive.store.root) (\(archive.index.database)): instance files \(summary.files); "
                report += "indexed already \(summary.unchanged), indexed now \(summary.indexed), left out \(summary.skipped.count); "
                report += "records of missing files removed \(summary.forgotten)\n"
                for skipped in summary.skipped { report += "qrscp: left out \(skipped.path): \(skipped.reason)\n" }
                StandardStreams.output(report)
            }
        }
    }

    /// Runs `work` on the archive in `storage`, then closes it; a failure is printed, naming
    /// `option`, and exits 1.
    private static func withArchive(
        storage: String, database: IndexDatabase?, option: String, logger: Logger, _ work: (Archive) async throws -> Void
    ) async throws {
        do {
            let archive = try await Archive.open(storage: storage, database: database, logger: logger)
            do {
                try await work(archive)
            } catch {
                try? await archive.close()
                throw error
            }
            try await archive.close()
        } catch {
            printError("qrscp: \(option): \((error as? ArchiveError)?.detail ?? "\(error)")")
            throw ExitCode.failure
        }
    }

    /// The text of the --config file at `path`.
    private static func read(_ path: String) throws(ArchiveError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ArchiveError(.invalidConfiguration, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The move destinations of --config (our lines, or those a dcmqrscp or pynetdicom
    /// configuration gave) and --move-destination (the flags win).
    private func moveDestinationTable(
        configuration text: String?, configured: [(aeTitle: String, destination: MoveDestination)]
    ) throws(ArchiveError) -> [String: MoveDestination] {
        var table: [String: MoveDestination] = [:]
        if let text { table = try MoveDestinations.parse(configuration: text) }
        for (aeTitle, destination) in configured { table[aeTitle] = destination }
        for argument in moveDestinations {
            let (aeTitle, destination) = try MoveDestinations.parse(argument: argument)
            table[aeTitle] = destination
        }
        return table
    }
}
