import DICOMCore
import NIOCore
import Testing

@Suite("VR value validation (PS3.5 §6.2, §6.4, §7.1.1)")
struct VRValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let vr: VR
        let bytes: [UInt8]
        let expected: [VRValueProblem.Code]
        let label: String

        init(_ vr: VR, _ text: String, _ expected: [VRValueProblem.Code] = [], _ label: String = "") {
            self.init(vr, Array(text.utf8), expected, label.isEmpty ? "\"\(text)\"" : label)
        }

        init(_ vr: VR, bytes: [UInt8], _ label: String) {
            self.init(vr, bytes, [], label)
        }

        init(_ vr: VR, bytes: [UInt8], _ expected: [VRValueProblem.Code], _ label: String) {
            self.init(vr, bytes, expected, label)
        }

        private init(_ vr: VR, _ bytes: [UInt8], _ expected: [VRValueProblem.Code], _ label: String) {
            self.vr = vr
            self.bytes = bytes
            self.expected = expected
            self.label = label
        }

        var testDescription: String {
            "\(vr) \(label) → " + (expected.isEmpty ? "valid" : expected.map(\.description).joined(separator: ", "))
        }
    }

    static func repeated(_ text: String, _ count: Int) -> String {
        String(repeating: text, count: count)
    }

    /// A valid value of every VR that holds bytes.
    static let validValues: [Case] = [
        Case(.AE, "STORE_SCP "), Case(.AE, "A B\\C "), Case(.AS, "045Y"), Case(.AT, bytes: [0x10, 0, 0x10, 0], "(0010,0010)"),
        Case(.CS, "ORIGINAL\\PRIMARY"), Case(.DA, "20240315"), Case(.DA, "20240315\\20240316 "),
        Case(.DS, " -1.5e3\\+.25"), Case(.DT, "20240315093005.5+0100 "), Case(.FL, bytes: [0, 0, 0xC0, 0x3F], "1.5"),
        Case(.FD, bytes: [0, 0, 0, 0, 0, 0, 0xF8, 0x3F], "1.5"), Case(.IS, " -12\\+7 "), Case(.LO, "Hospital\\Clinic "),
        Case(.LT, "Line one\r\nLine two\tand\\more "), Case(.OB, bytes: [1, 2, 3, 0], "4 bytes"), Case(.OD, bytes: Array(repeating: 0, count: 16), "2 doubles"),
        Case(.OF, bytes: Array(repeating: 0, count: 8), "2 floats"), Case(.OL, bytes: Array(repeating: 0, count: 8), "2 longs"),
        Case(.OV, bytes: Array(repeating: 0, count: 8), "1 very long"), Case(.OW, bytes: [1, 0, 2, 0], "2 words"),
        Case(.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう"), Case(.SH, "CT01"), Case(.SL, bytes: [0xFF, 0xFF, 0xFF, 0xFF], "-1"),
        Case(.SS, bytes: [0xFF, 0xFF], "-1"), Case(.ST, "Any text \\ with backslash "), Case(.SV, bytes: Array(repeating: 0xFF, count: 8), "-1"),
        Case(.TM, "093005.123456 "), Case(.UC, "A\\B "), Case(.UI, "1.2.840.10008.1.2.1\0"), Case(.UL, bytes: [1, 0, 0, 0], "1"),
        Case(.UN, bytes: [1, 2, 3, 4], "4 bytes"), Case(.UR, "http://example.com/a?b=c#d"), Case(.US, bytes: [1, 0], "1"),
        Case(.UT, "Unlimited\ttext\\ "), Case(.UV, bytes: Array(repeating: 0xFF, count: 8), "max"),
        Case(.CS, "", [], "empty"), Case(.UI, "", [], "empty"), Case(.US, bytes: [], [], "empty"),
    ]

    @Test("A valid value of each VR has no problems", arguments: validValues)
    func validValue(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    @Test("Odd length (PS3.5 §7.1.1)", arguments: [
        Case(.CS, "ABC", [.oddLength]), Case(.UI, "1.2.3", [.oddLength]), Case(.LT, "odd", [.oddLength]),
        Case(.OB, bytes: [1, 2, 3], [.oddLength], "3 bytes"), Case(.UN, bytes: [1], [.oddLength], "1 byte"),
        Case(.US, bytes: [1, 0, 2], [.oddLength, .partialBinaryValue], "3 bytes"),
    ])
    func oddLength(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    @Test("Padding byte: space for text, NUL for UI (PS3.5 §6.2)", arguments: [
        Case(.CS, "ABC\0", [.wrongPadding]), Case(.LO, "Name\0\0", [.wrongPadding]), Case(.DA, "2024031\0", [.wrongPadding, .invalidValue]),
        Case(.PN, "Doe^Jo\0", [.oddLength, .wrongPadding]), Case(.UI, "1.2 ", [.wrongPadding]),
        Case(.UI, "1.23", []), Case(.UI, "1.2\0", []), Case(.CS, "AB  ", []), Case(.TM, "10  ", []),
    ])
    func padding(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    @Test("Maximum length of one value, padding included (Table 6.2-1)", arguments: [
        Case(.AE, repeated("A", 16), []), Case(.AE, repeated("A", 17) + " ", [.valueTooLong]),
        Case(.AS, "045YY ", [.valueTooLong, .invalidValue]),
        Case(.CS, repeated("A", 15) + " ", []), Case(.CS, repeated("A", 17) + " ", [.valueTooLong]),
        Case(.CS, "A\\" + repeated("B", 17) + " ", [.valueTooLong]),
        Case(.CS, "AB\\" + repeated("B", 16) + " ", [], "last value of 16 and the padding byte"),
        Case(.CS, "AB\\" + repeated("B", 15) + "    ", [.valueTooLong], "last value of 15 and four spaces"),
        Case(.DA, "202403150 ", [.valueTooLong, .invalidValue]),
        Case(.DS, repeated("1", 16), []), Case(.DS, repeated("1", 17) + " ", [.valueTooLong]),
        Case(.DT, "20240315093005.123456+01000 ", [.valueTooLong, .invalidValue]),
        Case(.IS, repeated("1", 9) + "   ", []), Case(.IS, "+" + repeated("0", 11) + "1 ", [.valueTooLong]),
        Case(.LO, repeated("A", 64), []), Case(.LO, repeated("A", 65) + " ", [.valueTooLong]),
        Case(.LT, repeated("A", 10240), []), Case(.LT, repeated("A", 10242), [.valueTooLong]),
        Case(.PN, repeated("A", 64) + "=" + repeated("B", 64) + " ", []), Case(.PN, repeated("A", 65) + " ", [.valueTooLong]),
        Case(.SH, repeated("A", 16), []), Case(.SH, repeated("A", 17) + " ", [.valueTooLong]),
        Case(.ST, repeated("A", 1024), []), Case(.ST, repeated("A", 1026), [.valueTooLong]),
        Case(.TM, "093005.12345678 ", [.valueTooLong, .invalidValue]),
        Case(.UI, "1." + repeated("2", 62), []), Case(.UI, "1." + repeated("2", 63) + "\0", [.valueTooLong, .invalidValue]),
        Case(.UT, repeated("A", 70000), []), Case(.UC, repeated("A", 70000), []), Case(.UR, "http://a/" + repeated("b", 70001), []),
    ])
    func maximumLength(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    @Test("LO, PN, SH limits count characters, not bytes")
    func lengthsInCharacters() {
        // 64 two-byte characters: 128 bytes, 64 characters.
        let characterSet = SpecificCharacterSet("ISO_IR 192")
        let sixtyFour = ByteBuffer(bytes: Array(String(repeating: "é", count: 64).utf8))
        #expect(VR.LO.validate(sixtyFour, characterSet: characterSet).isEmpty)
        #expect(VR.LO.validate(sixtyFour).map(\.code) == [.valueTooLong], "in the default repertoire each byte is a character")
        let sixtyFive = ByteBuffer(bytes: Array(String(repeating: "é", count: 65).utf8))
        #expect(VR.LO.validate(sixtyFive, characterSet: characterSet).map(\.code) == [.valueTooLong])
        let sixteen = ByteBuffer(bytes: Array(String(repeating: "ü", count: 16).utf8))
        #expect(VR.SH.validate(sixteen, characterSet: characterSet).isEmpty)
        let group = ByteBuffer(bytes: Array((String(repeating: "山", count: 64) + "=" + String(repeating: "や", count: 65)).utf8))
        #expect(VR.PN.validate(group, characterSet: characterSet).map(\.code) == [.valueTooLong])
    }

    @Test("Character repertoire (Table 6.2-1)", arguments: [
        Case(.AE, "AB\tC", [.invalidCharacter]), Case(.AE, "ÄBC", [.invalidCharacter], "non-ASCII"),
        Case(.AS, "045y", [.invalidCharacter]),
        Case(.CS, "abc ", [.invalidCharacter]), Case(.CS, "A-B ", [.invalidCharacter]), Case(.CS, "A.B ", [.invalidCharacter]),
        Case(.DA, "2024031a", [.invalidCharacter]), Case(.DA, "2024.03.15", [.valueTooLong, .invalidCharacter]),
        Case(.DA, " 20240315 ", [.valueTooLong, .invalidCharacter], "leading space"),
        Case(.DS, "1,5 ", [.invalidCharacter]), Case(.DS, "0x10", [.invalidCharacter]), Case(.DS, "nan ", [.invalidCharacter]),
        Case(.DT, "2024 0315", [.oddLength, .invalidCharacter]),
        Case(.DT, "20240315T1", [.invalidCharacter]),
        Case(.IS, "1.5 ", [.invalidCharacter]), Case(.IS, "1e3 ", [.invalidCharacter]),
        Case(.TM, "10:30:00", [.invalidCharacter]), Case(.TM, " 1030 ", [.invalidCharacter], "leading space"),
        Case(.UI, "1.2.a\0", [.invalidCharacter]), Case(.UI, "1.2.3 4\0", [.invalidCharacter]),
        Case(.UR, " http://ab", [.invalidCharacter], "leading space"), Case(.UR, "http://a b", [.invalidCharacter]),
        Case(.UR, "http://a\\bc ", [.invalidCharacter]),
        Case(.LO, "A\rB ", [.invalidCharacter]), Case(.LO, "A\u{1B}(BB ", [], "ESC allowed"),
        Case(.SH, "A\0B ", [.invalidCharacter], "NUL inside"), Case(.PN, "Doe\nJo", [.invalidCharacter]),
        Case(.UC, "a\tb ", [.invalidCharacter]),
        Case(.LT, "A\u{07}B ", [.invalidCharacter], "BEL"), Case(.ST, "A\u{0C}B\r\nCD ", [], "FF CR LF"),
        Case(.UT, "tab\there", [], "TAB"), Case(.UT, "A\u{7F}", [.invalidCharacter], "DEL"),
    ])
    func repertoire(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    @Test("Form of the value (Table 6.2-1)", arguments: [
        Case(.AE, "   \\SCP ", [.invalidValue], "spaces only"),
        Case(.AS, "04Y5", [.invalidValue]), Case(.AS, "45Y ", [.invalidValue]),
        Case(.DA, "20241301", [.invalidValue]), Case(.DA, "20230229", [.invalidValue]), Case(.DA, "2024", [.invalidValue]),
        Case(.DS, "1..5", [.invalidValue]), Case(.DS, "1 5 ", [.invalidValue]), Case(.DS, "-\\1 ", [.invalidValue]),
        Case(.DS, "1e", [.invalidValue]),
        Case(.DT, "20241301", [.invalidValue]), Case(.DT, "2024+1500 ", [.invalidValue]), Case(.DT, "2024-0000 ", [.invalidValue], "-0000"),
        Case(.IS, "1-2 ", [.invalidValue]), Case(.IS, "2147483648", [.invalidValue]), Case(.IS, "-2147483648 ", []),
        Case(.TM, "246000", [.invalidValue]), Case(.TM, "1030.5", [.invalidValue]), Case(.TM, "103000. ", [.invalidValue]),
        Case(.UI, "1.02", [.invalidValue]), Case(.UI, "1..2", [.invalidValue]), Case(.UI, ".1.2", [.invalidValue]),
        Case(.UI, "1.22\\01.3 ", [.wrongPadding, .invalidValue]),
        Case(.PN, "a=b=c=d ", [.invalidValue]), Case(.PN, "a^b^c^d^e^f ", [.invalidValue]),
        Case(.CS, "\\\\", [], "empty values"), Case(.DA, "20240315\\", [.oddLength], "empty second value"),
    ])
    func form(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    @Test("Binary values of whole size", arguments: [
        Case(.AT, bytes: [0x10, 0, 0x10, 0, 0x20, 0], [.partialBinaryValue], "6 bytes"),
        Case(.FL, bytes: [0, 0, 0, 0, 0, 0], [.partialBinaryValue], "6 bytes"),
        Case(.FD, bytes: Array(repeating: 0, count: 12), [.partialBinaryValue], "12 bytes"),
        Case(.OD, bytes: Array(repeating: 0, count: 4), [.partialBinaryValue], "4 bytes"),
        Case(.OF, bytes: Array(repeating: 0, count: 6), [.partialBinaryValue], "6 bytes"),
        Case(.OL, bytes: Array(repeating: 0, count: 2), [.partialBinaryValue], "2 bytes"),
        Case(.OV, bytes: Array(repeating: 0, count: 12), [.partialBinaryValue], "12 bytes"),
        Case(.SL, bytes: Array(repeating: 0, count: 6), [.partialBinaryValue], "6 bytes"),
        Case(.SV, bytes: Array(repeating: 0, count: 4), [.partialBinaryValue], "4 bytes"),
        Case(.UL, bytes: Array(repeating: 0, count: 2), [.partialBinaryValue], "2 bytes"),
        Case(.UV, bytes: Array(repeating: 0, count: 10), [.partialBinaryValue], "10 bytes"),
        Case(.SS, bytes: Array(repeating: 0, count: 6), [], "6 bytes"),
        Case(.OW, bytes: Array(repeating: 0, count: 6), [], "6 bytes"),
        Case(.OB, bytes: Array(repeating: 0, count: 6), [], "6 bytes"),
    ])
    func binarySize(row: Case) {
        #expect(row.vr.validate(ByteBuffer(bytes: row.bytes)).map(\.code) == row.expected)
    }

    struct MultiplicityCase: Sendable, CustomTestStringConvertible {
        let vr: VR
        let bytes: [UInt8]
        let multiplicity: String
        let isAllowed: Bool
        var testDescription: String { "\(vr) \(bytes.count) bytes, VM \(multiplicity)" }
    }

    @Test("Value multiplicity (PS3.5 §6.4)", arguments: [
        MultiplicityCase(vr: .CS, bytes: Array("A\\B ".utf8), multiplicity: "1", isAllowed: false),
        MultiplicityCase(vr: .CS, bytes: Array("A\\B ".utf8), multiplicity: "1-n", isAllowed: true),
        MultiplicityCase(vr: .DS, bytes: Array("1\\2\\3 ".utf8), multiplicity: "2", isAllowed: false),
        MultiplicityCase(vr: .US, bytes: [1, 0, 2, 0], multiplicity: "1", isAllowed: false),
        MultiplicityCase(vr: .US, bytes: [1, 0], multiplicity: "1", isAllowed: true),
        MultiplicityCase(vr: .FL, bytes: Array(repeating: 0, count: 12), multiplicity: "2", isAllowed: false),
        MultiplicityCase(vr: .AT, bytes: [0x10, 0, 0x10, 0, 0x20, 0, 0x10, 0], multiplicity: "2", isAllowed: true),
        MultiplicityCase(vr: .LT, bytes: Array("A\\B ".utf8), multiplicity: "1", isAllowed: true),
        MultiplicityCase(vr: .CS, bytes: [], multiplicity: "1", isAllowed: true),
        MultiplicityCase(vr: .OB, bytes: [1, 2, 3, 4], multiplicity: "1", isAllowed: true),
        MultiplicityCase(vr: .FL, bytes: Array(repeating: 0, count: 12), multiplicity: "2-2n", isAllowed: false),
        MultiplicityCase(vr: .FL, bytes: Array(repeating: 0, count: 16), multiplicity: "2-2n", isAllowed: true),
        MultiplicityCase(vr: .DS, bytes: Array("1\\2\\3 ".utf8), multiplicity: "3-3n", isAllowed: true),
    ])
    func multiplicity(row: MultiplicityCase) throws {
        let multiplicity = try #require(ValueMultiplicity(row.multiplicity))
        let problems = row.vr.validate(ByteBuffer(bytes: row.bytes), multiplicity: multiplicity)
        #expect(problems.map(\.code) == (row.isAllowed ? [] : [.valueMultiplicity]))
    }

    @Test("Problems name the value at fault")
    func valueIndex() {
        let problems = VR.DA.validate(ByteBuffer(bytes: Array("20240315\\20241301 ".utf8)))
        #expect(problems.map(\.valueIndex) == [1])
        #expect(problems.first?.description.hasPrefix("invalidValue in value 2") == true)
    }
}
