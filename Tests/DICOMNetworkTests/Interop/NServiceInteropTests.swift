import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Synchronization
import Testing
import TestSupport

/// N-services against pynetdicom, both directions, with Storage Commitment's N-ACTION and
/// MPPS-style N-CREATE/N-SET as the examples. (DCMTK ships no general N-service tool.)
@Suite("N-service interop with pynetdicom", .tags(.interop))
struct NServiceInteropTests {
    /// A pynetdicom SCP for Storage Commitment and MPPS: N-ACTION answers success with the
    /// Transaction UID echoed in the reply; N-CREATE answers success; N-SET success.
    static let pynetdicomSCP = """
    import sys
    from pydicom.dataset import Dataset
    from pynetdicom import AE, evt
    from pynetdicom.sop_class import StorageCommitmentPushModel, ModalityPerformedProcedureStep
    def on_action(event):
        info = event.action_information
        reply = Dataset()
        reply.TransactionUID = info.TransactionUID
        return 0x0000, reply
    def on_create(event):
        return 0x0000, event.attribute_list
    def on_set(event):
        return 0x0000, event.modification_list
    ae = AE(ae_title="PYNET-SCP")
    ae.add_supported_context(StorageCommitmentPushModel)
    ae.add_supported_context(ModalityPerformedProcedureStep)
    ae.start_server(("127.0.0.1", int(sys.argv[1])), evt_handlers=[
        (evt.EVT_N_ACTION, on_action), (evt.EVT_N_CREATE, on_create), (evt.EVT_N_SET, on_set)])
    """

    @Test("our N-ACTION, N-CREATE and N-SET → a pynetdicom SCP: statuses and replies come back",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func oursToPynetdicom() async throws {
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("python"), ["-c", Self.pynetdicomSCP, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        var scu = try Entities.scu()
        try scu.addRequestedContext(.storageCommitmentPushModel, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        try scu.addRequestedContext(.modalityPerformedProcedureStep, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: port, calledAETitle: "PYNET-SCP")

        var information = DataSet()
        information.setString("1.2.826.0.1.3680043.2.1143.5", for: .transactionUID, vr: .UI)
        let action = try await association.nAction(
            sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance, actionTypeID: 1, information: information)
        #expect(action.status == .success, "\(peer.log)")
        #expect(action.dataSet?.string(.transactionUID) == "1.2.826.0.1.3680043.2.1143.5")

        let step: UID = "1.2.826.0.1.3680043.2.1143.6"
        var attributes = DataSet()
        attributes.setString("IN PROGRESS", for: .performedProcedureStepStatus, vr: .CS)
        let create = try await association.nCreate(sopClass: .modalityPerformedProcedureStep, sopInstance: step, attributes: attributes)
        #expect(create.status == .success)
        #expect(create.dataSet?.string(.performedProcedureStepStatus) == "IN PROGRESS")
        var modifications = DataSet()
        modifications.setString("COMPLETED", for: .performedProcedureStepStatus, vr: .CS)
        let set = try await association.nSet(sopClass: .modalityPerformedProcedureStep, sopInstance: step, modifications: modifications)
        #expect(set.status == .success)
        try await association.release()
    }

    @Test("pynetdicom's N-ACTION → our SCP: the handler sees the request and pynetdicom gets its reply",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomToOurs() async throws {
        let seen = Mutex<[String]>([])
        var scp = try Entities.scp()
        try scp.addSupportedContext(.storageCommitmentPushModel, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(nService: { request in
            guard case .nActionRequest(let action) = request.message, action.actionTypeID == 1 else { return NServiceResult(.noSuchAction) }
            let transaction = request.dataSet?.string(.transactionUID) ?? ""
            seen.withLock { $0.append(transaction) }
            var reply = DataSet()
            reply.setString(transaction, for: .transactionUID, vr: .UI)
            return NServiceResult(.success, dataSet: reply)
        }))
        defer { Task { await server.shutdown() } }
        let script = """
        import sys
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        from pynetdicom.sop_class import StorageCommitmentPushModel
        ae = AE(ae_title="PYNET-SCU")
        ae.add_requested_context(StorageCommitmentPushModel)
        assoc = ae.associate("127.0.0.1", int(sys.argv[1]), ae_title="TEST-SCP")
        assert assoc.is_established, "not established"
        info = Dataset()
        info.TransactionUID = "1.2.826.0.1.3680043.2.1143.7"
        status, reply = assoc.send_n_action(info, 1, StorageCommitmentPushModel, "1.2.840.10008.1.20.1.1")
        print("status %04X" % status.Status)
        print("reply " + str(reply.TransactionUID))
        assoc.release()
        """
        let result = try await PeerProcess.run(ExternalTools.require("python"), ["-c", script, String(server.port)])
        #expect(result.stdout.contains("status 0000"), "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("reply 1.2.826.0.1.3680043.2.1143.7"))
        #expect(seen.withLock { $0 } == ["1.2.826.0.1.3680043.2.1143.7"])
    }
}
