import DICOMCore
import DICOMNetworkCore
import NIOCore

extension DIMSEEndpoint {
    /// Answers a C-FIND request with the find handler's matches (PS3.4 C.4.1.2): one pending
    /// response per match, then success; cancel (FE00H) once a C-CANCEL has cancelled the task.
    func performFind(_ find: CFindRequest, _ message: DIMSEReceiver.Message) async throws(AssociationError) {
        let contextID = message.presentationContextID
        let syntax = transferSyntax(of: contextID)
        func respond(_ status: DIMSEStatus, _ identifier: DataSet? = nil, comment: String? = nil) async throws(AssociationError) {
            var response = CFindResponse(respondingTo: find, status: status, hasIdentifier: identifier != nil)
            response.errorComment = comment.map { String($0.prefix(64)) }
            let bytes = try encode(identifier, syntax)
            try await link.send(commandSet: response.commandSet, dataSet: bytes, presentationContextID: contextID)
        }
        guard let handler = handlers.find else { return try await respond(.sopClassNotSupported) }
        guard let identifier = decodeDataSet(message, syntax) else {
            return try await respond(.identifierDoesNotMatchSOPClass, comment: "the identifier cannot be decoded")
        }
        let request = QueryRequest(sopClassUID: find.affectedSOPClassUID, messageID: find.messageID, identifier: identifier, association: info)
        do {
            let matches = try await handler(request)
            for try await match in matches {
                if Task.isCancelled { break }
                try await respond(.pending, match)
            }
            try await respond(Task.isCancelled ? .cancel : .success)
        } catch let error as AssociationError {
            throw error
        } catch let failure as QueryFailure {
            try await respond(failure.status, comment: failure.comment)
        } catch {
            try await respond(Task.isCancelled ? .cancel : .unableToProcess, comment: Task.isCancelled ? nil : "\(error)")
        }
    }
}
