public import DICOMNetwork
public import DICOMNetworkCore
import Logging

/// Runs `body` with an association between two of the caller's AEs over a real loopback
/// socket: `acceptor` serves on an ephemeral port of 127.0.0.1 with `handlers`, `requestor`
/// associates with it. The association is released (if still established) and the server shut
/// down afterwards, whatever `body` does.
///
/// For testing handlers and SCU code end to end without a third-party peer.
public func withLoopbackAssociation<T: Sendable>(
    acceptor: ApplicationEntity,
    handlers: ServiceHandlers = ServiceHandlers(),
    requestor: ApplicationEntity,
    requestorHandlers: ServiceHandlers = ServiceHandlers(),
    asynchronousOperationsWindow: AsynchronousOperationsWindow? = nil,
    _ body: (Association) async throws -> T
) async throws -> T {
    let server = try await acceptor.startServer(host: "127.0.0.1", port: 0, handlers: handlers, logger: Logger(label: "netdicom.loopback"))
    do {
        let association = try await requestor.associate(
            host: "127.0.0.1", port: server.port, calledAETitle: acceptor.aeTitle,
            asynchronousOperationsWindow: asynchronousOperationsWindow, handlers: requestorHandlers)
        let result: T
        do {
            result = try await body(association)
        } catch {
            await association.abort()
            throw error
        }
        if association.isEstablished { try await association.release() }
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}
