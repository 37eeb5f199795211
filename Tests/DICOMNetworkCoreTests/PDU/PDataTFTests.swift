import DICOMNetworkCore
import NIOCore
import Testing

@Suite("P-DATA-TF PDU (PS3.8 §9.3.5, Annex E)")
struct PDataTFTests {
    /// Three Presentation-data-value Items (PS3.8 Table 9-23): 10 + 9 + 6 = 25 (19H) bytes.
    static let golden: [UInt8] =
        [0x04, 0x00, 0x00, 0x00, 0x00, 0x19]  // PDU-type 04H, reserved, PDU-length 25
        // Item-length 6, context 1, header 03H (command, last fragment), 4 bytes
        + [0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0xDE, 0xAD, 0xBE, 0xEF]
        // Item-length 5, context 1, header 00H (data set, more to come), 3 bytes
        + [0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x0A, 0x0B, 0x0C]
        // Item-length 2, context 3, header 02H (data set, last fragment), no bytes
        + [0x00, 0x00, 0x00, 0x02, 0x03, 0x02]

    static let pdu = PDU.pDataTF(PDU.PDataTF(presentationDataValueItems: [
        PDU.PresentationDataValueItem(
            presentationContextID: 1,
            messageControlHeader: [.command, .lastFragment],
            fragment: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE, 0xEF])
        ),
        PDU.PresentationDataValueItem(
            presentationContextID: 1,
            messageControlHeader: [],
            fragment: ByteBuffer(bytes: [0x0A, 0x0B, 0x0C])
        ),
        PDU.PresentationDataValueItem(
            presentationContextID: 3,
            messageControlHeader: .lastFragment,
            fragment: ByteBuffer()
        ),
    ]))

    @Test("encodes several PDVs to the bytes of PS3.8 Tables 9-22 and 9-23")
    func encodes() throws {
        #expect(try PDUTest.encode(Self.pdu) == Self.golden)
    }

    @Test("decodes several PDVs with their message control headers (PS3.8 §E.2)")
    func decodes() throws {
        let pdu = try PDUTest.decode(Self.golden)
        #expect(pdu == Self.pdu)
        guard case .pDataTF(let pData) = pdu else {
            Issue.record("expected a P-DATA-TF, got \(pdu)")
            return
        }
        let items = pData.presentationDataValueItems
        #expect(items.map(\.presentationContextID) == [1, 1, 3])
        #expect(items.map(\.messageControlHeader.isCommand) == [true, false, false])
        #expect(items.map(\.messageControlHeader.isLastFragment) == [true, false, true])
        #expect(items.map(\.fragment.readableBytes) == [4, 3, 0])
    }

    @Test("fragments are slices of the received bytes, not copies")
    func fragmentsAreSlices() throws {
        var decoder = PDUDecoder(maximumLengthReceived: 16384)
        var buffer = ByteBuffer(bytes: Self.golden)
        let inputBase = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let pdu = try #require(try decoder.decode(buffer: &buffer))
        guard case .pDataTF(let pData) = pdu else {
            Issue.record("expected a P-DATA-TF")
            return
        }
        let first = pData.presentationDataValueItems[0].fragment
        let second = pData.presentationDataValueItems[1].fragment
        #expect(first.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == inputBase + 12)
        #expect(second.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == inputBase + 22)
    }

    @Test("reserved bits 2-7 of the message control header are kept, not tested")
    func reservedHeaderBits() throws {
        var bytes = Self.golden
        bytes[11] = 0xFD  // command, not last, reserved bits set
        guard case .pDataTF(let pData) = try PDUTest.decode(bytes) else {
            Issue.record("expected a P-DATA-TF")
            return
        }
        let header = pData.presentationDataValueItems[0].messageControlHeader
        #expect(header.isCommand)
        #expect(!header.isLastFragment)
        #expect(try PDUTest.encode(.pDataTF(pData)) == bytes)
    }

    @Test("a 64 KiB fragment round-trips")
    func largeFragment() throws {
        let fragment = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let pdu = PDU.pDataTF(PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(
                presentationContextID: 5,
                messageControlHeader: .lastFragment,
                fragment: ByteBuffer(bytes: fragment)
            )
        ]))
        let bytes = try PDUTest.encode(pdu)
        // PDU-length 65538 + 4 + 2 = 00010006H, item-length 65538 = 00010002H.
        #expect(Array(bytes.prefix(12)) == [0x04, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01, 0x00, 0x02, 0x05, 0x02])
        #expect(try PDUTest.decode(bytes, decoder: PDUDecoder(maximumLengthReceived: 65542)) == pdu)
    }
}
