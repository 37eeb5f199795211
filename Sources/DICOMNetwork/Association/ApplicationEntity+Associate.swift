import DICOMCore
public import DICOMNetworkCore
public import Logging
import NIOCore
import NIOPosix

extension ApplicationEntity {
    /// Requests an association with the AE at `host`:`port` and returns it once accepted.
    ///
    /// - Parameters:
    ///   - calledAETitle: the peer's AE title (default "ANY-SCP", as pynetdicom's).
    ///   - contexts: the presentation contexts to propose; by default ``requestedContexts``.
    ///   - maximumPDUSize: the Maximum Length Received to announce; by default ``maximumPDUSize``.
    ///   - userIdentity: a user identity to send (PS3.7 D.3.3.7).
    ///   - extendedNegotiation: SOP Class Extended Negotiation items to send (PS3.7 D.3.3.5).
    ///   - commonExtendedNegotiation: SOP Class Common Extended Negotiation items (PS3.7 D.3.3.6).
    ///   - asynchronousOperationsWindow: the operations window to propose (PS3.7 D.3.3.3); nil
    ///     proposes none, which means one operation at a time.
    ///   - bindAddress: the local address to connect from, if it matters.
    ///   - tls: TLS options; nil connects in the clear.
    ///   - handlers: how to answer the acceptor's requests: C-STORE sub-operations of a C-GET,
    ///     N-EVENT-REPORTs.
    ///   - events: where to report this association's notification events.
    /// - Throws: ``AssociationError``: ``AssociationError/Code/rejected`` with the peer's result,
    ///   source and reason; ``AssociationError/Code/aborted``; ``AssociationError/Code/timedOut``
    ///   when no answer comes within ``acseTimeout``; ``AssociationError/Code/connectionFailed``.
    public func associate(
        host: String,
        port: Int,
        calledAETitle: String = "ANY-SCP",
        contexts: [PresentationContext]? = nil,
        maximumPDUSize: UInt32? = nil,
        userIdentity: UserIdentityRequest? = nil,
        extendedNegotiation: [SOPClassExtendedNegotiation] = [],
        commonExtendedNegotiation: [SOPClassCommonExtendedNegotiation] = [],
        asynchronousOperationsWindow: AsynchronousOperationsWindow? = nil,
        bindAddress: (host: String, port: Int)? = nil,
        tls: TLSOptions? = nil,
        handlers: ServiceHandlers = ServiceHandlers(),
        events: AssociationEvents? = nil,
        logger: Logger = Logger(label: "netdicom.association")
    ) async throws(AssociationError) -> Association {
        try await associate(
            host: host, port: port, calledAETitle: calledAETitle, contexts: contexts, maximumPDUSize: maximumPDUSize,
            userIdentity: userIdentity, extendedNegotiation: extendedNegotiation, commonExtendedNegotiation: commonExtendedNegotiation,
            asynchronousOperationsWindow: asynchronousOperationsWindow, bindAddress: bindAddress, tls: tls, handlers: handlers,
            events: events, logger: logger, on: nil)
    }

    /// ``associate(host:port:calledAETitle:contexts:maximumPDUSize:userIdentity:extendedNegotiation:commonExtendedNegotiation:asynchronousOperationsWindow:bindAddress:tls:handlers:events:logger:)``
    /// with the connection on `eventLoop` (nil: the next of the shared group's). A C-MOVE's
    /// sub-operations' association goes on the loop of the association that asked for them, so
    /// that a sub-operation's end and the pending response it brings stay on one thread.
    func associate(
        host: String,
        port: Int,
        calledAETitle: String,
        contexts: [PresentationContext]?,
        maximumPDUSize: UInt32?,
        userIdentity: UserIdentityRequest?,
        extendedNegotiation: [SOPClassExtendedNegotiation],
        commonExtendedNegotiation: [SOPClassCommonExtendedNegotiation],
        asynchronousOperationsWindow: AsynchronousOperationsWindow?,
        bindAddress: (host: String, port: Int)?,
        tls: TLSOptions?,
        handlers: ServiceHandlers,
        events: AssociationEvents?,
        logger: Logger,
        on eventLoop: (any EventLoop)?
    ) async throws(AssociationError) -> Association {
        var entity = self
        if let maximumPDUSize { entity.maximumPDUSize = maximumPDUSize }
        let proposed = contexts ?? requestedContexts
        guard !proposed.isEmpty else {
            throw AssociationError(.invalidConfiguration, "no presentation contexts to propose: add requested contexts first")
        }
        var information = entity.userInformation
        information.userIdentityRequest = userIdentity
        information.sopClassExtendedNegotiations = extendedNegotiation
        information.sopClassCommonExtendedNegotiations = commonExtendedNegotiation
        information.asynchronousOperationsWindow = asynchronousOperationsWindow
        let request = AAssociate(
            callingAETitle: aeTitle,
            calledAETitle: calledAETitle,
            userInformation: information,
            calledPresentationAddress: .init(host: host, port: port),
            presentationContextDefinitionList: proposed.enumerated().map { index, context in
                var context = context
                context.contextID = PresentationContext.contextID(forIndex: index)
                return context
            })
        let pdu: PDU.AssociateRQ
        do {
            pdu = try PDU.AssociateRQ(request)
        } catch {
            throw AssociationError(.invalidConfiguration, "cannot make an A-ASSOCIATE-RQ: \(error.reason)")
        }

        let configured = entity
        let trace = AssociationTrace(peer: "\(host):\(port)", logger: logger, events: events)
        let asyncChannel: AssociationPipeline.AsyncChannel
        do {
            let tlsFactory = try tls.map { try TLSHandlerFactory.client($0, host: host) }
            var bootstrap = ClientBootstrap(group: eventLoop ?? MultiThreadedEventLoopGroup.singleton.next())
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelOption(.maxMessagesPerRead, value: AssociationPipeline.readsPerWakeup)
                .connectTimeout(TimeAmount(connectionTimeout ?? networkTimeout ?? acseTimeout))
            if let bindAddress {
                bootstrap = bootstrap.bind(to: try SocketAddress.makeAddressResolvingHost(bindAddress.host, port: bindAddress.port))
            }
            asyncChannel = try await bootstrap.connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try AssociationPipeline.configure(channel, role: .requestor(pdu), entity: configured, trace: trace, tls: tlsFactory)
                }
            }
        } catch {
            throw AssociationError(.connectionFailed, "cannot connect to \(host):\(port): \(NetworkFailure.reason(error))")
        }
        trace.emit(.connectionOpened)
        // The association's life at info (-v), as an acceptor logs it and DCMTK's tools do.
        trace.emit(.requested(callingAETitle: aeTitle, calledAETitle: calledAETitle), level: .info)

        let router = AssociationRouter()
        let establishment = router.establishment()
        let setup = RequestorChannel.Setup(
            request: request, entity: configured, handlers: handlers, router: router, trace: trace, writesFileRegions: tls == nil)
        // The channel task ends by itself when the channel closes (release, abort, peer). It runs
        // on the channel's event loop (see EventLoopTaskExecutor).
        let (writers, writerContinuation) = AsyncStream.makeStream(of: NIOAsyncChannelOutboundWriter<UpperLayerRequest>.self)
        Task(executorPreference: EventLoopTaskExecutor(asyncChannel.channel.eventLoop)) {
            await RequestorChannel.run(asyncChannel, setup: setup, handOver: writerContinuation)
        }
        var writerIterator = writers.makeAsyncIterator()
        guard let outbound = await writerIterator.next() else {
            throw router.endReason ?? AssociationError(.connectionFailed, "the connection closed at once")
        }

        let endpoint: DIMSEEndpoint
        do {
            endpoint = try await withTimeout(acseTimeout, "A-ASSOCIATE-AC") {
                for try await endpoint in establishment { return endpoint }
                throw AssociationError(.closed, "the connection closed before the peer answered")
            }
        } catch let error as AssociationError {
            if error.code == .timedOut { try? await outbound.write(.abort) }
            if let rejection = error.rejection { trace.emit(.rejected(rejection), level: .info) }
            throw error
        } catch {
            throw AssociationError(.closed, "\(error)")
        }
        trace.emit(.accepted, level: .info)
        return Association(request: request, acceptance: endpoint.info.acceptance ?? request, endpoint: endpoint)
    }
}

/// The requestor's channel task: owns the channel for the association's lifetime, turns what
/// arrives into routed events, and answers what the upper layer requires of it.
enum RequestorChannel {
    /// What the channel task needs to know.
    struct Setup: Sendable {
        let request: AAssociate
        let entity: ApplicationEntity
        let handlers: ServiceHandlers
        let router: AssociationRouter
        let trace: AssociationTrace
        /// Whether data sets may go out from their files (sendfile(2)): no TLS on the channel.
        let writesFileRegions: Bool
    }

    static func run(
        _ asyncChannel: AssociationPipeline.AsyncChannel,
        setup: Setup,
        handOver: AsyncStream<NIOAsyncChannelOutboundWriter<UpperLayerRequest>>.Continuation
    ) async {
        let (request, router, trace) = (setup.request, setup.router, setup.trace)
        var endpoint: DIMSEEndpoint?
        do {
            try await asyncChannel.executeThenClose { inbound, outbound in
                handOver.yield(outbound)
                handOver.finish()
                var receiver: DIMSEReceiver?
                defer {
                    // A C-GET's sub-operation cut short: the instance is not kept.
                    if let dropped = receiver?.abandon() { trace.logger.warning("the association ended during \(dropped): not kept") }
                }
                for try await indication in inbound {
                    switch indication {
                    case .associateAccepted(let accept):
                        describe(accept, request: request, trace: trace)
                        let acceptance = AAssociate(acceptance: accept, request: request)
                        guard let fragmenter = try? DIMSEFragmenter(maximumPDULength: setup.entity.sentPDULength(toPeerReceiving: acceptance.maximumLengthReceived)) else {
                            try await outbound.write(.abort)
                            router.end(with: AssociationError(.protocolViolation, "the acceptor's maximum PDU length is unusable"))
                            continue
                        }
                        let link = AssociationLink(channel: asyncChannel.channel, fragmenter: fragmenter, trace: trace, writesFileRegions: setup.writesFileRegions)
                        let info = AssociationInfo(
                            role: .requestor, request: request, peerAETitle: acceptance.respondingAETitle, localAETitle: request.callingAETitle,
                            acceptance: acceptance, peer: trace.peer, associationID: trace.associationID)
                        let accepted = DIMSEEndpoint(
                            link: link, router: router, outcome: .requestor(request: request, acceptance: acceptance),
                            handlers: setup.handlers, info: info, entity: setup.entity)
                        info.endpointReference.attach(accepted)
                        endpoint = accepted
                        receiver = DIMSEReceiver { contextID, commandSet in await accepted.placement(contextID, commandSet) }
                        router.accepted(accepted)
                    case .associateRejected(let rejection):
                        let words = AAssociate(rejection: rejection, request: request)
                        router.end(with: AssociationError(
                            .rejected, "\(words.resultDescription), \(words.sourceDescription), \(words.reasonDescription)",
                            rejection: rejection))
                    case .associateRequested:
                        // Only an acceptor receives A-ASSOCIATE-RQs; the state machine never
                        // issues this to a requestor.
                        try await outbound.write(.abort)
                    case .pData(let data):
                        guard let current = endpoint, var reader = receiver else { continue }
                        receiver = nil
                        do {
                            for message in try await reader.received(data) {
                                guard await current.dispatch(message) else { break }
                            }
                            receiver = reader
                        } catch {
                            trace.logger.error("aborting: the peer broke DIMSE framing: \(error)")
                            try await outbound.write(.abort)
                            router.end(with: AssociationError(.protocolViolation, "\(error)"))
                        }
                    case .releaseRequested, .releaseCollision:
                        // The peer asked to release (or both did at once, AR-8/AR-9): answer,
                        // once the requests it sent before are answered (Sta8 allows it, AR-7).
                        await endpoint?.completeOperations()
                        try await outbound.write(.releaseResponse)
                        router.released()
                    case .released:
                        router.released()
                    case .aborted(let abort):
                        trace.emit(.aborted("by the peer: source \(abort.source), reason \(abort.reason)"), level: .info)
                        router.end(with: AssociationError(.aborted, "", abort: abort))
                    case .providerAborted(let reason, let detail):
                        trace.emit(.aborted("by the provider: \(reason): \(detail)"), level: .info)
                        router.end(with: AssociationError(.providerAborted, "\(reason): \(detail)"))
                    }
                }
            }
        } catch {
            router.end(with: AssociationError(.providerAborted, "the connection failed: \(error)"))
        }
        handOver.finish()
        router.end(with: AssociationError(.providerAborted, "the connection closed"))
        await endpoint?.finish()
        trace.emit(.connectionClosed)
    }

    /// Logs the answer to each proposed context, at debug (as DCMTK's -d shows the
    /// A-ASSOCIATE-AC), and warns of a context accepted in a transfer syntax that was not
    /// proposed for it: it is not used, and without the warning the peer's fault would read as
    /// a rejection.
    private static func describe(_ accept: PDU.AssociateAC, request: AAssociate, trace: AssociationTrace) {
        let proposed = Dictionary(
            request.presentationContextDefinitionList.compactMap { context in context.contextID.map { ($0, context.abstractSyntax) } },
            uniquingKeysWith: { first, _ in first })
        func named(_ uid: UID) -> String { uid.name.map { "\($0) (\(uid.string))" } ?? uid.string }
        for item in accept.presentationContexts {
            let syntax = item.transferSyntax.map(named) ?? "no transfer syntax"
            trace.logger.debug("A-ASSOCIATE-AC: presentation context \(item.presentationContextID) (\(proposed[item.presentationContextID].map(named) ?? "not proposed")): \(PresentationContext.Result(rawValue: item.resultReason.rawValue)), \(syntax)")
        }
        let unproposed = PresentationNegotiation.acceptedWithUnproposedSyntax(
            requested: request.presentationContextDefinitionList, results: accept.presentationContexts)
        for context in unproposed {
            trace.logger.warning("""
                the peer accepted presentation context \(context.contextID) (\(named(context.abstractSyntax))) in \
                \(context.transferSyntax.map(named) ?? "no transfer syntax"), which was not proposed for it (PS3.8 §7.1.1.14): the context is not used
                """)
        }
    }
}
