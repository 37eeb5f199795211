import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the listening socket does when it cannot accept a connection for want of resources (no
/// file descriptor left, EMFILE or ENFILE; no memory): it stops reading for ``retryDelay`` and
/// says why, once per spell, then when it accepts again. Connections wait in the kernel's
/// backlog meanwhile; the socket stays open.
///
/// Without it the readable listening socket is retried in a busy loop that takes a whole core
/// for as long as the limit lasts (the pending connection stays readable, level-triggered; NIO's
/// `AcceptBackoffHandler` only delays the next read request, which a failed accept never
/// ends), and nothing tells whoever runs the server.
final class AcceptFailureBackoff: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel

    /// How long the socket stops accepting after such a failure.
    static let retryDelay = TimeAmount.seconds(1)
    /// The accept errors that last until something is freed.
    static let lackOfResources: Set<Int32> = [EMFILE, ENFILE, ENOBUFS, ENOMEM]

    private let logger: Logger
    /// Failed tries since the last connection accepted; 0 while accepting works.
    private var failures = 0
    /// The end of the current pause, when paused.
    private var resumption: Scheduled<Void>?

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let code = (error as? IOError)?.errnoCode, Self.lackOfResources.contains(code) else {
            // A connection the peer reset before it was accepted (ECONNABORTED), and the like.
            logger.debug("could not accept a connection: \(error)")
            context.fireErrorCaught(error)
            return
        }
        if failures == 0 {
            logger.error("cannot accept connections: \(Self.reason(code)); trying again every second, connections wait meanwhile")
        }
        failures += 1
        pause(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if failures > 0 {
            // At the level of the error it ends, so that whoever saw the one sees the other.
            logger.warning("accepting connections again, after \(failures) failed \(failures == 1 ? "try" : "tries")")
            failures = 0
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        resumption?.cancel()
        resumption = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        resumption?.cancel()
        resumption = nil
    }

    /// Stops reading (which unregisters the socket from the event loop) until ``retryDelay``
    /// has passed.
    private func pause(_ context: ChannelHandlerContext) {
        guard resumption == nil, let options = context.channel.syncOptions else { return }
        do {
            try options.setOption(.autoRead, value: false)
        } catch {
            return
        }
        resumption = context.eventLoop.assumeIsolated().scheduleTask(in: Self.retryDelay) {
            self.resumption = nil
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }

    /// What went wrong, said so that whoever runs the server knows what to do.
    static func reason(_ code: Int32) -> String {
        switch code {
        case EMFILE:
            "this process has no file descriptor left (EMFILE): every open connection and file takes one; raise its limit (ulimit -n) or lower what holds them"
        case ENFILE:
            "the system has no file descriptor left (ENFILE)"
        default:
            "out of memory (errno \(code))"
        }
    }
}
