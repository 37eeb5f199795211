import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging
import NIOCore
import Synchronization

/// `-k`, `-P`, `-S`, `-O`: the query keys and information model that findscu, getscu and movescu
/// share, spelled as DCMTK spells them.
struct QueryOptions: ParsableArguments {
    @Option(name: [.customShort("k"), .customLong("key")], help: ArgumentHelp(
        "A query key, KEY=VALUE (repeatable). KEY is a keyword (PatientName), (gggg,eeee) or gggg,eeee, or a path into a sequence (ReferencedStudySequence[0].StudyInstanceUID); an empty VALUE asks for the attribute to be returned.",
        valueName: "key"))
    var keys: [String] = []

    @Flag(help: "The Query/Retrieve information model to propose, alone. Default: both Study Root and Patient Root are proposed and Study Root is used if accepted, else Patient Root; a PATIENT-level query proposes Patient Root only.")
    var model: InformationModelFlag?

    /// The information models to propose, the one to use first; `worklist` (findscu's -W) may
    /// not be combined with another. -P, -S or -O name one. Without them: Patient Root alone
    /// when the query (the keys over the first of `files`) is at the PATIENT level, which Study
    /// Root lacks; else Study Root, where a study, series or image query needs no Patient ID,
    /// then Patient Root, for the SCPs that offer only it (DCMTK's getscu and movescu, and
    /// pynetdicom's apps, default to Patient Root, and such SCPs serve them).
    func proposedModels(worklist: Bool = false, files: [String] = []) throws -> [QueryRetrieveModel] {
        if worklist {
            if let model { throw ValidationError("-W cannot be combined with -\(model.letter)") }
            return [.modalityWorklist]
        }
        if let model { return [model.queryRetrieveModel] }
        let first = try identifiers(files: Array(files.prefix(1)), model: .studyRoot).first?.identifier
        let level = first?.string(.queryRetrieveLevel)?.trimmingCharacters(in: .whitespaces).uppercased()
        return level == "PATIENT" ? [.patientRoot] : [.studyRoot, .patientRoot]
    }

    /// The keys, parsed in order.
    func parsedKeys() throws -> [QueryKey] {
        try keys.map { try QueryKey(parsing: $0) }
    }

    /// The identifier to send: `base` (a query file's data set, or empty) with the keys applied
    /// in order, then Query/Retrieve Level (0008,0052) set to STUDY if no key or file gave it
    /// (every Query/Retrieve model requires it, PS3.4 C.4.1.1.3.1; Modality Worklist has none).
    func identifier(base: DataSet = DataSet(), model: QueryRetrieveModel) throws -> DataSet {
        try QueryKey.identifier(applying: parsedKeys(), to: base, model: model)
    }

    /// The query identifiers: one per query file, each with the keys applied, or one from the
    /// keys alone. Each comes with a name for messages.
    func identifiers(files: [String], model: QueryRetrieveModel) throws -> [(name: String, identifier: DataSet)] {
        guard !files.isEmpty else { return [("the query", try identifier(model: model))] }
        return try files.map { path in
            let file: DICOMFile
            do {
                file = try DICOMFile(contentsOf: path)
            } catch {
                throw ValidationError("cannot read the query file \(path): \(ErrorText.describe(error))")
            }
            return (path, try identifier(base: file.dataSet, model: model))
        }
    }
}

/// `-P`, `-S`, `-O`: the Query/Retrieve information models, as DCMTK's flags name them.
enum InformationModelFlag: String, EnumerableFlag {
    case patient, study, psonly

    static func name(for value: InformationModelFlag) -> NameSpecification {
        switch value {
        case .patient: [.customShort("P"), .customLong("patient")]
        case .study: [.customShort("S"), .customLong("study")]
        case .psonly: [.customShort("O"), .customLong("psonly")]
        }
    }

    static func help(for value: InformationModelFlag) -> ArgumentHelp? {
        switch value {
        case .patient: "Use the Patient Root information model."
        case .study: "Use the Study Root information model."
        case .psonly: "Use the Patient/Study Only information model (retired)."
        }
    }

    var letter: String {
        switch self {
        case .patient: "P"
        case .study: "S"
        case .psonly: "O"
        }
    }

    var queryRetrieveModel: QueryRetrieveModel {
        switch self {
        case .patient: .patientRoot
        case .study: .studyRoot
        case .psonly: .patientStudyOnly
        }
    }
}

// MARK: - Query keys

/// One `-k` argument: a path to an attribute, possibly inside sequence items, and its value.
///
/// `PatientName=SMITH*`, `(0010,0010)=SMITH*`, `0010,0010=`, `PatientBirthDate` (no `=`: an
/// empty value, a return key), `ReferencedStudySequence[0].StudyInstanceUID=1.2.3`. The VR is
/// the dictionary's; a sequence or a binary VR takes only an empty value.
struct QueryKey: Equatable, Sendable {
    /// One step of the path: an attribute, and for a sequence on the way, which item.
    struct Step: Equatable, Sendable {
        var tag: Tag
        /// The item index, for a sequence that is not the last step (`[0]` when not written).
        var item: Int?
    }

    /// The attribute's path; every step but the last names a sequence.
    var path: [Step]
    /// The value as written; empty for a return key.
    var value: String

    /// The highest item index a path may name: enough for any query, and a typo such as
    /// `[100000000]` does not make a hundred million empty items.
    static let maximumItemIndex = 999

    /// The attribute the path ends at.
    var tag: Tag { path[path.count - 1].tag }

    /// Parses `KEY=VALUE` or `KEY`.
    init(parsing text: String) throws {
        let key: Substring
        if let equals = text.firstIndex(of: "=") {
            key = text[..<equals]
            value = String(text[text.index(after: equals)...])
        } else {
            key = Substring(text)
            value = ""
        }
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ValidationError("-k '\(text)': no key before '='; write KEY=VALUE, KEY a keyword such as PatientName or a tag such as (0010,0010)")
        }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        var path: [Step] = []
        for (index, part) in parts.enumerated() {
            path.append(try Self.step(part, isLast: index == parts.count - 1, in: text))
        }
        self.path = path
        try Self.checkValue(value, for: path[path.count - 1].tag, in: text)
    }

    /// Creates a key from its parts.
    init(path: [Step], value: String) {
        self.path = path
        self.value = value
    }

    private static func step(_ part: Substring, isLast: Bool, in text: String) throws -> Step {
        var name = part
        var item: Int?
        if let open = part.firstIndex(of: "[") {
            guard part.last == "]", let number = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]),
                  (0...maximumItemIndex).contains(number) else {
                throw ValidationError("-k '\(text)': '\(part)' is not NAME[n] with an item number n from 0 to \(maximumItemIndex)")
            }
            name = part[..<open]
            item = number
        }
        let tag = try resolve(name, in: text)
        let vr = DataDictionary.vr(for: tag)
        if !isLast {
            guard vr == .SQ else {
                throw ValidationError("-k '\(text)': \(describe(tag)) is not a sequence, so nothing can follow it")
            }
            return Step(tag: tag, item: item ?? 0)
        }
        if item != nil {
            throw ValidationError("-k '\(text)': an item number needs an attribute after it, such as \(name)[0].StudyInstanceUID")
        }
        return Step(tag: tag, item: nil)
    }

    /// The tag that `name` (a keyword, `(gggg,eeee)` or `gggg,eeee`) names, if it may be in an
    /// identifier.
    private static func resolve(_ name: Substring, in text: String) throws -> Tag {
        let tag = try TagName.tag(String(name), in: "-k '\(text)'")
        if tag.isCommand || tag.isFileMetaInformation || tag.isDelimiter {
            throw ValidationError("-k '\(text)': \(tag) cannot be in an identifier (command, file meta and delimiter groups 0000, 0002 and FFFE)")
        }
        return tag
    }

    private static func describe(_ tag: Tag) -> String {
        DataDictionary.keyword(for: tag).map { "\($0) \(tag)" } ?? tag.description
    }

    /// Throws unless `value` can be stored with the dictionary's VR of `tag`.
    private static func checkValue(_ value: String, for tag: Tag, in text: String) throws {
        guard !value.isEmpty else { return }
        var scratch = DataSet()
        try set(value, for: tag, vr: DataDictionary.vr(for: tag), in: &scratch, text: text)
    }

    // MARK: Building the identifier

    /// `base` with `keys` applied in order, and the Query/Retrieve Level defaulted to STUDY for
    /// the Query/Retrieve models. A value that is not ASCII brings Specific Character Set
    /// ISO_IR 192 (UTF-8) unless the keys or `base` name one (PS3.3 C.12.1.1.2).
    static func identifier(applying keys: [QueryKey], to base: DataSet, model: QueryRetrieveModel) throws -> DataSet {
        var identifier = base
        let namesCharacterSet = identifier.contains(.specificCharacterSet) || keys.contains { $0.path == [Step(tag: .specificCharacterSet)] }
        if !namesCharacterSet, keys.contains(where: { !$0.value.allSatisfy(\.isASCII) }) {
            identifier.setString("ISO_IR 192", for: .specificCharacterSet, vr: .CS)
        }
        for key in keys {
            try key.apply(to: &identifier)
        }
        if model != .modalityWorklist, !identifier.contains(.queryRetrieveLevel) {
            identifier.setString("STUDY", for: .queryRetrieveLevel, vr: .CS)
        }
        return identifier
    }

    /// Stores the key in `dataSet`, making the sequences and items on its path as needed.
    func apply(to dataSet: inout DataSet) throws {
        try Self.apply(path[...], value: value, to: &dataSet, text: "\(self)")
    }

    private static func apply(_ path: ArraySlice<Step>, value: String, to dataSet: inout DataSet, text: String) throws {
        let step = path[path.startIndex]
        guard path.count > 1 else {
            return try set(value, for: step.tag, vr: DataDictionary.vr(for: step.tag), in: &dataSet, text: text)
        }
        var items = dataSet.sequence(step.tag) ?? []
        let index = step.item ?? 0
        while items.count <= index { items.append(DataSet()) }
        try apply(path.dropFirst(), value: value, to: &items[index], text: text)
        dataSet.setSequence(items, for: step.tag)
    }

    /// Stores `value` (empty: a zero-length element) as `tag` of `vr`.
    private static func set(_ value: String, for tag: Tag, vr: VR, in dataSet: inout DataSet, text: String) throws {
        if value.isEmpty {
            if vr == .SQ {
                dataSet.setSequence([], for: tag)
            } else {
                dataSet[tag] = DataElement(tag: tag, vr: vr, bytes: ByteBuffer())
            }
            return
        }
        let values = value.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
        func fail(_ why: String) -> ValidationError {
            ValidationError("-k '\(text)': \(why)")
        }
        switch vr {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT:
            dataSet.setString(value, for: tag, vr: vr)
        case .US, .SS, .UL, .SL, .SV, .UV:
            var numbers: [Int] = []
            for text in values {
                guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw fail("'\(text)' is not an integer (\(describe(tag)) is \(vr))")
                }
                numbers.append(number)
            }
            do {
                try dataSet.setIntegers(numbers, for: tag, vr: vr)
            } catch {
                throw fail("a value is out of range for \(vr)")
            }
        case .FL, .FD:
            var numbers: [Double] = []
            for text in values {
                guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw fail("'\(text)' is not a number (\(describe(tag)) is \(vr))")
                }
                numbers.append(number)
            }
            do {
                try dataSet.setDoubles(numbers, for: tag, vr: vr)
            } catch {
                throw fail("a value is out of range for \(vr)")
            }
        case .AT:
            var tags: [Tag] = []
            for text in values {
                guard let parsed = Tag(parsing: text), TagName.isTagText(text) || text.count == 8 else {
                    throw fail("'\(text)' is not a tag (\(describe(tag)) is AT: write (gggg,eeee))")
                }
                tags.append(parsed)
            }
            dataSet.setAttributeTags(tags, for: tag)
        case .SQ:
            throw fail("\(describe(tag)) is a sequence: it takes no value; give an item's attribute, as \(DataDictionary.keyword(for: tag) ?? "Sequence")[0].Keyword=VALUE")
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN:
            let why = vr == .UN ? "the dictionary does not know \(tag), so its VR is unknown" : "\(describe(tag)) is \(vr), binary"
            throw fail("\(why): it can only be a return key (empty value)")
        }
    }
}

extension QueryKey: CustomStringConvertible {
    /// The key written back as `Keyword[n].Keyword=VALUE`, tags for attributes without keyword.
    var description: String {
        let key = path.map { step in
            let name = DataDictionary.keyword(for: step.tag) ?? step.tag.description
            return step.item.map { "\(name)[\($0)]" } ?? name
        }.joined(separator: ".")
        return "\(key)=\(value)"
    }
}

// MARK: - Output directory

/// `-od DIR`: where received instances (getscu, movescu --store) or extracted responses
/// (findscu -X) go.
struct OutputDirectoryOptions: ParsableArguments {
    @Option(name: [.customLong("output-directory"), .customLong("od", withSingleDash: true)],
            help: "The directory to write files to (created if missing).")
    var outputDirectory = "."

    /// Creates the directory if missing; prints why and exits if it cannot.
    func create(command: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            printError("\(command): cannot create \(outputDirectory): \(ErrorText.describe(error))")
            throw ExitCode.failure
        }
    }
}

// MARK: - Received instances

/// What getscu and movescu --store do with the instances they receive: write them durably to
/// the output directory (the default), write them without waiting for the disk (--no-fsync), or
/// throw them away (--ignore, as DCMTK's getscu --ignore: for measurements).
struct ReceivedInstanceOptions: ParsableArguments {
    @Flag(name: .customLong("ignore"), help: "Receive instances and throw them away (for measurements).")
    var ignore = false

    @Flag(name: .customLong("no-fsync"), help: "Write received instances without waiting for the disk (a crash may lose them).")
    var noFsync = false

    /// Whether anything is written, so that the output directory is needed.
    var writesFiles: Bool { !ignore }

    /// The store handler for `directory`.
    func handler(directory: String) -> StoreHandler {
        ignore ? .discard : .directory(directory, durable: !noFsync)
    }
}

// MARK: - Retrieve progress

/// DCMTK movescu's `--cancel N` and `--repeat N`, for getscu too, and the progress line.
struct RetrieveControlOptions: ParsableArguments {
    @Option(name: .customLong("cancel"), help: "Send C-CANCEL after this many pending responses (the peer ends the retrieve with Cancel, FE00H).")
    var cancelAfter: Int?

    @Option(name: .customLong("repeat"), help: "Send the retrieve (each query) this many times over on the one association.")
    var repeatCount = 1

    @Flag(name: .customLong("no-progress"), help: "No progress line, even on a terminal (one is drawn on standard error from the pending responses' counts).")
    var noProgress = false

    /// Whether to draw the progress line: standard error is a terminal and --no-progress is absent.
    var showsProgress: Bool { !noProgress && isatty(STDERR_FILENO) == 1 }

    func validate() throws {
        if let cancelAfter, cancelAfter < 1 { throw ValidationError("--cancel must be at least 1") }
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    /// `queries`, --repeat times over.
    func rounds<Query>(of queries: [Query]) -> [Query] {
        Array(Array(repeating: queries, count: repeatCount).joined())
    }
}

/// What a C-GET or C-MOVE came to, gathered from its responses: the sub-operation counts of the
/// last response that had them (PS3.7 §9.1.3.1.6, §9.1.4.1.6), and the final status.
struct RetrieveReport {
    /// The final response; nil if the association ended before it.
    var final: QueryResponse?
    var completed = 0
    var failed = 0
    var warning = 0
    var remaining = 0
    /// Instances our store handler received (C-GET, or movescu's own storage SCP).
    var received = 0
    /// The pending responses before the C-CANCEL-RQ went, if one did (--cancel).
    var cancelledAfter: Int?

    /// The report of one C-GET or C-MOVE that `retrieve` runs: it hands each pending response to
    /// the closure it is given, whose progress is logged at info level, and returns the final one
    /// (`Association.get(_:model:priority:eachPending:)`, `move(_:to:model:priority:eachPending:)`).
    /// With `cancelAfter`, a C-CANCEL-RQ goes on `association` after that many pending responses,
    /// and the responses go on being read to the final one, as DCMTK's movescu does.
    ///
    /// With `progress`, a line on standard error shows the sub-operations done of all, redrawn
    /// at most ten times a second from the pending responses, and ended by a newline.
    static func collect(
        operation: String, cancelAfter: Int?, progress: Bool = false, on association: Association, logger: Logger,
        _ retrieve: ((QueryResponse) async throws -> Void) async throws -> QueryResponse
    ) async throws -> RetrieveReport {
        var report = RetrieveReport()
        var pending = 0
        var lastDraw: ContinuousClock.Instant?
        defer { if lastDraw != nil { StandardStreams.error(report.progressLine + "\n") } }
        let final = try await retrieve { response in
            report.add(response)
            pending += 1
            if progress, lastDraw.map({ ContinuousClock.now - $0 > .milliseconds(100) }) ?? true {
                lastDraw = .now
                StandardStreams.error(report.progressLine)
            }
            logger.info("\(operation) pending: \(report.completed) completed, \(report.remaining) remaining, \(report.failed) failed, \(report.warning) warning")
            if let cancelAfter, pending == cancelAfter, let id = response.messageIDBeingRespondedTo {
                logger.info("cancelling the \(operation) after \(pending) pending responses")
                report.cancelledAfter = pending
                _ = try await association.cancel(messageID: id)
            }
        }
        report.add(final)
        report.final = final
        return report
    }

    /// The progress line: a bar of the sub-operations done (completed, failed or warning) of all
    /// of them, at the start of the line (`\r`).
    var progressLine: String {
        let done = completed + failed + warning
        let total = done + remaining
        let width = 30
        let filled = total > 0 ? width * done / total : width
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) instances, \(failed) failed, \(warning) warning"
    }

    /// Takes the sub-operation counts `response` gives.
    private mutating func add(_ response: QueryResponse) {
        completed = response.completed ?? completed
        failed = response.failed ?? failed
        warning = response.warning ?? warning
        remaining = response.remaining ?? (response.status.isFinal ? 0 : remaining)
    }

    /// Whether every sub-operation performed succeeded (or warned) and the final status was not a
    /// failure: Cancel counts as success when --cancel asked for it.
    var succeeded: Bool {
        guard let final else { return false }
        let cancelledAsAsked = cancelledAfter != nil && final.status.kind == .cancel
        return failed == 0 && (final.status.kind == .success || final.status.kind == .warning || cancelledAsAsked)
    }

    /// The Failed SOP Instance UID List (0008,0058) of the final response, if it sent one.
    var failedInstances: [String] {
        final?.failedSOPInstanceUIDs.map(\.string) ?? []
    }

    /// One line for standard error.
    func summary(_ operation: String) -> String {
        var text = "\(operation): \(completed) completed, \(failed) failed, \(warning) warning"
        if received > 0 { text += ", \(received) received" }
        if let cancelledAfter { text += "; C-CANCEL sent after \(cancelledAfter) pending response\(cancelledAfter == 1 ? "" : "s")" }
        if let final {
            text += "; final status \(final.status)"
            if let comment = final.errorComment { text += " (\(comment))" }
        } else {
            text += "; no final response"
        }
        return text
    }
}

/// Counts the instances a store handler received, across associations.
final class ReceivedCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// The instances received so far.
    var value: Int { count.load(ordering: .relaxed) }

    /// `handler`, counting (and logging at info level) each instance before it answers.
    func counting(_ handler: StoreHandler, logger: Logger) -> StoreHandler {
        var counting = StoreHandler(destination: handler.destination) { instance in
            self.count.add(1, ordering: .relaxed)
            logger.info("received \(instance.request.message.affectedSOPInstanceUID) (\(instance.dataSetLength) bytes) from \(instance.request.association.peerAETitle)")
            return await handler.received(instance)
        }
        // Counting and logging block nothing: the wrapped handler's promise still holds.
        counting.receivedNeverBlocks = handler.receivedNeverBlocks
        return counting
    }
}

// MARK: - The association

/// How findscu, getscu and movescu use their association.
enum QueryAssociation {
    /// The first of `models` whose SOP class (`sopClass` of it) `association` accepted, with
    /// that class; the first model that has one when none was accepted
    /// (``run(_:sopClass:command:ending:_:)`` then says so); nil only when no model has one.
    static func acceptedModel(
        of models: [QueryRetrieveModel], _ sopClass: (QueryRetrieveModel) -> UID?, on association: Association
    ) -> (model: QueryRetrieveModel, sopClass: UID)? {
        let candidates = models.compactMap { model in sopClass(model).map { (model: model, sopClass: $0) } }
        return candidates.first { association.acceptedContext(for: $0.sopClass) != nil } ?? candidates.first
    }

    /// Runs `body` on `association`, then releases it (or aborts it, as `ending` asks); aborts it
    /// if `body` throws. A peer that did not accept `sopClass` is told so in words and released,
    /// and the command fails.
    static func run<Result>(
        _ association: Association, sopClass: UID, command: String, ending: AbortOption,
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard association.acceptedContext(for: sopClass) != nil else {
            printError("\(command): \(association.peerAETitle) did not accept \(sopClass.name ?? sopClass.string) (\(sopClass.string))")
            try? await association.release()
            throw ExitCode.failure
        }
        let result: Result
        do {
            result = try await body()
        } catch {
            await association.abort()
            throw error
        }
        try await ending.end(association)
        return result
    }
}
