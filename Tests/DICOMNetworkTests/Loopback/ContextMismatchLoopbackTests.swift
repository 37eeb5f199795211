import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing

/// A request on a presentation context accepted for another SOP class is refused with 0122H
/// (SOP class not supported) before any handler sees it: a message belongs to its context's
/// abstract syntax (PS3.8 §7.1.1.13), and serving it would pass the negotiation's choices. Only
/// a hand-made peer sends such a thing (DCMTK and pynetdicom pick the context by SOP class).
@Suite("a request for another SOP class than its context's, on loopback")
struct ContextMismatchLoopbackTests {
    /// Verification on context 1, CT Image Storage on 3, Study Root FIND on 5.
    static let contexts = [
        PresentationContext(abstractSyntax: .verification, transferSyntaxes: [.explicitVRLittleEndian]),
        PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian]),
        PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelFind, transferSyntaxes: [.explicitVRLittleEndian]),
    ]

    @Test("C-STORE, C-ECHO and C-FIND on the wrong context get 0122H and reach no handler; on their own contexts they are served")
    func refused() async throws {
        let output = try TestInstances.temporaryDirectory("context-mismatch")
        var scp = try Entities.scp()
        try scp.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        try scp.addSupportedContext(.studyRootQueryRetrieveInformationModelFind, transferSyntaxes: [.explicitVRLittleEndian])
        let finds = Recorder(0)
        let handlers = ServiceHandlers(store: .directory(output), find: { _ in
            finds.update { $0 += 1 }
            return AsyncThrowingStream { $0.finish() }
        })
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let requestor = try await RawRequestor.associate(port: server.port, calledAETitle: "TEST-SCP", contexts: Self.contexts)
        defer { requestor.close() }

        let dataSet = try TestInstances.ct()
        let uid = try #require(dataSet.uid(.sopInstanceUID))
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        let store = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: uid)
        try await requestor.sendMessage(store.commandSet, dataSet: encoded, contextID: 1)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0122)
        #expect(TestInstances.contents(of: output).isEmpty)

        let echo = CEchoRequest(messageID: 2)
        try await requestor.sendMessage(echo.commandSet, contextID: 3)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0122)

        var identifier = DataSet()
        identifier.setString("STUDY", for: .queryRetrieveLevel, vr: .CS)
        identifier.setString("", for: .studyInstanceUID, vr: .UI)
        let find = CFindRequest(messageID: 3, affectedSOPClassUID: .studyRootQueryRetrieveInformationModelFind)
        try await requestor.sendMessage(find.commandSet, dataSet: try DataSetWriter.encode(identifier, transferSyntax: .explicitVRLittleEndian), contextID: 1)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0122)
        #expect(finds.value == 0)

        // On their own contexts, the same requests are served.
        let stored = CStoreRequest(messageID: 4, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: uid)
        try await requestor.sendMessage(stored.commandSet, dataSet: encoded, contextID: 3)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0000)
        #expect(TestInstances.contents(of: output) == ["\(uid.string).dcm"])
        try await requestor.sendMessage(CEchoRequest(messageID: 5).commandSet, contextID: 1)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0000)
        let found = CFindRequest(messageID: 6, affectedSOPClassUID: .studyRootQueryRetrieveInformationModelFind)
        try await requestor.sendMessage(found.commandSet, dataSet: try DataSetWriter.encode(identifier, transferSyntax: .explicitVRLittleEndian), contextID: 5)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0000)
        #expect(finds.value == 1)
    }
}
