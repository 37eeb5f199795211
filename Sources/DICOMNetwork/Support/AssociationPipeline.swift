import DICOMNetworkCore
import Logging
import NIOCore
import NIOSSL

/// The handlers of one association's channel, the same for both roles: PDU framing (bounded by
/// our maximum PDU size), the network timeout (held back while an operation is performed), the
/// upper-layer state machine, and the shortcut
/// for small DIMSE exchanges (which also gathers large data sets' fragments).
enum AssociationPipeline {
    typealias AsyncChannel = NIOAsyncChannel<UpperLayerIndication, UpperLayerRequest>

    /// How many reads a channel makes per readiness event (NIO's `maxMessagesPerRead`), which is
    /// also how many receive buffers NIO keeps for reuse. While a large data set arrives, the
    /// shortcut handler holds up to 256 KiB of its fragments (four reads of 64 KiB) for the
    /// association's task: with NIO's default of 4, every read then found its pooled buffers
    /// still in use and filled a fresh one.
    static let readsPerWakeup: UInt = 16

    /// Adds the handlers to `channel` and wraps it for async use. Must run on its event loop.
    static func configure(
        _ channel: any Channel,
        role: AssociationChannelHandler.Role,
        entity: ApplicationEntity,
        trace: AssociationTrace,
        tls: TLSHandlerFactory? = nil
    ) throws -> AsyncChannel {
        let decoder = PDUDecoder(maximumLengthReceived: entity.maximumPDUSize)
        var handlers: [any ChannelHandler] = []
        if let tls { handlers.append(try tls.makeHandler()) }
        if let networkTimeout = entity.networkTimeout {
            handlers.append(IdleStateHandler(readTimeout: TimeAmount(networkTimeout)))
            handlers.append(NetworkTimeoutGate())
        }
        handlers.append(PDUFramer(decoder))
        handlers.append(AssociationChannelHandler(
            role: role,
            artimTimeout: TimeAmount(entity.acseTimeout),
            observeTransition: { transition in trace.transition(transition) }))
        handlers.append(DIMSEShortcutHandler())
        try channel.pipeline.syncOperations.addHandlers(handlers)
        return try AsyncChannel(wrappingChannelSynchronously: channel)
    }
}

extension TimeAmount {
    /// The same span as `duration`, to nanosecond precision.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Makes the TLS handler for each new channel from one shared context.
struct TLSHandlerFactory: Sendable {
    let context: NIOSSLContext
    let isServer: Bool
    let serverHostname: String?

    func makeHandler() throws -> any ChannelHandler {
        isServer
            ? NIOSSLServerHandler(context: context)
            : try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
    }

    static func client(_ options: TLSOptions, host: String) throws -> TLSHandlerFactory {
        // Host names are verified (and sent as SNI); IP addresses are checked against the
        // certificate's IP SANs by NIOSSL when no host name is given.
        let isAddress = host.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
        return TLSHandlerFactory(context: try options.makeClientContext(), isServer: false,
                                 serverHostname: options.serverHostname ?? (isAddress ? nil : host))
    }

    static func server(_ options: TLSOptions) throws -> TLSHandlerFactory {
        TLSHandlerFactory(context: try options.makeServerContext(), isServer: true, serverHostname: nil)
    }
}
