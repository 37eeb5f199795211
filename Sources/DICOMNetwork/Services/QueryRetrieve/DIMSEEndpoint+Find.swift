import DICOMCore
import DICOMNetworkCore
import NIOCore

extension DIMSEEndpoint {
    /// Answers a C-FIND request with the find handler's matches (PS3.4 C.4.1.2): one pending
    /// response per match (FF00H, or the status a ``FindHandler`` gives it), then success;
    /// cancel (FE00H) once a C-CANCEL has cancelled the task.
    ///
    /// The handler runs in a task of its own and its responses go through a
    /// ``FindResponseQueue``: whatever matches are ready leave in one socket write, the last
    /// ones with the final response. A ``FindHandler`` that never blocks runs on the
    /// association's event loop.
    func performFind(_ find: CFindRequest, _ message: DIMSEReceiver.Message) async throws(AssociationError) {
        let contextID = message.presentationContextID
        let responses = FindResponseBatch(request: find, syntax: transferSyntax(of: contextID))
        func respond(_ status: DIMSEStatus, comment: String? = nil, after matches: [AssociationLink.OutgoingMessage] = []) async throws(AssociationError) {
            logFailure(status, of: "C-FIND-RQ", comment: comment)
            try await link.send(batch: matches + [responses.final(status, comment: comment)], presentationContextID: contextID)
        }
        guard handlers.findMatches != nil || handlers.find != nil else { return try await respond(.sopClassNotSupported) }
        if let mismatch = contextMismatch(find.affectedSOPClassUID, on: contextID, "C-FIND-RQ") {
            return try await respond(.sopClassNotSupported, comment: mismatch)
        }
        guard let identifier = decodeDataSet(message, transferSyntax(of: contextID)) else {
            return try await respond(.identifierDoesNotMatchSOPClass, comment: "the identifier cannot be decoded")
        }
        let request = QueryRequest(
            sopClassUID: find.affectedSOPClassUID, messageID: find.messageID, identifier: identifier, association: info,
            transferSyntax: transferSyntax(of: contextID))
        let ending: FindEnding
        if let handler = handlers.findMatches {
            let run = { () async throws(AssociationError) -> FindEnding in
                switch handler.source {
                case .matches(let matches):
                    try await self.answer({ try await matches(request) }, responses, contextID, lettingLoopRead: handler.neverBlocks) { [$0] }
                case .batches(let batches):
                    try await self.answer({ try await batches(request) }, responses, contextID, lettingLoopRead: handler.neverBlocks) { $0 }
                }
            }
            ending = handler.neverBlocks ? try await onChannelLoop(run) : try await run()
        } else if let handler = handlers.find {
            ending = try await answer({ try await handler(request) }, responses, contextID) { [FindMatch($0)] }
        } else {
            ending = FindEnding(unsent: [], failure: nil)
        }
        let cancelled = Task.isCancelled
        // After a C-CANCEL only the Cancel status is owed; the matches found before a failure
        // still go out, ahead of it.
        let unsent = cancelled ? [] : ending.unsent
        switch ending.failure {
        case nil:
            try await respond(cancelled ? .cancel : .success, after: unsent)
        case let failure as QueryFailure:
            try await respond(failure.status, comment: failure.comment, after: unsent)
        case let error?:
            try await respond(cancelled ? .cancel : .unableToProcess, comment: cancelled ? nil : "\(error)", after: unsent)
        }
    }

    /// The matches a C-FIND handler on the event loop finds before it lets the loop read between
    /// its pages (a C-CANCEL): the archive's first page.
    static let matchesBeforeLettingLoopRead = 64

    /// The most pending C-FIND responses sent at once: past a C-CANCEL, at most this many more
    /// go out (and what the socket holds already).
    static let findResponsesPerSend = 256

    /// How a handler's matches ended: the responses taken last (to go with the final response)
    /// and the error the handler threw, if any.
    struct FindEnding: Sendable {
        var unsent: [AssociationLink.OutgoingMessage]
        var failure: (any Error)?
    }

    /// Runs the handler that `makeMatches` calls in a child task, which encodes the matches of
    /// each element it yields (`asMatches`: one match, or a batch) as pending responses into a
    /// ``FindResponseQueue``, and sends what the queue holds whenever this task is free; returns
    /// what was taken last, unsent, with how the handler ended.
    ///
    /// `lettingLoopRead`: the handler runs on the association's event loop, which runs every
    /// task ready before it reads the socket again; so that a C-CANCEL is read while matches
    /// still come, once ``matchesBeforeLettingLoopRead`` have been found the handler's task
    /// steps off the loop for a moment before each further element (a page of the archive's
    /// index), and the loop reads what has arrived. A small answer never pays for it.
    private func answer<Element: Sendable>(
        _ makeMatches: @escaping @Sendable () async throws -> AsyncThrowingStream<Element, any Error>,
        _ responses: FindResponseBatch,
        _ contextID: UInt8,
        lettingLoopRead: Bool = false,
        _ asMatches: @escaping @Sendable (Element) -> [FindMatch]
    ) async throws(AssociationError) -> FindEnding {
        let queue = FindResponseQueue<AssociationLink.OutgoingMessage>()
        do {
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var responses = responses
                    do {
                        var elements = try await makeMatches().makeAsyncIterator()
                        var found = 0
                        while true {
                            if lettingLoopRead && found >= DIMSEEndpoint.matchesBeforeLettingLoopRead {
                                // A sleep resumes through the loop's task queue from another
                                // thread: until then the loop has nothing to run but its I/O.
                                try? await Task.sleep(for: .microseconds(1))
                            }
                            if Task.isCancelled { break }
                            guard let element = try await elements.next() else { break }
                            if Task.isCancelled { break }
                            let matches = asMatches(element)
                            found += matches.count
                            guard !matches.isEmpty else { continue }
                            var messages: [AssociationLink.OutgoingMessage] = []
                            messages.reserveCapacity(matches.count)
                            var bytes = 0
                            for match in matches {
                                let message = try responses.pending(match, encode: self.encode)
                                bytes += message.dataSet?.readableBytes ?? 0
                                messages.append(message)
                            }
                            await queue.add(contentsOf: messages, bytes: bytes)
                        }
                        queue.finish()
                    } catch {
                        queue.finish(throwing: error)
                    }
                }
                while true {
                    let (taken, finished) = await queue.take()
                    if finished { return FindEnding(unsent: taken, failure: queue.failure) }
                    // A page of the index (up to 2,048 matches) goes out in slices, so that a
                    // C-CANCEL read while it goes stops it at the next slice. Cancelled: the
                    // handler's task is ending; what it found is not owed.
                    var start = 0
                    while start < taken.count, !Task.isCancelled {
                        let end = min(taken.count, start + DIMSEEndpoint.findResponsesPerSend)
                        do {
                            try await link.send(batch: Array(taken[start..<end]), presentationContextID: contextID)
                        } catch {
                            // The association is gone: let the handler's task end, not wait for room.
                            queue.finish()
                            throw error
                        }
                        start = end
                    }
                }
            }
        } catch let error as AssociationError {
            throw error
        } catch {
            throw AssociationError(.closed, "the C-FIND ended: \(error)")
        }
    }
}

/// The C-FIND responses of one request, encoded: the pending responses' command set is
/// encoded once per status, as it is the same for every match.
struct FindResponseBatch: Sendable {
    let request: CFindRequest
    let syntax: TransferSyntax
    /// The encoded command sets of the pending responses, by status.
    private var pendingCommands: [UInt16: ByteBuffer] = [:]
    static let responseName = CommandField.cFindResponse.description

    init(request: CFindRequest, syntax: TransferSyntax) {
        self.request = request
        self.syntax = syntax
    }

    /// The pending response of `match`, its identifier encoded by `encode` unless the match
    /// holds it encoded in this syntax already.
    mutating func pending(
        _ match: FindMatch,
        encode: (DataSet?, TransferSyntax) throws(AssociationError) -> ByteBuffer?
    ) throws(AssociationError) -> AssociationLink.OutgoingMessage {
        let status = match.status
        let encoded: ByteBuffer?
        if case let .encoded(bytes, encodedSyntax) = match.content, encodedSyntax == syntax {
            encoded = bytes
        } else {
            encoded = try encode(match.identifier, syntax)
        }
        let command: ByteBuffer
        if let cached = pendingCommands[status.code] {
            command = cached
        } else {
            command = try AssociationLink.encodeCommand(CFindResponse(respondingTo: request, status: status, hasIdentifier: true).commandSet)
            pendingCommands[status.code] = command
        }
        return AssociationLink.OutgoingMessage(command: command, dataSet: encoded, name: Self.responseName)
    }

    /// The final response with `status` and its Error Comment (fitted to 64 characters when
    /// encoded, PS3.7 §C.1).
    func final(_ status: DIMSEStatus, comment: String? = nil) throws(AssociationError) -> AssociationLink.OutgoingMessage {
        var response = CFindResponse(respondingTo: request, status: status, hasIdentifier: false)
        response.errorComment = comment
        return try AssociationLink.OutgoingMessage(commandSet: response.commandSet, dataSet: nil)
    }
}
