import DICOMCore
import NIOCore
import Testing

/// Encoding rules the interop tests against DCMTK and pydicom brought out (netdicomTests), each
/// pinned here with hand-made bytes: the VRs implicit VR gives, encapsulated pixel data, UN
/// sequences in big endian, and values too long for a 16-bit length.
@Suite("Encoding rules: implicit VRs, UN, long values")
struct EncodingRulesTests {
    // MARK: - Bytes

    /// An Implicit VR Little Endian element.
    static func implicit(_ tag: UInt32, length: UInt32, _ value: [UInt8] = []) -> [UInt8] {
        le16(UInt16(tag >> 16)) + le16(UInt16(tag & 0xFFFF)) + le32(length) + value
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func be32(_ value: UInt32) -> [UInt8] { le32(value).reversed() }

    static let item: [UInt8] = [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]
    static let itemDelimiter: [UInt8] = [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]
    static let sequenceDelimiter: [UInt8] = [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]

    static func read(_ bytes: [UInt8], _ syntax: TransferSyntax) throws -> DataSet {
        try DataSetReader.read(ByteBuffer(bytes: bytes), transferSyntax: syntax)
    }

    static func encode(_ dataSet: DataSet, _ syntax: TransferSyntax) throws -> [UInt8] {
        Array(try DataSetWriter.encode(dataSet, transferSyntax: syntax).readableBytesView)
    }

    // MARK: - Implicit VR

    @Test("in implicit VR, Pixel Data, Overlay Data and Waveform Data are OW (PS3.5 §A.1); other OB-or-OW elements keep OB",
          arguments: [
            (UInt32(0x7FE0_0010), VR.OW), (0x6000_3000, .OW), (0x601E_3000, .OW), (0x5400_1010, .OW),
            (0x5400_100A, .OB), (0x0014_3050, .OB),
          ])
    func owInImplicitVR(tag: UInt32, vr: VR) throws {
        let bytes = Self.implicit(tag, length: 4, [1, 2, 3, 4])
        let dataSet = try Self.read(bytes, .implicitVRLittleEndian)
        #expect(dataSet[Tag(tag)]?.vr == vr)
        #expect(try Self.encode(dataSet, .implicitVRLittleEndian) == bytes)
    }

    @Test("in implicit VR, LUT Data (US or OW) is OW, and goes to Explicit VR as OW with a 32-bit length whatever its size, as dcmconv writes it",
          arguments: [4, 80_000])
    func lutDataInImplicitVR(length: Int) throws {
        let value = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
        let dataSet = try Self.read(Self.implicit(0x0028_3006, length: UInt32(length), value), .implicitVRLittleEndian)
        #expect(dataSet[.lutData]?.vr == .OW)
        #expect(try Self.encode(dataSet, .explicitVRLittleEndian) == [0x28, 0x00, 0x06, 0x30] + Array("OW".utf8) + [0, 0] + Self.le32(UInt32(length)) + value)
    }

    @Test("in implicit VR, an unknown element of undefined length is read as the sequence it must be")
    func unknownUndefinedLengthIsSequence() throws {
        let name = Self.implicit(0x0010_0010, length: 4, Array("AB^C".utf8))
        let bytes = Self.implicit(0x0011_1001, length: 0xFFFF_FFFF) + Self.item + name + Self.itemDelimiter + Self.sequenceDelimiter
        let dataSet = try Self.read(bytes, .implicitVRLittleEndian)
        let element = try #require(dataSet[Tag(0x0011_1001)])
        #expect(element.vr == .SQ)
        #expect(element.items?.count == 1)
        #expect(element.items?.first?.string(.patientName) == "AB^C")
        #expect(try Self.encode(dataSet, .implicitVRLittleEndian) == bytes)
        // A known element of defined length stays what the dictionary says; an unknown one, UN.
        let defined = try Self.read(Self.implicit(0x0011_1002, length: 2, [1, 2]), .implicitVRLittleEndian)
        #expect(defined[Tag(0x0011_1002)]?.vr == .UN)
    }

    // MARK: - Encapsulated pixel data

    @Test("encapsulated pixel data labelled OW is read, and written, as OB (PS3.5 §8.2, §A.4)")
    func encapsulatedOWIsOB() throws {
        func pixelData(_ vr: String) -> [UInt8] {
            [0xE0, 0x7F, 0x10, 0x00] + Array(vr.utf8) + [0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
                + [0xFE, 0xFF, 0x00, 0xE0] + Self.le32(0) + [0xFE, 0xFF, 0x00, 0xE0] + Self.le32(2) + [0xAB, 0xCD]
                + Self.sequenceDelimiter
        }
        let dataSet = try Self.read(pixelData("OW"), .jpegBaseline8Bit)
        let element = try #require(dataSet[.pixelData])
        #expect(element.vr == .OB)
        #expect(element.fragments?.fragments == [ByteBuffer(bytes: [0xAB, 0xCD])])
        #expect(try Self.encode(dataSet, .jpegBaseline8Bit) == pixelData("OB"))
    }

    // MARK: - UN sequences in big endian

    /// (0009,0010) LO "ACME" then (0009,1001) UN of undefined length holding one item with a
    /// Patient's Name: the headers in big endian, the UN's value Implicit VR Little Endian.
    static let bigEndianUNSequence: [UInt8] =
        be16(0x0009) + be16(0x0010) + Array("LO".utf8) + be16(4) + Array("ACME".utf8)
        + be16(0x0009) + be16(0x1001) + Array("UN".utf8) + [0, 0] + be32(0xFFFF_FFFF)
        + item + implicit(0x0010_0010, length: 4, Array("AB^C".utf8)) + itemDelimiter + sequenceDelimiter

    @Test("a UN sequence in Explicit VR Big Endian is Implicit VR Little Endian inside, read and written (PS3.5 §6.2.2)")
    func unSequenceInBigEndian() throws {
        let dataSet = try Self.read(Self.bigEndianUNSequence, .explicitVRBigEndian)
        let element = try #require(dataSet[Tag(0x0009_1001)])
        #expect(element.vr == .UN)
        #expect(element.items?.first?.string(.patientName) == "AB^C")
        #expect(try Self.encode(dataSet, .explicitVRBigEndian) == Self.bigEndianUNSequence)
        // And the same items under an SQ are big endian, as the rest of the data set.
        var sequence = dataSet
        sequence[Tag(0x0009_1001)]?.vr = .SQ
        let encoded = try Self.encode(sequence, .explicitVRBigEndian)
        #expect(encoded.contains(subsequence: Self.be16(0xFFFE) + Self.be16(0xE000)))
        #expect(try Self.read(encoded, .explicitVRBigEndian) == sequence)
    }

    // MARK: - Long values

    @Test("a value too long for its VR's 16-bit length is written as UN (PS3.5 §6.2.2, CP-1066)",
          arguments: [TransferSyntax.explicitVRLittleEndian, .explicitVRBigEndian, .implicitVRLittleEndian])
    func longValueAsUN(_ syntax: TransferSyntax) throws {
        let count = DataSetWriter.maximumShortLength + 2
        let value = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var dataSet = DataSet()
        dataSet[Tag(0x0008_0304)] = DataElement(tag: Tag(0x0008_0304), vr: .US, bytes: ByteBuffer(bytes: value))
        let encoded = try Self.encode(dataSet, syntax)
        #expect(encoded.count == DataSetWriter.encodedLength(of: dataSet, transferSyntax: syntax))
        let reread = try Self.read(encoded, syntax)
        // Explicit VR says UN, with its bytes unswapped whatever the byte order; implicit VR
        // carries no VR, and the dictionary's comes back.
        #expect(reread[Tag(0x0008_0304)]?.vr == (syntax.isExplicitVR ? .UN : .US))
        #expect(reread[Tag(0x0008_0304)]?.bytes == ByteBuffer(bytes: value))
        if syntax.isExplicitVR {
            let header = syntax.isBigEndian
                ? Self.be16(0x0008) + Self.be16(0x0304) + Array("UN".utf8) + [0, 0] + Self.be32(UInt32(count))
                : Self.le16(0x0008) + Self.le16(0x0304) + Array("UN".utf8) + [0, 0] + Self.le32(UInt32(count))
            #expect(Array(encoded.prefix(12)) == header)
        }
        // The longest value that fits keeps its VR.
        dataSet[Tag(0x0008_0304)] = DataElement(tag: Tag(0x0008_0304), vr: .US, bytes: ByteBuffer(bytes: value.dropLast(2)))
        #expect(try Self.read(Self.encode(dataSet, syntax), syntax)[Tag(0x0008_0304)]?.vr == .US)
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<$0 + subsequence.count].elementsEqual(subsequence) }
    }
}
