import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import NIOCore
import Testing

/// Our AE against a peer scripted PDU by PDU on a real socket: the exchanges a well-behaved
/// peer rarely produces.
@Suite("Scripted peers on loopback")
struct ScriptedPeerTests {
    /// PS3.8 §7.2.2.2: both sides ask to release at once. Our requestor (Sta7) receives an
    /// A-RELEASE-RQ after sending its own: it must answer with A-RELEASE-RP (AR-8, AR-9 → Sta11),
    /// then take the peer's A-RELEASE-RP (AR-3) and close; release() succeeds.
    @Test func releaseCollisionAsRequestor() async throws {
        let listener = try await ScriptedPeer.listen()
        let scu = try Entities.scu()
        async let association = scu.associate(host: "127.0.0.1", port: listener.port, calledAETitle: "SCRIPTED")
        let peer = try await listener.accept()
        try await peer.acceptAssociation(supporting: [PresentationContext(abstractSyntax: .verification)])
        let established = try await association
        #expect(established.isEstablished)

        async let released: Void = established.release()
        try await peer.expect(.releaseRQ)
        try await peer.send(.releaseRQ)
        try await peer.expect(.releaseRP)
        try await peer.send(.releaseRP)
        try await released
        #expect(!established.isEstablished)
        try await peer.expectClosed()
    }

    /// The peer answers our release with an A-ABORT: release() throws the abort, and the
    /// association is over.
    @Test func abortInsteadOfReleaseReply() async throws {
        let listener = try await ScriptedPeer.listen()
        let scu = try Entities.scu()
        async let association = scu.associate(host: "127.0.0.1", port: listener.port, calledAETitle: "SCRIPTED")
        let peer = try await listener.accept()
        try await peer.acceptAssociation(supporting: [PresentationContext(abstractSyntax: .verification)])
        let established = try await association
        let releasing = Task { try await established.release() }
        try await peer.expect(.releaseRQ)
        try await peer.send(.abort(PDU.Abort(source: .serviceUser, reason: .reasonNotSpecified)))
        await #expect(throws: AssociationError.self) { try await releasing.value }
        #expect(!established.isEstablished)
    }

    /// PS3.8 Table 9-17: the A-ASSOCIATE-AC's bytes 11-74 are reserved, "sent with a value
    /// identical to the value received in the same field of the A-ASSOCIATE-RQ". A requestor
    /// whose titles carry leading spaces or NUL padding, and whose reserved bytes are not zero,
    /// gets them back as sent (found by a black-box review: they came back trimmed, space-padded
    /// and zeroed).
    @Test func acceptanceEchoesRequestFields() async throws {
        let scp = try Entities.scp()
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        var request = PDU.AssociateRQ(
            calledAETitle: scp.aeTitle, callingAETitle: "SCRIPTED",
            presentationContexts: [PDU.PresentationContextRQItem(
                presentationContextID: 1, abstractSyntax: UID.verification, transferSyntaxes: [TransferSyntax.implicitVRLittleEndian.uid])],
            userInformation: PDU.UserInformationItem(subItems: [.maximumLength(16384), .implementationClassUID("1.2.3.4")]))
        var bytes = ByteBuffer()
        _ = try bytes.writePDU(.associateRQ(request))
        let called = Array("  \(scp.aeTitle)".utf8)
        let fields = called + [UInt8](repeating: 0x20, count: 16 - called.count) + Array("SCRIPTED".utf8) + [UInt8](repeating: 0, count: 8)
            + (1...32).map(UInt8.init)
        bytes.setBytes(fields, at: 10)
        let peer = try await ScriptedPeer.connect(port: server.port)
        try await peer.send(bytes: bytes)
        guard case .associateAC(let accept) = try await peer.receive() else {
            Issue.record("the acceptor did not accept")
            return
        }
        #expect(accept.echoedRequestFields?.bytes == fields)
        #expect(accept.presentationContexts.first?.resultReason == .acceptance)
        try await peer.send(.abort(PDU.Abort(source: .serviceUser)))
    }

    /// Our acceptor, driven by a scripted requestor: an A-ASSOCIATE-RQ gets an -AC accepting
    /// Verification, a C-ECHO-RQ gets a C-ECHO-RSP with success, an A-RELEASE-RQ an -RP.
    @Test func acceptorAnswersScriptedRequestor() async throws {
        let scp = try Entities.scp()
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let peer = try await ScriptedPeer.connect(port: server.port)
        var request = AAssociate(callingAETitle: "SCRIPTED", calledAETitle: scp.aeTitle, presentationContextDefinitionList: [
            PresentationContext(contextID: 1, abstractSyntax: .verification, transferSyntaxes: [.implicitVRLittleEndian])
        ])
        request.userInformation.maximumLengthReceived = 16384
        guard case .associateAC(let accept) = try await peer.requestAssociation(request) else {
            Issue.record("the acceptor did not accept")
            return
        }
        #expect(accept.presentationContexts.first?.resultReason == .acceptance)

        let echo = CEchoRequest(messageID: 7)
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 16384)
        for pdu in fragmenter.fragment(command: try CommandSet.encode(echo.commandSet), presentationContextID: 1) {
            try await peer.send(.pDataTF(pdu))
        }
        guard case .pDataTF(let reply) = try await peer.expect(.pDataTF) else { return }
        var collector = DIMSEMessageCollector()
        let messages = try collector.pDataTFReceived(reply)
        let response = try CEchoResponse(commandSet: try #require(messages.first).commandSet)
        #expect(response.messageIDBeingRespondedTo == 7)
        #expect(response.status == .success)

        try await peer.send(.releaseRQ)
        try await peer.expect(.releaseRP)
        // The requestor closes the transport (PS3.8 AR-3); the acceptor, in Sta13, lets it go.
        await peer.close()
        #expect(await eventually { server.activeAssociations == 0 })
    }
}
