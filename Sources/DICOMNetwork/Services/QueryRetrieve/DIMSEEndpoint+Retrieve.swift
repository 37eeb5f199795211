import DICOMCore
import DICOMNetworkCore
import Logging
import NIOCore
import NIOPosix

extension DIMSEEndpoint {
    /// A C-GET or C-MOVE request being answered.
    enum Retrieve {
        case get(CGetRequest)
        case move(CMoveRequest)

        var messageID: UInt16 {
            switch self {
            case .get(let request): request.messageID
            case .move(let request): request.messageID
            }
        }

        var sopClassUID: UID {
            switch self {
            case .get(let request): request.affectedSOPClassUID
            case .move(let request): request.affectedSOPClassUID
            }
        }
    }

    /// The running count of a C-GET's or C-MOVE's sub-operations.
    struct SubOperationTally {
        var remaining: Int
        var completed = 0
        var failed = 0
        var warning = 0

        /// The final status (PS3.4 C.4.2.3, C.4.3.3): success when every sub-operation
        /// succeeded, A702H when all failed, B000H otherwise.
        var finalStatus: DIMSEStatus {
            if failed == 0 && warning == 0 { return .success }
            if completed == 0 && warning == 0 { return .outOfResourcesUnableToPerformSubOperations }
            return .subOperationsCompleteWithFailures
        }

        /// The counts for a response: Remaining only with a pending or cancel status (PS3.7
        /// §9.1.3.1.7, §9.1.4.1.8).
        func counts(for status: DIMSEStatus) -> SubOperationCounts {
            let withRemaining = status.kind == .pending || status.kind == .cancel
            return SubOperationCounts(
                remaining: withRemaining ? UInt16(clamping: remaining) : nil,
                completed: UInt16(clamping: completed), failed: UInt16(clamping: failed), warning: UInt16(clamping: warning))
        }

        mutating func count(_ status: DIMSEStatus) {
            remaining = max(0, remaining - 1)
            switch status.kind {
            case .success: completed += 1
            case .warning: warning += 1
            default: failed += 1
            }
        }
    }

    /// Answers a C-GET (sub-operations on this association) or a C-MOVE (sub-operations over a
    /// new association to the destination): a pending response after each sub-operation, then
    /// the final status with the counts; cancel (FE00H) once a C-CANCEL has cancelled the task.
    func performRetrieve(_ retrieve: Retrieve, _ message: DIMSEReceiver.Message) async throws(AssociationError) {
        let contextID = message.presentationContextID
        let syntax = transferSyntax(of: contextID)
        func respond(_ status: DIMSEStatus, _ counts: SubOperationTally? = nil, comment: String? = nil) async throws(AssociationError) {
            try await respondToRetrieve(retrieve, contextID: contextID, status: status, counts: counts, comment: comment)
        }

        let handler: (@Sendable (QueryRequest) async throws -> RetrieveResult)?
        var destination: (aeTitle: String, address: MoveDestination)?
        switch retrieve {
        case .get:
            handler = handlers.get
        case .move(let request):
            handler = handlers.move
            guard handler != nil else { break }
            guard let address = handlers.moveDestinations[request.moveDestination] else {
                return try await respond(.moveDestinationUnknown, comment: "unknown move destination \(request.moveDestination)")
            }
            destination = (request.moveDestination, address)
        }
        guard let handler else { return try await respond(.sopClassNotSupported) }
        guard let identifier = decodeDataSet(message, syntax) else {
            return try await respond(.identifierDoesNotMatchSOPClass, comment: "the identifier cannot be decoded")
        }
        let request = QueryRequest(
            sopClassUID: retrieve.sopClassUID, messageID: retrieve.messageID, identifier: identifier,
            moveDestination: destination?.aeTitle, association: info)

        var counts = SubOperationTally(remaining: 0)
        var target: Association?
        do {
            let result = try await handler(request)
            counts.remaining = result.count
            var items: [RetrieveItem] = []
            var pendingItems = result.items.makeAsyncIterator()
            let sender: DIMSEEndpoint
            if let destination {
                // The new association needs its contexts up front: read the list first.
                while let item = try await pendingItems.next() { items.append(item) }
                counts.remaining = items.count
                guard !items.isEmpty else { return try await respond(.success, counts) }
                let association = try await associateForMove(to: destination, items: items)
                target = association
                sender = association.endpoint
            } else {
                sender = self
            }
            var index = 0
            while !Task.isCancelled {
                let item: RetrieveItem
                if destination != nil {
                    guard index < items.count else { break }
                    item = items[index]
                    index += 1
                } else {
                    guard let next = try await pendingItems.next() else { break }
                    item = next
                }
                let originator = destination.map { _ in (aeTitle: info.peerAETitle, messageID: retrieve.messageID) }
                let status = try await subOperation(sender, item, moveOriginator: originator)
                counts.count(status)
                if counts.remaining > 0 { try await respond(.pending, counts) }
            }
            if let target { try? await target.release() }
            try await respond(Task.isCancelled ? .cancel : counts.finalStatus, counts)
        } catch let error as AssociationError {
            if let target { await target.abort() }
            // Our own association carries on unless it is the one that failed.
            guard target != nil, router.endReason == nil else { throw error }
            try await respond(.outOfResourcesUnableToPerformSubOperations, counts, comment: "\(error)")
        } catch let failure as QueryFailure {
            try await respond(failure.status, counts, comment: failure.comment)
        } catch {
            try await respond(Task.isCancelled ? .cancel : .unableToProcess, counts, comment: Task.isCancelled ? nil : "\(error)")
        }
    }

    private func respondToRetrieve(_ retrieve: Retrieve, contextID: UInt8, status: DIMSEStatus, counts: SubOperationTally?, comment: String?) async throws(AssociationError) {
        let subOperations = counts?.counts(for: status) ?? SubOperationCounts()
        let commandSet: DataSet
        switch retrieve {
        case .get(let request):
            var response = CGetResponse(respondingTo: request, status: status, subOperations: subOperations)
            response.errorComment = comment
            commandSet = response.commandSet
        case .move(let request):
            var response = CMoveResponse(respondingTo: request, status: status, subOperations: subOperations)
            response.errorComment = comment
            commandSet = response.commandSet
        }
        try await link.send(commandSet: commandSet, presentationContextID: contextID)
    }

    /// Sends one sub-operation; a failure of the instance (not of the association) counts as a
    /// failed sub-operation.
    private func subOperation(_ sender: DIMSEEndpoint, _ item: RetrieveItem, moveOriginator: (aeTitle: String, messageID: UInt16)?) async throws(AssociationError) -> DIMSEStatus {
        do {
            return try await sender.store(item, moveOriginator: moveOriginator).status
        } catch {
            guard error.code == .invalidInput || error.code == .noAcceptedContext else { throw error }
            logger.warning("sub-operation failed: \(error)")
            return .unableToProcess
        }
    }

    /// Opens the C-MOVE sub-operations' association to `destination`, proposing for each SOP
    /// class among `items` its transfer syntaxes plus the uncompressed ones.
    private func associateForMove(to destination: (aeTitle: String, address: MoveDestination), items: [RetrieveItem]) async throws -> Association {
        var proposals: [UID: [UID]] = [:]
        var order: [UID] = []
        for item in items {
            let (sopClass, syntax): (UID, UID)
            switch item {
            case .file(let path):
                guard let source = try? await BlockingIO.transfer.runIfActive({ try Part10FileSource(path: path) }) else { continue }
                (sopClass, syntax) = (source.sopClassUID, source.header.transferSyntax.uid)
            case .dataSet(_, let sopClassUID, _, let transferSyntax):
                (sopClass, syntax) = (sopClassUID, transferSyntax.uid)
            }
            if proposals[sopClass] == nil { order.append(sopClass) }
            var syntaxes = proposals[sopClass] ?? []
            if !syntaxes.contains(syntax) { syntaxes.append(syntax) }
            proposals[sopClass] = syntaxes
        }
        var contexts: [PresentationContext] = []
        for sopClass in order.prefix(128) {
            var syntaxes = proposals[sopClass] ?? []
            for uncompressed in [UID.explicitVRLittleEndian, .implicitVRLittleEndian] where !syntaxes.contains(uncompressed) {
                syntaxes.append(uncompressed)
            }
            contexts.append(PresentationContext(abstractSyntax: sopClass, transferSyntaxes: syntaxes))
        }
        return try await entity.associate(
            host: destination.address.host, port: destination.address.port, calledAETitle: destination.aeTitle,
            contexts: contexts, logger: logger)
    }
}
