public import NIOCore

/// The one channel handler of an association: it turns inbound PDUs, the service user's requests,
/// transport events and ARTIM expiry into events of the pure ``UpperLayerStateMachine``, and runs
/// the actions the machine returns. It holds no protocol logic of its own.
///
/// Inbound it takes decoded ``PDU``s (put a ``PDUFramer`` in front of it) and
/// emits ``UpperLayerIndication``s; outbound it takes ``UpperLayerRequest``s and writes PDU bytes.
/// When the transport closes, the inbound stream ends.
public final class AssociationChannelHandler: ChannelDuplexHandler {
    public typealias InboundIn = PDU
    public typealias InboundOut = UpperLayerIndication
    public typealias OutboundIn = UpperLayerRequest
    public typealias OutboundOut = ByteBuffer

    /// Which side of the association this handler plays.
    public enum Role: Sendable {
        /// The requestor, which sends this A-ASSOCIATE-RQ once the transport is up.
        case requestor(PDU.AssociateRQ)
        /// The acceptor, which waits for the peer's A-ASSOCIATE-RQ.
        case acceptor
    }

    private var machine = UpperLayerStateMachine()
    private let role: Role
    private let artimTimeout: TimeAmount
    private var artim: Scheduled<Void>?
    /// The type of the PDU being handled, for the A-P-ABORT indication of one that came where
    /// none may.
    private var receivedPDUType: PDU.PDUType?
    private let observeTransition: (@Sendable (UpperLayerStateMachine.Transition) -> Void)?

    /// Creates the handler.
    ///
    /// - Parameters:
    ///   - artimTimeout: the ARTIM timer (PS3.8 §9.1.5): how long to wait for an A-ASSOCIATE-RQ
    ///     after a connection opens, and for the transport to close after a release or abort.
    ///   - observeTransition: called with every state transition, for EVT_FSM_TRANSITION-style
    ///     tracing.
    public init(role: Role, artimTimeout: TimeAmount, observeTransition: (@Sendable (UpperLayerStateMachine.Transition) -> Void)? = nil) {
        self.role = role
        self.artimTimeout = artimTimeout
        self.observeTransition = observeTransition
        if case .requestor = role {
            // Evt1: the A-ASSOCIATE request made us open this transport (AE-1).
            _ = machine.associateRequested()
        }
    }

    /// The current state, for diagnostics.
    public var state: UpperLayerStateMachine.State { machine.state }

    // MARK: - Transport events

    public func channelActive(context: ChannelHandlerContext) {
        switch role {
        case .requestor(let request):
            run(machine.transportConnectConfirmed(), context: context, pdu: .associateRQ(request))  // Evt2
        case .acceptor:
            run(machine.transportConnectionIndicated(), context: context)  // Evt5
        }
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelARTIM()
        run(machine.transportClosed(), context: context)  // Evt17
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let pdu = unwrapInboundIn(data)
        receivedPDUType = pdu.pduType
        defer { receivedPDUType = nil }
        switch pdu {
        case .associateRQ(let request):
            // The provider accepts every well-formed RQ; the service user decides (AE-6).
            run(machine.associateRQReceived(acceptable: true), context: context, indication: .associateRequested(request))
        case .associateAC(let accept):
            run(machine.associateACReceived(), context: context, indication: .associateAccepted(accept))
        case .associateRJ(let reject):
            run(machine.associateRJReceived(), context: context, indication: .associateRejected(reject))
        case .pDataTF(let data):
            run(machine.pDataTFReceived(), context: context, indication: .pData(data))
        case .releaseRQ:
            run(machine.releaseRQReceived(), context: context)
        case .releaseRP:
            run(machine.releaseRPReceived(), context: context)
        case .abort(let abort):
            run(machine.abortReceived(), context: context, indication: .aborted(abort))
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let decodingError = error as? PDUDecodingError {
            // Evt19: an unrecognised or invalid PDU (PS3.8 §9.2.2, AA-8).
            let reason: UpperLayerStateMachine.ProviderAbortReason =
                decodingError.code == .unrecognizedPDUType ? .unrecognizedPDU : .invalidPDUParameterValue
            // The A-ABORT names the provider and the reason, whichever of AA-1/AA-8 applies.
            let abort = PDU.Abort(source: .serviceProvider, reason: PDU.Abort.Reason(rawValue: reason.rawValue))
            run(machine.invalidPDUReceived(reason: reason), context: context, pdu: .abort(abort),
                indication: .providerAborted(reason, detail: "\(decodingError)"))
        } else {
            // A transport error: the connection is gone or unusable.
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            // The network timeout: nothing heard from the peer for too long. The provider aborts
            // (A-ABORT with source service-provider) and tells the user (A-P-ABORT).
            let abort = PDU.Abort(source: .serviceProvider, reason: .reasonNotSpecified)
            run(machine.abortRequested(), context: context, pdu: .abort(abort))
            deliver(.providerAborted(.reasonNotSpecified, detail: "network timeout: nothing received from the peer"), context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Service user requests

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let action: UpperLayerStateMachine.Action
        let pdu: PDU?
        switch unwrapOutboundIn(data) {
        case .accept(let accept):
            (action, pdu) = (machine.associateResponseAccepted(), .associateAC(accept))
        case .reject(let reject):
            (action, pdu) = (machine.associateResponseRejected(), .associateRJ(reject))
        case .pData(let data):
            (action, pdu) = (machine.pDataRequested(), .pDataTF(data))
        case .pDataFromFile(let data):
            run(machine.pDataRequested(), context: context, fileData: data, promise: promise)
            return
        case .pDataBatch(let pdus):
            // Each is Evt9; in the states that send P-DATA (Sta6, Sta8) it leaves the state as it
            // was, and in the others it is refused: one event decides for the lot.
            run(machine.pDataRequested(), context: context, batch: pdus, promise: promise)
            return
        case .release:
            (action, pdu) = (machine.releaseRequested(), .releaseRQ)
        case .releaseResponse:
            (action, pdu) = (machine.releaseResponded(), .releaseRP)
        case .abort:
            (action, pdu) = (machine.abortRequested(), .abort(PDU.Abort(source: .serviceUser)))
        }
        run(action, context: context, pdu: pdu, promise: promise)
    }

    // MARK: - Actions

    /// Carries out one action of PS3.8 Table 9-10. `pdu` (or `fileData`, a P-DATA-TF sent from a
    /// file, or `batch`, P-DATA-TFs sent together) is what a send action sends; `indication` is
    /// what an issue action passes up.
    private func run(
        _ action: UpperLayerStateMachine.Action,
        context: ChannelHandlerContext,
        pdu: PDU? = nil,
        fileData: PDU.FileRegionPDataTF? = nil,
        batch: [PDU.PDataTF]? = nil,
        indication: UpperLayerIndication? = nil,
        promise: EventLoopPromise<Void>? = nil
    ) {
        if let transition = machine.lastTransition { observeTransition?(transition) }
        switch action.artim {
        case .start: startARTIM(context: context)
        case .stop: cancelARTIM()
        case .unchanged: break
        }
        switch action {
        case .openTransport, .acceptTransportAndStartARTIM, .stopARTIM, .stopARTIMBeforeAssociation:
            promise?.succeed()

        case .sendAbortAndStartARTIM where pdu == nil && fileData == nil && batch == nil:
            // AA-1 for a PDU received where none may come (Sta2: anything before an
            // A-ASSOCIATE-RQ): the A-ABORT is this handler's own (service-user source, PS3.8
            // §9.2.3), there being no local request to carry one.
            send(.abort(PDU.Abort(source: .serviceUser)), context: context, promise: promise)
            // Told to the acceptor, which has no association yet, so that it can log why.
            let received = receivedPDUType.map { "\($0)" } ?? "a PDU"
            deliver(.providerAborted(.unexpectedPDU, detail: "\(received) before any A-ASSOCIATE-RQ"), context: context)

        case .sendAssociateRQ, .sendAssociateAC, .sendAssociateRJAndStartARTIM, .sendPDataTF,
             .sendPDataTFAwaitingReleaseResponse, .sendReleaseRQ, .sendReleaseRPAndStartARTIM, .sendReleaseRP,
             .sendAbortAndStartARTIM:
            if let batch {
                send(batch, context: context, promise: promise)
            } else if let fileData {
                send(fileData, context: context, promise: promise)
            } else {
                send(pdu, context: context, promise: promise)
            }
            if case .sendAbortAndStartARTIM = action, let indication, case .providerAborted = indication {
                // AA-1 for an invalid PDU in Sta2: told to the acceptor, so that it can log why.
                deliver(indication, context: context)
            }

        case .stopARTIMAndHandleAssociateRQ(let acceptable):
            if acceptable, let indication { deliver(indication, context: context) }
            promise?.succeed()

        case .issueAssociateConfirmationAccept, .issuePDataIndication, .issuePDataIndicationAwaitingReleaseRP:
            if let indication { deliver(indication, context: context) }
            promise?.succeed()

        case .issueAssociateConfirmationRejectAndCloseTransport, .issueAbortIndicationAndCloseTransport:
            if let indication { deliver(indication, context: context) }
            context.close(promise: nil)
            promise?.succeed()

        case .issueReleaseIndication:
            deliver(.releaseRequested, context: context)
        case .issueReleaseCollisionIndication:
            deliver(.releaseCollision, context: context)
        case .issueReleaseConfirmationAndCloseTransport:
            deliver(.released, context: context)
            context.close(promise: nil)
        case .issueReleaseConfirmation:
            deliver(.released, context: context)

        case .stopARTIMAndCloseTransport:
            context.close(promise: nil)
            promise?.succeed()

        case .issueProviderAbortIndication:
            deliver(.providerAborted(.reasonNotSpecified, detail: "the transport closed during the association"), context: context)
            promise?.succeed()

        case .ignorePDU, .ignore:
            promise?.succeed()

        case .sendAbort(let reason):
            send(.abort(PDU.Abort(source: .serviceProvider, reason: PDU.Abort.Reason(rawValue: reason.rawValue))), context: context, promise: promise)
            context.close(promise: nil)

        case .sendAbortIssueProviderAbortIndicationAndStartARTIM(let reason):
            send(.abort(PDU.Abort(source: .serviceProvider, reason: PDU.Abort.Reason(rawValue: reason.rawValue))), context: context, promise: promise)
            // The A-P-ABORT indication, whatever the PDU would have indicated in another state
            // (a P-DATA-TF's data is not delivered: the association is over).
            if let indication, case .providerAborted = indication {
                deliver(indication, context: context)
            } else {
                let received = receivedPDUType.map { "\($0)" } ?? "a PDU"
                let state = machine.lastTransition.map { " in \($0.from)" } ?? ""
                deliver(.providerAborted(reason, detail: "\(received)\(state), where the protocol allows none"), context: context)
            }

        case .rejectLocalPrimitive(let event):
            promise?.fail(AssociationStateError(state: machine.state, event: event))
        }
    }

    private func send(_ pdu: PDU?, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let pdu else {
            promise?.succeed()
            return
        }
        if case .pDataTF(let data) = pdu {
            // Data goes out as header buffers and the fragments' own slices: no copy of a data set.
            // Not flushed here: whoever writes P-DATA flushes after its last PDU, so that the PDUs
            // of a message (or of several C-FIND responses) leave in one writev, not one each.
            let chunks: [ByteBuffer]
            do {
                chunks = try data.encodedChunks(allocator: context.channel.allocator)
            } catch {
                promise?.fail(error)
                return
            }
            for chunk in chunks.dropLast() { context.write(wrapOutboundOut(chunk), promise: nil) }
            context.write(wrapOutboundOut(chunks.last!), promise: promise)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 256)
        do {
            try buffer.writePDU(pdu)
        } catch {
            promise?.fail(error)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
    }

    /// Writes `pdus` in order: the small ones (fragments shorter than
    /// ``PDU/PDataTF/smallestSharedFragment``) encoded together into one buffer, a large
    /// fragment as its own slice, as ``PDU/PDataTF/encodedChunks(allocator:)`` hands it. Not
    /// flushed, like any P-DATA.
    private func send(_ pdus: [PDU.PDataTF], context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        // Room for every PDU whole: headers (6 + 6 per item) and fragments.
        let length = pdus.reduce(0) { total, pdu in
            pdu.presentationDataValueItems.reduce(total + PDU.headerLength) { $0 + PDU.PresentationDataValueItem.headerLength + $1.fragment.readableBytes }
        }
        var gathered = context.channel.allocator.buffer(capacity: min(length, 1 << 16))
        do {
            for pdu in pdus {
                if pdu.presentationDataValueItems.allSatisfy({ $0.fragment.readableBytes < PDU.PDataTF.smallestSharedFragment }) {
                    try gathered.writePDU(.pDataTF(pdu))
                    continue
                }
                for chunk in try pdu.encodedChunks(allocator: context.channel.allocator) {
                    if chunk.readableBytes < PDU.PDataTF.smallestSharedFragment {
                        gathered.writeImmutableBuffer(chunk)
                    } else {
                        if gathered.readableBytes > 0 { context.write(wrapOutboundOut(gathered), promise: nil) }
                        gathered = context.channel.allocator.buffer(capacity: 0)
                        context.write(wrapOutboundOut(chunk), promise: nil)
                    }
                }
            }
        } catch {
            promise?.fail(error)
            return
        }
        context.write(wrapOutboundOut(gathered), promise: promise)
    }

    /// Writes the PDU's header, then its fragment as a file region, which the socket sends with
    /// sendfile(2). Not flushed, like any P-DATA.
    private func send(_ data: PDU.FileRegionPDataTF, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let header: ByteBuffer
        do {
            header = try data.encodedHeader(allocator: context.channel.allocator)
        } catch {
            promise?.fail(error)
            return
        }
        context.write(wrapOutboundOut(header), promise: nil)
        context.write(NIOAny(IOData.fileRegion(data.fragment)), promise: promise)
    }

    private func deliver(_ indication: UpperLayerIndication, context: ChannelHandlerContext) {
        context.fireChannelRead(wrapInboundOut(indication))
    }

    // MARK: - ARTIM

    private func startARTIM(context: ChannelHandlerContext) {
        cancelARTIM()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        artim = context.eventLoop.scheduleTask(in: artimTimeout) {
            let (handler, context) = loopBound.value
            handler.artim = nil
            if handler.machine.state == .sta2TransportOpenAwaitingAssociateRQ {
                // Not an abort (AA-2 only closes), but told to the acceptor, so that it can log
                // why a connection ended without a word.
                let seconds = Double(handler.artimTimeout.nanoseconds) / 1e9
                handler.deliver(.providerAborted(.reasonNotSpecified, detail: "no A-ASSOCIATE-RQ within \(seconds) s (ARTIM)"), context: context)
            }
            handler.run(handler.machine.artimExpired(), context: context)  // Evt18
        }
    }

    private func cancelARTIM() {
        artim?.cancel()
        artim = nil
    }
}

/// The service user asked for something the association's state does not allow (a blank cell of
/// PS3.8 Table 9-10 for a local primitive), such as data before the association is established.
public struct AssociationStateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The state the association was in.
    public var state: UpperLayerStateMachine.State
    /// The refused primitive.
    public var event: UpperLayerStateMachine.Event

    public var description: String { "\(event) is not allowed in state \(state)" }
}

@available(*, unavailable)
extension AssociationChannelHandler: Sendable {}
