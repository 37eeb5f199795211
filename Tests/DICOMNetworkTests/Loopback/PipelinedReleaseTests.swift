import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import NIOCore
import Testing

/// A requestor may send its A-RELEASE-RQ right behind its last requests, without waiting for
/// their answers. The acceptor is then in Sta8, where P-DATA may still go (AR-7): every request
/// that came before the release is answered, and only then the A-RELEASE-RP goes.
@Suite("A-RELEASE-RQ pipelined behind requests, a scripted requestor")
struct PipelinedReleaseTests {
    static let storeContext = PresentationContext(contextID: 3, abstractSyntax: .ctImageStorage, transferSyntaxes: [.implicitVRLittleEndian])

    static func pData(_ header: PDU.MessageControlHeader, _ bytes: ByteBuffer) -> PDU {
        .pDataTF(PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: 3, messageControlHeader: header, fragment: bytes)
        ]))
    }

    @Test("five C-STOREs and the A-RELEASE-RQ in one write, each store taking 100 ms: five C-STORE-RSPs with success, then the A-RELEASE-RP")
    func storesAnsweredBeforeRelease() async throws {
        var scp = try Entities.scp()
        try scp.addSupportedContext(.ctImageStorage, transferSyntaxes: [.implicitVRLittleEndian])
        let slowStore = StoreHandler.inMemory { _, _ in
            try? await Task.sleep(for: .milliseconds(100))
            return .success
        }
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: slowStore))
        defer { Task { await server.shutdown() } }
        let peer = try await ScriptedPeer.connect(port: server.port)
        var request = AAssociate(callingAETitle: "SCRIPTED", calledAETitle: scp.aeTitle, presentationContextDefinitionList: [Self.storeContext])
        request.userInformation.maximumLengthReceived = 16384
        guard case .associateAC = try await peer.requestAssociation(request) else {
            Issue.record("the acceptor did not accept")
            return
        }

        var bytes = ByteBuffer()
        for messageID in UInt16(1)...5 {
            let uid = "1.2.826.0.1.3680043.8.498.77.\(messageID)"
            let store = CStoreRequest(messageID: messageID, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: UID(uid))
            var dataSet = DataSet()
            dataSet.setString(UID.ctImageStorage.string, for: .sopClassUID, vr: .UI)
            dataSet.setString(uid, for: .sopInstanceUID, vr: .UI)
            try bytes.writePDU(Self.pData([.command, .lastFragment], try CommandSet.encode(store.commandSet)))
            try bytes.writePDU(Self.pData(.lastFragment, try DataSetWriter.encode(dataSet, transferSyntax: .implicitVRLittleEndian)))
        }
        try bytes.writePDU(.releaseRQ)
        try await peer.send(bytes: bytes)

        var answered: [UInt16: DIMSEStatus] = [:]
        var collector = DIMSEMessageCollector()
        while let reply = try await peer.receive() {
            guard case .pDataTF(let pData) = reply else {
                #expect(reply.pduType == .releaseRP, "after the responses comes the A-RELEASE-RP, not \(reply.pduType)")
                break
            }
            for message in try collector.pDataTFReceived(pData) {
                let id = try #require(message.commandSet.integer(.messageIDBeingRespondedTo))
                answered[UInt16(id)] = DIMSEStatus(code: UInt16(try #require(message.commandSet.integer(.status))))
            }
        }
        #expect(answered == [1: .success, 2: .success, 3: .success, 4: .success, 5: .success])
    }
}
