public import NIOCore

extension PDU {
    /// An item or user-information sub-item of a type this implementation does not recognise.
    ///
    /// PS3.8 §9.3.1 says "items of unrecognized types shall be ignored and skipped", and PS3.8 §D.2
    /// that acceptors shall ignore unrecognised user information sub-items; they are kept here, as
    /// found, so that a decoded PDU encodes back to the same bytes.
    public struct RawItem: Hashable, Sendable {
        /// The item-type byte.
        public var itemType: UInt8

        /// The bytes after the item-length field, a slice of the received PDU.
        public var value: ByteBuffer

        /// Creates an item of `itemType` carrying `value`.
        public init(itemType: UInt8, value: ByteBuffer) {
            self.itemType = itemType
            self.value = value
        }
    }
}

extension PDU.RawItem {
    init(itemType: UInt8, from reader: inout PDUFieldReader) {
        self.init(itemType: itemType, value: reader.readRemainingSlice())
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: itemType) { (buffer) throws(PDUEncodingError) in buffer.writeImmutableBuffer(value) }
    }
}
