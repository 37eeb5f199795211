public import NIOCore

/// A Part 10 file's data set re-encoded between Explicit and Implicit VR Little Endian, or from
/// either to Explicit VR Big Endian (retired, but some peers accept only it), as it is read, a
/// chunk at a time: what a C-STORE SCU sends when the peer accepted the file's SOP class in the
/// other syntax only, without holding the instance in memory.
///
/// Between the Little Endian two only element headers differ (PS3.5 §7.1): values stay as they
/// are. So a long top-level value (pixel data) is copied from the file as it stands behind a
/// rewritten header (to Big Endian, with its words swapped as they are copied: OW's 2-byte
/// words, OF's 4-byte ones…), and the other elements are converted in batches of about
/// ``batchLength`` bytes, as
/// ``DICOMFile/transcoded(to:)`` converts a whole data set, with the private creators, Specific
/// Character Set, Bits Allocated and Pixel Representation met so far as context for their VRs.
/// Two differences from converting the whole data set:
/// - group lengths (gggg,0000) of the data set, retired (PS3.5 §7.2), are left out: a group may
///   span batches;
/// - a sequence is converted whole, so one longer than ``maximumSequenceLength`` is refused.
///
/// Every call is blocking POSIX I/O: run it on a thread pool.
public struct TranscodingFileReader: Sendable {
    /// A top-level value at least this long (not a sequence) is copied from the file.
    static let copiedValueLength = 256 << 10
    /// About how many bytes of other elements are converted at once.
    static let batchLength = 1 << 20
    /// The longest sequence (or undefined-length element) converted.
    public static let maximumSequenceLength = 64 << 20

    /// Whether data sets in `source` can be read as `target` this way: Explicit VR Little
    /// Endian to Implicit VR Little Endian, or back; either to Explicit VR Big Endian.
    public static func converts(_ source: TransferSyntax, to target: TransferSyntax) -> Bool {
        func plain(_ syntax: TransferSyntax) -> Bool { !syntax.isEncapsulated && !syntax.isDeflated && !syntax.isBigEndian }
        guard plain(source) else { return false }
        if target.isBigEndian { return target.isExplicitVR && !target.isEncapsulated && !target.isDeflated }
        return plain(target) && source.isExplicitVR != target.isExplicitVR
    }

    private var source: Part10FileSource
    private let target: TransferSyntax
    /// The file offset of the next element to convert.
    private var offset: Int
    /// The value bytes still to copy from the file.
    private var copying: Range<Int>?
    /// The size of the words whose bytes are swapped as they are copied (to Big Endian): 1, none.
    private var copiedWordSize = 1
    /// Converted bytes not handed out yet.
    private var pending = ByteBuffer()
    /// The elements read so far that give later ones their VR or their pixel data's.
    private var context = DataSet()

    /// A reader of `source`'s data set as `target`.
    ///
    /// - Precondition: ``converts(_:to:)`` from `source`'s transfer syntax to `target`.
    public init(_ source: Part10FileSource, to target: TransferSyntax) {
        precondition(Self.converts(source.transferSyntax, to: target), "not a conversion between Explicit and Implicit VR Little Endian")
        self.source = source
        self.target = target
        offset = source.header.dataSetOffset
    }

    /// The next at most `maximumLength` bytes of the converted data set; nil at its end.
    ///
    /// Throws when the file cannot be read, ends early, or holds what cannot be converted.
    public mutating func nextChunk(maximumLength: Int) throws(DICOMParsingError) -> ByteBuffer? {
        precondition(maximumLength > 0, "maximumLength must be positive")
        while pending.readableBytes < maximumLength {
            if let range = copying {
                var length = min(range.count, maximumLength - pending.readableBytes)
                // Whole words, to swap (a value that is not, malformed, ends with its odd bytes
                // as they are); with no room for one, what is pending goes out first.
                if length < range.count {
                    length -= length % copiedWordSize
                    if length == 0 { break }
                }
                var bytes = try source.read(at: range.lowerBound, length: length)
                copying = length < range.count ? range.lowerBound + length..<range.upperBound : nil
                if copiedWordSize > 1 { bytes = DataSetReader.swapBytes(bytes, unit: copiedWordSize) }
                // A long value goes out as read, without a copy.
                if pending.readableBytes == 0 { return bytes }
                pending.writeImmutableBuffer(bytes)
                continue
            }
            guard offset < source.fileSize else { break }
            try convertNext()
        }
        guard pending.readableBytes > 0 else { return nil }
        let chunk = pending.readSlice(length: min(maximumLength, pending.readableBytes))!
        var rest = ByteBuffer()
        rest.writeImmutableBuffer(pending)
        pending = rest
        return chunk
    }

    // MARK: - Elements

    /// Converts the next batch of elements, or writes the header of the next long value and
    /// starts copying it.
    private mutating func convertNext() throws(DICOMParsingError) {
        var batchEnd = offset
        while batchEnd < source.fileSize, batchEnd - offset < Self.batchLength {
            let header = try self.header(at: batchEnd)
            if try isCopied(header) {
                if batchEnd > offset { break }
                try startCopying(header)
                return
            }
            batchEnd = try elementEnd(header, at: batchEnd)
        }
        try convertBatch(offset..<batchEnd)
        offset = batchEnd
    }

    /// The header of the element at `position`, its value offset from the file's start.
    private func header(at position: Int) throws(DICOMParsingError) -> ElementScanner.Header {
        let bytes = try source.read(at: position, length: min(12, source.fileSize - position))
        let explicit = source.transferSyntax.isExplicitVR
        guard var header = ElementScanner(buffer: bytes, explicitVR: explicit, bigEndian: false).header(at: 0) else {
            throw DICOMParsingError(.truncatedElementHeader, offset: position, "the data set ends inside an element header")
        }
        if explicit, header.vr == nil, header.tag.group != 0xFFFE {
            throw DICOMParsingError(.unknownVR, offset: position + 4, tag: header.tag, "an unknown VR")
        }
        header.valueOffset += position
        return header
    }

    /// Whether the element's value is long enough to be copied from the file, and may be.
    private func isCopied(_ header: ElementScanner.Header) throws(DICOMParsingError) -> Bool {
        guard !header.hasUndefinedLength, header.length >= Self.copiedValueLength else { return false }
        let vr = header.vr ?? DataSetReader.implicitVR(for: header.tag, in: context)
        return vr != .SQ
    }

    /// The file offset just past the element whose header is `header`, at `position`.
    private func elementEnd(_ header: ElementScanner.Header, at position: Int) throws(DICOMParsingError) -> Int {
        if !header.hasUndefinedLength {
            let end = header.valueOffset + Int(header.length)
            guard end <= source.fileSize else {
                throw DICOMParsingError(.valueLengthExceedsInput, offset: position, tag: header.tag, "the value runs past the end of the file")
            }
            guard end - position <= Self.maximumSequenceLength else {
                throw DICOMParsingError(.valueLengthExceedsInput, offset: position, tag: header.tag, "a sequence longer than \(Self.maximumSequenceLength) bytes is not converted")
            }
            return end
        }
        // Followed through its delimiters, in a growing window.
        var window = 64 << 10
        while true {
            let length = min(window, source.fileSize - position)
            let bytes = try source.read(at: position, length: length)
            let scanner = ElementScanner(buffer: bytes, explicitVR: source.transferSyntax.isExplicitVR, bigEndian: false)
            switch scanner.topLevelOffset(of: Tag(header.tag.rawValue + 1)) {
            case .stop(let end): return position + end
            case .end: return position + length
            case .incomplete:
                guard position + length < source.fileSize else {
                    throw DICOMParsingError(.missingDelimiter, offset: position, tag: header.tag, "the data set ends inside an element of undefined length")
                }
                guard window < Self.maximumSequenceLength else {
                    throw DICOMParsingError(.valueLengthExceedsInput, offset: position, tag: header.tag, "a sequence longer than \(Self.maximumSequenceLength) bytes is not converted")
                }
                window *= 4
            }
        }
    }

    /// Writes the long value's header in the target syntax and starts copying its value.
    private mutating func startCopying(_ header: ElementScanner.Header) throws(DICOMParsingError) {
        let end = header.valueOffset + Int(header.length)
        guard end <= source.fileSize else {
            throw DICOMParsingError(.valueLengthExceedsInput, offset: header.valueOffset, tag: header.tag, "the value runs past the end of the file")
        }
        let endianness: Endianness = target.isBigEndian ? .big : .little
        pending.writeInteger(header.tag.group, endianness: endianness)
        pending.writeInteger(header.tag.element, endianness: endianness)
        var vr = header.vr ?? DataSetReader.implicitVR(for: header.tag, in: context)
        // As DICOMFile.transcoded(to:) resolves it.
        if header.tag == DataSetReader.pixelData, vr == .OW, let bits = context.integer(.bitsAllocated), bits <= 8 { vr = .OB }
        if target.isExplicitVR {
            if !vr.hasLongExplicitLength { vr = .UN }
            pending.writeInteger(vr.code, endianness: .big)
            pending.writeInteger(UInt16(0), endianness: endianness)
        }
        pending.writeInteger(header.length, endianness: endianness)
        copying = header.valueOffset..<end
        // Its numbers' bytes reversed as DataSetWriter reverses them (UN's kept as they are).
        copiedWordSize = target.isBigEndian ? vr.binaryValueSize ?? 1 : 1
        offset = end
    }


    /// Whether later elements need `tag`'s element to be read or converted as a whole data set
    /// would be.
    private static func isContext(_ tag: Tag) -> Bool {
        tag.isPrivateCreator || tag == .specificCharacterSet || tag == .bitsAllocated || tag == Tag(0x0028_0103)
    }

    /// Converts the elements of the file's bytes `range`, read after the context.
    private mutating func convertBatch(_ range: Range<Int>) throws(DICOMParsingError) {
        guard !range.isEmpty else { return }
        let syntax = source.transferSyntax
        var bytes: ByteBuffer
        do {
            bytes = try DataSetWriter.encode(context, transferSyntax: syntax)
        } catch {
            throw DICOMParsingError(.fileUnreadable, offset: range.lowerBound, "cannot convert: \(error)")
        }
        bytes.writeImmutableBuffer(try source.read(at: range.lowerBound, length: range.count))
        var dataSet = try DataSetReader.read(bytes, transferSyntax: syntax, offsetBase: range.lowerBound - (bytes.readableBytes - range.count))
        let before = Set(context.map(\.tag))
        for element in dataSet where Self.isContext(element.tag) { context[element.tag] = element }
        dataSet = DICOMFile.transcode(dataSet, to: target, resolvingPixelDataVR: target.isExplicitVR)
        dataSet.removeAll { before.contains($0.tag) || $0.tag.isGroupLength }
        do {
            var converted = try DataSetWriter.encode(dataSet, transferSyntax: target)
            pending.writeBuffer(&converted)
        } catch {
            throw DICOMParsingError(.fileUnreadable, offset: range.lowerBound, "cannot convert: \(error)")
        }
    }
}
