public import DICOMCore
public import DICOMNetworkCore
import NIOCore

/// One response to a C-FIND, C-GET or C-MOVE request: a pending one with its match (C-FIND) or
/// progress (C-GET, C-MOVE), or the final one.
public struct QueryResponse: Sendable {
    /// The response's status; pending until the last.
    public var status: DIMSEStatus
    /// The response's command set, for the fields not copied here.
    public var commandSet: DataSet
    /// The identifier: a match for a pending C-FIND response; for a final C-GET or C-MOVE one
    /// with failures, the Failed SOP Instance UID List. Decoded when read (each time: keep it
    /// in a variable), so that whoever hands responses on decodes nothing; nil when the
    /// response has none or its bytes do not decode.
    public var identifier: DataSet? {
        get {
            switch identifierContent {
            case .none: nil
            case let .encoded(bytes, syntax): try? DataSetReader.read(bytes, transferSyntax: syntax)
            case .decoded(let dataSet): dataSet
            }
        }
        set { identifierContent = newValue.map { .decoded($0) } ?? .none }
    }

    /// The identifier as it came, or as set.
    private enum IdentifierContent: Sendable {
        case none
        case encoded(ByteBuffer, TransferSyntax)
        case decoded(DataSet)
    }

    private var identifierContent: IdentifierContent
    /// Number of Remaining Sub-operations (C-GET, C-MOVE).
    public var remaining: Int? { commandSet.integer(.numberOfRemainingSuboperations) }
    /// Number of Completed Sub-operations (C-GET, C-MOVE).
    public var completed: Int? { commandSet.integer(.numberOfCompletedSuboperations) }
    /// Number of Failed Sub-operations (C-GET, C-MOVE).
    public var failed: Int? { commandSet.integer(.numberOfFailedSuboperations) }
    /// Number of Warning Sub-operations (C-GET, C-MOVE).
    public var warning: Int? { commandSet.integer(.numberOfWarningSuboperations) }
    /// Error Comment (0000,0902), if any.
    public var errorComment: String? { commandSet.string(.errorComment) }
    /// Message ID Being Responded To (0000,0120): the request's Message ID, for
    /// ``Association/cancel(messageID:)``.
    public var messageIDBeingRespondedTo: UInt16? { commandSet.integer(.messageIDBeingRespondedTo).map { UInt16(truncatingIfNeeded: $0) } }
    /// For a final C-GET or C-MOVE response, the Failed SOP Instance UID List (0008,0058) of its
    /// identifier: the instances whose C-STORE sub-operations failed (PS3.4 C.4.2.1.4.2,
    /// C.4.3.1.3.2); empty when the response lists none.
    public var failedSOPInstanceUIDs: [UID] {
        identifier?.strings(.failedSOPInstanceUIDList).map { UID($0) } ?? []
    }
}

extension Association {
    /// Sends a C-FIND request (PS3.4 C.4.1) with `identifier` as its query and yields every
    /// response: the pending ones with their matches, then the final one. A consumer that stops
    /// early (breaks out, or its task is cancelled) ends the stream at once; a C-CANCEL-RQ goes to
    /// the peer, and its remaining responses, the final Cancel (FE00H) included, are read and
    /// dropped so that the association can go on. To see the final response of a cancelled
    /// C-FIND, call ``cancel(messageID:)`` instead and go on iterating.
    public func find(_ identifier: DataSet, model: QueryRetrieveModel = .studyRoot, priority: DIMSEPriority = .medium) -> AsyncThrowingStream<QueryResponse, any Error> {
        let messageID = endpoint.nextMessageID()
        return query(model.find, identifier: identifier, messageID: messageID) { id in
            CFindRequest(messageID: id, affectedSOPClassUID: model.find, priority: priority).commandSet
        }
    }

    /// Sends a C-FIND request (PS3.4 C.4.1) with `identifier` as its query, hands each pending
    /// response (with its match) to `body` as it comes, and returns the final response: the
    /// cheapest way to read a C-FIND's matches, on the calling task with no stream between
    /// (run it on ``taskExecutor`` to save a thread hop per batch of responses). `body` may call
    /// ``cancel(messageID:)``: the responses go on to the final one (usually Cancel, FE00H).
    /// When `body` throws, or the task is cancelled, a C-CANCEL-RQ goes to the peer, the
    /// remaining responses are read and dropped, and the error is thrown.
    public func find(
        _ identifier: DataSet, model: QueryRetrieveModel = .studyRoot, priority: DIMSEPriority = .medium,
        eachPending body: (QueryResponse) async throws -> Void
    ) async throws -> QueryResponse {
        try await collect(model.find, identifier: identifier, eachPending: body) { id in
            CFindRequest(messageID: id, affectedSOPClassUID: model.find, priority: priority).commandSet
        }
    }

    /// Sends a C-GET request (PS3.4 C.4.3): the peer sends the matching instances back as C-STORE
    /// sub-operations on this association, answered by the association's store handler (pass
    /// one to ``ApplicationEntity/associate(host:port:calledAETitle:contexts:maximumPDUSize:userIdentity:extendedNegotiation:commonExtendedNegotiation:asynchronousOperationsWindow:bindAddress:tls:handlers:events:logger:)``
    /// and propose the storage contexts with the SCP role). Yields the pending responses with
    /// their progress, then the final one.
    public func get(_ identifier: DataSet, model: QueryRetrieveModel = .studyRoot, priority: DIMSEPriority = .medium) -> AsyncThrowingStream<QueryResponse, any Error> {
        guard let sopClass = model.get else { return Self.failing(model, "C-GET") }
        let messageID = endpoint.nextMessageID()
        return query(sopClass, identifier: identifier, messageID: messageID) { id in
            CGetRequest(messageID: id, affectedSOPClassUID: sopClass, priority: priority).commandSet
        }
    }

    /// Sends a C-MOVE request (PS3.4 C.4.2): the peer sends the matching instances to the AE
    /// `destination` over an association of its own. Yields the pending responses with their
    /// progress, then the final one.
    public func move(_ identifier: DataSet, to destination: String, model: QueryRetrieveModel = .studyRoot, priority: DIMSEPriority = .medium) -> AsyncThrowingStream<QueryResponse, any Error> {
        guard let sopClass = model.move else { return Self.failing(model, "C-MOVE") }
        let messageID = endpoint.nextMessageID()
        return query(sopClass, identifier: identifier, messageID: messageID) { id in
            CMoveRequest(messageID: id, affectedSOPClassUID: sopClass, moveDestination: destination, priority: priority).commandSet
        }
    }

    /// Sends a C-GET request as ``get(_:model:priority:)`` does, hands each pending response
    /// (the sub-operations' progress) to `body` as it comes, and returns the final one: no stream
    /// between, as ``find(_:model:priority:eachPending:)``, with the same C-CANCEL rules.
    public func get(
        _ identifier: DataSet, model: QueryRetrieveModel = .studyRoot, priority: DIMSEPriority = .medium,
        eachPending body: (QueryResponse) async throws -> Void
    ) async throws -> QueryResponse {
        guard let sopClass = model.get else { throw AssociationError(.invalidConfiguration, "the \(model.rawValue) model has no C-GET") }
        return try await collect(sopClass, identifier: identifier, eachPending: body) { id in
            CGetRequest(messageID: id, affectedSOPClassUID: sopClass, priority: priority).commandSet
        }
    }

    /// Sends a C-MOVE request as ``move(_:to:model:priority:)`` does, hands each pending
    /// response (the sub-operations' progress) to `body` as it comes, and returns the final one:
    /// no stream between, as ``find(_:model:priority:eachPending:)``, with the same C-CANCEL rules.
    public func move(
        _ identifier: DataSet, to destination: String, model: QueryRetrieveModel = .studyRoot, priority: DIMSEPriority = .medium,
        eachPending body: (QueryResponse) async throws -> Void
    ) async throws -> QueryResponse {
        guard let sopClass = model.move else { throw AssociationError(.invalidConfiguration, "the \(model.rawValue) model has no C-MOVE") }
        return try await collect(sopClass, identifier: identifier, eachPending: body) { id in
            CMoveRequest(messageID: id, affectedSOPClassUID: sopClass, moveDestination: destination, priority: priority).commandSet
        }
    }

    /// Sends a C-CANCEL-RQ (PS3.7 §9.3.2.3) for our C-FIND, C-GET or C-MOVE request `messageID`
    /// (a response's ``QueryResponse/messageIDBeingRespondedTo``), as pynetdicom's
    /// `send_c_cancel`. The request's stream goes on: the responses the peer sends before it
    /// stops, then its final response, usually Cancel (FE00H).
    ///
    /// - Returns: false, sending nothing, when the request is not awaiting its final response
    ///   (it came already, or no such request was made on this association).
    @discardableResult
    public func cancel(messageID: UInt16) async throws(AssociationError) -> Bool {
        try await endpoint.cancel(messageID: messageID)
    }

    /// Sends the request `commandSet(messageID)` with `identifier` on `sopClass`'s context,
    /// hands each pending response to `body` and returns the final one (see
    /// ``find(_:model:priority:eachPending:)``).
    private func collect(
        _ sopClass: UID,
        identifier: DataSet,
        eachPending body: (QueryResponse) async throws -> Void,
        commandSet: (UInt16) -> DataSet
    ) async throws -> QueryResponse {
        guard let context = acceptedContext(for: sopClass), let contextID = context.contextID, let syntaxUID = context.transferSyntax else {
            throw AssociationError(.noAcceptedContext, "the peer did not accept \(sopClass)")
        }
        let syntax = TransferSyntax(uid: syntaxUID)
        let bytes = try endpoint.encode(identifier, syntax)
        let messageID = endpoint.nextMessageID()
        let link = endpoint.link
        let request = commandSet(messageID)
        let final = try await endpoint.collectResponses(messageID: messageID, presentationContextID: contextID) { () async throws(AssociationError) in
            try await link.send(commandSet: request, dataSet: bytes, presentationContextID: contextID)
        } _: { message in
            try await body(QueryResponse(message, syntax: syntax))
        }
        return QueryResponse(final, syntax: syntax)
    }

    private func query(
        _ sopClass: UID,
        identifier: DataSet,
        messageID: UInt16,
        commandSet: @escaping @Sendable (UInt16) -> DataSet
    ) -> AsyncThrowingStream<QueryResponse, any Error> {
        guard let context = acceptedContext(for: sopClass), let contextID = context.contextID, let syntaxUID = context.transferSyntax else {
            let error = AssociationError(.noAcceptedContext, "the peer did not accept \(sopClass)")
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        let syntax = TransferSyntax(uid: syntaxUID)
        let bytes: ByteBuffer?
        do {
            bytes = try endpoint.encode(identifier, syntax)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        let link = endpoint.link
        let responses = endpoint.responses(messageID: messageID, presentationContextID: contextID) { () async throws(AssociationError) in
            try await link.send(commandSet: commandSet(messageID), dataSet: bytes, presentationContextID: contextID)
        }
        // Each response's identifier decoded as the consumer asks for it, on the consumer's
        // task: no task and stream of our own between the endpoint's stream and the consumer.
        let reader = QueryResponseReader(responses.makeAsyncIterator(), syntax: syntax)
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }

    private static func failing(_ model: QueryRetrieveModel, _ what: String) -> AsyncThrowingStream<QueryResponse, any Error> {
        let error = AssociationError(.invalidConfiguration, "the \(model.rawValue) model has no \(what)")
        return AsyncThrowingStream { $0.finish(throwing: error) }
    }
}

/// Reads an endpoint's response stream for ``Association``'s C-FIND, C-GET and C-MOVE streams,
/// decoding each identifier. Dropping it (the consumer stopped early) drops the endpoint stream's
/// iterator, which ends that stream as cancelled: a C-CANCEL-RQ goes and the remaining responses
/// are read and dropped. So that this cannot happen after the final response, the endpoint
/// stream is read to its end before the final response is handed over.
///
/// `@unchecked Sendable`: the one consumer of the `unfolding` stream calls ``next()`` one call at
/// a time (an async iterator's contract), so the iterator inside is never used concurrently.
private final class QueryResponseReader: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<AssociationRouter.Message, any Error>.AsyncIterator
    private let syntax: TransferSyntax
    private var ended = false

    init(_ iterator: AsyncThrowingStream<AssociationRouter.Message, any Error>.AsyncIterator, syntax: TransferSyntax) {
        self.iterator = iterator
        self.syntax = syntax
    }

    func next() async throws -> QueryResponse? {
        guard !ended else { return nil }
        let message: AssociationRouter.Message
        do {
            guard let next = try await iterator.next() else {
                ended = true
                return nil
            }
            message = next
        } catch {
            ended = true
            throw error
        }
        let response = QueryResponse(message, syntax: syntax)
        if response.status.isFinal {
            ended = true
            // The endpoint finishes its stream right after the final response.
            _ = try? await iterator.next()
        }
        return response
    }
}

extension QueryResponse {
    /// The response `message` carries, its identifier in `syntax` (decoded when read); a response
    /// without a status reads as C000H (a failure, which ends the request).
    init(_ message: AssociationRouter.Message, syntax: TransferSyntax) {
        let code = message.commandSet.integer(.status).map { UInt16(truncatingIfNeeded: $0) } ?? 0xC000
        status = DIMSEStatus(code: code)
        commandSet = message.commandSet
        identifierContent = message.dataSet.map { .encoded($0, syntax) } ?? .none
    }
}
