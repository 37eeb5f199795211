public import DICOMCore
public import NIOCore

/// Encoding and decoding of command sets: the group 0000 elements that open every DIMSE message
/// (PS3.7 §6.3.1).
///
/// A command set is always encoded Implicit VR Little Endian, whatever transfer syntax the
/// presentation context negotiated for data sets (PS3.7 §6.3.1), and starts with the Command Group
/// Length (0000,0000): the number of bytes after that element. ``encode(_:maximumLength:)``
/// computes it; ``decode(_:maximumLength:)`` checks it when present.
///
/// The message types (`CEchoRequest` and the others) turn a decoded command set into named
/// fields and back.
public enum CommandSet {
    /// The longest command set accepted, in bytes, including the Command Group Length: 64 KiB.
    ///
    /// PS3.7 sets no maximum. A C-STORE-RQ is about 200 bytes; the only fields that can grow are
    /// the multi-valued AT lists (Offending Element (0000,0901), Attribute Identifier List
    /// (0000,1005), 4 bytes per tag, PS3.7 §E.1) and the Error Comment (LO, at most 64
    /// characters, PS3.5 Table 6.2-1). 64 KiB holds more than 16,000 tags, and keeps a peer from
    /// making the assembler buffer an unbounded command before it can be judged.
    public static let maximumLength = 64 * 1024

    /// The longest Error Comment (0000,0902) sent, in characters: the limit of its VR, LO (PS3.5
    /// Table 6.2-1). Longer comments are cut when encoded (``fittedErrorComment(_:)``).
    public static let maximumErrorCommentLength = 64

    /// `comment` within ``maximumErrorCommentLength``: a longer one is cut at a space, when one
    /// is in its second half, and ends with "...", so that it does not stop mid-word unmarked.
    public static func fittedErrorComment(_ comment: String) -> String {
        guard comment.count > maximumErrorCommentLength else { return comment }
        let room = comment.prefix(maximumErrorCommentLength - 3)
        let space = room.lastIndex(of: " ").flatMap { room.distance(from: room.startIndex, to: $0) > room.count / 2 ? $0 : nil }
        return String(space.map { room[..<$0] } ?? room) + "..."
    }

    /// The transfer syntax of every command set (PS3.7 §6.3.1).
    public static let transferSyntax = TransferSyntax.implicitVRLittleEndian

    /// The bytes of the Command Group Length element: tag (4), length (4), UL value (4).
    static let groupLengthElementLength = 12

    /// Encodes `commandSet` Implicit VR Little Endian, preceded by a Command Group Length
    /// computed from the other elements (any (0000,0000) in `commandSet` is ignored).
    ///
    /// - Throws: ``DIMSEError/Code/encodingFailed`` for an element outside group 0000 or one that
    ///   is not a plain value (a sequence); ``DIMSEError/Code/commandSetTooLarge`` when the
    ///   encoding would exceed `maximumLength`.
    public static func encode(_ commandSet: DataSet, maximumLength: Int = CommandSet.maximumLength) throws(DIMSEError) -> ByteBuffer {
        // Implicit VR Little Endian of plain values is tag, 32-bit length, bytes (PS3.5 §7.1.3):
        // written here directly, as every message of every association goes through this.
        let elementHeaderLength = 8
        var bodyLength = 0
        for element in commandSet where element.tag != .commandGroupLength {
            guard element.tag.isCommand else {
                throw DIMSEError(.encodingFailed, tag: element.tag, "a command set holds group 0000 elements only (PS3.7 §6.3.1)")
            }
            guard let value = element.bytes else {
                throw DIMSEError(.encodingFailed, tag: element.tag, "command elements are plain values, never sequences or fragments")
            }
            bodyLength += elementHeaderLength + value.readableBytes
        }
        guard groupLengthElementLength + bodyLength <= maximumLength, let groupLength = UInt32(exactly: bodyLength) else {
            throw DIMSEError(
                .commandSetTooLarge,
                "the command set encodes to \(groupLengthElementLength + bodyLength) bytes, more than \(maximumLength)"
            )
        }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(groupLengthElementLength + bodyLength)
        // (0000,0000), length 4, UL value: PS3.7 §6.3.1 puts it first.
        buffer.writeMultipleIntegers(UInt16(0x0000), UInt16(0x0000), UInt32(4), groupLength, endianness: .little)
        for element in commandSet where element.tag != .commandGroupLength {
            guard let value = element.bytes else { continue }
            buffer.writeMultipleIntegers(element.tag.group, element.tag.element, UInt32(value.readableBytes), endianness: .little)
            buffer.writeImmutableBuffer(value)
        }
        return buffer
    }

    /// Decodes the readable bytes of `bytes` as a command set. Values are slices of `bytes`.
    ///
    /// - Throws: ``DIMSEError/Code/commandSetTooLarge`` beyond `maximumLength` bytes;
    ///   ``DIMSEError/Code/malformedCommandSet`` when the bytes are not a valid Implicit VR Little
    ///   Endian encoding, hold an element outside group 0000 or a sequence, or carry a Command
    ///   Group Length that is not first or does not count the bytes after it. A missing Command
    ///   Group Length is accepted: it tells a reader nothing the PDV does not.
    public static func decode(_ bytes: ByteBuffer, maximumLength: Int = CommandSet.maximumLength) throws(DIMSEError) -> DataSet {
        guard bytes.readableBytes <= maximumLength else {
            throw DIMSEError(.commandSetTooLarge, "a command set of \(bytes.readableBytes) bytes, more than \(maximumLength)")
        }
        // Implicit VR Little Endian of group 0000 only: tag, 32-bit length, value, read here
        // directly rather than by the general reader, as every message goes through this.
        // Appended as read (no sorting or search per element): a command set is short, and
        // building it element by element into a sorted set was half the cost of decoding one.
        var commandSet = DataSet()
        commandSet.reserveCapacity(10)
        var reader = bytes
        var groupLength: UInt32?
        while reader.readableBytes > 0 {
            guard let (group, number, length) = reader.readMultipleIntegers(endianness: .little, as: (UInt16, UInt16, UInt32).self) else {
                throw DIMSEError(.malformedCommandSet, "a truncated element header at offset \(reader.readerIndex - bytes.readerIndex)")
            }
            let tag = Tag(group: group, element: number)
            guard tag.isCommand else {
                throw DIMSEError(.malformedCommandSet, tag: tag, "a command set holds group 0000 elements only (PS3.7 §6.3.1)")
            }
            guard length != 0xFFFF_FFFF else {
                throw DIMSEError(.malformedCommandSet, tag: tag, "command elements are plain values, never sequences or fragments")
            }
            guard let value = reader.readSlice(length: Int(length)) else {
                throw DIMSEError(.malformedCommandSet, tag: tag, "a value of \(length) bytes, but only \(reader.readableBytes) remain")
            }
            guard !commandSet.contains(tag) else {
                throw DIMSEError(.malformedCommandSet, tag: tag, "the element appears twice (PS3.5 §7.1)")
            }
            if tag == .commandGroupLength {
                guard commandSet.isEmpty else {
                    throw DIMSEError(.malformedCommandSet, tag: .commandGroupLength, "the Command Group Length is not the first element")
                }
                guard value.readableBytes == 4, let count = value.getInteger(at: value.readerIndex, endianness: .little, as: UInt32.self) else {
                    throw DIMSEError(.malformedCommandSet, tag: .commandGroupLength, "the Command Group Length is not a 4-byte UL value")
                }
                groupLength = count
            }
            commandSet.appendAsRead(DataElement(tag: tag, vr: CommandSet.vr(for: tag), bytes: value))
        }
        if let groupLength {
            let expected = bytes.readableBytes - groupLengthElementLength
            guard Int(groupLength) == expected else {
                throw DIMSEError(
                    .malformedCommandSet,
                    tag: .commandGroupLength,
                    "the Command Group Length does not count the \(expected) bytes after it (PS3.7 §6.3.1)"
                )
            }
        }
        return commandSet
    }

    /// The VR of a group 0000 element: those of the current commands (PS3.7 Annex E) without a
    /// dictionary lookup, as every element of every message needs one; retired ones from the
    /// dictionary.
    static func vr(for tag: Tag) -> VR {
        switch tag.element {
        case 0x0000: .UL
        case 0x0002, 0x0003, 0x1000, 0x1001: .UI
        case 0x0100, 0x0110, 0x0120, 0x0700, 0x0800, 0x0900, 0x0903, 0x1002, 0x1008, 0x1020, 0x1021, 0x1022, 0x1023, 0x1031: .US
        case 0x0600, 0x1030: .AE
        case 0x0901, 0x1005: .AT
        case 0x0902: .LO
        default: DataDictionary.vr(for: tag)
        }
    }

    /// The Command Field (0000,0100) of `commandSet`.
    ///
    /// - Throws: ``DIMSEError/Code/missingField`` or ``DIMSEError/Code/invalidField``.
    public static func commandField(of commandSet: DataSet) throws(DIMSEError) -> CommandField {
        CommandField(rawValue: try CommandSetFields.requiredUInt16(.commandField, in: commandSet))
    }

    /// The Command Data Set Type (0000,0800) of `commandSet`: whether a data set follows.
    ///
    /// - Throws: ``DIMSEError/Code/missingField`` or ``DIMSEError/Code/invalidField``.
    public static func dataSetType(of commandSet: DataSet) throws(DIMSEError) -> CommandDataSetType {
        CommandDataSetType(rawValue: try CommandSetFields.requiredUInt16(.commandDataSetType, in: commandSet))
    }
}
