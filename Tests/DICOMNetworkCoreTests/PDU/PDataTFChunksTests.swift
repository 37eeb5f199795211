import DICOMNetworkCore
import NIOCore
import Testing

/// P-DATA-TF sent as chunks: the same bytes as `writePDU`, large fragments shared, not copied.
@Suite("P-DATA-TF as chunks (PS3.8 §9.3.5)")
struct PDataTFChunksTests {
    static func fragment(_ count: Int, _ byte: UInt8) -> ByteBuffer {
        ByteBuffer(repeating: byte, count: count)
    }

    @Test("the chunks concatenate to writePDU's bytes", arguments: [
        [2], [100, 5000], [4095, 4096, 4097], [10, 200_000, 12], [0x10000],
    ])
    func sameBytes(_ sizes: [Int]) throws {
        let items = sizes.enumerated().map { index, size in
            PDU.PresentationDataValueItem(
                presentationContextID: UInt8(2 * index + 1),
                messageControlHeader: index == 0 ? [.command, .lastFragment] : [.lastFragment],
                fragment: Self.fragment(size, UInt8(truncatingIfNeeded: index + 7)))
        }
        let pdu = PDU.PDataTF(presentationDataValueItems: items)
        var expected = ByteBuffer()
        try expected.writePDU(.pDataTF(pdu))
        var joined = ByteBuffer()
        for var chunk in try pdu.encodedChunks(allocator: ByteBufferAllocator()) { joined.writeBuffer(&chunk) }
        #expect(joined == expected)
    }

    @Test("a large fragment is handed over as its own slice")
    func largeFragmentShared() throws {
        let large = Self.fragment(100_000, 0xAB)
        let pdu = PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: 1, messageControlHeader: [.lastFragment], fragment: large),
        ])
        let chunks = try pdu.encodedChunks(allocator: ByteBufferAllocator())
        #expect(chunks.count == 2)
        #expect(chunks[0].readableBytes == PDU.headerLength + PDU.PresentationDataValueItem.headerLength)
        // The same storage: reading both gives the same base address.
        let sameStorage = chunks[1].withUnsafeReadableBytes { chunk in
            large.withUnsafeReadableBytes { original in chunk.baseAddress == original.baseAddress }
        }
        #expect(sameStorage)
    }
}
