import DICOMCore
import DICOMNetworkCore
import Logging
import NIOCore
import Synchronization

/// One established association's DIMSE side, the same for both roles: it routes the peer's
/// responses to the requests waiting for them, runs the handlers for the peer's requests (as many
/// at once as the asynchronous operations window allows) and cancels them on C-CANCEL, and sends
/// requests of its own.
final class DIMSEEndpoint: Sendable {
    let link: AssociationLink
    let router: AssociationRouter
    let outcome: AssociationNegotiation.Outcome
    let handlers: ServiceHandlers
    let info: AssociationInfo
    let entity: ApplicationEntity
    /// Operations of the peer's being performed; at most the negotiated window.
    let performing: AsyncSemaphore
    /// Operations of ours awaiting their final response; at most the negotiated window.
    let invoking: AsyncSemaphore
    /// The channel's event loop as a task executor (see ``onChannelLoop(_:)``).
    let loopExecutor: EventLoopTaskExecutor
    /// The DIMSE timeouts of the responses our requests await.
    let deadlines: ResponseDeadlines
    private let operations = Mutex<[UInt16: Task<Void, Never>]>([:])
    /// Our C-FIND, C-GET and C-MOVE requests awaiting their final response, by message ID: the
    /// presentation context a C-CANCEL-RQ for each goes on.
    let cancellable = Mutex<[UInt16: UInt8]>([:])
    private let messageIDs = Atomic<UInt16>(0)

    init(link: AssociationLink, router: AssociationRouter, outcome: AssociationNegotiation.Outcome, handlers: ServiceHandlers, info: AssociationInfo, entity: ApplicationEntity) {
        self.link = link
        self.router = router
        self.outcome = outcome
        self.handlers = handlers
        self.info = info
        self.entity = entity
        self.loopExecutor = EventLoopTaskExecutor(link.channel.eventLoop)
        let timeout = entity.dimseTimeout
        self.deadlines = ResponseDeadlines(eventLoop: link.channel.eventLoop, timeout: TimeAmount(timeout)) { [router] messageID in
            router.expire(messageID, with: AssociationError(.timedOut, "DIMSE response to message \(messageID): no answer within \(timeout)"))
        }
        let window = outcome.asynchronousOperationsWindow
        // 0 is "unlimited" (PS3.7 D.3.3.3.1); a generous bound still keeps memory in check.
        performing = AsyncSemaphore(permits: window.maximumNumberOperationsPerformed == 0 ? 256 : Int(window.maximumNumberOperationsPerformed))
        invoking = AsyncSemaphore(permits: window.maximumNumberOperationsInvoked == 0 ? 256 : Int(window.maximumNumberOperationsInvoked))
        attachChannelHandlers()
    }

    /// Runs `body` on the channel's event loop: where its sends are plain calls into the pipeline
    /// and where a response or a finished file write resumes it without a further thread hop.
    /// For the library's own non-blocking work only; user handlers run off the loop.
    func onChannelLoop<T, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        // Already preferred (a caller running many operations there): no second preference.
        if withUnsafeCurrentTask(body: { $0?.unownedTaskExecutor }) == loopExecutor.asUnownedTaskExecutor() {
            return try await body()
        }
        return try await withTaskExecutorPreference(loopExecutor, operation: body)
    }

    /// Lets the channel's ``DIMSEShortcutHandler`` answer small exchanges for this endpoint, and
    /// its ``NetworkTimeoutGate`` see the operations in progress.
    private func attachChannelHandlers() {
        let channel = link.channel
        let attach: @Sendable () -> Void = { [weak self] in
            let handler = try? channel.pipeline.syncOperations.handler(type: DIMSEShortcutHandler.self)
            handler?.endpoint = self
            let gate = try? channel.pipeline.syncOperations.handler(type: NetworkTimeoutGate.self)
            gate?.endpoint = self
        }
        if channel.eventLoop.inEventLoop { attach() } else { channel.eventLoop.execute(attach) }
    }

    var trace: AssociationTrace { link.trace }
    var logger: Logger { link.trace.logger }

    /// The next DIMSE message ID (1…65535, wrapping, never 0).
    func nextMessageID() -> UInt16 {
        while true {
            let id = messageIDs.add(1, ordering: .relaxed).newValue
            if id != 0 { return id }
        }
    }

    /// The accepted context with `contextID`.
    func acceptedContext(_ contextID: UInt8) -> PresentationContext? {
        guard let context = outcome.context(withID: contextID), context.isAccepted else { return nil }
        return context
    }

    /// Why a request for `sopClass` may not be performed on the context `contextID`: a message
    /// belongs to its context's abstract syntax (PS3.8 §7.1.1.13, PS3.7 §9.1.1.1), and one for
    /// another class would pass the negotiation's choices (a SOP class or a model the acceptor
    /// refused) under a context accepted for something else. Nil when it is the same; else
    /// logged, for a refusal with 0122H (SOP class not supported).
    func contextMismatch(_ sopClass: UID, on contextID: UInt8, _ name: String) -> String? {
        guard let context = acceptedContext(contextID), context.abstractSyntax != sopClass else { return nil }
        let reason = "\(sopClass) is not the SOP class of presentation context \(contextID) (\(context.abstractSyntax))"
        logger.warning("refusing a \(name) from \(info.peerAETitle): \(reason)")
        return reason
    }

    // MARK: - Receiving

    /// Where the data set of a command just received goes: a C-STORE's to its store handler's
    /// destination, any other collected; and, for a C-STORE's data set that is kept, the check
    /// of its structure as it arrives.
    func placement(_ contextID: UInt8, _ commandSet: DataSet) async -> (IncomingDataSet, DataSetStructureCheck?) {
        guard (try? CommandSet.commandField(of: commandSet)) == .cStoreRequest,
              let message = try? CStoreRequest(commandSet: commandSet),
              let context = acceptedContext(contextID), let syntax = context.transferSyntax else {
            return (.collect(nil), nil)
        }
        guard let handler = handlers.store, contextMismatch(message.affectedSOPClassUID, on: contextID, "C-STORE-RQ") == nil else {
            return (.refuse(.sopClassNotSupported), nil)
        }
        let request = StoreRequest(message: message, transferSyntax: TransferSyntax(uid: syntax), association: info)
        switch handler.destination(request) {
        case .file(let path, let durable):
            let reception = FileReception(path: path, fileMetaInformation: request.fileMetaInformation, durable: durable)
            return (.stream(reception), DataSetStructureCheck(transferSyntax: request.transferSyntax))
        case .memory:
            return (.collect(nil), DataSetStructureCheck(transferSyntax: request.transferSyntax))
        case .discard:
            return (.drop(length: 0), nil)
        case .refuse(let status):
            return (.refuse(status), nil)
        }
    }

    /// Handles one message the read loop received. Returns false when the association is
    /// being aborted (the peer broke the protocol).
    func dispatch(_ message: DIMSEReceiver.Message) async -> Bool {
        let name = AssociationLink.name(of: message.commandSet)
        trace.emit(.dimseReceived(name))
        guard let field = try? CommandSet.commandField(of: message.commandSet) else {
            return await abort("a command without a valid Command Field")
        }
        if field.isResponse {
            let routed = message.commandSet.integer(.messageIDBeingRespondedTo).map {
                router.response(
                    AssociationRouter.Message(presentationContextID: message.presentationContextID, commandSet: message.commandSet, dataSet: message.collectedDataSet),
                    to: UInt16(truncatingIfNeeded: $0))
            } ?? false
            if !routed { logger.warning("ignoring an unexpected \(name) from the peer") }
            return true
        }
        guard acceptedContext(message.presentationContextID) != nil else {
            return await abort("a \(name) on presentation context \(message.presentationContextID), which was not accepted")
        }
        let request: DIMSEMessage
        do {
            request = try DIMSEMessage(commandSet: message.commandSet)
        } catch {
            return await abort("cannot understand \(name): \(error)")
        }
        switch request {
        case .cCancelRequest(let cancel):
            let task = operations.withLock { $0[cancel.messageIDBeingRespondedTo] }
            task?.cancel()
        case .cEchoRequest(let echo):
            // Answered here, on the event loop: the cheapest path for the commonest probe.
            var status = DIMSEStatus.success
            if contextMismatch(echo.affectedSOPClassUID, on: message.presentationContextID, name) != nil {
                status = .sopClassNotSupported
            } else if let handler = handlers.echo {
                let request = EchoRequest(message: echo, association: info)
                status = await offLoop { await handler(request) }
            }
            try? await link.send(commandSet: CEchoResponse(respondingTo: echo, status: status).commandSet, presentationContextID: message.presentationContextID)
        default:
            guard let messageID = request.messageID else { return true }
            await performing.acquire()
            // Handlers run on the global executor: they may block, the event loop must not. The
            // store and find handlers that say they never block (the library's directory and
            // discarding ones, the archive's) stay on the loop, saving two thread hops each.
            let executor: any TaskExecutor = if case .cStoreRequest = request, handlers.store?.receivedNeverBlocks ?? true {
                loopExecutor
            } else if case .cFindRequest = request, handlers.findMatches?.neverBlocks ?? false {
                loopExecutor
            } else {
                globalConcurrentExecutor
            }
            operations.withLock { operations in
                operations[messageID] = Task(executorPreference: executor) {
                    await self.perform(request, message)
                    self.operations.withLock { _ = $0.removeValue(forKey: messageID) }
                    self.performing.release()
                }
            }
        }
        return true
    }

    /// Whether an operation the peer asked for is being performed.
    var isPerforming: Bool { operations.withLock { !$0.isEmpty } }

    /// Waits for the operations still running to send their last response: the peer asked
    /// for release behind its requests, and is owed their answers first.
    func completeOperations() async {
        let running = operations.withLock { Array($0.values) }
        for task in running { await task.value }
    }

    /// The association ended: cancels the operations still running and waits for them.
    func finish() async {
        deadlines.cancelAll()
        let running = operations.withLock { Array($0.values) }
        for task in running {
            task.cancel()
            await task.value
        }
    }

    /// Logs a failure status answering the peer's `request` (an unknown move destination, an
    /// identifier that does not fit the model…) with its comment: the peer is told, and so is
    /// whoever runs this side.
    func logFailure(_ status: DIMSEStatus, of request: String, comment: String?) {
        guard status.kind == .failure else { return }
        logger.warning("answered a \(request) from \(info.peerAETitle) with \(status)\(comment.map { ": \($0)" } ?? "")")
    }

    private func abort(_ reason: String) async -> Bool {
        logger.error("aborting: \(reason)")
        try? await link.request(.abort)
        return false
    }

    /// Performs one of the peer's requests and sends the response(s).
    private func perform(_ request: DIMSEMessage, _ message: DIMSEReceiver.Message) async {
        let contextID = message.presentationContextID
        do {
            switch request {
            case .cStoreRequest(let store):
                let status = await performStore(store, message)
                try await link.send(commandSet: CStoreResponse(respondingTo: store, status: status).commandSet, presentationContextID: contextID)
            case .cFindRequest(let find):
                try await performFind(find, message)
            case .cGetRequest(let get):
                try await performRetrieve(.get(get), message)
            case .cMoveRequest(let move):
                try await performRetrieve(.move(move), message)
            case .nGetRequest, .nSetRequest, .nActionRequest, .nCreateRequest, .nDeleteRequest, .nEventReportRequest:
                try await performNService(request, message)
            default:
                // Responses and C-CANCEL never get here (dispatch handles them).
                break
            }
        } catch {
            logger.debug("could not answer \(request.commandField): \(error)")
        }
    }

    private func performStore(_ store: CStoreRequest, _ message: DIMSEReceiver.Message) async -> DIMSEStatus {
        guard let handler = handlers.store, let syntax = acceptedContext(message.presentationContextID)?.transferSyntax else {
            return .sopClassNotSupported
        }
        let request = StoreRequest(message: store, transferSyntax: TransferSyntax(uid: syntax), association: info)
        if let error = message.structureError {
            // A truncated or malformed data set is not kept, and the peer is told (PS3.4 B.2.3).
            if case .stream(let reception)? = message.dataSet { reception.discard() }
            logger.error("refusing \(store.affectedSOPInstanceUID): its data set is not well formed: \(error)")
            return .cannotUnderstand
        }
        let instance: ReceivedInstance
        switch message.dataSet {
        case .refuse(let status)?:
            return status
        case .stream(let reception)?:
            do {
                // A handler answering as the file is committed (receivedWhileCommitting,
                // receivedOnFileThread) answers here.
                if let status = try await commitFile(reception, for: request, handler: handler) { return status }
            } catch {
                reception.discard()
                if error is CancellationError {
                    // The association ended (the peer went) before the instance was committed:
                    // nobody waits for the answer, and nothing was acknowledged.
                    logger.notice("not storing \(store.affectedSOPInstanceUID): the association ended before it was committed")
                } else {
                    logger.error("cannot store \(store.affectedSOPInstanceUID): \(error)")
                }
                return .outOfResources
            }
            // A small data set's bytes (a larger one's first bytes) go along, so that the handler
            // (the archive's index) need not read back the file just written.
            instance = ReceivedInstance(
                request: request, location: .file(reception.path), dataSetLength: reception.bytesReceived, dataSetBytes: reception.keptDataSet,
                dataSetPrefixFragments: reception.keptPrefix)
        case .collect(let bytes)?:
            instance = ReceivedInstance(request: request, location: .memory(bytes ?? ByteBuffer()), dataSetLength: bytes?.readableBytes ?? 0)
        case .drop(let length)?:
            instance = ReceivedInstance(request: request, location: .discarded, dataSetLength: length)
        case nil:
            return .cannotUnderstand
        }
        return await handler.received(instance)
    }
}
