import DICOMCore
import DICOMNetworkCore
import Logging
import NIOCore
import NIOPosix

extension DIMSEEndpoint {
    /// A C-GET or C-MOVE request being answered.
    enum Retrieve {
        case get(CGetRequest)
        case move(CMoveRequest)

        var messageID: UInt16 {
            switch self {
            case .get(let request): request.messageID
            case .move(let request): request.messageID
            }
        }

        var sopClassUID: UID {
            switch self {
            case .get(let request): request.affectedSOPClassUID
            case .move(let request): request.affectedSOPClassUID
            }
        }
    }

    /// The running count of a C-GET's or C-MOVE's sub-operations, and which instances failed.
    struct SubOperationTally {
        var remaining: Int
        var completed = 0
        var failed = 0
        var warning = 0
        /// The SOP Instance UIDs of the failed sub-operations, in order. An instance whose UID
        /// could not be read (a file that is not DICOM) is counted but cannot be listed.
        var failedSOPInstanceUIDs: [UID] = []

        /// The final status (PS3.4 C.4.2.3, C.4.3.3): success when every sub-operation
        /// succeeded, A702H when all failed, B000H otherwise.
        var finalStatus: DIMSEStatus {
            if failed == 0 && warning == 0 { return .success }
            if completed == 0 && warning == 0 { return .outOfResourcesUnableToPerformSubOperations }
            return .subOperationsCompleteWithFailures
        }

        /// The counts for a response: Remaining only with a pending or cancel status (PS3.7
        /// §9.1.3.1.7, §9.1.4.1.8).
        func counts(for status: DIMSEStatus) -> SubOperationCounts {
            let withRemaining = status.kind == .pending || status.kind == .cancel
            return SubOperationCounts(
                remaining: withRemaining ? UInt16(clamping: remaining) : nil,
                completed: UInt16(clamping: completed), failed: UInt16(clamping: failed), warning: UInt16(clamping: warning))
        }

        /// The identifier of a response with `status` (PS3.4 C.4.2.1.4.2, C.4.3.1.3.2): a
        /// final response — cancel, failure, refusal or warning — carries the Failed SOP Instance
        /// UID List when a sub-operation failed; a pending one, or one where none failed,
        /// carries no identifier at all.
        func identifier(for status: DIMSEStatus) -> DataSet? {
            guard status.kind != .pending, !failedSOPInstanceUIDs.isEmpty else { return nil }
            var identifier = DataSet()
            identifier.setStrings(failedSOPInstanceUIDs.map(\.string), for: .failedSOPInstanceUIDList, vr: .UI)
            return identifier
        }

        /// Counts one sub-operation that ended with `status`, of the instance `sopInstanceUID`.
        mutating func count(_ status: DIMSEStatus, sopInstanceUID: UID?) {
            remaining = max(0, remaining - 1)
            switch status.kind {
            case .success: completed += 1
            case .warning: warning += 1
            default:
                failed += 1
                if let sopInstanceUID { failedSOPInstanceUIDs.append(sopInstanceUID) }
            }
        }
    }

    /// What a C-MOVE needs of an instance before the sub-operations' association opens.
    struct RetrieveInstance {
        var sopClassUID: UID
        var sopInstanceUID: UID
        var transferSyntax: UID
    }

    /// Answers a C-GET (sub-operations on this association) or a C-MOVE (sub-operations over a
    /// new association to the destination): pending responses as the sub-operations end (paced
    /// by ``ServiceHandlers/retrievePendingInterval``), then the final status with the counts,
    /// and the Failed SOP Instance UID List when any failed; cancel (FE00H) once a C-CANCEL has
    /// cancelled the task.
    func performRetrieve(_ retrieve: Retrieve, _ message: DIMSEReceiver.Message) async throws(AssociationError) {
        let contextID = message.presentationContextID
        let syntax = transferSyntax(of: contextID)
        let name = if case .get = retrieve { "C-GET-RQ" } else { "C-MOVE-RQ" }
        func respond(_ status: DIMSEStatus, _ counts: SubOperationTally? = nil, comment: String? = nil) async throws(AssociationError) {
            logFailure(status, of: name, comment: comment)
            if let counts { logRetrieveOutcome(status, counts, of: name) }
            try await respondToRetrieve(retrieve, contextID: contextID, syntax: syntax, status: status, counts: counts, comment: comment)
        }

        if let mismatch = contextMismatch(retrieve.sopClassUID, on: contextID, name) {
            return try await respond(.sopClassNotSupported, comment: mismatch)
        }
        let handler: (@Sendable (QueryRequest) async throws -> RetrieveResult)?
        var destination: (aeTitle: String, address: MoveDestination)?
        switch retrieve {
        case .get:
            handler = handlers.get
        case .move(let request):
            handler = handlers.move
            guard handler != nil else { break }
            guard let address = handlers.moveDestinations[request.moveDestination] else {
                return try await respond(.moveDestinationUnknown, comment: "unknown move destination \(request.moveDestination)")
            }
            destination = (request.moveDestination, address)
        }
        guard let handler else { return try await respond(.sopClassNotSupported) }
        guard let identifier = decodeDataSet(message, syntax) else {
            return try await respond(.identifierDoesNotMatchSOPClass, comment: "the identifier cannot be decoded")
        }
        let request = QueryRequest(
            sopClassUID: retrieve.sopClassUID, messageID: retrieve.messageID, identifier: identifier,
            moveDestination: destination?.aeTitle, association: info)

        var counts = SubOperationTally(remaining: 0)
        do {
            let result = try await handler(request)
            counts.remaining = result.count
            if let destination {
                let originator = (aeTitle: info.peerAETitle, messageID: retrieve.messageID)
                try await performMoveSubOperations(result, to: destination, originator: originator, counts: &counts) {
                    (status: DIMSEStatus, counts: SubOperationTally, comment: String?) async throws(AssociationError) in
                    try await respond(status, counts, comment: comment)
                }
                return
            }
            // A list read up front never blocks: its sub-operations and responses then go
            // from the association's event loop, without a thread hop each.
            if result.isListed {
                try await onChannelLoop { () async throws in
                    try await performGetSubOperations(result, counts: &counts, respond: respond)
                }
            } else {
                try await performGetSubOperations(result, counts: &counts, respond: respond)
            }
            try await respond(Task.isCancelled ? .cancel : counts.finalStatus, counts)
        } catch let error as AssociationError {
            // Our own association failed: nothing more can be answered on it.
            throw error
        } catch let failure as QueryFailure {
            try await respond(failure.status, counts, comment: failure.comment)
        } catch {
            try await respond(Task.isCancelled ? .cancel : .unableToProcess, counts, comment: Task.isCancelled ? nil : "\(error)")
        }
    }

    /// Logs how a retrieve that got as far as its sub-operations ended, unless it failed
    /// (``logFailure(_:of:comment:)`` says why): at info when none failed, as a warning when some
    /// failed or warned, the operator's one line on instances that did not all arrive (each
    /// failure is logged as it comes).
    private func logRetrieveOutcome(_ status: DIMSEStatus, _ counts: SubOperationTally, of request: String) {
        guard status.kind != .pending, status.kind != .failure else { return }
        let line = "\(request) from \(info.peerAETitle) ended with \(status.hexCode) (\(status.kind)): \(counts.completed) completed, \(counts.failed) failed, "
            + "\(counts.warning) with warnings" + (status.kind == .cancel ? ", \(counts.remaining) not performed" : "")
        if counts.failed > 0 || counts.warning > 0 { logger.warning("\(line)") } else { logger.info("\(line)") }
    }

    /// A C-GET's sub-operations, on this association, with pending responses as paced (never
    /// after the last).
    private func performGetSubOperations(
        _ result: RetrieveResult,
        counts: inout SubOperationTally,
        respond: (DIMSEStatus, SubOperationTally?, String?) async throws(AssociationError) -> Void
    ) async throws {
        var items = result.items.makeAsyncIterator()
        var started: [SubOperation] = []
        var pacing = PendingResponsePacing(interval: handlers.retrievePendingInterval)
        let atOnce = Self.subOperationsAtOnce(over: self, listed: result.isListed)
        let sequence = SubOperationSequence()
        var next = 0
        func startNext() async throws -> Bool {
            guard !Task.isCancelled, let item = try await items.next() else { return false }
            started.append(startSubOperation(self, item, moveOriginator: nil, turn: sequence.turn(next)))
            next += 1
            return true
        }
        try await withTaskCancellationHandler {
            while started.count < atOnce, try await startNext() {}
            while !started.isEmpty {
                // nil: read ahead, not sent, as the retrieve was cancelled; it stays remaining.
                guard let (status, uid) = try await started.removeFirst().value.get() else { continue }
                counts.count(status, sopInstanceUID: uid)
                _ = try await startNext()
                if counts.remaining > 0, pacing.isDue() { try await respond(.pending, counts, nil) }
            }
        } onCancel: {
            sequence.close()
        }
    }

    /// A C-MOVE's sub-operations: reads the handler's whole list (the new association needs its
    /// contexts up front), opens the association to `destination` and stores each instance over
    /// it, answering on this association through `respond`. When the destination cannot be
    /// reached or its association fails, the sub-operations not performed count as failed, and
    /// the final response says why; only a failure of this association is thrown.
    private func performMoveSubOperations(
        _ result: RetrieveResult,
        to destination: (aeTitle: String, address: MoveDestination),
        originator: (aeTitle: String, messageID: UInt16),
        counts: inout SubOperationTally,
        respond: (DIMSEStatus, SubOperationTally, String?) async throws(AssociationError) -> Void
    ) async throws {
        var items: [RetrieveItem] = []
        for try await item in result.items { items.append(item) }
        counts.remaining = items.count
        guard !items.isEmpty else { return try await respond(.success, counts, nil) }
        let instances = await Self.describe(items)

        let destinationName = "\(destination.aeTitle) at \(destination.address.host):\(destination.address.port)"
        let target: Association
        do {
            target = try await associateForMove(to: destination, instances: instances.compactMap { $0 })
        } catch {
            logger.warning("C-MOVE: cannot associate with \(destinationName): \(error)")
            for instance in instances { counts.count(.unableToProcess, sopInstanceUID: instance?.sopInstanceUID) }
            return try await respond(counts.finalStatus, counts, "cannot associate with \(destinationName)")
        }
        let answered: Bool
        do {
            // From this association's event loop, where the pending responses go out.
            answered = try await onChannelLoop { () async throws in
                try await storeMoveSubOperations(
                    items, instances, over: target, to: (destination.aeTitle, destinationName), originator: originator, counts: &counts, respond: respond)
            }
        } catch {
            await target.abort()
            throw error
        }
        if answered { return }
        try? await target.release()
        try await respond(Task.isCancelled ? .cancel : counts.finalStatus, counts, nil)
    }

    /// Stores `items` over `target`, with pending responses as paced (never after the last).
    /// Returns true when the destination's association failed and the final response has been
    /// sent: the sub-operations not performed then count as failed.
    private func storeMoveSubOperations(
        _ items: [RetrieveItem],
        _ instances: [RetrieveInstance?],
        over target: Association,
        to destination: (aeTitle: String, description: String),
        originator: (aeTitle: String, messageID: UInt16),
        counts: inout SubOperationTally,
        respond: (DIMSEStatus, SubOperationTally, String?) async throws(AssociationError) -> Void
    ) async throws -> Bool {
        var started: [SubOperation] = []
        var next = 0
        var pacing = PendingResponsePacing(interval: handlers.retrievePendingInterval)
        let atOnce = Self.subOperationsAtOnce(over: target.endpoint, listed: true)
        let sequence = SubOperationSequence()
        func startNext() {
            guard !Task.isCancelled, next < items.count else { return }
            started.append(startSubOperation(target.endpoint, items[next], moveOriginator: originator, turn: sequence.turn(next)))
            next += 1
        }
        return try await withTaskCancellationHandler {
            while started.count < atOnce, next < items.count, !Task.isCancelled { startNext() }
            var index = 0
            while !started.isEmpty {
                defer { index += 1 }
                let status: DIMSEStatus
                var uid = instances[index]?.sopInstanceUID
                do {
                    // nil: read ahead, not sent, as the retrieve was cancelled; it stays remaining.
                    guard let outcome = try await started.removeFirst().value.get() else { continue }
                    status = outcome.status
                    uid = outcome.sopInstanceUID ?? uid
                } catch {
                    // The destination's association failed: this and the remaining sub-operations
                    // cannot be performed.
                    logger.warning("C-MOVE: the association with \(destination.description) failed: \(error)")
                    await target.abort()
                    for lost in instances[index...] { counts.count(.unableToProcess, sopInstanceUID: lost?.sopInstanceUID) }
                    try await respond(counts.finalStatus, counts, "the association with \(destination.aeTitle) failed")
                    return true
                }
                counts.count(status, sopInstanceUID: uid)
                startNext()
                if counts.remaining > 0, pacing.isDue() { try await respond(.pending, counts, nil) }
            }
            return false
        } onCancel: {
            sequence.close()
        }
    }

    private func respondToRetrieve(
        _ retrieve: Retrieve, contextID: UInt8, syntax: TransferSyntax, status: DIMSEStatus, counts: SubOperationTally?, comment: String?
    ) async throws(AssociationError) {
        let subOperations = counts?.counts(for: status) ?? SubOperationCounts()
        let identifier = counts?.identifier(for: status)
        let commandSet: DataSet
        switch retrieve {
        case .get(let request):
            var response = CGetResponse(respondingTo: request, status: status, subOperations: subOperations, hasIdentifier: identifier != nil)
            response.errorComment = comment
            commandSet = response.commandSet
        case .move(let request):
            var response = CMoveResponse(respondingTo: request, status: status, subOperations: subOperations, hasIdentifier: identifier != nil)
            response.errorComment = comment
            commandSet = response.commandSet
        }
        try await link.send(commandSet: commandSet, dataSet: encode(identifier, syntax), presentationContextID: contextID)
    }

    /// A sub-operation under way: its task ends with the status and the instance's UID, nil
    /// when it was not sent (its retrieve cancelled while it waited, see ``SubOperationSequence``),
    /// or with the failure of the association it was sent on.
    typealias SubOperation = Task<Result<(status: DIMSEStatus, sopInstanceUID: UID?)?, AssociationError>, Never>

    /// How many sub-operations run at once over `sender`: the operations window the peer
    /// granted (at most ``maximumSubOperationsAhead``), plus some that read their files while
    /// the others are on the wire and wait for their turn (the window, not this count, bounds
    /// the C-STOREs outstanding: a sub-operation takes its place in the window once its file is
    /// read; PS3.7 D.3.3.3).
    ///
    /// Two read ahead when the instances are `listed` (a C-MOVE's always are), so that the next
    /// file is ready when the destination answers even when reading it took longer than the
    /// destination took over the last. One from a handler that streams its instances: the next
    /// may be slow to come, and the responses to the sub-operations done wait until it has.
    static func subOperationsAtOnce(over sender: DIMSEEndpoint, listed: Bool) -> Int {
        let window = Int(sender.outcome.asynchronousOperationsWindow.maximumNumberOperationsInvoked)
        return (window == 0 ? maximumSubOperationsAhead : min(window, maximumSubOperationsAhead)) + (listed ? 2 : 1)
    }

    /// The most sub-operations in the window at once, whatever the peer grants.
    static let maximumSubOperationsAhead = 8

    /// Starts one sub-operation over `sender`. A failure of the instance (not of the
    /// association) counts as a failed sub-operation.
    ///
    /// A C-CANCEL does not reach a sub-operation once sent: it runs to its response in a task
    /// of its own, as a data set cut half way would leave nothing but an abort (PS3.7 §8.2).
    /// Sub-operations go out in their `turn`s; one whose turn comes after the sequence closed
    /// is not sent (``SubOperationSequence``). The retrieve starts no more, waits for those
    /// started, and answers Cancel (PS3.4 C.4.2.3.1, C.4.3.3.1).
    private func startSubOperation(
        _ sender: DIMSEEndpoint, _ item: RetrieveItem, moveOriginator: (aeTitle: String, messageID: UInt16)?, turn: SubOperationSequence.Turn
    ) -> SubOperation {
        let logger = self.logger
        // On the sender's event loop, where the store runs anyway: no hop to get there.
        return Task(executorPreference: sender.loopExecutor) {
            do throws(AssociationError) {
                // (withValue does not carry a typed error: the store's goes through a Result.)
                let stored = await SubOperationSequence.$current.withValue(turn) { () async -> Result<CStoreResponse, AssociationError> in
                    defer { turn.sequence.endTurn(turn.index) }
                    do throws(AssociationError) {
                        return .success(try await sender.store(item, moveOriginator: moveOriginator))
                    } catch {
                        // One that failed before its turn (an unreadable file) passes it on in it.
                        await turn.sequence.waitForTurn(turn.index)
                        return .failure(error)
                    }
                }
                let response = try stored.get()
                var uid = response.affectedSOPInstanceUID
                if uid == nil, response.status.kind == .failure { uid = await Self.describe(item)?.sopInstanceUID }
                if response.status.kind == .failure || response.status.kind == .warning {
                    logger.warning("sub-operation: \(sender.info.peerAETitle) answered the C-STORE of \(uid?.string ?? "an instance") with \(response.status)\(response.errorComment.map { ": \($0)" } ?? "")")
                }
                return .success((response.status, uid))
            } catch {
                if error.code == .cancelled { return .success(nil) }
                guard error.code == .invalidInput || error.code == .noAcceptedContext else { return .failure(error) }
                logger.warning("sub-operation failed: \(error)")
                return .success((.unableToProcess, await Self.describe(item)?.sopInstanceUID))
            }
        }
    }

    /// The SOP class, instance and transfer syntax of each of `items` (nil for a file that
    /// cannot be read as DICOM): known for an indexed file or a data set; the headers of the
    /// other files read in one trip to the I/O threads.
    private static func describe(_ items: [RetrieveItem]) async -> [RetrieveInstance?] {
        var described = items.map(\.knownInstance)
        let unknown = items.indices.compactMap { index -> (Int, String)? in
            if case .file(let path) = items[index] { return (index, path) }
            return nil
        }
        guard !unknown.isEmpty else { return described }
        let read = (try? await BlockingIO.transfer.runIfActive { unknown.map { readInstance(at: $0.1) } }) ?? []
        for (position, instance) in zip(unknown.map(\.0), read) { described[position] = instance }
        return described
    }

    /// The SOP class, instance and transfer syntax of `item`; nil for a file that cannot be read
    /// as DICOM.
    private static func describe(_ item: RetrieveItem) async -> RetrieveInstance? {
        if let known = item.knownInstance { return known }
        guard case .file(let path) = item else { return nil }
        return try? await BlockingIO.transfer.runIfActive { readInstance(at: path) }
    }

    /// What the header of the file at `path` says; nil for a file that cannot be read as DICOM.
    private static func readInstance(at path: String) -> RetrieveInstance? {
        guard let source = try? Part10FileSource(path: path) else { return nil }
        return RetrieveInstance(sopClassUID: source.sopClassUID, sopInstanceUID: source.sopInstanceUID, transferSyntax: source.header.transferSyntax.uid)
    }

    /// Opens the C-MOVE sub-operations' association to `destination`, proposing a context per
    /// SOP class and transfer syntax among `instances` (``StorageContextProposal``), and an
    /// operations window of ``maximumSubOperationsAhead`` C-STOREs: a destination that grants
    /// it (ours) takes several at once; one that answers none (DCMTK's, pynetdicom's) gets them
    /// one at a time, as before.
    private func associateForMove(to destination: (aeTitle: String, address: MoveDestination), instances: [RetrieveInstance]) async throws -> Association {
        let contexts = StorageContextProposal(instances.map { ($0.sopClassUID, $0.transferSyntax) }).contexts
        return try await entity.associate(
            host: destination.address.host, port: destination.address.port, calledAETitle: destination.aeTitle,
            contexts: contexts, maximumPDUSize: nil, userIdentity: nil, extendedNegotiation: [], commonExtendedNegotiation: [],
            asynchronousOperationsWindow: AsynchronousOperationsWindow(
                maximumNumberOperationsInvoked: UInt16(Self.maximumSubOperationsAhead), maximumNumberOperationsPerformed: 1),
            bindAddress: nil, tls: nil, handlers: ServiceHandlers(), events: nil, logger: logger,
            on: link.channel.eventLoop)
    }
}

extension RetrieveItem {
    /// The instance's SOP class, instance and transfer syntax when known without reading a file.
    fileprivate var knownInstance: DIMSEEndpoint.RetrieveInstance? {
        switch self {
        case .file: nil
        case .indexedFile(_, let sopClassUID, let sopInstanceUID, let transferSyntax):
            DIMSEEndpoint.RetrieveInstance(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntax: transferSyntax)
        case .dataSet(_, let sopClassUID, let sopInstanceUID, let transferSyntax):
            DIMSEEndpoint.RetrieveInstance(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntax: transferSyntax.uid)
        }
    }
}
