import DICOMNetworkCore
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A listening acceptor: accepts TCP connections and runs one association on each, concurrently,
/// each in a task of its own (``AcceptorSessions``). A swift-service-lifecycle `Service`: on
/// graceful shutdown it stops accepting, closes connections that have not requested an
/// association, and lets open associations finish.
///
/// Make one with ``ApplicationEntity/makeServer(host:port:handlers:tls:events:logger:)`` (bound and
/// accepting; ``run()`` waits for its end) or ``ApplicationEntity/startServer(host:port:handlers:tls:events:logger:)``
/// (run in a task of its own).
public final class AssociationServer: Service, Sendable {
    /// The port the server listens on (the kernel's choice when bound to port 0).
    public let port: Int
    /// The notification events of every association this server runs.
    public let events: AssociationEvents

    private let serverChannel: any Channel
    private let session: AcceptorSession.Shared
    private let sessions: AcceptorSessions
    private let logger: Logger

    init(serverChannel: any Channel, port: Int, session: AcceptorSession.Shared, sessions: AcceptorSessions, events: AssociationEvents, logger: Logger) {
        self.serverChannel = serverChannel
        self.port = port
        self.session = session
        self.sessions = sessions
        self.events = events
        self.logger = logger
    }

    /// The associations open now (established or being negotiated).
    public var activeAssociations: Int { session.active.load(ordering: .relaxed) }

    /// Serves until ``shutdown()``, a graceful shutdown of the service group, or cancellation
    /// (which cancels the open associations too); then waits for the open associations to end.
    public func run() async throws {
        let (serverChannel, sessions) = (self.serverChannel, self.sessions)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await serverChannel.closeFuture.get()
                await sessions.waitUntilNoneRun()
            } onGracefulShutdown: {
                serverChannel.close(promise: nil)
                sessions.closeUnrequested()
            }
        } onCancel: {
            serverChannel.close(promise: nil)
            sessions.cancelAll()
        }
        events.finish()
    }

    /// Stops accepting connections and closes those that have not requested an association;
    /// open associations go on to their end.
    public func shutdown() async {
        try? await serverChannel.close()
        sessions.closeUnrequested()
    }
}

extension ApplicationEntity {
    /// Binds a server socket for this AE as acceptor, without serving yet: call
    /// ``AssociationServer/run()`` (directly or in a `ServiceGroup`).
    ///
    /// - Parameters:
    ///   - host: the address to listen on: "127.0.0.1", "::1", "0.0.0.0" (every IPv4 address),
    ///     ``ListeningAddress/everyAddress`` ("::": every IPv6 and IPv4 address)…
    ///   - port: the port; 0 lets the kernel choose (read it back from ``AssociationServer/port``).
    public func makeServer(
        host: String,
        port: Int,
        handlers: ServiceHandlers = ServiceHandlers(),
        tls: TLSOptions? = nil,
        events: AssociationEvents = AssociationEvents(),
        logger: Logger = Logger(label: "netdicom.server")
    ) async throws -> AssociationServer {
        let entity = self
        let tlsFactory = try tls.map { try TLSHandlerFactory.server($0) }
        let shared = AcceptorSession.Shared(entity: entity, handlers: handlers, events: events, logger: logger)
        let sessions = AcceptorSessions(shared: shared)
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        if ListeningAddress.isDualStack(host) {
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 0)
        }
        let serverChannel = try await bootstrap
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // An accept that fails for want of descriptors or memory is logged, and
                    // retried a second later rather than at once, in a loop.
                    try channel.pipeline.syncOperations.addHandler(AcceptFailureBackoff(logger: logger))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: AssociationPipeline.readsPerWakeup)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let peer = channel.remoteAddress.map { ListeningAddress.display(host: ListeningAddress.host(of: $0) ?? "?", port: $0.port ?? 0) } ?? "unknown"
                    let trace = AssociationTrace(peer: peer, logger: logger, events: events)
                    let asyncChannel = try AssociationPipeline.configure(channel, role: .acceptor, entity: entity, trace: trace, tls: tlsFactory)
                    sessions.start(AcceptorSession.Connection(channel: asyncChannel, trace: trace, writesFileRegions: tlsFactory == nil))
                }
            }
            .bind(host: host, port: port).get()
        let boundPort = serverChannel.localAddress?.port ?? port
        logger.info("listening on \(ListeningAddress.display(host: host, port: boundPort)) as \(aeTitle)")
        return AssociationServer(serverChannel: serverChannel, port: boundPort, session: shared, sessions: sessions, events: events, logger: logger)
    }

    /// Binds a server for this AE and starts serving in a task of its own; returns once listening.
    /// Stop it with ``AssociationServer/shutdown()``.
    public func startServer(
        host: String,
        port: Int,
        handlers: ServiceHandlers = ServiceHandlers(),
        tls: TLSOptions? = nil,
        events: AssociationEvents = AssociationEvents(),
        logger: Logger = Logger(label: "netdicom.server")
    ) async throws -> AssociationServer {
        let server = try await makeServer(host: host, port: port, handlers: handlers, tls: tls, events: events, logger: logger)
        Task {
            do {
                try await server.run()
            } catch {
                logger.error("server stopped: \(error)")
            }
        }
        return server
    }
}
