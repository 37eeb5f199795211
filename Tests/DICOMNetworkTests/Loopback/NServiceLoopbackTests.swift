import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import Synchronization
import Testing

/// The N-services ours ↔ ours on loopback: each request type reaches the handler with its data
/// set, and the handler's status and reply come back.
@Suite("N-services on loopback, ours ↔ ours")
struct NServiceLoopbackTests {
    static let sopClass = UID.storageCommitmentPushModel
    static let instance = UID.storageCommitmentPushModelInstance

    static func entities() throws -> (scp: ApplicationEntity, scu: ApplicationEntity) {
        var scp = try Entities.scp()
        try scp.addSupportedContext(sopClass, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        var scu = try Entities.scu()
        try scu.addRequestedContext(sopClass, transferSyntaxes: [.explicitVRLittleEndian])
        return (scp, scu)
    }

    @Test("every N request reaches the handler with its data set; status and reply come back")
    func everyRequest() async throws {
        let seen = Mutex<[CommandField]>([])
        let handlers = ServiceHandlers(nService: { request in
            seen.withLock { $0.append(request.message.commandField) }
            switch request.message {
            case .nActionRequest(let action):
                // A Storage Commitment request: answer success, echoing the Transaction UID.
                var reply = DataSet()
                reply.setString(request.dataSet?.string(.transactionUID) ?? "", for: .transactionUID, vr: .UI)
                return action.actionTypeID == 1 ? NServiceResult(.success, dataSet: reply) : NServiceResult(.noSuchAction)
            case .nGetRequest:
                var attributes = DataSet()
                attributes.setString("DONE", for: .performedProcedureStepStatus, vr: .CS)
                return NServiceResult(.success, dataSet: attributes)
            case .nCreateRequest:
                return NServiceResult(.success, affectedSOPInstanceUID: "1.2.826.0.1.3680043.2.1143.77")
            case .nSetRequest(let set):
                return NServiceResult(request.dataSet?.string(.performedProcedureStepStatus) == "COMPLETED" && set.requestedSOPInstanceUID == Self.instance ? .success : .invalidAttributeValue)
            default:
                return NServiceResult(.success)
            }
        })
        let (scp, scu) = try Self.entities()
        try await withLoopbackAssociation(acceptor: scp, handlers: handlers, requestor: scu) { (association: Association) async throws in
            var information = DataSet()
            information.setString("1.2.3.4.5", for: .transactionUID, vr: .UI)
            let action = try await association.nAction(sopClass: Self.sopClass, sopInstance: Self.instance, actionTypeID: 1, information: information)
            #expect(action.status == .success)
            #expect(action.dataSet?.string(.transactionUID) == "1.2.3.4.5")
            #expect(action.commandSet.integer(.actionTypeID) == 1)
            #expect(try await association.nAction(sopClass: Self.sopClass, sopInstance: Self.instance, actionTypeID: 9).status == .noSuchAction)

            let get = try await association.nGet(sopClass: Self.sopClass, sopInstance: Self.instance, attributes: [.performedProcedureStepStatus])
            #expect(get.dataSet?.string(.performedProcedureStepStatus) == "DONE")

            let create = try await association.nCreate(sopClass: Self.sopClass)
            #expect(create.status == .success)
            #expect(create.commandSet.uid(.affectedSOPInstanceUID)?.string == "1.2.826.0.1.3680043.2.1143.77")

            var modifications = DataSet()
            modifications.setString("COMPLETED", for: .performedProcedureStepStatus, vr: .CS)
            #expect(try await association.nSet(sopClass: Self.sopClass, sopInstance: Self.instance, modifications: modifications).status == .success)
            #expect(try await association.nDelete(sopClass: Self.sopClass, sopInstance: Self.instance).status == .success)
            #expect(try await association.nEventReport(sopClass: Self.sopClass, sopInstance: Self.instance, eventTypeID: 1).status == .success)
        }
        #expect(seen.withLock { $0 } == [.nActionRequest, .nActionRequest, .nGetRequest, .nCreateRequest, .nSetRequest, .nDeleteRequest, .nEventReportRequest])
    }

    @Test("without an N-service handler the acceptor answers 0122H, and the association goes on")
    func noHandler() async throws {
        let (scp, scu) = try Self.entities()
        try await withLoopbackAssociation(acceptor: scp, requestor: scu) { (association: Association) async throws in
            #expect(try await association.nGet(sopClass: Self.sopClass, sopInstance: Self.instance).status == .sopClassNotSupported)
            #expect(association.isEstablished)
        }
    }
}
