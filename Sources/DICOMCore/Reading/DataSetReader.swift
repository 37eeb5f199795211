public import NIOCore

/// Decodes an encoded data set (PS3.5 §7) from a `ByteBuffer` without copying values: every byte
/// value of the result is a slice of the input.
///
/// The reader trusts no length: each is checked against the bytes that remain in the input and in
/// the enclosing item before it is used, sequences nest at most ``Limits/maximumNestingDepth``
/// deep, and every malformed input ends in a ``DICOMParsingError`` naming offset and tag.
public struct DataSetReader: Sendable {
    /// The bounds a reader enforces on input it cannot trust.
    public struct Limits: Sendable, Hashable {
        /// The deepest nesting of sequences accepted. PS3.5 sets no limit; real objects (RT
        /// structure sets, SR trees) rarely pass 20, and the reader recurses once per level.
        public var maximumNestingDepth: Int

        /// The limits NetDICOM uses unless told otherwise: nesting depth 256.
        public static let `default` = Limits(maximumNestingDepth: 256)

        /// Creates limits.
        public init(maximumNestingDepth: Int) {
            self.maximumNestingDepth = maximumNestingDepth
        }
    }

    private let input: ByteBuffer
    private let end: Int
    private let limits: Limits
    private let bigEndian: Bool
    /// Added to every offset in errors, so they count from the start of the file.
    private let offsetBase: Int
    /// Where a salvaging read keeps what was parsed before an error (``readSalvaging(_:transferSyntax:limits:offsetBase:characterSet:)``).
    private let salvage: Salvage?

    private init(input: ByteBuffer, limits: Limits, bigEndian: Bool, offsetBase: Int, salvage: Salvage? = nil) {
        self.input = input
        self.end = input.readableBytes
        self.limits = limits
        self.bigEndian = bigEndian
        self.offsetBase = offsetBase
        self.salvage = salvage
    }

    /// Decodes the readable bytes of `buffer` as one data set in `transferSyntax`.
    ///
    /// - Parameters:
    ///   - offsetBase: the offset of `buffer`'s first readable byte in the file, for error messages.
    ///   - characterSet: the character set items inherit when the data set has none of its own.
    public static func read(
        _ buffer: ByteBuffer,
        transferSyntax: TransferSyntax,
        limits: Limits = .default,
        offsetBase: Int = 0,
        characterSet: SpecificCharacterSet? = nil
    ) throws(DICOMParsingError) -> DataSet {
        let reader = try reader(for: buffer, transferSyntax: transferSyntax, limits: limits, offsetBase: offsetBase)
        let (dataSet, _) = try reader.readDataSet(
            from: 0, to: reader.end, explicit: transferSyntax.isExplicitVR, depth: 0, inherited: characterSet)
        return dataSet
    }

    /// Decodes as much of the readable bytes of `buffer` as is well formed, for a reader that
    /// shows a damaged file as far as it goes (as dcmdump +E and pydicom do): the elements before the
    /// first malformed one, with the sequences and items around it cut where it starts (an item
    /// cut inside is kept with the elements it had), and the error; the error is nil when the
    /// whole data set parsed, and the data set then is what ``read(_:transferSyntax:limits:offsetBase:characterSet:)``
    /// returns. An element whose value runs past the input is left out.
    public static func readSalvaging(
        _ buffer: ByteBuffer,
        transferSyntax: TransferSyntax,
        limits: Limits = .default,
        offsetBase: Int = 0,
        characterSet: SpecificCharacterSet? = nil
    ) -> (DataSet, DICOMParsingError?) {
        let salvage = Salvage()
        // A deflate stream cut short (the first bytes of a file, say) inflates as far as it goes.
        var input = buffer.slice()
        var inflateError: DICOMParsingError?
        if transferSyntax.isDeflated {
            (input, inflateError) = Deflate.inflatePartially(input, offset: offsetBase)
        }
        let reader = DataSetReader(
            input: input, limits: limits, bigEndian: transferSyntax.isBigEndian,
            offsetBase: transferSyntax.isDeflated ? 0 : offsetBase, salvage: salvage)
        do {
            let (dataSet, _) = try reader.readDataSet(
                from: 0, to: reader.end, explicit: transferSyntax.isExplicitVR, depth: 0, inherited: characterSet)
            return (dataSet, inflateError)
        } catch {
            return (salvage.dataSet ?? DataSet(), inflateError ?? error)
        }
    }

    /// A reader of `buffer`'s readable bytes in `transferSyntax`, inflated first if deflated (its
    /// offsets then count in the inflated bytes).
    private static func reader(
        for buffer: ByteBuffer, transferSyntax: TransferSyntax, limits: Limits, offsetBase: Int
    ) throws(DICOMParsingError) -> DataSetReader {
        var input = buffer.slice()
        if transferSyntax.isDeflated {
            input = try Deflate.inflate(input, offset: offsetBase)
        }
        return DataSetReader(
            input: input, limits: limits, bigEndian: transferSyntax.isBigEndian,
            offsetBase: transferSyntax.isDeflated ? 0 : offsetBase)
    }

    /// What a salvaging read has parsed of the containers an error cut, innermost first, as the
    /// error unwinds: each level takes what the level inside left and leaves its own cut part.
    /// One read, one thread: never shared.
    private final class Salvage: @unchecked Sendable {
        var dataSet: DataSet?
        var items: [DataSet]?
        var element: DataElement?
    }

    /// Decodes elements from `start` while they satisfy `shouldContinue`, returning the data set
    /// and the offset after it. For the file meta information group (PS3.10 §7.1), and the first
    /// elements of a data set.
    static func readGroup(
        _ buffer: ByteBuffer, explicit: Bool, bigEndian: Bool = false, offsetBase: Int, while shouldContinue: (Tag) -> Bool
    ) throws(DICOMParsingError) -> (DataSet, Int) {
        let reader = DataSetReader(input: buffer.slice(), limits: .default, bigEndian: bigEndian, offsetBase: offsetBase)
        var dataSet = DataSet()
        var offset = 0
        while reader.end - offset >= 4, shouldContinue(reader.tag(at: offset)) {
            let element: DataElement
            (element, offset) = try reader.readElement(at: offset, limit: reader.end, explicit: explicit, depth: 0, inherited: nil, context: dataSet)
            dataSet.appendAsRead(element)
        }
        return (dataSet, offset)
    }

    // MARK: - Data sets and items

    /// Reads elements from `start` up to `limit` (a defined length), or, when `limit` is nil, up
    /// to and including an item delimitation item (an undefined-length item).
    private func readDataSet(
        from start: Int, to limit: Int?, explicit: Bool, depth: Int, inherited: SpecificCharacterSet?
    ) throws(DICOMParsingError) -> (DataSet, Int) {
        var dataSet = DataSet()
        dataSet.inheritedCharacterSet = inherited
        do {
            return try readElements(from: start, to: limit, explicit: explicit, depth: depth, inherited: inherited, into: &dataSet)
        } catch {
            if let salvage {
                if let element = salvage.element { dataSet.appendAsRead(element) }
                salvage.element = nil
                salvage.dataSet = dataSet
            }
            throw error
        }
    }

    /// The loop of ``readDataSet(from:to:explicit:depth:inherited:)``, appending to `dataSet`.
    private func readElements(
        from start: Int, to limit: Int?, explicit: Bool, depth: Int, inherited: SpecificCharacterSet?, into dataSet: inout DataSet
    ) throws(DICOMParsingError) -> (DataSet, Int) {
        var characterSet = inherited
        var offset = start
        let bound = limit ?? end
        while true {
            if offset == bound {
                if limit == nil {
                    throw error(.missingDelimiter, at: offset, nil, "the input ends inside an item of undefined length")
                }
                return (dataSet, offset)
            }
            guard bound - offset >= 8 else {
                if depth == 0 && limit == end {
                    throw error(.trailingBytes, at: offset, nil, "\(bound - offset) bytes after the last element")
                }
                throw error(.truncatedElementHeader, at: offset, nil, "\(bound - offset) bytes left, an element header needs 8")
            }
            let tag = tag(at: offset)
            if tag.group == 0xFFFE {
                if tag == .itemDelimitationItem && limit == nil && depth > 0 {
                    return (dataSet, offset + 8)
                }
                throw error(.unexpectedDelimiter, at: offset, tag, "a delimitation item where an element should be")
            }
            let element: DataElement
            (element, offset) = try readElement(at: offset, limit: bound, explicit: explicit, depth: depth, inherited: characterSet, context: dataSet)
            if element.tag == .specificCharacterSet, let bytes = element.bytes {
                characterSet = SpecificCharacterSet(String(decoding: bytes.readableBytesView, as: UTF8.self))
            }
            dataSet.appendAsRead(element)
        }
    }

    /// Reads the element at `offset`, which must end by `limit`.
    private func readElement(
        at offset: Int, limit: Int, explicit: Bool, depth: Int, inherited: SpecificCharacterSet?, context: DataSet
    ) throws(DICOMParsingError) -> (DataElement, Int) {
        guard limit - offset >= 8 else {
            throw error(.truncatedElementHeader, at: offset, nil, "\(limit - offset) bytes left, an element header needs 8")
        }
        let tag = tag(at: offset)
        var vr: VR
        var length: UInt32
        var valueStart: Int
        if explicit {
            let code = input.getInteger(at: offset + 4, endianness: .big, as: UInt16.self)!
            guard let explicitVR = VR(code: code) else {
                throw error(.unknownVR, at: offset + 4, tag, "VR bytes \(Tag.hex4(code))")
            }
            vr = explicitVR
            if vr.hasLongExplicitLength {
                guard limit - offset >= 12 else {
                    throw error(.truncatedElementHeader, at: offset, tag, "\(limit - offset) bytes left, a \(vr) header needs 12")
                }
                length = uint32(at: offset + 8)
                valueStart = offset + 12
            } else {
                length = UInt32(uint16(at: offset + 6))
                valueStart = offset + 8
            }
        } else {
            vr = DataSetReader.implicitVR(for: tag, in: context)
            length = uint32(at: offset + 4)
            valueStart = offset + 8
        }

        if length == 0xFFFF_FFFF {
            if !explicit && tag == DataSetReader.pixelData {
                // Encapsulated pixel data in an implicit data set (a writer that mislabelled the
                // transfer syntax): whatever the dictionary says, it is fragments.
                vr = .OB
            } else if !explicit && vr == .UN {
                // An element the dictionary does not know, of undefined length, in implicit VR:
                // only a sequence can be that (PS3.5 §7.1.3, §7.5), and it is read as one.
                vr = .SQ
            }
            return try readUndefinedLengthElement(tag: tag, vr: vr, at: offset, valueStart: valueStart, limit: limit, explicit: explicit, depth: depth, inherited: inherited)
        }
        let valueEnd = valueStart + Int(length)
        guard valueEnd <= limit else {
            let overrun = error(.valueLengthExceedsInput, at: offset, tag, "value length \(length), \(limit - valueStart) bytes left")
            if vr == .SQ, salvage != nil {
                // A salvaging read takes what the input holds of the sequence (a file cut
                // inside it), as far as it is well formed, as dcmdump +E and pydicom show it;
                // the error stays the length that overran, as a plain read reports it.
                _ = try salvagingSequence(tag: tag, vr: vr, hasUndefinedLength: false) { () throws(DICOMParsingError) in
                    do {
                        salvageItems(try readItems(from: valueStart, to: limit, explicit: explicit, depth: depth + 1, tag: tag, inherited: inherited))
                    } catch {
                        // readItems left what it read for the sequence.
                    }
                    throw overrun
                }
            }
            throw overrun
        }
        if vr == .SQ {
            let items = try salvagingSequence(tag: tag, vr: vr, hasUndefinedLength: false) { () throws(DICOMParsingError) in
                try readItems(from: valueStart, to: valueEnd, explicit: explicit, depth: depth + 1, tag: tag, inherited: inherited)
            }
            return (DataElement(tag: tag, vr: vr, items: items, hasUndefinedLength: false), valueEnd)
        }
        var value = input.getSlice(at: valueStart, length: Int(length))!
        if bigEndian, let unit = vr.binaryValueSize {
            value = Self.swapBytes(value, unit: unit)
        }
        return (DataElement(tag: tag, vr: vr, bytes: value), valueEnd)
    }

    private func readUndefinedLengthElement(
        tag: Tag, vr: VR, at offset: Int, valueStart: Int, limit: Int, explicit: Bool, depth: Int, inherited: SpecificCharacterSet?
    ) throws(DICOMParsingError) -> (DataElement, Int) {
        switch vr {
        case .SQ:
            let (items, next) = try salvagingSequence(tag: tag, vr: .SQ, hasUndefinedLength: true) { () throws(DICOMParsingError) in
                try readUndefinedLengthItems(from: valueStart, limit: limit, explicit: explicit, depth: depth + 1, tag: tag, inherited: inherited)
            }
            return (DataElement(tag: tag, vr: .SQ, items: items, hasUndefinedLength: true), next)
        case .UN:
            // PS3.5 §6.2.2: a UN value of undefined length is a sequence encoded Implicit VR
            // Little Endian, whatever the transfer syntax, Explicit VR Big Endian included.
            let reader = bigEndian ? DataSetReader(input: input, limits: limits, bigEndian: false, offsetBase: offsetBase, salvage: salvage) : self
            let (items, next) = try salvagingSequence(tag: tag, vr: .UN, hasUndefinedLength: true) { () throws(DICOMParsingError) in
                try reader.readUndefinedLengthItems(from: valueStart, limit: limit, explicit: false, depth: depth + 1, tag: tag, inherited: inherited)
            }
            return (DataElement(tag: tag, vr: .UN, items: items, hasUndefinedLength: true), next)
        case .OB, .OW:
            // Encapsulated pixel data is OB (PS3.5 §8.2, §A.4); some writers label it OW.
            let (fragments, next) = try readFragments(from: valueStart, limit: limit, tag: tag)
            return (DataElement(tag: tag, vr: .OB, fragments: fragments), next)
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .IS, .LO, .LT, .OD, .OF, .OL, .OV, .PN, .SH, .SL,
             .SS, .ST, .SV, .TM, .UC, .UI, .UL, .UR, .US, .UT, .UV:
            throw error(.undefinedLengthNotAllowed, at: offset, tag, "VR \(vr) cannot have undefined length")
        }
    }

    // MARK: - Sequences

    /// Reads the items of a defined-length sequence occupying `start..<limit`.
    private func readItems(
        from start: Int, to limit: Int, explicit: Bool, depth: Int, tag: Tag, inherited: SpecificCharacterSet?
    ) throws(DICOMParsingError) -> [DataSet] {
        var items: [DataSet] = []
        do throws(DICOMParsingError) {
            try checkDepth(depth, at: start, tag)
            var offset = start
            while offset < limit {
                let item: DataSet
                (item, offset) = try readItem(at: offset, limit: limit, explicit: explicit, depth: depth, sequenceTag: tag, inherited: inherited)
                items.append(item)
            }
            return items
        } catch {
            salvageItems(items)
            throw error
        }
    }

    /// Reads items up to and including a sequence delimitation item.
    private func readUndefinedLengthItems(
        from start: Int, limit: Int, explicit: Bool, depth: Int, tag: Tag, inherited: SpecificCharacterSet?
    ) throws(DICOMParsingError) -> ([DataSet], Int) {
        var items: [DataSet] = []
        do throws(DICOMParsingError) {
            try checkDepth(depth, at: start, tag)
            var offset = start
            while true {
                guard limit - offset >= 8 else {
                    throw error(.missingDelimiter, at: offset, tag, "the input ends inside a sequence of undefined length")
                }
                if self.tag(at: offset) == .sequenceDelimitationItem {
                    return (items, offset + 8)
                }
                let item: DataSet
                (item, offset) = try readItem(at: offset, limit: limit, explicit: explicit, depth: depth, sequenceTag: tag, inherited: inherited)
                items.append(item)
            }
        } catch {
            salvageItems(items)
            throw error
        }
    }

    /// In a salvaging read, leaves the items of a sequence an error cut, with the item it cut
    /// (if the error came from inside its elements), for the sequence element.
    private func salvageItems(_ items: [DataSet]) {
        guard let salvage else { return }
        salvage.items = items + [salvage.dataSet].compactMap { $0 }
        salvage.dataSet = nil
    }

    /// Runs `readItems`; when it fails in a salvaging read, leaves the sequence cut there for the
    /// data set around it.
    private func salvagingSequence<Result>(
        tag: Tag, vr: VR, hasUndefinedLength: Bool, _ readItems: () throws(DICOMParsingError) -> Result
    ) throws(DICOMParsingError) -> Result {
        do {
            return try readItems()
        } catch {
            if let salvage {
                salvage.element = DataElement(tag: tag, vr: vr, items: salvage.items ?? [], hasUndefinedLength: hasUndefinedLength)
                salvage.items = nil
            }
            throw error
        }
    }

    private func readItem(
        at offset: Int, limit: Int, explicit: Bool, depth: Int, sequenceTag: Tag, inherited: SpecificCharacterSet?
    ) throws(DICOMParsingError) -> (DataSet, Int) {
        guard limit - offset >= 8 else {
            throw error(.truncatedElementHeader, at: offset, sequenceTag, "\(limit - offset) bytes left, an item header needs 8")
        }
        let itemTag = tag(at: offset)
        guard itemTag == .item else {
            throw error(.itemExpected, at: offset, sequenceTag, "found \(itemTag) where an item (fffe,e000) should be")
        }
        let length = uint32(at: offset + 4)
        if length == 0xFFFF_FFFF {
            var (item, next) = try readDataSet(from: offset + 8, to: nil, explicit: explicit, depth: depth, inherited: inherited)
            item.itemHasUndefinedLength = true
            return (item, next)
        }
        // An item longer than what is left of its sequence is read to the sequence's end, as
        // DCMTK and pydicom read it (a DICOMDIR whose records were edited without their items'
        // lengths): never past it, and an element that runs past is an error as ever.
        let itemEnd = min(offset + 8 + Int(length), limit)
        do {
            var (item, next) = try readDataSet(from: offset + 8, to: itemEnd, explicit: explicit, depth: depth, inherited: inherited)
            item.itemHasUndefinedLength = false
            return (item, next)
        } catch {
            // The part a salvaging read keeps is still an item of defined length.
            salvage?.dataSet?.itemHasUndefinedLength = false
            throw error
        }
    }

    private func checkDepth(_ depth: Int, at offset: Int, _ tag: Tag) throws(DICOMParsingError) {
        guard depth <= limits.maximumNestingDepth else {
            throw error(.nestingTooDeep, at: offset, tag, "sequences nested more than \(limits.maximumNestingDepth) deep")
        }
    }

    // MARK: - Encapsulated pixel data

    /// Reads the basic offset table and fragments of encapsulated pixel data (PS3.5 §A.4).
    private func readFragments(from start: Int, limit: Int, tag: Tag) throws(DICOMParsingError) -> (EncapsulatedFragments, Int) {
        var items: [ByteBuffer] = []
        var offset = start
        while true {
            guard limit - offset >= 8 else {
                throw error(.missingDelimiter, at: offset, tag, "the input ends inside encapsulated pixel data")
            }
            let itemTag = self.tag(at: offset)
            let length = uint32(at: offset + 4)
            if itemTag == .sequenceDelimitationItem {
                let basicOffsetTable = items.isEmpty ? ByteBuffer() : items.removeFirst()
                return (EncapsulatedFragments(basicOffsetTable: basicOffsetTable, fragments: items), offset + 8)
            }
            guard itemTag == .item else {
                throw error(.itemExpected, at: offset, tag, "found \(itemTag) where a fragment item (fffe,e000) should be")
            }
            guard length != 0xFFFF_FFFF, Int(length) <= limit - offset - 8 else {
                throw error(.valueLengthExceedsInput, at: offset, tag, "fragment length \(length), \(limit - offset - 8) bytes left")
            }
            items.append(input.getSlice(at: offset + 8, length: Int(length))!)
            offset += 8 + Int(length)
        }
    }

    // MARK: - Primitive reads (callers have checked the bounds)

    private func tag(at offset: Int) -> Tag {
        // One 32-bit read instead of two 16-bit ones (each read of a ByteBuffer pays an
        // exclusivity check): group then element, each in the syntax's byte order.
        let value = uint32(at: offset)
        return bigEndian ? Tag(value) : Tag(group: UInt16(truncatingIfNeeded: value), element: UInt16(truncatingIfNeeded: value >> 16))
    }

    @inline(__always)
    private func uint16(at offset: Int) -> UInt16 {
        input.getInteger(at: offset, endianness: bigEndian ? .big : .little, as: UInt16.self)!
    }

    @inline(__always)
    private func uint32(at offset: Int) -> UInt32 {
        input.getInteger(at: offset, endianness: bigEndian ? .big : .little, as: UInt32.self)!
    }

    private func error(_ code: DICOMParsingError.Code, at offset: Int, _ tag: Tag?, _ detail: String) -> DICOMParsingError {
        DICOMParsingError(code, offset: offsetBase + offset, tag: tag, detail)
    }

    // MARK: - Helpers shared with the writer

    static let pixelData = Tag(0x7FE0_0010)

    /// The VR of an element read in Implicit VR: from the data dictionary, from the private
    /// dictionary through the block's creator, UN when neither knows the tag (PS3.5 §A.1).
    static func implicitVR(for tag: Tag, in context: DataSet) -> VR {
        if tag.isPrivate, !tag.isPrivateCreator, let creatorTag = tag.privateCreatorTag,
           let creator = context[creatorTag]?.bytes {
            // The creator's padding (PS3.5 §6.2) trimmed as bytes, so that each private element
            // costs one String at most.
            let view = creator.readableBytesView
            var start = view.startIndex
            var end = view.endIndex
            while start < end, view[start] == 0x20 || view[start] == 0x00 { start += 1 }
            while end > start, view[end - 1] == 0x20 || view[end - 1] == 0x00 { end -= 1 }
            return DataDictionary.vr(for: tag, privateCreator: String(decoding: view[start..<end], as: UTF8.self))
        }
        let vr = DataDictionary.vr(for: tag)
        // PS3.5 §A.1: in Implicit VR Little Endian, Pixel Data, Overlay Data and Waveform Data
        // ("OB or OW" in PS3.6) are OW.
        if vr == .OB, isOWInImplicitVR(tag) {
            return .OW
        }
        // LUT Data (0028,3006, "US or OW") and the retired Gray Lookup Table Data ("US or SS or
        // OW") are OW, as DCMTK's dcmconv writes them in Explicit VR: a table of any length fits
        // OW's 4-byte length, where US's 2 bytes hold 32767 entries at most.
        if vr == .US, tag == .lutData || tag == Tag(0x0028_1200) {
            return .OW
        }
        // "US or SS" elements follow Pixel Representation (0028,0103): 1 means signed.
        if vr == .US, DataDictionary.entry(for: tag)?.alternativeVRs.contains(.SS) == true,
           let representation = context[Tag(0x0028_0103)]?.bytes,
           representation.getInteger(at: representation.readerIndex, endianness: .little, as: UInt16.self) == 1 {
            return .SS
        }
        return vr
    }

    /// Pixel Data (7FE0,0010), Overlay Data (60xx,3000) and Waveform Data (5400,1010): the "OB or
    /// OW" elements PS3.5 §A.1 makes OW in Implicit VR Little Endian.
    static func isOWInImplicitVR(_ tag: Tag) -> Bool {
        tag == pixelData || tag == Tag(0x5400_1010) || (tag.element == 0x3000 && tag.group & 0xFFE1 == 0x6000)
    }

    /// Swaps each `unit`-byte number of `value` between big and little endian (PS3.5 §7.3).
    static func swapBytes(_ value: ByteBuffer, unit: Int) -> ByteBuffer {
        guard unit > 1 else { return value }
        var swapped = ByteBuffer()
        swapped.reserveCapacity(value.readableBytes)
        _ = value.withUnsafeReadableBytes { source in
            swapped.writeWithUnsafeMutableBytes(minimumWritableBytes: source.count) { target in
                let whole = source.count - source.count % unit
                var index = 0
                while index < whole {
                    for byte in 0..<unit { target[index + byte] = source[index + unit - 1 - byte] }
                    index += unit
                }
                // An odd tail (a sloppy writer's) is kept as it is.
                for byte in whole..<source.count { target[byte] = source[byte] }
                return source.count
            }
        }
        return swapped
    }
}
