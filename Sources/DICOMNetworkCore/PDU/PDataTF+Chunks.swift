public import NIOCore

extension PDU.PDataTF {
    /// Fragments at least this long are sent as the slices they are; shorter ones (command sets,
    /// small data sets) are copied next to their headers, where one more iovec would cost more.
    public static let smallestSharedFragment = 4096

    /// The PDU's bytes (PS3.8 §9.3.5) as buffers to write in order: the PDU and PDV headers, and
    /// small fragments, gathered into buffers of their own; large fragments as the very slices
    /// the items hold, so sending a data set never copies it. Their concatenation is exactly what
    /// `ByteBuffer.writePDU(.pDataTF(self))` writes.
    public func encodedChunks(allocator: ByteBufferAllocator) throws(PDUEncodingError) -> [ByteBuffer] {
        var length = 0
        for item in presentationDataValueItems { length += PDU.PresentationDataValueItem.headerLength + item.fragment.readableBytes }
        guard let pduLength = UInt32(exactly: length) else {
            throw PDUEncodingError(.lengthOverflow, reason: "a P-DATA-TF of \(length) bytes exceeds the 4-byte PDU-length")
        }
        var chunks: [ByteBuffer] = []
        var head = allocator.buffer(capacity: PDU.headerLength + 6 * presentationDataValueItems.count)
        head.writeMultipleIntegers(PDU.PDUType.pDataTF.rawValue, UInt8(0), pduLength, endianness: .big)
        for item in presentationDataValueItems {
            let fragment = item.fragment
            // PDV item-length: the context ID and control header bytes, then the fragment.
            head.writeMultipleIntegers(UInt32(fragment.readableBytes + 2), item.presentationContextID,
                                       item.messageControlHeader.rawValue, endianness: .big)
            if fragment.readableBytes < Self.smallestSharedFragment {
                head.writeImmutableBuffer(fragment)
            } else {
                chunks.append(head)
                chunks.append(fragment)
                head = allocator.buffer(capacity: 6)
            }
        }
        if head.readableBytes > 0 { chunks.append(head) }
        return chunks
    }
}
