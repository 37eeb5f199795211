public import NIOCore
internal import DICOMCore

extension ByteBuffer {
    /// Appends `pdu` exactly as PS3.8 §9.3 lays it out (big endian, reserved fields zero) and
    /// returns the number of bytes written.
    ///
    /// On error the buffer is left as it was.
    @discardableResult
    public mutating func writePDU(_ pdu: PDU) throws(PDUEncodingError) -> Int {
        let start = writerIndex
        do {
            switch pdu {
            case .associateRQ(let rq):
                try writePDUFrame(type: .associateRQ) { (buffer) throws(PDUEncodingError) in try rq.write(to: &buffer) }
            case .associateAC(let ac):
                try writePDUFrame(type: .associateAC) { (buffer) throws(PDUEncodingError) in try ac.write(to: &buffer) }
            case .associateRJ(let rj):
                try writePDUFrame(type: .associateRJ) { (buffer) throws(PDUEncodingError) in rj.write(to: &buffer) }
            case .pDataTF(let pData):
                try writePDUFrame(type: .pDataTF) { (buffer) throws(PDUEncodingError) in try pData.write(to: &buffer) }
            case .releaseRQ:
                // PS3.8 Table 9-24: four reserved bytes.
                try writePDUFrame(type: .releaseRQ) { (buffer) throws(PDUEncodingError) in buffer.writeInteger(UInt32(0)) }
            case .releaseRP:
                // PS3.8 Table 9-25: four reserved bytes.
                try writePDUFrame(type: .releaseRP) { (buffer) throws(PDUEncodingError) in buffer.writeInteger(UInt32(0)) }
            case .abort(let abort):
                try writePDUFrame(type: .abort) { (buffer) throws(PDUEncodingError) in abort.write(to: &buffer) }
            }
        } catch {
            moveWriterIndex(to: start)
            throw error
        }
        return writerIndex - start
    }

    /// Writes the 6-byte PDU header (PS3.8 §9.3.1) around what `body` writes, back-filling the
    /// 4-byte PDU-length.
    mutating func writePDUFrame(
        type: PDU.PDUType,
        _ body: (inout ByteBuffer) throws(PDUEncodingError) -> Void
    ) throws(PDUEncodingError) {
        let lengthIndex = writerIndex + 2
        writeMultipleIntegers(type.rawValue, UInt8(0), UInt32(0), endianness: .big)
        try body(&self)
        let length = writerIndex - lengthIndex - 4
        guard let length32 = UInt32(exactly: length) else {
            throw PDUEncodingError(.lengthOverflow, reason: "\(type) body of \(length) bytes exceeds the 4-byte PDU-length")
        }
        setInteger(length32, at: lengthIndex, endianness: .big)
    }

    /// Writes an item or sub-item header (item-type, reserved 00H, 2-byte item-length; PS3.8
    /// Tables 9-12 to 9-19, PS3.7 Annex D.3.3) around what `value` writes, back-filling the length.
    /// `reserved` is the second byte, which PS3.7 Table D.3-12 uses as Sub-Item-version.
    mutating func writePDUItem(
        type: UInt8,
        reserved: UInt8 = 0,
        _ value: (inout ByteBuffer) throws(PDUEncodingError) -> Void
    ) throws(PDUEncodingError) {
        let lengthIndex = writerIndex + 2
        writeMultipleIntegers(type, reserved, UInt16(0), endianness: .big)
        try value(&self)
        let length = writerIndex - lengthIndex - 2
        guard let length16 = UInt16(exactly: length) else {
            throw PDUEncodingError(.lengthOverflow, reason: "item \(PDU.hex(type)) of \(length) bytes exceeds the 2-byte item-length")
        }
        setInteger(length16, at: lengthIndex, endianness: .big)
    }

    /// Writes a 2-byte length and then `bytes`, as the UID-length/UID pairs of PS3.7 Tables D.3-9,
    /// D.3-11 and D.3-12 and the fields of the User Identity sub-items (Tables D.3-14, D.3-15).
    mutating func writePDULengthPrefixed(
        _ field: String,
        _ bytes: some Collection<UInt8>
    ) throws(PDUEncodingError) {
        guard let length = UInt16(exactly: bytes.count) else {
            throw PDUEncodingError(.lengthOverflow, reason: "\(field) of \(bytes.count) bytes exceeds its 2-byte length")
        }
        writeInteger(length, endianness: .big)
        writeBytes(bytes)
    }

    /// Writes a 2-byte length and then the bytes of `buffer`.
    mutating func writePDULengthPrefixed(_ field: String, buffer: ByteBuffer) throws(PDUEncodingError) {
        guard let length = UInt16(exactly: buffer.readableBytes) else {
            throw PDUEncodingError(
                .lengthOverflow,
                reason: "\(field) of \(buffer.readableBytes) bytes exceeds its 2-byte length"
            )
        }
        writeInteger(length, endianness: .big)
        writeImmutableBuffer(buffer)
    }

    /// Writes a UID without padding, as PS3.8 Annex F asks for the UL ("shall not be padded").
    mutating func writePDUUID(_ uid: UID) {
        writeString(uid.string)
    }

    /// Writes an AE title into its 16-byte field, padded with trailing spaces (PS3.8 Table 9-11).
    mutating func writePDUAETitle(_ title: String) throws(PDUEncodingError) {
        let count = title.utf8.count
        guard count <= PDU.aeTitleLength else {
            throw PDUEncodingError(
                .aeTitleTooLong,
                reason: "AE title \"\(title)\" is \(count) bytes, the field holds \(PDU.aeTitleLength)"
            )
        }
        writeString(title)
        writeRepeatingByte(UInt8(ascii: " "), count: PDU.aeTitleLength - count)
    }
}
