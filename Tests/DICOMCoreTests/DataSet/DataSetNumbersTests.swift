import DICOMCore
import NIOCore
import Testing

@Suite("DataSet numeric accessors (PS3.5 Table 6.2-1)")
struct DataSetNumbersTests {
    static let tag = Tag(0x0028_0010)

    static func dataSet(_ vr: VR, _ bytes: [UInt8]) -> DataSet {
        DataSet([DataElement(tag: tag, vr: vr, bytes: ByteBuffer(bytes: bytes))])
    }

    static func dataSet(_ vr: VR, _ text: String) -> DataSet {
        dataSet(vr, Array(text.utf8))
    }

    struct IntegerCase: Sendable, CustomTestStringConvertible {
        let vr: VR
        let bytes: [UInt8]
        let expected: [Int]
        let label: String
        var testDescription: String { "\(vr) \(label)" }
    }

    static let integerCases: [IntegerCase] = [
        IntegerCase(vr: .US, bytes: [0x01, 0x00], expected: [1], label: "1"),
        IntegerCase(vr: .US, bytes: [0x00, 0x02, 0xFF, 0xFF, 0x34, 0x12], expected: [512, 65535, 0x1234], label: "VM 3"),
        IntegerCase(vr: .SS, bytes: [0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F], expected: [-1, -32768, 32767], label: "VM 3"),
        IntegerCase(vr: .UL, bytes: [0x78, 0x56, 0x34, 0x12, 0xFF, 0xFF, 0xFF, 0xFF], expected: [0x1234_5678, 4_294_967_295], label: "VM 2"),
        IntegerCase(vr: .SL, bytes: [0xFE, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80], expected: [-2, -2_147_483_648], label: "VM 2"),
        IntegerCase(vr: .SV, bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0, 0, 0, 0, 0x80], expected: [-1, Int.min + 1], label: "VM 2"),
        IntegerCase(vr: .UV, bytes: [0x01, 0x02, 0, 0, 0, 0, 0, 0], expected: [0x0201], label: "1"),
        IntegerCase(vr: .UV, bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], expected: [Int.max], label: "Int.max"),
        IntegerCase(vr: .OW, bytes: [0x01, 0x00, 0x02, 0x00], expected: [1, 2], label: "2 words"),
        IntegerCase(vr: .OL, bytes: [0x01, 0x00, 0x00, 0x01], expected: [0x0100_0001], label: "1 long"),
        IntegerCase(vr: .OV, bytes: [0x05, 0, 0, 0, 0, 0, 0, 0], expected: [5], label: "1"),
        IntegerCase(vr: .IS, bytes: Array("12\\-3 ".utf8), expected: [12, -3], label: "VM 2"),
        IntegerCase(vr: .IS, bytes: Array(" +7 ".utf8), expected: [7], label: "leading space and sign"),
        IntegerCase(vr: .IS, bytes: Array("-2147483648 ".utf8), expected: [-2_147_483_648], label: "minimum"),
        IntegerCase(vr: .IS, bytes: Array("0042".utf8), expected: [42], label: "leading zeros"),
        IntegerCase(vr: .US, bytes: [], expected: [], label: "empty"),
        IntegerCase(vr: .IS, bytes: Array("  ".utf8), expected: [], label: "spaces only"),
        // Malformed: no partial results.
        IntegerCase(vr: .US, bytes: [0x01, 0x00, 0x02], expected: [], label: "partial trailing value"),
        IntegerCase(vr: .SL, bytes: [0x01, 0x00, 0x00, 0x00, 0x02, 0x00], expected: [], label: "6 bytes"),
        IntegerCase(vr: .SV, bytes: [0x01, 0x00, 0x00, 0x00], expected: [], label: "4 bytes"),
        IntegerCase(vr: .UV, bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], expected: [], label: "above Int.max"),
        IntegerCase(vr: .IS, bytes: Array("1.5 ".utf8), expected: [], label: "decimal"),
        IntegerCase(vr: .IS, bytes: Array("1\\\\2 ".utf8), expected: [], label: "empty value"),
        IntegerCase(vr: .IS, bytes: Array("1 2 ".utf8), expected: [], label: "embedded space"),
        IntegerCase(vr: .IS, bytes: Array("99999999999999999999".utf8), expected: [], label: "beyond Int"),
        IntegerCase(vr: .FL, bytes: [0, 0, 0x80, 0x3F], expected: [], label: "not an integer VR"),
        IntegerCase(vr: .LO, bytes: Array("12".utf8), expected: [], label: "not an integer VR"),
    ]

    @Test("integers(_:) and integer(_:)", arguments: integerCases)
    func integers(row: IntegerCase) {
        let dataSet = Self.dataSet(row.vr, row.bytes)
        #expect(dataSet.integers(Self.tag) == row.expected)
        #expect(dataSet.integer(Self.tag) == row.expected.first)
    }

    struct DoubleCase: Sendable, CustomTestStringConvertible {
        let vr: VR
        let bytes: [UInt8]
        let expected: [Double]
        let label: String
        var testDescription: String { "\(vr) \(label)" }
    }

    static let doubleCases: [DoubleCase] = [
        DoubleCase(vr: .FL, bytes: [0x00, 0x00, 0xC0, 0x3F], expected: [1.5], label: "1.5"),
        DoubleCase(vr: .FL, bytes: [0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x20, 0xC1], expected: [1.5, -10], label: "VM 2"),
        DoubleCase(vr: .FD, bytes: [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F], expected: [0.1], label: "0.1"),
        DoubleCase(vr: .FD, bytes: [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0], expected: [1, -2], label: "VM 2"),
        DoubleCase(vr: .OF, bytes: [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40], expected: [1, 2], label: "2 floats"),
        DoubleCase(vr: .OD, bytes: [0, 0, 0, 0, 0, 0, 0x08, 0x40], expected: [3], label: "1 double"),
        DoubleCase(vr: .DS, bytes: Array("1.5\\-2e3 ".utf8), expected: [1.5, -2000], label: "VM 2"),
        DoubleCase(vr: .DS, bytes: Array(" .5 ".utf8), expected: [0.5], label: "leading space and dot"),
        DoubleCase(vr: .DS, bytes: Array("+1E-2 ".utf8), expected: [0.01], label: "sign and exponent"),
        DoubleCase(vr: .DS, bytes: Array("12".utf8), expected: [12], label: "integer"),
        DoubleCase(vr: .DS, bytes: [], expected: [], label: "empty"),
        // Malformed: no partial results.
        DoubleCase(vr: .FD, bytes: [0, 0, 0, 0, 0, 0, 0xF0], expected: [], label: "7 bytes"),
        DoubleCase(vr: .FL, bytes: [0, 0, 0x80, 0x3F, 0, 0], expected: [], label: "partial trailing value"),
        DoubleCase(vr: .DS, bytes: Array("nan ".utf8), expected: [], label: "nan"),
        DoubleCase(vr: .DS, bytes: Array("inf ".utf8), expected: [], label: "inf"),
        DoubleCase(vr: .DS, bytes: Array("0x1p3 ".utf8), expected: [], label: "hexadecimal"),
        DoubleCase(vr: .DS, bytes: Array("1,5 ".utf8), expected: [], label: "comma"),
        DoubleCase(vr: .DS, bytes: Array("1\\ ".utf8), expected: [], label: "empty second value"),
        DoubleCase(vr: .US, bytes: [1, 0], expected: [], label: "not a floating-point VR"),
    ]

    @Test("doubles(_:) and double(_:)", arguments: doubleCases)
    func doubles(row: DoubleCase) {
        let dataSet = Self.dataSet(row.vr, row.bytes)
        #expect(dataSet.doubles(Self.tag) == row.expected)
        #expect(dataSet.double(Self.tag) == row.expected.first)
    }

    @Test("Absent elements, sequences and fragments give nothing")
    func absentOrNotBytes() {
        var dataSet = DataSet()
        #expect(dataSet.integers(Self.tag).isEmpty)
        #expect(dataSet.integer(Self.tag) == nil)
        #expect(dataSet.double(Self.tag) == nil)
        #expect(dataSet.attributeTags(Self.tag).isEmpty)
        dataSet.setSequence([DataSet()], for: Self.tag)
        #expect(dataSet.integers(Self.tag).isEmpty)
        #expect(dataSet.doubles(Self.tag).isEmpty)
    }

    @Test("attributeTags(_:) reads group then element, little endian")
    func attributeTags() {
        let dataSet = Self.dataSet(.AT, [0x10, 0x00, 0x20, 0x00, 0x08, 0x00, 0x18, 0x00])
        #expect(dataSet.attributeTags(Self.tag) == [Tag(0x0010_0020), Tag(0x0008_0018)])
        #expect(Self.dataSet(.AT, [0x10, 0x00, 0x20, 0x00, 0x08, 0x00]).attributeTags(Self.tag).isEmpty)
        #expect(Self.dataSet(.UL, [0x10, 0x00, 0x20, 0x00]).attributeTags(Self.tag).isEmpty)

        var written = DataSet()
        written.setAttributeTags([Tag(0x7FE0_0010), Tag(0x0020_000D)], for: Self.tag)
        #expect(written[Self.tag]?.vr == .AT)
        #expect(written[Self.tag]?.bytes.map { Array($0.readableBytesView) } == [0xE0, 0x7F, 0x10, 0x00, 0x20, 0x00, 0x0D, 0x00])
    }

    @Test("Big-endian input reads the same after the reader's swap")
    func bigEndianInput() throws {
        var dataSet = DataSet()
        try dataSet.setIntegers([1, 0x1234], for: Tag(0x0028_0010), vr: .US)
        try dataSet.setIntegers([-5], for: Tag(0x0028_0106), vr: .SS)
        try dataSet.setDoubles([0.1, -3], for: Tag(0x0018_0050), vr: .FD)
        dataSet.setAttributeTags([Tag(0x0010_0020)], for: Tag(0x0020_5000))
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRBigEndian)
        // On the wire the US element is big endian: (0028,0010) US, length 4, 0001 1234.
        let wire = Array(encoded.readableBytesView)
        let usElement: [UInt8] = [0x00, 0x28, 0x00, 0x10, 0x55, 0x53, 0x00, 0x04, 0x00, 0x01, 0x12, 0x34]
        #expect(wire.indices.contains { wire[$0...].starts(with: usElement) })
        let read = try DataSetReader.read(encoded, transferSyntax: .explicitVRBigEndian)
        #expect(read.integers(Tag(0x0028_0010)) == [1, 0x1234])
        #expect(read.integer(Tag(0x0028_0106)) == -5)
        #expect(read.doubles(Tag(0x0018_0050)) == [0.1, -3])
        #expect(read.attributeTags(Tag(0x0020_5000)) == [Tag(0x0010_0020)])
    }

    // MARK: - Setters

    struct IntegerEncoding: Sendable, CustomTestStringConvertible {
        let vr: VR
        let values: [Int]
        let bytes: [UInt8]
        var testDescription: String { "\(vr) \(values)" }
    }

    @Test("setIntegers(_:for:vr:) writes little endian or IS text", arguments: [
        IntegerEncoding(vr: .US, values: [1, 65535], bytes: [0x01, 0x00, 0xFF, 0xFF]),
        IntegerEncoding(vr: .SS, values: [-1, -32768], bytes: [0xFF, 0xFF, 0x00, 0x80]),
        IntegerEncoding(vr: .UL, values: [0x1234_5678], bytes: [0x78, 0x56, 0x34, 0x12]),
        IntegerEncoding(vr: .SL, values: [-2], bytes: [0xFE, 0xFF, 0xFF, 0xFF]),
        IntegerEncoding(vr: .SV, values: [-1], bytes: Array(repeating: 0xFF, count: 8)),
        IntegerEncoding(vr: .UV, values: [0x0102], bytes: [0x02, 0x01, 0, 0, 0, 0, 0, 0]),
        IntegerEncoding(vr: .OW, values: [2, 3], bytes: [0x02, 0x00, 0x03, 0x00]),
        IntegerEncoding(vr: .OL, values: [1], bytes: [0x01, 0, 0, 0]),
        IntegerEncoding(vr: .OV, values: [1], bytes: [0x01, 0, 0, 0, 0, 0, 0, 0]),
        IntegerEncoding(vr: .IS, values: [12, -3], bytes: Array("12\\-3 ".utf8)),
        IntegerEncoding(vr: .IS, values: [-2_147_483_648], bytes: Array("-2147483648 ".utf8)),
        IntegerEncoding(vr: .IS, values: [], bytes: []),
    ])
    func setIntegers(row: IntegerEncoding) throws {
        var dataSet = DataSet()
        try dataSet.setIntegers(row.values, for: Self.tag, vr: row.vr)
        #expect(dataSet[Self.tag]?.vr == row.vr)
        #expect(dataSet[Self.tag]?.bytes.map { Array($0.readableBytesView) } == row.bytes)
        #expect(dataSet.integers(Self.tag) == row.values)
    }

    @Test("setIntegers(_:for:vr:) refuses values outside the VR's range and non-integer VRs", arguments: [
        (VR.US, 65536), (.US, -1), (.SS, 32768), (.UL, -1), (.UL, 4_294_967_296), (.SL, 2_147_483_648),
        (.UV, -1), (.OW, 70000), (.IS, 2_147_483_648), (.IS, -2_147_483_649), (.FL, 1), (.CS, 1), (.DS, 1),
    ])
    func setIntegersRefuses(vr: VR, value: Int) {
        var dataSet = DataSet()
        #expect(throws: DICOMEncodingError.self) { try dataSet.setIntegers([1, value], for: Self.tag, vr: vr) }
        #expect(!dataSet.contains(Self.tag))
    }

    struct DoubleEncoding: Sendable, CustomTestStringConvertible {
        let vr: VR
        let values: [Double]
        let bytes: [UInt8]
        var testDescription: String { "\(vr) \(values)" }
    }

    @Test("setDoubles(_:for:vr:) writes IEEE 754 little endian or DS text", arguments: [
        DoubleEncoding(vr: .FL, values: [1.5], bytes: [0x00, 0x00, 0xC0, 0x3F]),
        DoubleEncoding(vr: .OF, values: [1, 2], bytes: [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40]),
        DoubleEncoding(vr: .FD, values: [0.1], bytes: [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F]),
        DoubleEncoding(vr: .OD, values: [3], bytes: [0, 0, 0, 0, 0, 0, 0x08, 0x40]),
        DoubleEncoding(vr: .DS, values: [1.5, -2000], bytes: Array("1.5\\-2000 ".utf8)),
        DoubleEncoding(vr: .DS, values: [1], bytes: Array("1 ".utf8)),
        DoubleEncoding(vr: .DS, values: [0.1], bytes: Array("0.1 ".utf8)),
        DoubleEncoding(vr: .DS, values: [1e-5], bytes: Array("1e-05 ".utf8)),
        DoubleEncoding(vr: .DS, values: [1e300], bytes: Array("1e+300".utf8)),
    ])
    func setDoubles(row: DoubleEncoding) throws {
        var dataSet = DataSet()
        try dataSet.setDoubles(row.values, for: Self.tag, vr: row.vr)
        #expect(dataSet[Self.tag]?.vr == row.vr)
        #expect(dataSet[Self.tag]?.bytes.map { Array($0.readableBytesView) } == row.bytes)
        #expect(dataSet.doubles(Self.tag) == row.values)
    }

    @Test("DS values are written in at most 16 characters", arguments: [
        1.0 / 3, -1.0 / 3, 0.1 + 0.2, 123_456_789_012_345_680, -1.234_567_890_123_456_7e-300, 2.5e-8,
        Double.greatestFiniteMagnitude, -Double.leastNonzeroMagnitude, 9_999_999_999_999_998,
    ])
    func decimalStringLength(value: Double) throws {
        var dataSet = DataSet()
        try dataSet.setDoubles([value], for: Self.tag, vr: .DS)
        let text = try #require(dataSet.string(Self.tag))
        #expect(text.utf8.count <= 16)
        let read = try #require(dataSet.double(Self.tag))
        #expect(abs(read - value) <= abs(value) * 1e-8, "at least 9 significant digits fit in 16 characters")
        #expect(VR.DS.validate(try #require(dataSet[Self.tag]?.bytes)).isEmpty)
    }

    @Test("setDoubles(_:for:vr:) refuses what the VR cannot hold", arguments: [
        (VR.DS, Double.nan), (.DS, .infinity), (.FL, 1e300), (.US, 1), (.IS, 1),
    ])
    func setDoublesRefuses(vr: VR, value: Double) {
        var dataSet = DataSet()
        #expect(throws: DICOMEncodingError.self) { try dataSet.setDoubles([value], for: Self.tag, vr: vr) }
        #expect(!dataSet.contains(Self.tag))
    }
}
