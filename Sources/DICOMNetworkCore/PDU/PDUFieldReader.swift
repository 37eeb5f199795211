internal import DICOMCore
internal import NIOCore

/// A bounded reader over one PDU body or one item inside it.
///
/// It never reads past its own slice, so an item can never read its parent's bytes; every short read
/// becomes a ``PDUDecodingError`` (never a trap) that names the offset from the start of the PDU.
/// Children are slices of the same storage: no byte is copied to descend into an item.
struct PDUFieldReader {
    /// The bytes of this PDU body or item; `readerIndex` 0 is its first byte.
    private var buffer: ByteBuffer

    /// The offset, from the first byte of the PDU, of the first byte of `buffer`.
    private let baseOffset: Int

    /// The PDU-type byte of the PDU being read, for diagnostics.
    let pduType: UInt8

    /// The code for a fixed field that runs past the end of this slice: the slice's own length is
    /// what is wrong (``PDUDecodingError/Code/invalidPDULength`` for a PDU body,
    /// ``PDUDecodingError/Code/invalidItemLength`` for an item).
    private let shortReadCode: PDUDecodingError.Code

    /// A reader over a PDU body, the bytes after the 6-byte header.
    init(pduBody: ByteBuffer, pduType: UInt8) {
        self.buffer = pduBody
        self.baseOffset = PDU.headerLength - pduBody.readerIndex
        self.pduType = pduType
        self.shortReadCode = .invalidPDULength
    }

    private init(item: ByteBuffer, baseOffset: Int, pduType: UInt8) {
        self.buffer = item
        self.baseOffset = baseOffset - item.readerIndex
        self.pduType = pduType
        self.shortReadCode = .invalidItemLength
    }

    /// The offset of the next byte to read, from the first byte of the PDU.
    var offset: Int { baseOffset + buffer.readerIndex }

    /// The bytes left in this slice.
    var readableBytes: Int { buffer.readableBytes }

    /// Whether every byte of this slice has been read.
    var isAtEnd: Bool { buffer.readableBytes == 0 }

    // MARK: Errors

    func error(
        _ code: PDUDecodingError.Code,
        at offset: Int? = nil,
        _ reason: String,
        file: String = #fileID,
        line: UInt = #line
    ) -> PDUDecodingError {
        PDUDecodingError(code, pduType: pduType, offset: offset ?? self.offset, reason: reason, file: file, line: line)
    }

    private func shortRead(_ field: String, needs count: Int, file: String, line: UInt) -> PDUDecodingError {
        error(
            shortReadCode,
            "\(field) needs \(count) byte(s) but only \(buffer.readableBytes) remain",
            file: file,
            line: line
        )
    }

    // MARK: Fixed fields

    /// Reads a big-endian integer field (PS3.8 §9.3.1: "the lower byte number has the most
    /// significant value").
    mutating func readInteger<Value: FixedWidthInteger>(
        _ field: String,
        as: Value.Type = Value.self,
        file: String = #fileID,
        line: UInt = #line
    ) throws(PDUDecodingError) -> Value {
        guard let value = buffer.readInteger(endianness: .big, as: Value.self) else {
            throw shortRead(field, needs: MemoryLayout<Value>.size, file: file, line: line)
        }
        return value
    }

    /// Skips a reserved field: PS3.8 says such fields "shall be sent with a value 00H but not tested
    /// to this value when received", so their content is ignored.
    mutating func skipReserved(_ count: Int, file: String = #fileID, line: UInt = #line) throws(PDUDecodingError) {
        guard buffer.readSlice(length: count) != nil else {
            throw shortRead("reserved field", needs: count, file: file, line: line)
        }
    }

    /// Reads `length` bytes as a slice sharing this reader's storage.
    mutating func readSlice(
        _ field: String,
        length: Int,
        file: String = #fileID,
        line: UInt = #line
    ) throws(PDUDecodingError) -> ByteBuffer {
        guard let slice = buffer.readSlice(length: length) else {
            throw shortRead(field, needs: length, file: file, line: line)
        }
        return slice
    }

    /// The next `count` bytes, not consumed; nil when fewer remain.
    func peekBytes(_ count: Int) -> [UInt8]? {
        buffer.getBytes(at: buffer.readerIndex, length: count)
    }

    /// Reads the rest of this slice.
    mutating func readRemainingSlice() -> ByteBuffer {
        buffer.readSlice(length: buffer.readableBytes)!
    }

    /// Reads `length` bytes as text; invalid UTF-8 is replaced, never fatal.
    mutating func readString(
        _ field: String,
        length: Int,
        file: String = #fileID,
        line: UInt = #line
    ) throws(PDUDecodingError) -> String {
        guard let string = buffer.readString(length: length) else {
            throw shortRead(field, needs: length, file: file, line: line)
        }
        return string
    }

    /// Reads a UID field. PS3.8 Annex F asks senders not to pad UIDs, but a trailing NUL (the PS3.5
    /// data-set padding) is common on the wire and is dropped by `UID.init`.
    mutating func readUID(
        _ field: String,
        length: Int,
        file: String = #fileID,
        line: UInt = #line
    ) throws(PDUDecodingError) -> UID {
        UID(try readString(field, length: length, file: file, line: line))
    }

    /// Reads a 2-byte UID-length field and then the UID it measures, as in PS3.7 Tables D.3-9,
    /// D.3-11 and D.3-12.
    mutating func readLengthPrefixedUID(
        _ field: String,
        file: String = #fileID,
        line: UInt = #line
    ) throws(PDUDecodingError) -> UID {
        let length: UInt16 = try readInteger("\(field)-length", file: file, line: line)
        return try readUID(field, length: Int(length), file: file, line: line)
    }

    /// Reads a 16-byte AE title field (PS3.8 Table 9-11): leading and trailing spaces are not
    /// significant (PS3.5 §6.2, AE value representation), and trailing NULs from sloppy peers are
    /// dropped too.
    mutating func readAETitle(_ field: String, file: String = #fileID, line: UInt = #line) throws(PDUDecodingError) -> String {
        let bytes = try readSlice(field, length: PDU.aeTitleLength, file: file, line: line)
        let view = bytes.readableBytesView
        let isPadding: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == 0 }
        guard let first = view.firstIndex(where: { !isPadding($0) }),
            let last = view.lastIndex(where: { !isPadding($0) })
        else { return "" }
        return String(decoding: view[first...last], as: UTF8.self)
    }

    /// Reads `length` bytes as a nested reader, for a field that holds its own sub-fields (the
    /// Related-general-sop-class-identification of PS3.7 Table D.3-12).
    mutating func readNested(
        _ field: String,
        length: Int,
        file: String = #fileID,
        line: UInt = #line
    ) throws(PDUDecodingError) -> PDUFieldReader {
        let start = offset
        let slice = try readSlice(field, length: length, file: file, line: line)
        return PDUFieldReader(item: slice, baseOffset: start, pduType: pduType)
    }

    /// Throws ``PDUDecodingError/Code/invalidItemLength`` unless every byte has been read: for
    /// sub-items whose fields fill them exactly.
    func expectEnd(_ item: String, file: String = #fileID, line: UInt = #line) throws(PDUDecodingError) {
        guard isAtEnd else {
            throw error(
                .invalidItemLength,
                "\(item) has \(readableBytes) byte(s) after its last field",
                file: file,
                line: line
            )
        }
    }

    // MARK: Items

    /// Reads the header of an item of an A-ASSOCIATE PDU or of a sub-item (type, reserved, 2-byte
    /// item-length: PS3.8 Tables 9-12 to 9-19, PS3.7 Annex D.3.3) and returns a reader over its
    /// value, checked to lie within this slice.
    mutating func readItem() throws(PDUDecodingError) -> (type: UInt8, value: PDUFieldReader) {
        let start = offset
        guard let (type, _, length) = buffer.readMultipleIntegers(endianness: .big, as: (UInt8, UInt8, UInt16).self)
        else {
            throw error(
                .itemLengthExceedsParent,
                "an item header needs 4 bytes but only \(buffer.readableBytes) remain"
            )
        }
        guard let value = buffer.readSlice(length: Int(length)) else {
            throw error(
                .itemLengthExceedsParent,
                at: start,
                "item \(PDU.hex(type)) declares \(length) bytes but only \(buffer.readableBytes) remain in its parent"
            )
        }
        return (type, PDUFieldReader(item: value, baseOffset: start + 4, pduType: pduType))
    }

    /// Reads a Presentation-data-value Item's 4-byte item-length (PS3.8 Table 9-23) and returns a
    /// reader over the rest of the item, checked to lie within this PDU.
    mutating func readPresentationDataValueItem() throws(PDUDecodingError) -> PDUFieldReader {
        let start = offset
        guard let length = buffer.readInteger(endianness: .big, as: UInt32.self) else {
            throw error(
                .itemLengthExceedsParent,
                "a Presentation-data-value Item header needs 4 bytes but only \(buffer.readableBytes) remain"
            )
        }
        // PS3.8 Table 9-23: the length covers the presentation context ID and the
        // Presentation-data-value, whose message control header is one byte (PS3.8 Annex E.2).
        guard length >= 2 else {
            throw error(
                .invalidItemLength,
                at: start,
                "a Presentation-data-value Item length of \(length) leaves no room for the presentation context ID and message control header"
            )
        }
        guard length <= buffer.readableBytes, let value = buffer.readSlice(length: Int(length)) else {
            throw error(
                .itemLengthExceedsParent,
                at: start,
                "a Presentation-data-value Item declares \(length) bytes but only \(buffer.readableBytes) remain in the PDU"
            )
        }
        return PDUFieldReader(item: value, baseOffset: start + 4, pduType: pduType)
    }
}
