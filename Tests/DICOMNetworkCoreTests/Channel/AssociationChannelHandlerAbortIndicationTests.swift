import NIOCore
import NIOEmbedded
import Testing

@testable import DICOMNetworkCore

/// What the acceptor's channel handler passes up when it ends an association on its own: the
/// A-P-ABORT of AA-8 in place of the offending PDU's own indication, and a word when ARTIM
/// closes a connection that never sent an A-ASSOCIATE-RQ (AA-2), so that the acceptor can log
/// both.
@Suite("AssociationChannelHandler: the indications of its own aborts and closes")
struct AssociationChannelHandlerAbortIndicationTests {
    @Test("a P-DATA-TF in Sta3 (before the A-ASSOCIATE response): A-ABORT source 2 reason 2 on the wire, an A-P-ABORT naming it goes up, its data does not")
    func pDataBeforeTheResponse() throws {
        let channel = FileRegionPDataTFTests.acceptorChannel()
        defer { _ = try? channel.finish() }
        try channel.writeInbound(PDUTest.associateRQ(userInformation: [.maximumLength(0)]))
        guard case .associateRequested = try channel.readInbound(as: UpperLayerIndication.self) else {
            Issue.record("expected the A-ASSOCIATE indication")
            return
        }
        try channel.writeInbound(PDataTFTests.pdu)
        guard case .byteBuffer(let sent) = try #require(try channel.readOutbound(as: IOData.self)) else {
            Issue.record("expected the A-ABORT's bytes")
            return
        }
        #expect(Array(sent.readableBytesView) == [0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x02])
        let indication = try channel.readInbound(as: UpperLayerIndication.self)
        guard case .providerAborted(let reason, let detail)? = indication else {
            Issue.record("expected an A-P-ABORT indication, got \(String(describing: indication))")
            return
        }
        #expect(reason == .unexpectedPDU)
        #expect(detail == "P-DATA-TF in Sta3, where the protocol allows none")
        #expect(try channel.readInbound(as: UpperLayerIndication.self) == nil)
        // The answer that comes after is refused: the association is over (Sta13).
        guard case .associateAC(let acceptance) = AssociateACTests.pdu else { return }
        let accept = channel.writeAndFlush(UpperLayerRequest.accept(acceptance))
        #expect(throws: AssociationStateError.self) { try accept.wait() }
    }

    @Test("ARTIM closes a connection that sent nothing, and says so first")
    func artimBeforeAnyRequest() throws {
        let channel = FileRegionPDataTFTests.acceptorChannel()
        // The embedded loop runs the callback on this thread, at once.
        nonisolated(unsafe) var closed = false
        channel.closeFuture.whenComplete { _ in closed = true }
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(try channel.readInbound(as: UpperLayerIndication.self) == nil && !closed)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let indication = try channel.readInbound(as: UpperLayerIndication.self)
        guard case .providerAborted(let reason, let detail)? = indication else {
            Issue.record("expected the ARTIM indication, got \(String(describing: indication))")
            return
        }
        #expect(reason == .reasonNotSpecified)
        #expect(detail == "no A-ASSOCIATE-RQ within 30.0 s (ARTIM)")
        #expect(closed)
        #expect(try channel.readOutbound(as: IOData.self) == nil, "AA-2 closes without an A-ABORT")
    }
}
