import DICOMCore
import DICOMNetworkCore
import NIOCore

/// Answers the commonest small DIMSE exchanges where they arrive, on the event loop, instead of
/// handing them to the association's task and back:
/// - a C-ECHO-RQ, which the acceptor answers with success when no echo handler is set;
/// - a response without a data set that one request waits for alone (C-ECHO, C-STORE, the
///   N-services), which goes straight to its waiter;
/// - a response to a request whose responses are gathered in batches (a C-FIND's, see
///   ``AssociationRouter/batches(to:)``), without a data set or with one that comes whole in one
///   fragment (a match's identifier): the command is held until that fragment, and both go to
///   the batches together.
///
/// That trip through the task (the async channel's stream, a task switch, the send back through
/// the pipeline) was most of the cost of a C-ECHO or a small C-STORE round trip. Everything else
/// passes on unchanged, in order.
///
/// Only a P-DATA-TF holding exactly one PDV, a whole command announcing no data set, received
/// between messages, is taken: PS3.8 Annex E never interleaves one message's fragments with
/// another's, so this handler follows the PDVs to know when a message is half received.
///
/// Following them, it also lets the middle of a data set that a command announced wait in a
/// ``DataSetFragmentGatherer``, to reach the task in large groups; whatever else arrives (a
/// stray data fragment, a command, a release) goes on at once, after what was held.
final class DIMSEShortcutHandler: ChannelInboundHandler {
    typealias InboundIn = UpperLayerIndication
    typealias InboundOut = UpperLayerIndication
    typealias OutboundOut = UpperLayerRequest

    /// The association's endpoint, once established (see ``DIMSEEndpoint/attachChannelHandlers()``).
    /// Weak: the endpoint owns the channel, whose pipeline owns this handler.
    weak var endpoint: DIMSEEndpoint?

    /// Whether more fragments of the current message are to come: a command cut in fragments,
    /// or the data set its command announced.
    private var insideMessage = false
    /// The fragments so far of a command cut in several: whether a data set follows it is known
    /// once it is whole.
    private var commandFragments: [ByteBuffer] = []
    /// Whether a whole command announced the data set now arriving (not yet ended).
    private var inAnnouncedDataSet = false
    private var gatherer = DataSetFragmentGatherer()

    /// A response announcing a data set, held until the next PDV shows whether that data set
    /// comes whole in it.
    private struct HeldResponse {
        var commandSet: DataSet
        var field: CommandField
        var contextID: UInt8
        var messageID: UInt16
        /// The P-DATA-TF as received, handed on if the data set does not come whole.
        var data: NIOAny
    }
    private var heldResponse: HeldResponse?
    /// The requests some of whose responses went to the association's task: their later
    /// responses go there too, behind them, so that a request's responses stay in order.
    private var answeredThroughTask: Set<UInt16> = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .pData(let pData) = unwrapInboundIn(data), let endpoint else {
            handOnHeld(context)
            context.fireChannelRead(data)
            return
        }
        let items = pData.presentationDataValueItems
        if let held = heldResponse.take() {
            if let first = items.first, !first.messageControlHeader.isCommand, first.messageControlHeader.isLastFragment,
               first.presentationContextID == held.contextID,
               endpoint.router.addToBatches(
                AssociationRouter.Message(presentationContextID: held.contextID, commandSet: held.commandSet, dataSet: first.fragment),
                to: held.messageID) {
                endpoint.trace.emit(.dimseReceived(held.field.description))
                if items.count > 1 { channelRead(context: context, data: wrapInboundOut(.pData(PDU.PDataTF(presentationDataValueItems: Array(items.dropFirst()))))) }
                return
            }
            handOn(held, context)
        }
        if inAnnouncedDataSet, items.allSatisfy({ !$0.messageControlHeader.isCommand }) {
            for pdv in items { follow(pdv) }
            if let group = gatherer.add(pData) { context.fireChannelRead(wrapInboundOut(.pData(group))) }
            return
        }
        handOnHeld(context)
        // A whole response and its data set in one P-DATA-TF (as some peers pack a C-FIND match):
        // the command is held as if it had come alone, and the data set follows it.
        if !insideMessage, items.count == 2, items[0].messageControlHeader.isCommand, items[0].messageControlHeader.isLastFragment,
           !items[1].messageControlHeader.isCommand,
           let commandSet = try? CommandSet.decode(items[0].fragment), (try? CommandSet.dataSetType(of: commandSet))?.isPresent == true,
           let held = holdable(commandSet, items[0], wrapInboundOut(.pData(PDU.PDataTF(presentationDataValueItems: [items[0]]))), endpoint) {
            heldResponse = held
            channelRead(context: context, data: wrapInboundOut(.pData(PDU.PDataTF(presentationDataValueItems: [items[1]]))))
            return
        }
        // The common case, one whole command between messages: decoded once, here, whether it
        // is taken or followed.
        if !insideMessage, items.count == 1, let pdv = items.first,
           pdv.messageControlHeader.isCommand, pdv.messageControlHeader.isLastFragment,
           let commandSet = try? CommandSet.decode(pdv.fragment) {
            let type = try? CommandSet.dataSetType(of: commandSet)
            if type?.isPresent == false, answered(commandSet, pdv, endpoint, context) { return }
            if type?.isPresent == true, let held = holdable(commandSet, pdv, data, endpoint) {
                heldResponse = held
                return
            }
            noteThroughTask(commandSet)
            insideMessage = type?.isPresent ?? false
            inAnnouncedDataSet = insideMessage
            context.fireChannelRead(data)
            return
        }
        for pdv in items { follow(pdv) }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handOnHeld(context)
        context.fireChannelInactive()
    }

    /// Hands on what is held (a response command, data set fragments), before anything that
    /// arrived after it.
    private func handOnHeld(_ context: ChannelHandlerContext) {
        if let held = heldResponse.take() { handOn(held, context) }
        if let held = gatherer.take() { context.fireChannelRead(wrapInboundOut(.pData(held))) }
    }

    /// Hands a held response command to the task, as received: its data set follows.
    private func handOn(_ held: HeldResponse, _ context: ChannelHandlerContext) {
        answeredThroughTask.insert(held.messageID)
        insideMessage = true
        inAnnouncedDataSet = true
        context.fireChannelRead(held.data)
    }

    /// `commandSet`, a whole response announcing a data set, as a response to hold until its
    /// data set, when it answers a request whose responses are gathered in batches and whose
    /// earlier responses all came this way; nil to pass it on.
    private func holdable(_ commandSet: DataSet, _ pdv: PDU.PresentationDataValueItem, _ data: NIOAny, _ endpoint: DIMSEEndpoint) -> HeldResponse? {
        guard let field = try? CommandSet.commandField(of: commandSet), field.isResponse,
              let respondedTo = commandSet.integer(.messageIDBeingRespondedTo) else { return nil }
        let messageID = UInt16(truncatingIfNeeded: respondedTo)
        guard !answeredThroughTask.contains(messageID), endpoint.router.gathersBatches(for: messageID) else { return nil }
        return HeldResponse(commandSet: commandSet, field: field, contextID: pdv.presentationContextID, messageID: messageID, data: data)
    }

    /// Records that `commandSet`, passed on to the task, answers a request (see
    /// ``answeredThroughTask``); its final response clears the record.
    private func noteThroughTask(_ commandSet: DataSet) {
        // A C-CANCEL-RQ names the request it cancels too; only responses count.
        guard (try? CommandSet.commandField(of: commandSet))?.isResponse == true,
              let respondedTo = commandSet.integer(.messageIDBeingRespondedTo) else { return }
        let messageID = UInt16(truncatingIfNeeded: respondedTo)
        if let status = commandSet.integer(.status), DIMSEStatus(code: UInt16(truncatingIfNeeded: status)).kind != .pending {
            answeredThroughTask.remove(messageID)
        } else {
            answeredThroughTask.insert(messageID)
        }
    }

    /// Tracks where the message stream stands after `pdv`.
    private func follow(_ pdv: PDU.PresentationDataValueItem) {
        if pdv.messageControlHeader.isCommand {
            guard pdv.messageControlHeader.isLastFragment else {
                insideMessage = true
                // Past the longest command the assembler takes, it aborts the association anyway.
                if commandFragments.reduce(0, { $0 + $1.readableBytes }) < CommandSet.maximumLength {
                    commandFragments.append(pdv.fragment)
                }
                return
            }
            var command = pdv.fragment
            if !commandFragments.isEmpty {
                command = ByteBuffer()
                for fragment in commandFragments { command.writeImmutableBuffer(fragment) }
                command.writeImmutableBuffer(pdv.fragment)
                commandFragments = []
            }
            // An undecodable command is the association task's to report; it aborts.
            let decoded = try? CommandSet.decode(command)
            if let decoded { noteThroughTask(decoded) }
            let type = decoded.flatMap { try? CommandSet.dataSetType(of: $0) }
            insideMessage = type?.isPresent ?? false
            inAnnouncedDataSet = insideMessage
        } else {
            insideMessage = !pdv.messageControlHeader.isLastFragment
            inAnnouncedDataSet = inAnnouncedDataSet && insideMessage
        }
    }

    /// Handles `commandSet`, a whole command announcing no data set, here if it is one of the
    /// shortcuts; false to pass it on.
    private func answered(_ commandSet: DataSet, _ pdv: PDU.PresentationDataValueItem, _ endpoint: DIMSEEndpoint, _ context: ChannelHandlerContext) -> Bool {
        guard let field = try? CommandSet.commandField(of: commandSet) else { return false }
        if field.isResponse {
            guard let respondedTo = commandSet.integer(.messageIDBeingRespondedTo) else { return false }
            let messageID = UInt16(truncatingIfNeeded: respondedTo)
            let message = AssociationRouter.Message(presentationContextID: pdv.presentationContextID, commandSet: commandSet, dataSet: nil)
            guard endpoint.router.deliverReply(message, to: messageID)
                    || (!answeredThroughTask.contains(messageID) && endpoint.router.addToBatches(message, to: messageID)) else {
                return false
            }
            endpoint.trace.emit(.dimseReceived(field.description))
            return true
        }
        guard field == .cEchoRequest, endpoint.handlers.echo == nil,
              endpoint.acceptedContext(pdv.presentationContextID) != nil,
              let echo = try? CEchoRequest(commandSet: commandSet),
              // One for another context's class is refused, through the task (DIMSEEndpoint).
              endpoint.acceptedContext(pdv.presentationContextID)?.abstractSyntax == echo.affectedSOPClassUID,
              let response = try? CommandSet.encode(CEchoResponse(respondingTo: echo, status: .success).commandSet),
              // Another message's PDUs going out (a large C-STORE) must not be split by this one.
              endpoint.link.sending.tryAcquire() else {
            return false
        }
        defer { endpoint.link.sending.release() }
        endpoint.trace.emit(.dimseReceived(field.description))
        for pdu in endpoint.link.fragmenter.fragment(command: response, presentationContextID: pdv.presentationContextID) {
            context.write(wrapOutboundOut(.pData(pdu)), promise: nil)
        }
        context.flush()
        endpoint.trace.emit(.dimseSent(CommandField.cEchoResponse.description))
        return true
    }
}
