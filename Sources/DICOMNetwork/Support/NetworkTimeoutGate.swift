import Logging
import NIOCore

/// Holds back the network timeout while this side performs an operation the peer asked for:
/// a C-MOVE to a slow destination, or a C-GET without pending responses, leaves the peer
/// silent by design, waiting for the final response; aborting it then would throw the work
/// away. Once nothing is in progress the next idle period aborts as usual.
final class NetworkTimeoutGate: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    /// The association's endpoint, once established (see ``DIMSEEndpoint/attachChannelHandlers()``).
    weak var endpoint: DIMSEEndpoint?

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent, let endpoint, endpoint.isPerforming {
            endpoint.logger.debug("the peer has been silent for the network timeout, while an operation it asked for is in progress: waiting on")
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
