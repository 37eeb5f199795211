public import NIOCore

/// Checks, as its bytes go by, that an encoded data set is whole and well formed (PS3.5 §7):
/// every element header complete, every value within the bytes that came and within the item or
/// sequence around it, every sequence, item and encapsulated pixel data of undefined length
/// closed by its delimiter. Values are never looked at, only counted past, so a data set streamed
/// to a file (a C-STORE) can be refused when it is truncated or malformed without being read back.
///
/// Sequences are followed into their items whether their length is defined or not, wherever the
/// reader (``DataSetReader``) would read items: an SQ element, or in Implicit VR one the data
/// dictionary says is a sequence. A private sequence in Implicit VR, which only the private
/// dictionary and its creator's value make one, is counted past like a value. An element the data
/// set ends inside is what a truncated file or a sender that gave up half way leaves; DCMTK
/// refuses to send or receive such data sets, and so does NetDICOM.
///
/// A deflated data set (PS3.5 §A.5) is inflated as it comes, a piece at a time, and what it
/// inflates to is checked; the errors' offsets then count in the inflated bytes.
public struct DataSetStructureCheck: Sendable {
    /// What the check is inside of.
    private enum Frame: Sendable {
        /// The items of a sequence (or of a UN value of undefined length); `end` is where one of
        /// defined length ends, nil for one of undefined length.
        case sequence(Tag, Encoding, end: Int?)
        /// The elements of an item; `end` as for a sequence.
        case item(Encoding, end: Int?)
        /// The fragments of encapsulated pixel data.
        case fragments(Tag)
    }

    /// A frame, and the offset nothing in it may pass: the nearest end of a frame of defined
    /// length, itself or around it; nil when no frame around has one.
    private struct Level: Sendable {
        var frame: Frame
        var bound: Int?
    }

    /// How elements are encoded where the check is.
    private struct Encoding: Sendable {
        var explicit: Bool
        var bigEndian: Bool
    }

    private let limits: DataSetReader.Limits
    private let topLevel: Encoding
    /// The inflating side of a deflated data set's check; nil for any other syntax.
    private let deflated: DeflatedDataSetCheck?
    private var frames: [Level] = []
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
    /// The first element, or the pixel data of the first fragment, whose value has an odd length.
    /// PS3.5 §7.1.1 asks for even lengths; such a data set reads, and is kept as it came, but
    /// one whose total length is odd cannot go out in P-DATA (DCMTK aborts the association on
    /// its odd last fragment), so a sender pads the values first, as DCMTK's storescu does. Not
    /// reported for a deflated data set, whose stream is padded instead.
    public private(set) var oddLengthTag: Tag?

    /// A check of a data set encoded in `transferSyntax`; `offsetBase` is where the data set
    /// starts in its file, for the offsets errors give.
    ///
    /// The check of a deflated data set holds zlib's stream: copies of it share that stream, so
    /// only one copy may go on consuming (as a message's check moves along with the message).
    public init(transferSyntax: TransferSyntax, limits: DataSetReader.Limits = .default, offsetBase: Int = 0) {
        self.limits = limits
        self.offset = offsetBase
        self.topLevel = Encoding(explicit: transferSyntax.isExplicitVR, bigEndian: transferSyntax.isBigEndian)
        if transferSyntax.isDeflated {
            do {
                deflated = try DeflatedDataSetCheck(offset: offsetBase, limits: limits)
            } catch {
                deflated = nil
                self.error = error
            }
        } else {
            deflated = nil
        }
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
        guard error == nil else {
            offset += bytes.count
            return
        }
        if let deflated {
            offset += bytes.count
            error = deflated.consume(bytes)
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
            if headerCount == 0 {
                // A header starts here: first close what ends here, then see that the header
                // fits in what is left of the item or sequence around it.
                closeFrames()
                if error != nil { break }
                if let bound = frames.last?.bound, bound - offset < 8 {
                    fail(.truncatedElementHeader, at: offset, nil, "\(bound - offset) bytes left in the item or sequence, a header needs 8")
                    break
                }
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
        if let deflated { return deflated.finish() }
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
        // Sequences and items of defined length that end with the data set are whole.
        var closed = self
        closed.closeFrames()
        if let error = closed.error { return error }
        switch closed.frames.last?.frame {
        case nil:
            return nil
        case .sequence(let tag, _, _):
            return DICOMParsingError(.missingDelimiter, offset: offset, tag: tag, "the data set ends inside a sequence")
        case .item:
            return DICOMParsingError(.missingDelimiter, offset: offset, tag: nil, "the data set ends inside an item")
        case .fragments(let tag):
            return DICOMParsingError(.missingDelimiter, offset: offset, tag: tag, "the data set ends inside encapsulated pixel data")
        }
    }

    /// Leaves the sequences and items of defined length that end at ``offset``; fails when one
    /// of undefined length, or encapsulated pixel data, is still open where the one of defined
    /// length around it ends.
    private mutating func closeFrames() {
        while let level = frames.last, let bound = level.bound, bound <= offset {
            switch level.frame {
            case .sequence(_, _, end: _?), .item(_, end: _?):
                frames.removeLast()
            case .sequence(let tag, _, end: nil):
                return fail(.missingDelimiter, at: offset, tag, "the item or sequence around it ends inside this sequence of undefined length")
            case .item(_, end: nil):
                return fail(.missingDelimiter, at: offset, nil, "the sequence around it ends inside an item of undefined length")
            case .fragments(let tag):
                return fail(.missingDelimiter, at: offset, tag, "the item or sequence around it ends inside encapsulated pixel data")
            }
        }
    }

    // MARK: - Headers

    private var encoding: Encoding {
        switch frames.last?.frame {
        case .sequence(_, let encoding, _)?, .item(let encoding, _)?: encoding
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
        switch frames.last?.frame {
        case .sequence?, .fragments?: true
        case .item?, nil: false
        }
    }

    private mutating func readHeader(at start: Int) {
        let tag = Tag(UInt32(uint16(0)) << 16 | UInt32(uint16(2)))
        switch frames.last?.frame {
        case .sequence(let sequenceTag, let encoding, let end)?:
            readItemHeader(tag, at: start, in: sequenceTag, encoding: encoding, definedLength: end != nil)
        case .fragments(let pixelTag)?:
            readFragmentHeader(tag, at: start, in: pixelTag)
        case .item?, nil:
            readElementHeader(tag, at: start)
        }
    }

    private mutating func readElementHeader(_ tag: Tag, at start: Int) {
        if tag.group == 0xFFFE {
            if tag == .itemDelimitationItem, case .item(_, end: nil)? = frames.last?.frame {
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
        let bound = frames.last?.bound
        let valueStart = offset
        if let bound, valueStart > bound {
            return fail(.truncatedElementHeader, at: start, tag, "\(bound - start) bytes left in the item or sequence, a \(vr.map(String.init(describing:)) ?? "") header needs 12")
        }
        guard length == 0xFFFF_FFFF else {
            let valueEnd = valueStart + Int(length)
            if let bound, valueEnd > bound {
                return fail(.valueLengthExceedsInput, at: start, tag, "value length \(length), \(bound - valueStart) bytes left in the item or sequence")
            }
            // Where the reader reads items, so does the check: an SQ, or in Implicit VR a public
            // element the dictionary says is a sequence.
            if vr == .SQ || (vr == nil && !tag.isPrivate && DataDictionary.vr(for: tag) == .SQ) {
                return push(.sequence(tag, encoding, end: valueEnd), end: valueEnd, at: start, tag)
            }
            if length % 2 == 1, oddLengthTag == nil { oddLengthTag = tag }
            return skipValue(of: tag, length: Int(length))
        }
        switch vr {
        case .SQ?:
            push(.sequence(tag, encoding, end: nil), end: nil, at: start, tag)
        case .UN?:
            // PS3.5 §6.2.2: a UN value of undefined length is Implicit VR Little Endian items.
            push(.sequence(tag, Encoding(explicit: false, bigEndian: false), end: nil), end: nil, at: start, tag)
        case .OB?, .OW?:
            push(.fragments(tag), end: nil, at: start, tag)
        case let other?:
            fail(.undefinedLengthNotAllowed, at: start, tag, "VR \(other) cannot have undefined length")
        case nil:
            // Implicit VR: pixel data of undefined length is fragments, anything else a sequence.
            push(tag == DataSetReader.pixelData ? .fragments(tag) : .sequence(tag, encoding, end: nil), end: nil, at: start, tag)
        }
    }

    private mutating func readItemHeader(_ tag: Tag, at start: Int, in sequenceTag: Tag, encoding: Encoding, definedLength: Bool) {
        let length = uint32(4)
        switch tag {
        case .sequenceDelimitationItem where !definedLength:
            frames.removeLast()
        case .item where length == 0xFFFF_FFFF:
            push(.item(encoding, end: nil), end: nil, at: start, sequenceTag)
        case .item:
            // An item longer than what is left of its sequence ends with the sequence, as the
            // reader (and DCMTK, and pydicom) reads it.
            var end = offset + Int(length)
            if let bound = frames.last?.bound { end = min(end, bound) }
            push(.item(encoding, end: end), end: end, at: start, sequenceTag)
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
            if let bound = frames.last?.bound, offset + Int(length) > bound {
                return fail(.valueLengthExceedsInput, at: start, pixelTag, "fragment length \(length), \(bound - offset) bytes left in the item or sequence")
            }
            if length % 2 == 1, oddLengthTag == nil { oddLengthTag = pixelTag }
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

    /// Enters `frame`, which ends at `end` when of defined length.
    private mutating func push(_ frame: Frame, end: Int?, at start: Int, _ tag: Tag) {
        guard frames.count < limits.maximumNestingDepth * 2 else {
            return fail(.nestingTooDeep, at: start, tag, "sequences nested more than \(limits.maximumNestingDepth) deep")
        }
        let outer = frames.last?.bound
        let bound: Int? = switch (outer, end) {
        case (let outer?, let end?): min(outer, end)
        case (nil, let end): end
        case (let outer, nil): outer
        }
        frames.append(Level(frame: frame, bound: bound))
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

/// The check of a deflated data set: zlib's stream, and the check of the Explicit VR Little
/// Endian data set it inflates to. A class, so that the check holding it stays a small value;
/// used by one check at a time (see ``DataSetStructureCheck/init(transferSyntax:limits:offsetBase:)``).
final class DeflatedDataSetCheck: @unchecked Sendable {
    private let inflater: Inflater
    private var inner: DataSetStructureCheck

    init(offset: Int, limits: DataSetReader.Limits) throws(DICOMParsingError) {
        inflater = try Inflater(offset: offset)
        inner = DataSetStructureCheck(transferSyntax: .explicitVRLittleEndian, limits: limits)
    }

    /// Inflates and checks the next deflated bytes; the first error found, if any.
    func consume(_ bytes: UnsafeRawBufferPointer) -> DICOMParsingError? {
        do throws(DICOMParsingError) {
            try inflater.inflate(bytes) { inner.consume($0) }
        } catch {
            return error
        }
        return inner.error
    }

    /// The verdict once every deflated byte has been given.
    func finish() -> DICOMParsingError? {
        if let error = inner.error { return error }
        if let error = inflater.endError() { return error }
        return inner.finish()
    }
}
