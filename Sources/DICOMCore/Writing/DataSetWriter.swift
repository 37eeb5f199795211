public import NIOCore

/// Encodes data sets (PS3.5 §7) in any of the native transfer syntaxes.
///
/// Elements are written in the data set's order, with the VR, length form and value bytes they
/// hold: a data set read by ``DataSetReader`` writes back byte for byte (but for encapsulated
/// pixel data mislabelled OW, which the reader reads as OB). In explicit VR, a value too long for
/// its VR's 16-bit length is written as UN (``maximumShortLength``). Output goes to a chunk
/// handler: headers and small values are gathered into chunks of about ``chunkSize`` bytes, large
/// values are handed over as the slices they are, so writing a 1 GiB pixel data element copies
/// nothing.
public struct DataSetWriter: Sendable {
    /// The size of the chunks headers and small values are gathered into.
    public static let chunkSize = 64 * 1024

    private let explicit: Bool
    /// The byte order of what is being written: the syntax's, except inside UN sequences.
    private var bigEndian: Bool
    private var pending: ByteBuffer

    private init(explicit: Bool, bigEndian: Bool) {
        self.explicit = explicit
        self.bigEndian = bigEndian
        self.pending = ByteBuffer()
        pending.reserveCapacity(DataSetWriter.chunkSize)
    }

    /// Encodes `dataSet` into one buffer.
    public static func encode(_ dataSet: DataSet, transferSyntax: TransferSyntax) throws(DICOMEncodingError) -> ByteBuffer {
        var output = ByteBuffer()
        try write(dataSet, transferSyntax: transferSyntax) { chunk in
            var chunk = chunk
            output.writeBuffer(&chunk)
        }
        return output
    }

    /// Encodes `dataSet`, handing the bytes to `handleChunk` in order.
    ///
    /// A deflated transfer syntax encodes the whole data set before deflating it; the others stream.
    public static func write(
        _ dataSet: DataSet,
        transferSyntax: TransferSyntax,
        to handleChunk: (ByteBuffer) throws -> Void
    ) throws(DICOMEncodingError) {
        if transferSyntax.isDeflated {
            let plain = try encode(dataSet, transferSyntax: .explicitVRLittleEndian)
            try emit(Deflate.deflate(plain), to: handleChunk)
            return
        }
        var writer = DataSetWriter(explicit: transferSyntax.isExplicitVR, bigEndian: transferSyntax.isBigEndian)
        try writer.writeElements(of: dataSet, explicit: writer.explicit, to: handleChunk)
        try writer.flush(to: handleChunk)
    }

    /// The longest value an explicit VR element with a 16-bit length field takes: 2¹⁶−2, the
    /// largest even length (PS3.5 §7.1.2, CP-1066). Longer values of those VRs are written as UN.
    public static let maximumShortLength = 0xFFFE

    /// The number of bytes `dataSet` encodes to (for defined-length items and sequences).
    public static func encodedLength(of dataSet: DataSet, transferSyntax: TransferSyntax) -> Int {
        elementsLength(of: dataSet, explicit: transferSyntax.isExplicitVR)
    }

    // MARK: - Elements

    private mutating func writeElements(
        of dataSet: DataSet, explicit: Bool, to handleChunk: (ByteBuffer) throws -> Void
    ) throws(DICOMEncodingError) {
        for element in dataSet {
            try writeElement(element, explicit: explicit, to: handleChunk)
        }
    }

    private mutating func writeElement(
        _ element: DataElement, explicit: Bool, to handleChunk: (ByteBuffer) throws -> Void
    ) throws(DICOMEncodingError) {
        switch element.value {
        case .bytes(let value):
            var value = value
            var vr = element.vr
            if explicit, !vr.hasLongExplicitLength, value.readableBytes > DataSetWriter.maximumShortLength {
                // Too long for the 16-bit length of its VR: encoded as UN, whose length field is
                // 32 bits (PS3.5 §6.2.2, CP-1066). Its bytes stay little endian, as UN bytes are.
                vr = .UN
            }
            if bigEndian, let unit = vr.binaryValueSize {
                value = DataSetReader.swapBytes(value, unit: unit)
            }
            try writeHeader(element.tag, vr, length: value.readableBytes, explicit: explicit)
            if value.readableBytes >= DataSetWriter.chunkSize / 4 {
                try flush(to: handleChunk)
                try DataSetWriter.emit(value, to: handleChunk)
            } else {
                pending.writeImmutableBuffer(value)
                if pending.readableBytes >= DataSetWriter.chunkSize { try flush(to: handleChunk) }
            }

        case .sequence(let items):
            guard element.vr == .SQ || element.vr == .UN else {
                throw DICOMEncodingError(.invalidValueForVR, tag: element.tag, "a sequence under VR \(element.vr)")
            }
            // Items of a UN sequence are Implicit VR Little Endian (PS3.5 §6.2.2).
            let itemsExplicit = element.vr == .UN ? false : explicit
            let length = element.hasUndefinedLength
                ? nil : DataSetWriter.itemsLength(items, explicit: itemsExplicit)
            try writeHeader(element.tag, element.vr, length: length, explicit: explicit)
            // ... and Little Endian, Explicit VR Big Endian included: items and delimiters.
            let outerBigEndian = bigEndian
            if element.vr == .UN { bigEndian = false }
            defer { bigEndian = outerBigEndian }
            for item in items {
                writeTag(.item)
                if item.itemHasUndefinedLength {
                    writeUInt32(0xFFFF_FFFF)
                    try writeElements(of: item, explicit: itemsExplicit, to: handleChunk)
                    writeTag(.itemDelimitationItem)
                    writeUInt32(0)
                } else {
                    writeUInt32(UInt32(DataSetWriter.elementsLength(of: item, explicit: itemsExplicit)))
                    try writeElements(of: item, explicit: itemsExplicit, to: handleChunk)
                }
            }
            if element.hasUndefinedLength {
                writeTag(.sequenceDelimitationItem)
                writeUInt32(0)
            }

        case .fragments(let fragments):
            guard element.vr == .OB || element.vr == .OW else {
                throw DICOMEncodingError(.invalidValueForVR, tag: element.tag, "encapsulated fragments under VR \(element.vr)")
            }
            try writeHeader(element.tag, element.vr, length: nil, explicit: explicit)
            for fragment in [fragments.basicOffsetTable] + fragments.fragments {
                writeTag(.item)
                writeUInt32(UInt32(fragment.readableBytes))
                if fragment.readableBytes >= DataSetWriter.chunkSize / 4 {
                    try flush(to: handleChunk)
                    try DataSetWriter.emit(fragment, to: handleChunk)
                } else {
                    pending.writeImmutableBuffer(fragment)
                }
            }
            writeTag(.sequenceDelimitationItem)
            writeUInt32(0)
        }
    }

    /// Writes a tag, VR (explicit) and length; `nil` length is undefined length (FFFFFFFFH).
    private mutating func writeHeader(_ tag: Tag, _ vr: VR, length: Int?, explicit: Bool) throws(DICOMEncodingError) {
        writeTag(tag)
        let encodedLength = length.map(UInt32.init) ?? 0xFFFF_FFFF
        if let length, length >= 0xFFFF_FFFF {
            throw DICOMEncodingError(.valueTooLong, tag: tag, "\(length) bytes do not fit a 32-bit length")
        }
        guard explicit else {
            writeUInt32(encodedLength)
            return
        }
        pending.writeInteger(vr.code, endianness: .big)
        if vr.hasLongExplicitLength {
            pending.writeInteger(UInt16(0))
            writeUInt32(encodedLength)
        } else {
            guard let length, length <= 0xFFFF else {
                throw DICOMEncodingError(.valueTooLong, tag: tag, "\(length.map(String.init) ?? "undefined") bytes do not fit the 16-bit length of VR \(vr)")
            }
            pending.writeInteger(UInt16(length), endianness: bigEndian ? .big : .little)
        }
    }

    private mutating func writeTag(_ tag: Tag) {
        let endianness: Endianness = bigEndian ? .big : .little
        pending.writeMultipleIntegers(tag.group, tag.element, endianness: endianness)
    }

    private mutating func writeUInt32(_ value: UInt32) {
        pending.writeInteger(value, endianness: bigEndian ? .big : .little)
    }

    private mutating func flush(to handleChunk: (ByteBuffer) throws -> Void) throws(DICOMEncodingError) {
        guard pending.readableBytes > 0 else { return }
        try DataSetWriter.emit(pending, to: handleChunk)
        pending.clear()
    }

    private static func emit(_ chunk: ByteBuffer, to handleChunk: (ByteBuffer) throws -> Void) throws(DICOMEncodingError) {
        do {
            try handleChunk(chunk)
        } catch {
            throw DICOMEncodingError(.outputFailed, tag: nil, "\(error)")
        }
    }

    // MARK: - Lengths

    private static func elementsLength(of dataSet: DataSet, explicit: Bool) -> Int {
        var total = 0
        for element in dataSet { total += elementLength(element, explicit: explicit) }
        return total
    }

    private static func elementLength(_ element: DataElement, explicit: Bool) -> Int {
        let header = explicit && !element.vr.hasLongExplicitLength ? 8 : (explicit ? 12 : 8)
        switch element.value {
        case .bytes(let value):
            if explicit, !element.vr.hasLongExplicitLength, value.readableBytes > maximumShortLength {
                return 12 + value.readableBytes  // written as UN
            }
            return header + value.readableBytes
        case .sequence(let items):
            let itemsExplicit = element.vr == .UN ? false : explicit
            return header + itemsLength(items, explicit: itemsExplicit) + (element.hasUndefinedLength ? 8 : 0)
        case .fragments(let fragments):
            let content = fragments.fragments.reduce(fragments.basicOffsetTable.readableBytes) { $0 + $1.readableBytes }
            return header + 8 * (fragments.fragments.count + 1) + content + 8
        }
    }

    private static func itemsLength(_ items: [DataSet], explicit: Bool) -> Int {
        items.reduce(0) { total, item in
            total + 8 + elementsLength(of: item, explicit: explicit) + (item.itemHasUndefinedLength ? 8 : 0)
        }
    }
}
