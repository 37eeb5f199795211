public import NIOCore

/// Walks the elements of an encoded data set without decoding them, to find where one starts:
/// lengths are read, values skipped, and undefined-length sequences and items followed through
/// their delimiters (PS3.5 §7.1, §7.5).
public struct ElementScanner: Sendable {
    public let buffer: ByteBuffer
    public let explicitVR: Bool
    public let bigEndian: Bool

    /// A scanner of `buffer`'s readable bytes, a data set encoded so.
    public init(buffer: ByteBuffer, explicitVR: Bool, bigEndian: Bool) {
        self.buffer = buffer
        self.explicitVR = explicitVR
        self.bigEndian = bigEndian
    }

    /// What a scan found.
    public enum Outcome: Equatable, Sendable {
        /// The first top-level element whose tag is at least the one looked for starts here.
        case stop(Int)
        /// The buffer ends (on an element boundary) before such an element.
        case end
        /// The buffer ends inside an element, or the encoding is not understood.
        case incomplete
    }

    /// The deepest nesting followed.
    static let maximumDepth = 256

    private static let item = Tag(0xFFFE_E000)
    private static let itemDelimitation = Tag(0xFFFE_E00D)
    private static let sequenceDelimitation = Tag(0xFFFE_E0DD)
    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    /// Where the first top-level element with a tag of at least `stop` starts.
    public func topLevelOffset(of stop: Tag) -> Outcome {
        var offset = 0
        while offset < buffer.readableBytes {
            guard let tag = tag(at: offset) else { return .incomplete }
            if tag >= stop { return .stop(offset) }
            guard let next = skipElement(at: offset, explicitVR: explicitVR, depth: 0) else { return .incomplete }
            offset = next
        }
        return .end
    }

    /// An element's header as read.
    public struct Header: Sendable {
        public var tag: Tag
        /// Its VR in explicit VR; nil in implicit VR, for an item or delimiter, or for a code
        /// PS3.5 does not define (read with a 16-bit length).
        public var vr: VR?
        /// Where its value starts, from the buffer's first readable byte.
        public var valueOffset: Int
        public var length: UInt32
        public var hasUndefinedLength: Bool { length == ElementScanner.undefinedLength }
    }

    /// The header of the top-level element at `offset`; nil when the buffer ends inside it.
    public func header(at offset: Int) -> Header? {
        header(at: offset, explicitVR: explicitVR)
    }

    private func header(at offset: Int, explicitVR: Bool) -> Header? {
        guard let tag = tag(at: offset) else { return nil }
        if tag.group == 0xFFFE || !explicitVR {
            guard let length = uint32(at: offset + 4) else { return nil }
            return Header(tag: tag, vr: nil, valueOffset: offset + 8, length: length)
        }
        guard let first = byte(at: offset + 4), let second = byte(at: offset + 5) else { return nil }
        let vr = VR(code: UInt16(first) << 8 | UInt16(second))
        if vr?.hasLongExplicitLength == true {
            guard let length = uint32(at: offset + 8) else { return nil }
            return Header(tag: tag, vr: vr, valueOffset: offset + 12, length: length)
        }
        guard let length = uint16(at: offset + 6) else { return nil }
        return Header(tag: tag, vr: vr, valueOffset: offset + 8, length: UInt32(length))
    }

    /// The offset just past the element at `offset`; nil when it does not end in the buffer.
    private func skipElement(at offset: Int, explicitVR: Bool, depth: Int) -> Int? {
        guard depth < Self.maximumDepth, let header = header(at: offset, explicitVR: explicitVR) else { return nil }
        guard header.hasUndefinedLength else {
            let end = header.valueOffset + Int(header.length)
            return end <= buffer.readableBytes ? end : nil
        }
        // An undefined length: items up to the sequence delimiter. UN of undefined length holds
        // Implicit VR Little Endian (PS3.5 §6.2.2).
        let nestedExplicitVR = header.vr == .UN ? false : explicitVR
        var position = header.valueOffset
        while true {
            guard let itemTag = self.tag(at: position), let itemLength = uint32(at: position + 4) else { return nil }
            if itemTag == Self.sequenceDelimitation { return position + 8 }
            guard itemTag == Self.item else { return nil }
            position += 8
            if itemLength != Self.undefinedLength {
                position += Int(itemLength)
                guard position <= buffer.readableBytes else { return nil }
                continue
            }
            while true {
                guard let elementTag = self.tag(at: position) else { return nil }
                if elementTag == Self.itemDelimitation {
                    position += 8
                    break
                }
                guard let next = skipElement(at: position, explicitVR: nestedExplicitVR, depth: depth + 1) else { return nil }
                position = next
            }
        }
    }

    private func tag(at offset: Int) -> Tag? {
        guard let group = uint16(at: offset), let element = uint16(at: offset + 2) else { return nil }
        return Tag(UInt32(group) << 16 | UInt32(element))
    }

    private func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < buffer.readableBytes else { return nil }
        return buffer.getInteger(at: buffer.readerIndex + offset, as: UInt8.self)
    }

    private func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= buffer.readableBytes else { return nil }
        return buffer.getInteger(at: buffer.readerIndex + offset, endianness: bigEndian ? .big : .little, as: UInt16.self)
    }

    private func uint32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset + 4 <= buffer.readableBytes else { return nil }
        return buffer.getInteger(at: buffer.readerIndex + offset, endianness: bigEndian ? .big : .little, as: UInt32.self)
    }
}
