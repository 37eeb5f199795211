public import DICOMNetworkCore
public import NIOCore
import NIOPosix
import Synchronization

/// A DICOM peer driven PDU by PDU from a test: it sends exactly what the test says (well-formed
/// PDUs or raw bytes) and hands over every PDU it receives, decoded, so that a test can play the
/// other side of an association and check the wire — release collisions, aborts at any moment,
/// malformed PDUs — against a real socket.
///
/// One connection per peer: ``listen(host:)`` waits for the AE under test to connect;
/// ``connect(host:port:)`` connects to it.
public final class ScriptedPeer: Sendable {
    /// Why a scripted step failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The connection; what arrives goes into the peer's queue from the event loop itself, so a
    /// busy concurrency pool never delays the script.
    typealias Channel = any NIOCore.Channel

    private let channel: Channel
    private let received: PDUQueue

    private init(_ channel: Channel, received: PDUQueue) {
        self.channel = channel
        self.received = received
    }

    /// The port the peer listens on, or is connected from.
    public var localPort: Int { channel.localAddress?.port ?? 0 }

    /// Listens on an ephemeral port of `host` for one connection; returns once listening. Read the
    /// port from ``Listener/port`` and await ``Listener/accept()``.
    public static func listen(host: String = "127.0.0.1") async throws -> Listener {
        try await Listener(host: host)
    }

    /// Connects to an AE at `host`:`port`.
    public static func connect(host: String = "127.0.0.1", port: Int) async throws -> ScriptedPeer {
        let queue = PDUQueue()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try ScriptedPeer.configure(channel, queue) }
            }
            .connect(host: host, port: port).get()
        return ScriptedPeer(channel, received: queue)
    }

    /// A listening socket that hands over the first connection as a peer.
    public final class Listener: Sendable {
        private let server: any NIOCore.Channel
        private let connection: EventLoopPromise<ScriptedPeer>
        /// The port to connect to.
        public let port: Int

        init(host: String) async throws {
            let group = MultiThreadedEventLoopGroup.singleton
            let connection = group.next().makePromise(of: ScriptedPeer.self)
            server = try await ServerBootstrap(group: group)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let queue = PDUQueue()
                        try ScriptedPeer.configure(channel, queue)
                        connection.succeed(ScriptedPeer(channel, received: queue))
                    }
                }
                .bind(host: host, port: 0).get()
            self.connection = connection
            port = server.localAddress?.port ?? 0
        }

        /// Waits for the connection, then stops listening.
        public func accept() async throws -> ScriptedPeer {
            let peer = try await connection.futureResult.get()
            try? await server.close()
            return peer
        }
    }

    static func configure(_ channel: any NIOCore.Channel, _ queue: PDUQueue) throws {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PDUDecoder(maximumLengthReceived: 0)))
        try channel.pipeline.syncOperations.addHandler(PDUCollector(queue: queue))
    }

    // MARK: - Sending

    /// Sends one PDU, encoded as PS3.8 §9.3 lays it out.
    public func send(_ pdu: PDU) async throws {
        var buffer = ByteBuffer()
        try buffer.writePDU(pdu)
        try await send(bytes: buffer)
    }

    /// Sends bytes as they are: for malformed PDUs.
    public func send(bytes: ByteBuffer) async throws {
        try await channel.writeAndFlush(bytes)
    }

    /// Closes the connection without a word (a dropped transport).
    public func close() async {
        try? await channel.close()
    }

    // MARK: - Receiving

    /// The next PDU from the AE under test, or nil once it closed the connection; fails after
    /// `timeout`.
    public func receive(timeout: Duration = .seconds(5)) async throws -> PDU? {
        let queue = received
        return try await withThrowingTaskGroup(of: PDU?.self) { group in
            group.addTask { try await queue.next() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "no PDU within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The next PDU, which must be of `type`.
    @discardableResult
    public func expect(_ type: PDU.PDUType, timeout: Duration = .seconds(5)) async throws -> PDU {
        guard let pdu = try await receive(timeout: timeout) else {
            throw Failure(description: "expected \(type), the connection closed")
        }
        guard pdu.pduType == type else { throw Failure(description: "expected \(type), received \(pdu.pduType)") }
        return pdu
    }

    /// Waits until the AE under test closes the connection; fails if it sends a PDU first.
    public func expectClosed(timeout: Duration = .seconds(5)) async throws {
        if let pdu = try await receive(timeout: timeout) {
            throw Failure(description: "expected the connection to close, received \(pdu.pduType)")
        }
    }

    // MARK: - Association scripts

    /// Plays the acceptor's part of association establishment: reads the A-ASSOCIATE-RQ and
    /// accepts the contexts it supports (``AssociationNegotiation``'s rules), returning the request.
    @discardableResult
    public func acceptAssociation(supporting contexts: [PresentationContext]) async throws -> PDU.AssociateRQ {
        guard case .associateRQ(let pdu) = try await expect(.associateRQ) else { throw Failure(description: "unreachable") }
        let request = AAssociate(request: pdu)
        let response = AssociationNegotiation.response(
            to: request, supportedContexts: contexts, configuration: AssociationNegotiation.AcceptorConfiguration())
        try await send(.associateAC(PDU.AssociateAC(response)))
        return pdu
    }

    /// Plays the requestor's part of association establishment with `request`; returns the
    /// acceptor's answer (an -AC or an -RJ).
    public func requestAssociation(_ request: AAssociate) async throws -> PDU {
        try await send(.associateRQ(PDU.AssociateRQ(request)))
        guard let answer = try await receive() else { throw Failure(description: "the acceptor closed without answering") }
        return answer
    }
}

/// Puts every decoded PDU, the end of the connection and any error into the peer's queue.
final class PDUCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = PDU

    let queue: PDUQueue

    init(queue: PDUQueue) {
        self.queue = queue
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        queue.push(.success(unwrapInboundIn(data)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        queue.push(.success(nil))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        queue.push(.failure(error))
        context.close(promise: nil)
    }
}

/// What the peer received, in order (nil: the connection closed), for its one reader at a time.
final class PDUQueue: Sendable {
    private struct State {
        var items: [Result<PDU?, any Error>] = []
        var waiter: CheckedContinuation<PDU?, any Error>?
    }

    private let state = Mutex(State())

    func push(_ item: Result<PDU?, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<PDU?, any Error>? in
            guard let waiter = state.waiter else {
                state.items.append(item)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(with: item)
    }

    func next() async throws -> PDU? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<PDU?, any Error>? in
                    guard !state.items.isEmpty else {
                        state.waiter = continuation
                        return nil
                    }
                    let first = state.items.removeFirst()
                    // The end stays queued, for later calls.
                    if case .success(nil) = first { state.items.insert(first, at: 0) }
                    return first
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
