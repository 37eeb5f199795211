public import NIOCore

extension PDU {
    /// A P-DATA-TF of one Presentation-data-value Item whose fragment is a region of a file
    /// (PS3.8 §9.3.5): what a data set standing in a file is sent as, so that its bytes go from
    /// the page cache to the socket (sendfile(2)) without being read into memory.
    ///
    /// Only a plain TCP channel writes file regions: TLS encrypts in memory, so over TLS a data
    /// set is read and sent as ``PDataTF``s.
    public struct FileRegionPDataTF: Sendable {
        /// The Presentation-context-ID the fragment belongs to.
        public var presentationContextID: UInt8
        /// The message control header: a data set fragment, last or not.
        public var messageControlHeader: MessageControlHeader
        /// The fragment: its bytes in the file. The file handle stays open until the write
        /// completes; whoever opened it closes it.
        public var fragment: FileRegion

        /// Creates a PDU carrying the bytes of `fragment`.
        public init(presentationContextID: UInt8, messageControlHeader: MessageControlHeader, fragment: FileRegion) {
            self.presentationContextID = presentationContextID
            self.messageControlHeader = messageControlHeader
            self.fragment = fragment
        }

        /// The bytes before the fragment: the PDU header (type, reserved, PDU-length) and the
        /// item's header (item-length, presentation context ID, message control header), 12
        /// bytes. Followed by the fragment's bytes they are exactly what
        /// `ByteBuffer.writePDU(.pDataTF(_:))` writes for the same PDV.
        public func encodedHeader(allocator: ByteBufferAllocator) throws(PDUEncodingError) -> ByteBuffer {
            let fragmentLength = fragment.readableBytes
            guard let pduLength = UInt32(exactly: fragmentLength + PresentationDataValueItem.headerLength) else {
                throw PDUEncodingError(.lengthOverflow, reason: "a P-DATA-TF of a \(fragmentLength)-byte fragment exceeds the 4-byte PDU-length")
            }
            var header = allocator.buffer(capacity: PDU.headerLength + PresentationDataValueItem.headerLength)
            header.writeMultipleIntegers(
                PDUType.pDataTF.rawValue, UInt8(0), pduLength, pduLength - 4, presentationContextID, messageControlHeader.rawValue,
                endianness: .big)
            return header
        }
    }
}
