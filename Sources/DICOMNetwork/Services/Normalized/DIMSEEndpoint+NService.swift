import DICOMCore
import DICOMNetworkCore
import NIOCore

extension DIMSEEndpoint {
    /// Answers an N-service request with the N-service handler's result (PS3.7 §10.1); without a
    /// handler, 0122H (SOP class not supported).
    func performNService(_ request: DIMSEMessage, _ message: DIMSEReceiver.Message) async throws(AssociationError) {
        let contextID = message.presentationContextID
        let syntax = transferSyntax(of: contextID)
        var result = NServiceResult(.sopClassNotSupported)
        if let sopClass = (request.command as? any NRequest)?.sopClassUID,
           let mismatch = contextMismatch(sopClass, on: contextID, request.commandField.description) {
            result = NServiceResult(.sopClassNotSupported, errorComment: mismatch)
        } else if let handler = handlers.nService {
            let dataSet = decodeDataSet(message, syntax)
            if message.dataSet != nil, dataSet == nil {
                result = NServiceResult(.processingFailure)
            } else {
                result = await handler(NServiceRequest(message: request, dataSet: dataSet, association: info))
            }
        }
        guard let commandSet = Self.responseCommandSet(to: request, result) else { return }
        try await link.send(commandSet: commandSet, dataSet: try encode(result.dataSet, syntax), presentationContextID: contextID)
        if let afterResponse = result.afterResponse {
            // Not in this operation's task: that one holds a place in the operations window,
            // and is cancelled when the association ends.
            let handle = Association(handleOf: self)
            Task { await afterResponse(handle) }
        }
    }

    /// The N-…-RSP command set answering `request` with `result`.
    private static func responseCommandSet(to request: DIMSEMessage, _ result: NServiceResult) -> DataSet? {
        func response<R: NRequest>(_ request: R) -> DataSet {
            var response = NResponse<R>(respondingTo: request, status: result.status, hasDataSet: result.dataSet != nil)
            if let uid = result.affectedSOPInstanceUID { response.affectedSOPInstanceUID = uid }
            if let comment = result.errorComment, result.status.kind != .success { response.errorComment = comment }
            return response.commandSet
        }
        switch request {
        case .nGetRequest(let request): return response(request)
        case .nSetRequest(let request): return response(request)
        case .nActionRequest(let request): return response(request)
        case .nCreateRequest(let request): return response(request)
        case .nDeleteRequest(let request): return response(request)
        case .nEventReportRequest(let request): return response(request)
        default: return nil
        }
    }

    /// Sends an N-service request and waits for its response.
    func nService(_ commandSet: DataSet, messageID: UInt16, sopClass: UID, dataSet: DataSet?) async throws(AssociationError) -> NServiceResponse {
        guard let context = outcome.acceptedContexts.first(where: { $0.abstractSyntax == sopClass }),
              let contextID = context.contextID, let syntaxUID = context.transferSyntax else {
            throw AssociationError(.noAcceptedContext, "the peer did not accept \(sopClass)")
        }
        let syntax = TransferSyntax(uid: syntaxUID)
        let bytes = try encode(dataSet, syntax)
        let response = try await exchange(messageID: messageID) { () async throws(AssociationError) in
            try await link.send(commandSet: commandSet, dataSet: bytes, presentationContextID: contextID)
        }
        let code = response.commandSet.integer(.status).map { UInt16(truncatingIfNeeded: $0) } ?? 0xC000
        let reply = response.dataSet.flatMap { try? DataSetReader.read($0, transferSyntax: syntax) }
        return NServiceResponse(status: DIMSEStatus(code: code), commandSet: response.commandSet, dataSet: reply)
    }
}
