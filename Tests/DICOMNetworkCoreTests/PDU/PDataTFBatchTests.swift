import DICOMNetworkCore
import NIOCore
import NIOEmbedded
import Testing

/// P-DATA requests written as one batch (``UpperLayerRequest/pDataBatch(_:)``): the bytes of
/// each PDU in order, small ones gathered into one buffer, large fragments as their own slices.
@Suite("P-DATA-TF batches (PS3.8 §9.3.5)")
struct PDataTFBatchTests {
    static func pdu(_ length: Int, _ byte: UInt8, _ header: PDU.MessageControlHeader) -> PDU.PDataTF {
        PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: 3, messageControlHeader: header, fragment: ByteBuffer(repeating: byte, count: length)),
        ])
    }

    @Test("a batch writes writePDU's bytes of each PDU in order, in as few buffers as its large fragments allow")
    func sameBytesFewerBuffers() throws {
        let channel = try FileRegionPDataTFTests.establishedAcceptorChannel()
        defer { _ = try? channel.finish() }
        let pdus = [
            Self.pdu(80, 1, [.command, .lastFragment]), Self.pdu(200, 2, .lastFragment),
            Self.pdu(80, 3, [.command, .lastFragment]), Self.pdu(100_000, 4, []), Self.pdu(20, 5, .lastFragment),
            Self.pdu(60, 6, [.command, .lastFragment]),
        ]
        let written = channel.write(UpperLayerRequest.pDataBatch(pdus))
        channel.flush()
        try written.wait()
        var buffers: [ByteBuffer] = []
        while case .byteBuffer(let buffer)? = try channel.readOutbound(as: IOData.self) { buffers.append(buffer) }
        var expected = ByteBuffer()
        for pdu in pdus { try expected.writePDU(.pDataTF(pdu)) }
        var joined = ByteBuffer()
        for var buffer in buffers { joined.writeBuffer(&buffer) }
        #expect(joined == expected)
        // The four small PDUs and the large one's header, gathered around its fragment.
        #expect(buffers.count == 3, "\(buffers.map(\.readableBytes))")
    }

    @Test("a batch before the association is established is refused (Sta2, Evt9), and nothing is sent")
    func refusedBeforeAssociation() throws {
        let channel = FileRegionPDataTFTests.acceptorChannel()
        defer { _ = try? channel.finish() }
        let written = channel.writeAndFlush(UpperLayerRequest.pDataBatch([Self.pdu(10, 1, [.command, .lastFragment])]))
        #expect(throws: AssociationStateError.self) { try written.wait() }
        #expect(try channel.readOutbound(as: IOData.self) == nil)
    }
}
