import DICOMCore
import Testing

/// The sets without code extensions of PS3.3 Table C.12-5: UTF-8, GB18030 and GBK.
@Suite("UTF-8, GB18030 and GBK")
struct MultiByteSetTests {
    static func bytes(_ hex: String) -> [UInt8] { CharacterSetFixtures.bytes(hex) }

    @Test("UTF-8 decodes and encodes every plane")
    func utf8() {
        let characterSet = SpecificCharacterSet("ISO_IR 192")
        let text = "Jérôme^王=홍😀"
        #expect(characterSet.decode(Array(text.utf8), vr: .PN) == text)
        #expect(characterSet.encode(text, vr: .PN) == Array(text.utf8))
    }

    @Test("Malformed UTF-8 becomes U+FFFD and decoding goes on")
    func malformedUTF8() {
        let characterSet = SpecificCharacterSet("ISO_IR 192")
        #expect(characterSet.decode(Self.bytes("41 c3 42 ff e78e8b"), vr: .LO) == "A\u{FFFD}B\u{FFFD}王")
    }

    @Test("UTF-8 ignores escape sequences: it has no code extensions")
    func utf8HasNoCodeExtensions() {
        let characterSet = SpecificCharacterSet("ISO_IR 192\\ISO 2022 IR 87")
        #expect(characterSet.decode(Self.bytes("1b2442 3b33 e78e8b"), vr: .LO) == "\u{1B}$B;3王")
    }

    @Test("GB18030 decodes and encodes one-, two- and four-byte codes")
    func gb18030() {
        let characterSet = SpecificCharacterSet("GB18030")
        let value = Self.bytes("41 d6d0 a8a6 a2e3 9439fc36")
        #expect(characterSet.decode(value, vr: .LO) == "A中é€😀")
        #expect(characterSet.encode("A中é€😀", vr: .LO) == value)
    }

    @Test("Malformed GB18030 becomes U+FFFD and the rest still decodes")
    func malformedGB18030() {
        let characterSet = SpecificCharacterSet("GB18030")
        #expect(characterSet.decode(Self.bytes("d6d0 ff 41 d6"), vr: .LO) == "中\u{FFFD}A\u{FFFD}")
        #expect(characterSet.decode(Self.bytes("81 30 d6d0"), vr: .LO) == "\u{FFFD}0中")
    }

    @Test("GBK decodes and encodes two-byte codes and has no four-byte codes")
    func gbk() {
        let characterSet = SpecificCharacterSet("GBK")
        let value = Self.bytes("57616e67 3d cdf5 5e d0a1b6ab")
        #expect(characterSet.decode(value, vr: .PN) == "Wang=王^小东")
        #expect(characterSet.encode("Wang=王^小东", vr: .PN) == value)
        #expect(characterSet.encode("😀", vr: .PN) == nil)
    }
}
