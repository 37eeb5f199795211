public import NIOCore

/// Checks, as its bytes go by, that an encoded data set is whole and well formed (PS3.5 §7):
/// every element header complete, every value within the bytes that came, every sequence, item
/// and encapsulated pixel data of undefined length closed by its delimiter. Nothing is decoded
/// and values are never looked at, only counted past, so a data set streamed to a file (a
/// C-STORE) can be refused when it is truncated or malformed without being read back.
///
/// Defined-length sequences and items are counted past like values: their length is the only
/// thing checked. An element the data set ends inside is what a truncated file or a sender that
/// gave up half way leaves; DCMTK refuses to send or receive such data sets, and so does NetDICOM.
///
/// A deflated data set (PS3.5 §A.5) is not checked: its structure exists only once inflated.
public struct DataSetStructureCheck: Sendable {
    /// What the check is inside of, when it is inside something of undefined length.
    private enum Frame: Sendable {
        /// The items of a sequence (or of a UN value) of undefined length.
        case sequence(Tag, Encoding)
        /// The elements of an item of undefined length.
        case item(Encoding)
        /// The fragments of encapsulated pixel data.
        case fragments(Tag)
    }

    /// How elements are encoded where the check is.
    private struct Encoding: Sendable {
        var explicit: Bool
        var bigEndian: Bool
    }

    private let limits: DataSetReader.Limits
    private let isChecked: Bool
    private let topLevel: Encoding
    private var frames: [Frame] = []
    /// The header being read, which may span the pieces given to ``consume(_:)``: inline, so
    /// that a check copied along with its message allocates nothing.
    private var header = InlineArray<12, UInt8>(repeating: 0)
    private var headerCount = 0
    /// Value bytes still to count past, and whose value they are (for the error).
    private var skipping = 0
    private var skippedTag: Tag?
    private var skippedLength = 0
    /// The offset of the next byte: the bytes consumed so far, plus the `offsetBase` the check
    /// was made with. Errors count from there too.
    public private(set) var offset: Int
    /// The first problem found; once set, the rest of the input is ignored.
    public private(set) var error: DICOMParsingError?

    /// A check of a data set encoded in `transferSyntax`; `offsetBase` is where the data set
    /// starts in its file, for the offsets errors give.
    public init(transferSyntax: TransferSyntax, limits: DataSetReader.Limits = .default, offsetBase: Int = 0) {
        self.limits = limits
        self.offset = offsetBase
        self.isChecked = !transferSyntax.isDeflated
        self.topLevel = Encoding(explicit: transferSyntax.isExplicitVR, bigEndian: transferSyntax.isBigEndian)
    }

    /// Value bytes that may be counted past without being read (``skip(_:)``): a file can seek
    /// over them.
    public var bytesToSkip: Int { skipping }

    /// Counts `length` bytes (at most ``bytesToSkip``) as read without looking at them.
    public mutating func skip(_ length: Int) {
        let counted = min(max(length, 0), skipping)
        skipping -= counted
        offset += counted
    }

    /// Checks the readable bytes of `buffer`, the next piece of the data set.
    public mutating func consume(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { consume($0) }
    }

    /// Checks `bytes`, the next piece of the data set.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        guard isChecked, error == nil else {
            offset += bytes.count
            return
        }
        var position = 0
        while position < bytes.count, error == nil {
            if skipping > 0 {
                let counted = min(skipping, bytes.count - position)
                skipping -= counted
                position += counted
                offset += counted
                continue
            }
            // Collect a header, 8 bytes, or 12 for an explicit VR with a 4-byte length.
            let needed = headerLength()
            let taken = min(needed - headerCount, bytes.count - position)
            for index in 0..<taken { header[headerCount + index] = bytes[position + index] }
            headerCount += taken
            position += taken
            offset += taken
            if headerCount == headerLength() {
                readHeader(at: offset - headerCount)
                headerCount = 0
            }
        }
        if error != nil { offset += bytes.count - position }
    }

    /// The verdict once every byte has been given: nil when the data set is whole and well
    /// formed, else what is wrong with it.
    public func finish() -> DICOMParsingError? {
        if let error { return error }
        guard isChecked else { return nil }
        if skipping > 0, let skippedTag {
            return DICOMParsingError(
                .valueLengthExceedsInput, offset: offset, tag: skippedTag,
                "the data set ends inside this value: \(skipping) of its \(skippedLength) bytes are missing")
        }
        if headerCount > 0 {
            if frames.isEmpty {
                return DICOMParsingError(.trailingBytes, offset: offset - headerCount, tag: nil, "\(headerCount) bytes after the last element")
            }
            return DICOMParsingError(.truncatedElementHeader, offset: offset - headerCount, tag: nil, "the data set ends inside an element header")
        }
        switch frames.last {
        case nil:
            return nil
        case .sequence(let tag, _):
            return DICOMParsingError(.missingDelimiter, offset: offset, tag: tag, "the data set ends inside a sequence of undefined length")
        case .item:
            return DICOMParsingError(.missingDelimiter, offset: offset, tag: nil, "the data set ends inside an item of undefined length")
        case .fragments(let tag):
            return DICOMParsingError(.missingDelimiter, offset: offset, tag: tag, "the data set ends inside encapsulated pixel data")
        }
    }

    // MARK: - Headers

    private var encoding: Encoding {
        switch frames.last {
        case .sequence(_, let encoding)?, .item(let encoding)?: encoding
        case .fragments?, nil: topLevel
        }
    }

    /// The length of the header being collected: 12 for an element of explicit VR with a 4-byte
    /// length, once its VR is known; 8 otherwise.
    private func headerLength() -> Int {
        guard headerCount >= 6, encoding.explicit, !isFramedItemPosition else { return 8 }
        let tagGroup = uint16(0)
        guard tagGroup != 0xFFFE, let vr = VR(code: UInt16(header[4]) << 8 | UInt16(header[5])) else { return 8 }
        return vr.hasLongExplicitLength ? 12 : 8
    }

    /// Whether the next header is an item's or a delimiter's, not an element's.
    private var isFramedItemPosition: Bool {
        switch frames.last {
        case .sequence?, .fragments?: true
        case .item?, nil: false
        }
    }

    private mutating func readHeader(at start: Int) {
        let tag = Tag(UInt32(uint16(0)) << 16 | UInt32(uint16(2)))
        switch frames.last {
        case .sequence(let sequenceTag, let encoding)?:
            readItemHeader(tag, at: start, in: sequenceTag, encoding: encoding)
        case .fragments(let pixelTag)?:
            readFragmentHeader(tag, at: start, in: pixelTag)
        case .item?, nil:
            readElementHeader(tag, at: start)
        }
    }

    private mutating func readElementHeader(_ tag: Tag, at start: Int) {
        if tag.group == 0xFFFE {
            if tag == .itemDelimitationItem, case .item? = frames.last {
                frames.removeLast()
                return
            }
            return fail(.unexpectedDelimiter, at: start, tag, "a delimitation item where an element should be")
        }
        let encoding = self.encoding
        var vr: VR?
        let length: UInt32
        if encoding.explicit {
            let code = UInt16(header[4]) << 8 | UInt16(header[5])
            guard let explicitVR = VR(code: code) else {
                return fail(.unknownVR, at: start + 4, tag, "VR bytes \(Tag.hex4(code))")
            }
            vr = explicitVR
            length = explicitVR.hasLongExplicitLength ? uint32(8) : UInt32(uint16(6))
        } else {
            length = uint32(4)
        }
        guard length == 0xFFFF_FFFF else {
            return skipValue(of: tag, length: Int(length))
        }
        switch vr {
        case .SQ?:
            push(.sequence(tag, encoding), at: start, tag)
        case .UN?:
            // PS3.5 §6.2.2: a UN value of undefined length is Implicit VR Little Endian items.
            push(.sequence(tag, Encoding(explicit: false, bigEndian: false)), at: start, tag)
        case .OB?, .OW?:
            push(.fragments(tag), at: start, tag)
        case let other?:
            fail(.undefinedLengthNotAllowed, at: start, tag, "VR \(other) cannot have undefined length")
        case nil:
            // Implicit VR: pixel data of undefined length is fragments, anything else a sequence.
            push(tag == DataSetReader.pixelData ? .fragments(tag) : .sequence(tag, encoding), at: start, tag)
        }
    }

    private mutating func readItemHeader(_ tag: Tag, at start: Int, in sequenceTag: Tag, encoding: Encoding) {
        let length = uint32(4)
        switch tag {
        case .sequenceDelimitationItem:
            frames.removeLast()
        case .item where length == 0xFFFF_FFFF:
            push(.item(encoding), at: start, sequenceTag)
        case .item:
            skipValue(of: sequenceTag, length: Int(length))
        default:
            fail(.itemExpected, at: start, sequenceTag, "found \(tag) where an item (fffe,e000) should be")
        }
    }

    private mutating func readFragmentHeader(_ tag: Tag, at start: Int, in pixelTag: Tag) {
        let length = uint32(4)
        switch tag {
        case .sequenceDelimitationItem:
            frames.removeLast()
        case .item where length != 0xFFFF_FFFF:
            skipValue(of: pixelTag, length: Int(length))
        case .item:
            fail(.valueLengthExceedsInput, at: start, pixelTag, "a fragment of undefined length")
        default:
            fail(.itemExpected, at: start, pixelTag, "found \(tag) where a fragment item (fffe,e000) should be")
        }
    }

    private mutating func skipValue(of tag: Tag, length: Int) {
        skipping = length
        skippedTag = tag
        skippedLength = length
    }

    private mutating func push(_ frame: Frame, at start: Int, _ tag: Tag) {
        guard frames.count < limits.maximumNestingDepth * 2 else {
            return fail(.nestingTooDeep, at: start, tag, "sequences nested more than \(limits.maximumNestingDepth) deep")
        }
        frames.append(frame)
    }

    private mutating func fail(_ code: DICOMParsingError.Code, at offset: Int, _ tag: Tag?, _ detail: String) {
        error = DICOMParsingError(code, offset: offset, tag: tag, detail)
    }

    // MARK: - Reading the collected header

    private func uint16(_ at: Int) -> UInt16 {
        let (a, b) = (UInt16(header[at]), UInt16(header[at + 1]))
        return encoding.bigEndian ? a << 8 | b : b << 8 | a
    }

    private func uint32(_ at: Int) -> UInt32 {
        let (a, b, c, d) = (UInt32(header[at]), UInt32(header[at + 1]), UInt32(header[at + 2]), UInt32(header[at + 3]))
        return encoding.bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a
    }
}
