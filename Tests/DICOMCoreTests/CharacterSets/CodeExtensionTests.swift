import DICOMCore
import Testing

/// ISO 2022 code extensions as PS3.5 §6.1.2.5 restricts them: designations, the delimiters that
/// reset them (§6.1.2.5.3), and what the decoder does with malformed input.
@Suite("ISO 2022 code extensions")
struct CodeExtensionTests {
    let korean = SpecificCharacterSet("\\ISO 2022 IR 149")
    let greek = SpecificCharacterSet("\\ISO 2022 IR 126")
    let japanese = SpecificCharacterSet("\\ISO 2022 IR 87")

    static func bytes(_ hex: String) -> [UInt8] { CharacterSetFixtures.bytes(hex) }

    @Test("'^' and '=' reset G1 in PN but not in LT")
    func componentDelimitersResetOnlyPN() {
        let value = Self.bytes("1b242943 c8ab 5e c8ab 3d c8ab")
        // After a reset no G1 set is designated: GR bytes read as ISO 8859-1.
        #expect(korean.decode(value, vr: .PN) == "홍^È«=È«")
        #expect(korean.decode(value, vr: .LT) == "홍^홍=홍")
        #expect(korean.decode(value, vr: .LO) == "홍^홍=홍")
    }

    @Test("'\\' resets between values of multi-valued VRs but not in text VRs")
    func valueDelimiterResetsMultiValuedVRs() {
        let value = Self.bytes("1b2d46 e1 5c e1")
        #expect(greek.decode(value, vr: .LO) == "α\\á")
        #expect(greek.decode(value, vr: .SH) == "α\\á")
        #expect(greek.decode(value, vr: .PN) == "α\\á")
        #expect(greek.decode(value, vr: .UC) == "α\\á")
        #expect(greek.decode(value, vr: .LT) == "α\\α")
        #expect(greek.decode(value, vr: .ST) == "α\\α")
        #expect(greek.decode(value, vr: .UT) == "α\\α")
    }

    @Test("CR, LF, FF and TAB reset in every VR", arguments: [0x0D, 0x0A, 0x0C, 0x09] as [UInt8])
    func controlCharactersReset(control: UInt8) {
        let value = [0x1B, 0x2D, 0x46, 0xE1, control, 0xE1]
        let expected = "α" + String(Unicode.Scalar(control)) + "á"
        for vr in CharacterSetFixtures.textVRs {
            #expect(greek.decode(value, vr: vr) == expected, "\(vr)")
        }
    }

    @Test("A reset restores the G1 set of value 1, not 'no G1'")
    func resetRestoresInitialG1() {
        let characterSet = SpecificCharacterSet("ISO 2022 IR 100\\ISO 2022 IR 126")
        #expect(characterSet.decode(Self.bytes("e9 1b2d46 e1 5e e9"), vr: .PN) == "éα^é")
        #expect(characterSet.encode("éα^é", vr: .PN) == Self.bytes("e9 1b2d46 e1 5e e9"))
    }

    @Test("Bytes 0x5C and 0x5E inside a JIS X 0208 code are not delimiters")
    func delimiterBytesInsideDoubleByteCodes() {
        // 移 is 0x305C and ま is 0x245E in JIS X 0208.
        let value = Self.bytes("1b2442 305c 245e 1b2842 5c 1b2442 305c 1b2842")
        #expect(japanese.decode(value, vr: .PN) == "移ま\\移")
        #expect(japanese.encode("移ま\\移", vr: .PN) == value)
    }

    @Test("A multi-byte G1 set named by value 1 is in force without an escape sequence")
    func multiByteValueOne() {
        let characterSet = SpecificCharacterSet("ISO 2022 IR 149")
        #expect(characterSet.decode(Self.bytes("c8ab 5e b1e6b5bf"), vr: .PN) == "홍^길동")
        #expect(characterSet.encode("홍^길동", vr: .PN) == Self.bytes("c8ab 5e b1e6b5bf"))
    }

    @Test("JIS X 0212 is designated with ESC $ ( D, and JIS X 0208 is preferred when both have a character")
    func jisX0212() {
        let characterSet = SpecificCharacterSet("\\ISO 2022 IR 87\\ISO 2022 IR 159")
        let value = Self.bytes("1b2442 3b33 1b242844 3021 1b2842")
        #expect(characterSet.decode(value, vr: .LO) == "山丂")
        #expect(characterSet.encode("山丂", vr: .LO) == value)
    }

    @Test("JIS X 0208 row 1 reads as JIS X 0208 defines it, not as code page 932")
    func jisX0208Corrections() {
        let value = Self.bytes("1b2442 2141 2142 215d 2171 2172 224c 1b2842")
        #expect(japanese.decode(value, vr: .LT) == "\u{301C}\u{2016}\u{2212}\u{A2}\u{A3}\u{AC}")
        #expect(japanese.encode("\u{301C}\u{2016}\u{2212}\u{A2}\u{A3}\u{AC}", vr: .LT) == value)
        // The code page 932 forms are not JIS X 0208 characters.
        #expect(japanese.encode("\u{FF5E}", vr: .LT) == nil)
    }

    @Test("KS X 1001's EURO SIGN and REGISTERED SIGN are read and written")
    func ksX1001Additions() {
        let value = Self.bytes("1b242943 a2e6 a2e7")
        #expect(korean.decode(value, vr: .LO) == "€®")
        #expect(korean.encode("€®", vr: .LO) == value)
    }

    @Test("GB 2312's FULLWIDTH APOSTROPHE is read and written")
    func gb2312Correction() {
        let characterSet = SpecificCharacterSet("\\ISO 2022 IR 58")
        #expect(characterSet.decode(Self.bytes("1b242941 a3a7"), vr: .LO) == "\u{FF07}")
        #expect(characterSet.encode("\u{FF07}", vr: .LO) == Self.bytes("1b242941 a3a7"))
    }

    @Test("The encoder switches between G1 sets in term order")
    func switchesG1Sets() {
        let characterSet = SpecificCharacterSet("ISO 2022 IR 100\\ISO 2022 IR 126")
        #expect(characterSet.encode("é α é", vr: .LT) == Self.bytes("e9 20 1b2d46 e1 20 1b2d41 e9"))
    }

    @Test("The encoder returns nil for a character none of the sets has")
    func unrepresentable() {
        #expect(japanese.encode("Jérôme", vr: .PN) == nil)
        #expect(japanese.encode("홍", vr: .PN) == nil)
        #expect(korean.encode("ﾔ", vr: .PN) == nil)
        #expect(SpecificCharacterSet("ISO 2022 IR 6").encode("é", vr: .LO) == nil)
    }

    @Test("An escape sequence DICOM defines works even when (0008,0005) does not list its set")
    func unlistedEscapeSequence() {
        let characterSet = SpecificCharacterSet("ISO 2022 IR 6")
        #expect(characterSet.decode(Self.bytes("1b2d41 e9"), vr: .LO) == "é")
        #expect(characterSet.decode(Self.bytes("1b2442 3b33 1b2842"), vr: .LO) == "山")
    }

    @Test("An unknown escape sequence is kept as text and written back as it was")
    func unknownEscapeSequence() {
        let value = Self.bytes("41 1b285a 42 1b24 43")
        let text = japanese.decode(value, vr: .LO)
        #expect(text == "A\u{1B}(ZB\u{1B}$C")
        #expect(japanese.encode(text, vr: .LO) == value)
    }

    @Test("Incomplete double-byte codes become U+FFFD and decoding goes on")
    func incompleteCodes() {
        #expect(japanese.decode(Self.bytes("1b2442 3b"), vr: .LO) == "\u{FFFD}")
        #expect(japanese.decode(Self.bytes("1b2442 3b 0d 41"), vr: .LO) == "\u{FFFD}\rA")
        #expect(korean.decode(Self.bytes("1b242943 c8"), vr: .LO) == "\u{FFFD}")
        #expect(korean.decode(Self.bytes("1b242943 c8 41"), vr: .LO) == "\u{FFFD}A")
        #expect(korean.decode(Self.bytes("1b242943 80 c8ab"), vr: .LO) == "\u{FFFD}홍")
    }

    @Test("GR bytes with no G1 set designated read as ISO 8859-1")
    func grWithoutG1() {
        #expect(japanese.decode(Self.bytes("4ae9"), vr: .LO) == "Jé")
    }

    @Test("The encoder switches G0 back to ASCII before ASCII characters and at the end")
    func switchesBackToASCII() {
        #expect(japanese.encode("山 田", vr: .LT) == Self.bytes("1b2442 3b33 1b2842 20 1b2442 4544 1b2842"))
        #expect(japanese.encode("山", vr: .LT) == Self.bytes("1b2442 3b33 1b2842"))
    }
}
