import DICOMCore
import DICOMNetworkCore
import NIOCore

/// Answers the commonest small DIMSE exchanges where they arrive, on the event loop, instead of
/// handing them to the association's task and back:
/// - a C-ECHO-RQ, which the acceptor answers with success when no echo handler is set;
/// - a response without a data set that one request waits for alone (C-ECHO, C-STORE, the
///   N-services), which goes straight to its waiter.
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

    /// The association's endpoint, once established (see ``DIMSEEndpoint/attachShortcuts()``).
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

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .pData(let pData) = unwrapInboundIn(data), let endpoint else {
            handOnHeld(context)
            context.fireChannelRead(data)
            return
        }
        if inAnnouncedDataSet, pData.presentationDataValueItems.allSatisfy({ !$0.messageControlHeader.isCommand }) {
            for pdv in pData.presentationDataValueItems { follow(pdv) }
            if let group = gatherer.add(pData) { context.fireChannelRead(wrapInboundOut(.pData(group))) }
            return
        }
        handOnHeld(context)
        // The common case, one whole command between messages: decoded once, here, whether it
        // is taken or followed.
        if !insideMessage, pData.presentationDataValueItems.count == 1,
           let pdv = pData.presentationDataValueItems.first,
           pdv.messageControlHeader.isCommand, pdv.messageControlHeader.isLastFragment,
           let commandSet = try? CommandSet.decode(pdv.fragment) {
            let type = try? CommandSet.dataSetType(of: commandSet)
            if type?.isPresent == false, answered(commandSet, pdv, endpoint, context) { return }
            insideMessage = type?.isPresent ?? false
            inAnnouncedDataSet = insideMessage
            context.fireChannelRead(data)
            return
        }
        for pdv in pData.presentationDataValueItems { follow(pdv) }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handOnHeld(context)
        context.fireChannelInactive()
    }

    /// Hands on the data set fragments held, before anything that arrived after them.
    private func handOnHeld(_ context: ChannelHandlerContext) {
        if let held = gatherer.take() { context.fireChannelRead(wrapInboundOut(.pData(held))) }
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
            let type = (try? CommandSet.decode(command)).flatMap { try? CommandSet.dataSetType(of: $0) }
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
            guard let messageID = commandSet.integer(.messageIDBeingRespondedTo),
                  endpoint.router.deliverReply(
                    AssociationRouter.Message(presentationContextID: pdv.presentationContextID, commandSet: commandSet, dataSet: nil),
                    to: UInt16(truncatingIfNeeded: messageID)) else {
                return false
            }
            endpoint.trace.emit(.dimseReceived(field.description))
            return true
        }
        guard field == .cEchoRequest, endpoint.handlers.echo == nil,
              endpoint.acceptedContext(pdv.presentationContextID) != nil,
              let echo = try? CEchoRequest(commandSet: commandSet),
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
