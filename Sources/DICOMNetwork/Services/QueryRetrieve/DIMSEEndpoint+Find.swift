import DICOMCore
import DICOMNetworkCore
import NIOCore

extension DIMSEEndpoint {
    /// Answers a C-FIND request with the find handler's matches (PS3.4 C.4.1.2): one pending
    /// response per match (FF00H, or the status a ``FindHandler`` gives it), then success;
    /// cancel (FE00H) once a C-CANCEL has cancelled the task.
    ///
    /// A ``FindHandler`` that sends in batches has its responses go out several per socket
    /// write (``FindResponseBatch``), the final one with the last matches; one that never
    /// blocks runs on the association's event loop.
    func performFind(_ find: CFindRequest, _ message: DIMSEReceiver.Message) async throws(AssociationError) {
        let contextID = message.presentationContextID
        let syntax = transferSyntax(of: contextID)
        var batch = FindResponseBatch(request: find, syntax: syntax, batching: handlers.findMatches?.sendsInBatches ?? false)
        func respond(_ status: DIMSEStatus, comment: String? = nil) async throws(AssociationError) {
            try batch.add(status, comment: comment, encode: encode)
            try await link.send(batch: batch.take(), presentationContextID: contextID)
        }
        guard handlers.findMatches != nil || handlers.find != nil else { return try await respond(.sopClassNotSupported) }
        guard let identifier = decodeDataSet(message, syntax) else {
            return try await respond(.identifierDoesNotMatchSOPClass, comment: "the identifier cannot be decoded")
        }
        let request = QueryRequest(sopClassUID: find.affectedSOPClassUID, messageID: find.messageID, identifier: identifier, association: info)
        do {
            if let handler = handlers.findMatches {
                if handler.neverBlocks {
                    try await onChannelLoop { () async throws in
                        try await answer(handler.matches(request), &batch, contextID) { ($0.identifier, $0.status) }
                    }
                } else {
                    try await answer(handler.matches(request), &batch, contextID) { ($0.identifier, $0.status) }
                }
            } else if let handler = handlers.find {
                try await answer(handler(request), &batch, contextID) { ($0, .pending) }
            }
            if Task.isCancelled { batch.discardMatches() }
            try await respond(Task.isCancelled ? .cancel : .success)
        } catch let error as AssociationError {
            throw error
        } catch let failure as QueryFailure {
            // The matches found before the failure still go out, ahead of it.
            try await respond(failure.status, comment: failure.comment)
        } catch {
            if Task.isCancelled { batch.discardMatches() }
            try await respond(Task.isCancelled ? .cancel : .unableToProcess, comment: Task.isCancelled ? nil : "\(error)")
        }
    }

    /// Adds each of `matches` to `batch` as a pending response, sending the batch whenever it
    /// is full; what is left goes with the final response.
    private func answer<Matches: AsyncSequence>(
        _ matches: Matches,
        _ batch: inout FindResponseBatch,
        _ contextID: UInt8,
        _ split: (Matches.Element) -> (DataSet, DIMSEStatus)
    ) async throws {
        for try await match in matches {
            if Task.isCancelled { break }
            let (identifier, status) = split(match)
            try batch.add(status, identifier, encode: encode)
            if batch.isFull {
                try await link.send(batch: batch.take(), presentationContextID: contextID)
            }
        }
    }
}

/// The C-FIND responses waiting to be sent together: one at a time unless batching. Batches
/// start small, so that the first matches leave soon, and double up to ``maximumCount`` messages (or ``maximumBytes`` of
/// identifiers), so that a long result takes few socket writes. A batch whose first match has
/// waited ``maximumDelay`` goes with the next match, whatever its count, so that a handler
/// that finds matches slowly still sees them sent as it goes.
struct FindResponseBatch {
    /// The most messages sent in one batch.
    static let maximumCount = 64
    /// Past this many bytes of identifiers, the batch is sent whatever its count.
    static let maximumBytes = 256 * 1024
    /// Past this age of its first message, the batch is sent with the next match.
    static let maximumDelay = Duration.milliseconds(5)

    let request: CFindRequest
    let syntax: TransferSyntax
    private(set) var messages: [AssociationLink.OutgoingMessage] = []
    private var bytes = 0
    private let batching: Bool
    private var limit: Int
    private var started: ContinuousClock.Instant?
    /// The encoded command sets of the pending responses, by status.
    private var pendingCommands: [UInt16: ByteBuffer] = [:]
    static let responseName = CommandField.cFindResponse.description

    init(request: CFindRequest, syntax: TransferSyntax, batching: Bool) {
        self.request = request
        self.syntax = syntax
        self.batching = batching
        self.limit = batching ? 2 : 1
    }

    var isFull: Bool {
        messages.count >= limit || bytes >= Self.maximumBytes || started.map { $0.duration(to: .now) >= Self.maximumDelay } ?? false
    }

    /// Adds a response with `status`, its identifier encoded by `encode`, its comment cut to the
    /// 64 characters of Error Comment (PS3.7 §C.1).
    mutating func add(
        _ status: DIMSEStatus,
        _ identifier: DataSet? = nil,
        comment: String? = nil,
        encode: (DataSet?, TransferSyntax) throws(AssociationError) -> ByteBuffer?
    ) throws(AssociationError) {
        let encoded = try encode(identifier, syntax)
        bytes += encoded?.readableBytes ?? 0
        if started == nil { started = .now }
        if status.kind == .pending, comment == nil, identifier != nil {
            // Every pending response of the request with this status has the same command set.
            let command: ByteBuffer
            if let cached = pendingCommands[status.code] {
                command = cached
            } else {
                command = try AssociationLink.encodeCommand(CFindResponse(respondingTo: request, status: status, hasIdentifier: true).commandSet)
                pendingCommands[status.code] = command
            }
            messages.append(AssociationLink.OutgoingMessage(command: command, dataSet: encoded, name: Self.responseName))
            return
        }
        var response = CFindResponse(respondingTo: request, status: status, hasIdentifier: identifier != nil)
        response.errorComment = comment.map { String($0.prefix(64)) }
        messages.append(try AssociationLink.OutgoingMessage(commandSet: response.commandSet, dataSet: encoded))
    }

    /// The messages to send now; the next batch may be twice as long.
    mutating func take() -> [AssociationLink.OutgoingMessage] {
        defer {
            messages = []
            bytes = 0
            started = nil
            if batching { limit = min(limit * 2, Self.maximumCount) }
        }
        return messages
    }

    /// Drops the matches not yet sent (after a C-CANCEL, only the Cancel status is owed).
    mutating func discardMatches() {
        messages = []
        bytes = 0
        started = nil
    }
}
