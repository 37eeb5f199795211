import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import NIOCore
import Testing

/// The event-loop shortcut for small exchanges (DIMSEShortcutHandler) must answer exactly what
/// the association's task would: it takes a whole C-ECHO-RQ between messages, and nothing else.
/// A scripted requestor sends what real peers rarely do.
@Suite("DIMSE shortcut on loopback, a scripted requestor")
struct DIMSEShortcutTests {
    static let echoContext = PresentationContext(contextID: 1, abstractSyntax: .verification, transferSyntaxes: [.implicitVRLittleEndian])
    static let storeContext = PresentationContext(contextID: 3, abstractSyntax: .ctImageStorage, transferSyntaxes: [.implicitVRLittleEndian])

    /// Our acceptor (Verification, CT storage into nowhere) and a scripted requestor associated to it.
    static func associated() async throws -> (AssociationServer, ScriptedPeer) {
        var scp = try Entities.scp()
        try scp.addSupportedContext(.ctImageStorage, transferSyntaxes: [.implicitVRLittleEndian])
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .discard))
        let peer = try await ScriptedPeer.connect(port: server.port)
        var request = AAssociate(callingAETitle: "SCRIPTED", calledAETitle: scp.aeTitle, presentationContextDefinitionList: [echoContext, storeContext])
        request.userInformation.maximumLengthReceived = 16384
        guard case .associateAC = try await peer.requestAssociation(request) else {
            throw AssociationError(.rejected, "the acceptor did not accept")
        }
        return (server, peer)
    }

    static func pData(_ contextID: UInt8, _ header: PDU.MessageControlHeader, _ bytes: ByteBuffer) -> PDU {
        .pDataTF(PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: header, fragment: bytes)
        ]))
    }

    /// Records an issue unless `peer` receives an A-ABORT next, within `timeout`.
    static func expectAbort(from peer: ScriptedPeer, timeout: Duration = .seconds(5)) async throws {
        let reply = try await peer.receive(timeout: timeout)
        guard case .abort? = reply else {
            Issue.record("expected an A-ABORT, got \(String(describing: reply))")
            return
        }
    }

    static func echoResponse(from peer: ScriptedPeer) async throws -> CEchoResponse {
        guard case .pDataTF(let reply) = try await peer.expect(.pDataTF) else { throw AssociationError(.closed, "no P-DATA-TF") }
        var collector = DIMSEMessageCollector()
        let message = try #require(try collector.pDataTFReceived(reply).first)
        return try CEchoResponse(commandSet: message.commandSet)
    }

    @Test("a C-ECHO-RQ cut into two command fragments, in two PDUs, is answered with success")
    func fragmentedEcho() async throws {
        let (server, peer) = try await Self.associated()
        defer { Task { await server.shutdown() } }
        let command = try CommandSet.encode(CEchoRequest(messageID: 11).commandSet)
        let half = command.readableBytes / 2
        try await peer.send(Self.pData(1, .command, command.getSlice(at: command.readerIndex, length: half)!))
        try await peer.send(Self.pData(1, [.command, .lastFragment], command.getSlice(at: command.readerIndex + half, length: command.readableBytes - half)!))
        let response = try await Self.echoResponse(from: peer)
        #expect(response.messageIDBeingRespondedTo == 11)
        #expect(response.status == .success)
        try await peer.send(.releaseRQ)
        try await peer.expect(.releaseRP)
    }

    @Test("a C-ECHO-RQ after a whole C-STORE (command, then its data set) is answered, and so is the store")
    func echoBetweenMessages() async throws {
        let (server, peer) = try await Self.associated()
        defer { Task { await server.shutdown() } }
        let store = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: UID("1.2.3.4"))
        var dataSet = DataSet()
        dataSet.setString("1.2.3.4", for: .sopInstanceUID, vr: .UI)
        try await peer.send(Self.pData(3, [.command, .lastFragment], try CommandSet.encode(store.commandSet)))
        try await peer.send(Self.pData(3, .lastFragment, try DataSetWriter.encode(dataSet, transferSyntax: .implicitVRLittleEndian)))
        try await peer.send(Self.pData(1, [.command, .lastFragment], try CommandSet.encode(CEchoRequest(messageID: 2).commandSet)))
        var answered: [UInt16: DIMSEStatus] = [:]
        var collector = DIMSEMessageCollector()
        while answered.count < 2 {
            guard case .pDataTF(let reply) = try await peer.expect(.pDataTF) else { return }
            for message in try collector.pDataTFReceived(reply) {
                let id = try #require(message.commandSet.integer(.messageIDBeingRespondedTo))
                answered[UInt16(id)] = DIMSEStatus(code: UInt16(try #require(message.commandSet.integer(.status))))
            }
        }
        #expect(answered == [1: .success, 2: .success])
    }

    @Test("a C-ECHO-RQ right after a C-STORE-RQ cut in two command fragments, before its data set, is not answered: the acceptor aborts")
    func echoAfterAFragmentedCommand() async throws {
        let (server, peer) = try await Self.associated()
        defer { Task { await server.shutdown() } }
        let store = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: UID("1.2.3.6"))
        var command = try CommandSet.encode(store.commandSet)
        // Whether a data set follows is known only from the whole command.
        try await peer.send(Self.pData(3, [.command], command.readSlice(length: 20)!))
        try await peer.send(Self.pData(3, [.command, .lastFragment], command))
        try await peer.send(Self.pData(1, [.command, .lastFragment], try CommandSet.encode(CEchoRequest(messageID: 2).commandSet)))
        try await Self.expectAbort(from: peer)
    }

    @Test("a C-ECHO-RQ in the middle of a C-STORE's data set breaks PS3.8 Annex E: the acceptor aborts instead of answering")
    func echoInsideADataSet() async throws {
        let (server, peer) = try await Self.associated()
        defer { Task { await server.shutdown() } }
        let store = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: UID("1.2.3.5"))
        try await peer.send(Self.pData(3, [.command, .lastFragment], try CommandSet.encode(store.commandSet)))
        var firstHalf = ByteBuffer()
        firstHalf.writeBytes([0x08, 0x00, 0x18, 0x00, 0x08, 0x00, 0x00, 0x00])  // (0008,0018), 8 bytes to come
        try await peer.send(Self.pData(3, [], firstHalf))
        try await peer.send(Self.pData(1, [.command, .lastFragment], try CommandSet.encode(CEchoRequest(messageID: 2).commandSet)))
        try await Self.expectAbort(from: peer)
    }

    @Test("a data set fragment that no command announced is not held back: the acceptor aborts at once")
    func strayDataSetFragment() async throws {
        let (server, peer) = try await Self.associated()
        defer { Task { await server.shutdown() } }
        try await peer.send(Self.pData(3, [], ByteBuffer(repeating: 0, count: 1000)))
        try await Self.expectAbort(from: peer, timeout: .seconds(2))
    }

    @Test("a C-STORE whose data set comes in many PDUs, then a C-ECHO: both answered, the store with success")
    func storeInManyPDUsThenEcho() async throws {
        let (server, peer) = try await Self.associated()
        defer { Task { await server.shutdown() } }
        let store = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: UID("1.2.3.6"))
        try await peer.send(Self.pData(3, [.command, .lastFragment], try CommandSet.encode(store.commandSet)))
        // (0009,1000) of 1,200,000 bytes, in 76 PDUs: held and handed on in groups of 256 KiB,
        // then the rest with the last fragment.
        var value = ByteBuffer()
        value.writeBytes([0x09, 0x00, 0x00, 0x10])
        value.writeInteger(UInt32(1_200_000), endianness: .little)
        value.writeRepeatingByte(0x41, count: 1_200_000)
        while value.readableBytes > 0 {
            let part = value.readSlice(length: min(16_000, value.readableBytes))!
            try await peer.send(Self.pData(3, value.readableBytes == 0 ? [.lastFragment] : [], part))
        }
        guard case .pDataTF(let reply) = try await peer.expect(.pDataTF) else { throw AssociationError(.closed, "no P-DATA-TF") }
        var collector = DIMSEMessageCollector()
        let response = try CStoreResponse(commandSet: try #require(try collector.pDataTFReceived(reply).first).commandSet)
        #expect(response.status == .success)
        try await peer.send(Self.pData(1, [.command, .lastFragment], try CommandSet.encode(CEchoRequest(messageID: 2).commandSet)))
        #expect(try await Self.echoResponse(from: peer).status == .success)
    }
}
