import DICOMCore
import DICOMNetworkCore
import Logging
import NIOCore
import Synchronization

/// One association as acceptor, from the A-ASSOCIATE-RQ to the closed connection: decide,
/// negotiate, answer, then serve DIMSE requests until release or abort.
enum AcceptorSession {
    /// A connection the server accepted, with its reporting.
    struct Connection: Sendable {
        let channel: AssociationPipeline.AsyncChannel
        let trace: AssociationTrace
        /// Whether data sets may go out from their files (sendfile(2)): no TLS on the channel.
        let writesFileRegions: Bool
    }

    /// What every session of one server shares.
    final class Shared: Sendable {
        let entity: ApplicationEntity
        let handlers: ServiceHandlers
        let events: AssociationEvents
        let logger: Logger
        /// Connections open now that sent an A-ASSOCIATE-RQ: the count the maximum-associations
        /// rule compares against.
        let active = Atomic<Int>(0)

        init(entity: ApplicationEntity, handlers: ServiceHandlers, events: AssociationEvents, logger: Logger) {
            self.entity = entity
            self.handlers = handlers
            self.events = events
            self.logger = logger
        }
    }

    /// Runs the session of `connection`. `requested` is asked once its A-ASSOCIATE-RQ has
    /// come: false ends the session there (the server is stopping).
    static func run(_ connection: Connection, shared: Shared, requested: @Sendable () -> Bool = { true }) async {
        let trace = connection.trace
        trace.emit(.connectionOpened)
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                var indications = inbound.makeAsyncIterator()
                // The ARTIM timer closes a connection that never sends an A-ASSOCIATE-RQ.
                guard let first = try await indications.next() else { return }
                guard case .associateRequested(let requestPDU) = first else {
                    if case .providerAborted(let reason, let detail) = first {
                        // A malformed or unexpected PDU, answered with an A-ABORT already (AA-1),
                        // or the ARTIM timer's close of a connection that sent nothing.
                        if reason == .reasonNotSpecified {
                            trace.logger.info("closed a connection before association: \(detail)")
                        } else {
                            trace.logger.warning("aborted a connection before association: \(reason): \(detail)")
                        }
                    } else {
                        try await outbound.write(.abort)
                    }
                    return
                }
                guard requested() else {
                    trace.logger.info("closing a connection whose association was requested as the server stopped")
                    return
                }
                // Counted from its request on: connections that never send one (held open to
                // fill the server, or a port scan) take no association's place; ARTIM ends them.
                let others = shared.active.add(1, ordering: .relaxed).newValue - 1
                defer { shared.active.subtract(1, ordering: .relaxed) }
                let peerAddress = connection.channel.channel.remoteAddress
                let request = AAssociate(
                    request: requestPDU,
                    callingPresentationAddress: peerAddress.map { .init(host: ListeningAddress.host(of: $0) ?? "", port: $0.port ?? 0) })
                trace.emit(.requested(callingAETitle: request.callingAETitle, calledAETitle: request.calledAETitle), level: .info)
                // The called AE's, when the server answers as several (ServiceHandlers.otherAETitles).
                let called = String(AETitle.significant(request.calledAETitle))
                let other = shared.handlers.otherAETitles.isEmpty ? nil : shared.handlers.otherAETitles[called]
                let handlers = other ?? shared.handlers
                let localAETitle = other == nil ? shared.entity.aeTitle : called
                let info = AssociationInfo(
                    role: .acceptor, request: request, peerAETitle: request.callingAETitle, localAETitle: localAETitle,
                    peer: trace.peer, associationID: trace.associationID)

                guard let acceptance = await answer(
                    request, pdu: requestPDU, info: info, otherAssociations: others, shared: shared, handlers: handlers,
                    channel: connection.channel.channel, outbound: outbound, trace: trace)
                else {
                    // Rejected, or aborted before the answer: ARTIM (AE-8) closes the connection
                    // if the peer does not.
                    while let indication = try await indications.next() {
                        if case .providerAborted(let reason, let detail) = indication {
                            trace.emit(.aborted("by the provider: \(reason): \(detail)"), level: .info)
                        }
                    }
                    return
                }
                let fragmenter = try DIMSEFragmenter(maximumPDULength: shared.entity.sentPDULength(toPeerReceiving: request.maximumLengthReceived))
                let link = AssociationLink(
                    channel: connection.channel.channel, fragmenter: fragmenter, trace: trace, writesFileRegions: connection.writesFileRegions)
                var established = info
                established.acceptance = acceptance
                let endpoint = DIMSEEndpoint(
                    link: link, router: AssociationRouter(), outcome: .acceptor(request: request, acceptance: acceptance),
                    handlers: handlers, info: established, entity: shared.entity)
                // From now on a handler's `association.handle` reaches this endpoint.
                established.endpointReference.attach(endpoint)
                if let notify = handlers.associationAccepted {
                    let accepted = established
                    await offLoop { await notify(accepted) }
                }
                do {
                    try await serve(&indications, endpoint: endpoint)
                } catch {
                    await abortIfStopping(link)
                    endpoint.router.end(with: AssociationError(.providerAborted, "\(error)"))
                    await endpoint.finish()
                    throw error
                }
                await abortIfStopping(link)
                endpoint.router.end(with: AssociationError(.closed, "the association ended"))
                await endpoint.finish()
            }
        } catch where !Task.isCancelled {
            // A reset or a protocol error: with -v, as a release or an abort is.
            trace.logger.info("connection ended: \(error)")
        } catch {
            // The server stopping: said already (abortIfStopping).
        }
        trace.emit(.connectionClosed)
    }

    /// Decides on the request and sends A-ASSOCIATE-AC or -RJ; returns the acceptance, or nil
    /// when rejected.
    private static func answer(
        _ request: AAssociate, pdu: PDU.AssociateRQ, info: AssociationInfo, otherAssociations: Int,
        shared: Shared, handlers: ServiceHandlers, channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<UpperLayerRequest>,
        trace: AssociationTrace
    ) async -> AAssociate? {
        var response: AAssociate
        var decision = shared.entity.acceptancePolicy.decide(pdu, currentAssociations: otherAssociations)
        // A Maximum Length Received too short for a PDV item's header and one byte would let
        // nothing be sent to the peer: rejected, rather than accepted and then dropped.
        let sentLength = shared.entity.sentPDULength(toPeerReceiving: request.maximumLengthReceived)
        if case .accept = decision, (try? DIMSEFragmenter(maximumPDULength: sentLength)) == nil {
            trace.logger.warning("rejecting \(request.callingAETitle): its maximum PDU length \(sentLength) leaves no room for a PDV item")
            decision = .reject(.noReasonGiven)
        }
        var screening = AssociationScreening.proceed
        if case .accept = decision, let screen = handlers.screenAssociation {
            screening = await offLoop { await screen(info) }
            if let rejection = screening.rejection { decision = .reject(rejection) }
        }
        switch decision {
        case .reject(let rejection):
            response = AAssociate(rejecting: request, with: rejection)
        case .accept:
            var verdict: AssociationNegotiation.UserIdentityVerdict?
            if let identity = request.userInformation.userIdentityRequest, let judge = handlers.userIdentity {
                verdict = await offLoop { await judge(identity, info) }
            }
            var extendedAnswers: [SOPClassExtendedNegotiation] = []
            let proposals = request.userInformation.sopClassExtendedNegotiations
            if !proposals.isEmpty, let answer = handlers.sopClassExtendedNegotiation {
                extendedAnswers = await offLoop { await answer(proposals, info) }
            }
            let common = request.userInformation.sopClassCommonExtendedNegotiations
            if !common.isEmpty, let observe = handlers.sopClassCommonExtendedNegotiation {
                await offLoop { await observe(common, info) }
            }
            response = screening.applied(to: AssociationNegotiation.response(
                to: request,
                supportedContexts: shared.entity.supportedContexts(answering: request.presentationContextDefinitionList),
                configuration: shared.entity.acceptorConfiguration,
                userIdentity: verdict,
                sopClassExtendedAnswers: extendedAnswers))
        }
        do {
            if let rejection = response.rejection {
                let rejectPDU = try PDU.AssociateRJ(response)
                try await outbound.write(.reject(rejectPDU))
                trace.emit(.rejected(rejectPDU))
                if let defect = AssociationAcceptancePolicy.Defect(of: pdu) {
                    trace.logger.warning("rejected \(request.callingAETitle) → \(request.calledAETitle): \(defect): \(rejection)")
                } else {
                    trace.logger.info("rejected \(request.callingAETitle) → \(request.calledAETitle): \(rejection)")
                }
                return nil
            }
            var acceptance = try PDU.AssociateAC(response)
            // Its reserved bytes 11-74 are the request's, as received (PS3.8 Table 9-17).
            acceptance.echoedRequestFields = pdu.receivedFields
            // Into the pipeline with a promise, not through the outbound writer: the state
            // machine refuses the answer when the peer broke the protocol meanwhile (a P-DATA-TF
            // before it: AA-8), and the association must not be logged as accepted then.
            do {
                try await channel.writeAndFlush(UpperLayerRequest.accept(acceptance)).get()
            } catch is AssociationStateError {
                return nil
            }
            trace.emit(.accepted, level: .info)
            return response
        } catch {
            trace.logger.error("cannot answer the A-ASSOCIATE-RQ: \(error)")
            try? await outbound.write(.abort)
            return nil
        }
    }

    /// Sends an A-ABORT when the session ends because the server is cancelled (a forced stop),
    /// so that the peer learns the association is over rather than finding the connection gone.
    private static func abortIfStopping(_ link: AssociationLink) async {
        guard Task.isCancelled else { return }
        try? await link.request(.abort)
        link.trace.emit(.aborted("the server is stopping"), level: .info)
    }

    /// Serves DIMSE requests until the association ends.
    private static func serve(
        _ indications: inout NIOAsyncChannelInboundStream<UpperLayerIndication>.AsyncIterator,
        endpoint: DIMSEEndpoint
    ) async throws {
        let link = endpoint.link
        var receiver = DIMSEReceiver { contextID, commandSet in await endpoint.placement(contextID, commandSet) }
        defer {
            // A release or abort in the middle of a data set: what was on its way is not kept.
            if let dropped = receiver.abandon() { link.trace.logger.warning("the association ended during \(dropped): not kept") }
        }
        while let indication = try await indications.next() {
            switch indication {
            case .pData(let data):
                let messages: [DIMSEReceiver.Message]
                do {
                    messages = try await receiver.received(data)
                } catch {
                    link.trace.logger.error("aborting: \(error)")
                    try await link.request(.abort)
                    return
                }
                for message in messages {
                    guard await endpoint.dispatch(message) else { return }
                }
            case .releaseRequested, .releaseCollision:
                // Requests a handler sent on the association will get no answer now (the peer
                // may not send after its A-RELEASE-RQ): fail them. The peer's own requests that
                // came before the release are still answered, as Sta8 allows (AR-7), and only
                // then the A-RELEASE-RP goes, after which nothing may be sent (PS3.8 §7.2.2).
                endpoint.router.end(with: AssociationError(.closed, "the peer released the association"))
                await endpoint.completeOperations()
                try await link.request(.releaseResponse)
                link.trace.emit(.released, level: .info)
            case .released:
                // The release a handler asked for (Association.release()) is confirmed.
                endpoint.router.released()
                link.trace.emit(.released, level: .info)
            case .aborted(let abort):
                link.trace.emit(.aborted("by the peer: source \(abort.source), reason \(abort.reason)"), level: .info)
                endpoint.router.end(with: AssociationError(.aborted, "", abort: abort))
            case .providerAborted(let reason, let detail):
                link.trace.emit(.aborted("by the provider: \(reason): \(detail)"), level: .info)
                endpoint.router.end(with: AssociationError(.providerAborted, "\(reason): \(detail)"))
            case .associateRequested, .associateAccepted, .associateRejected:
                try await link.request(.abort)
            }
        }
    }
}
