import DICOMCore
import NIOCore
import Testing

/// One row of PS3.5 Table 6.2-1 and Table 7.1-1/7.1-2, written out from the standard.
struct VRRule: Sendable, CustomTestStringConvertible {
    let vr: VR
    /// The padding byte (§6.2): space for text, NUL for UI and binary.
    let paddingByte: UInt8
    /// A 32-bit length after two reserved bytes in explicit VR (Table 7.1-1).
    let hasLongExplicitLength: Bool
    /// Table 6.2-1's "Length of Value" for one value, nil for 2³²−2 (or no limit).
    let maximumValueLength: Int?
    /// The byte-swapping unit (PS3.5 §7.3), nil for text, OB, UN and SQ.
    let binaryValueSize: Int?
    /// Whether the value is text.
    let isString: Bool

    var testDescription: String { vr.rawValue }

    static let all: [VRRule] = [
        VRRule(vr: .AE, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 16, binaryValueSize: nil, isString: true),
        VRRule(vr: .AS, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 4, binaryValueSize: nil, isString: true),
        VRRule(vr: .AT, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 4, binaryValueSize: 2, isString: false),
        VRRule(vr: .CS, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 16, binaryValueSize: nil, isString: true),
        VRRule(vr: .DA, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 8, binaryValueSize: nil, isString: true),
        VRRule(vr: .DS, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 16, binaryValueSize: nil, isString: true),
        VRRule(vr: .DT, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 26, binaryValueSize: nil, isString: true),
        VRRule(vr: .FL, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 4, binaryValueSize: 4, isString: false),
        VRRule(vr: .FD, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 8, binaryValueSize: 8, isString: false),
        VRRule(vr: .IS, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 12, binaryValueSize: nil, isString: true),
        VRRule(vr: .LO, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 64, binaryValueSize: nil, isString: true),
        VRRule(vr: .LT, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 10240, binaryValueSize: nil, isString: true),
        VRRule(vr: .OB, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: nil, isString: false),
        VRRule(vr: .OD, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: 8, isString: false),
        VRRule(vr: .OF, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: 4, isString: false),
        VRRule(vr: .OL, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: 4, isString: false),
        VRRule(vr: .OV, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: 8, isString: false),
        VRRule(vr: .OW, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: 2, isString: false),
        VRRule(vr: .PN, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 64, binaryValueSize: nil, isString: true),
        VRRule(vr: .SH, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 16, binaryValueSize: nil, isString: true),
        VRRule(vr: .SL, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 4, binaryValueSize: 4, isString: false),
        VRRule(vr: .SQ, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: nil, isString: false),
        VRRule(vr: .SS, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 2, binaryValueSize: 2, isString: false),
        VRRule(vr: .ST, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 1024, binaryValueSize: nil, isString: true),
        VRRule(vr: .SV, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: 8, binaryValueSize: 8, isString: false),
        VRRule(vr: .TM, paddingByte: 0x20, hasLongExplicitLength: false, maximumValueLength: 14, binaryValueSize: nil, isString: true),
        VRRule(vr: .UC, paddingByte: 0x20, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: nil, isString: true),
        VRRule(vr: .UI, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 64, binaryValueSize: nil, isString: true),
        VRRule(vr: .UL, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 4, binaryValueSize: 4, isString: false),
        VRRule(vr: .UN, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: nil, isString: false),
        VRRule(vr: .UR, paddingByte: 0x20, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: nil, isString: true),
        VRRule(vr: .US, paddingByte: 0x00, hasLongExplicitLength: false, maximumValueLength: 2, binaryValueSize: 2, isString: false),
        VRRule(vr: .UT, paddingByte: 0x20, hasLongExplicitLength: true, maximumValueLength: nil, binaryValueSize: nil, isString: true),
        VRRule(vr: .UV, paddingByte: 0x00, hasLongExplicitLength: true, maximumValueLength: 8, binaryValueSize: 8, isString: false),
    ]

    /// The non-sequence rows, which hold byte values.
    static let byteValued = all.filter { $0.vr != .SQ }
    /// The text rows.
    static let strings = all.filter(\.isString)
}

@Suite("VR encoding rules (PS3.5 Table 6.2-1, Table 7.1-1)")
struct VRRulesTests {
    @Test("The table covers every VR once")
    func tableIsComplete() {
        #expect(VRRule.all.map(\.vr) == VR.allCases)
    }

    @Test("Every VR reads back from its two code bytes, and no other pair of letters is a VR")
    func codes() {
        for vr in VR.allCases {
            #expect(VR(code: vr.code) == vr)
        }
        let letters = UInt16(UInt8(ascii: "A"))...UInt16(UInt8(ascii: "Z"))
        let known = Set(VR.allCases.map(\.code))
        for first in letters {
            for second in letters where !known.contains(first << 8 | second) {
                #expect(VR(code: first << 8 | second) == nil)
            }
        }
        #expect(VR(code: 0x0000) == nil)
        #expect(VR(code: 0xFFFF) == nil)
    }

    @Test("Padding byte", arguments: VRRule.all)
    func paddingByte(rule: VRRule) {
        #expect(rule.vr.paddingByte == rule.paddingByte)
    }

    @Test("Long or short explicit length", arguments: VRRule.all)
    func explicitLengthForm(rule: VRRule) {
        #expect(rule.vr.hasLongExplicitLength == rule.hasLongExplicitLength)
    }

    @Test("Maximum length of one value", arguments: VRRule.all)
    func maximumValueLength(rule: VRRule) {
        #expect(rule.vr.maximumValueLength == rule.maximumValueLength)
    }

    @Test("Binary value size", arguments: VRRule.all)
    func binaryValueSize(rule: VRRule) {
        #expect(rule.vr.binaryValueSize == rule.binaryValueSize)
        #expect(rule.vr.isString == rule.isString)
    }

    @Test("Explicit VR header on the wire: 12 bytes with reserved zeros for long lengths, 8 otherwise", arguments: VRRule.byteValued)
    func explicitHeaderBytes(rule: VRRule) throws {
        let value: [UInt8] = [0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38]
        var dataSet = DataSet()
        dataSet.insert(DataElement(tag: Tag(0x0011_1001), vr: rule.vr, bytes: ByteBuffer(bytes: value)))
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        let bytes = Array(encoded.readableBytesView)
        let code = Array(rule.vr.rawValue.utf8)
        if rule.hasLongExplicitLength {
            #expect(bytes == [0x11, 0x00, 0x01, 0x10] + code + [0, 0, 8, 0, 0, 0] + value)
        } else {
            #expect(bytes == [0x11, 0x00, 0x01, 0x10] + code + [8, 0] + value)
        }
    }

    @Test("setString pads an odd value with the VR's padding byte", arguments: VRRule.strings)
    func setStringPadding(rule: VRRule) throws {
        var dataSet = DataSet()
        dataSet.setString("1", for: Tag(0x0011_1001), vr: rule.vr)
        let bytes = try #require(dataSet[Tag(0x0011_1001)]?.bytes)
        #expect(Array(bytes.readableBytesView) == [0x31, rule.paddingByte])
    }
}
