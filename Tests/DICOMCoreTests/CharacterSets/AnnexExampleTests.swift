import DICOMCore
import Testing

/// The examples of PS3.5 Annexes H (Japanese), I (Korean), J (UTF-8) and K (Chinese), with bytes
/// derived from the standard's escape sequences and the sets' code tables, decoded and encoded
/// back byte for byte.
@Suite("PS3.5 Annex H, I, J and K examples")
struct AnnexExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var name: String
        var characterSet: String
        var vr: VR
        var hex: String
        var text: String
        var testDescription: String { name }
    }

    static let examples: [Example] = [
        Example(
            name: "H.3.1 Japanese PN with ISO 2022 IR 87",
            characterSet: "\\ISO 2022 IR 87", vr: .PN,
            hex: "59616d6164615e5461726f75 3d 1b2442 3b334544 1b2842 5e 1b2442 42404f3a 1b2842 3d"
                + "1b2442 2464245e2440 1b2842 5e 1b2442 243f246d2426 1b2842",
            text: "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        Example(
            name: "H.3.2 Japanese PN with ISO 2022 IR 13 and ISO 2022 IR 87",
            characterSet: "ISO 2022 IR 13\\ISO 2022 IR 87", vr: .PN,
            hex: "d4cfc0de 5e c0dbb3 3d 1b2442 3b334544 1b284a 5e 1b2442 42404f3a 1b284a 3d"
                + "1b2442 2464245e2440 1b284a 5e 1b2442 243f246d2426 1b284a",
            text: "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
        Example(
            name: "I.2 Korean PN with ISO 2022 IR 149",
            characterSet: "\\ISO 2022 IR 149", vr: .PN,
            hex: "486f6e675e47696c646f6e67 3d 1b242943 fbf3 5e 1b242943 d1ced4d7 3d"
                + "1b242943 c8ab 5e 1b242943 b1e6b5bf",
            text: "Hong^Gildong=洪^吉洞=홍^길동"),
        Example(
            name: "J UTF-8 PN with ISO_IR 192",
            characterSet: "ISO_IR 192", vr: .PN,
            hex: "57616e675e5869616f446f6e67 3d e78e8b 5e e5b08fe69db1 3d",
            text: "Wang^XiaoDong=王^小東="),
        Example(
            name: "K.1 Chinese PN with GB18030",
            characterSet: "GB18030", vr: .PN,
            hex: "57616e675e5869616f446f6e67 3d cdf5 5e d0a1b6ab 3d",
            text: "Wang^XiaoDong=王^小东="),
        Example(
            name: "K.2 Chinese LT with GB18030",
            characterSet: "GB18030", vr: .LT,
            hex: "546865206669727374206c696e6520696e636c75646573 d6d0cec4 2e0d0a"
                + "546865207365636f6e64206c696e6520696e636c75646573 d6d0cec4 2c20746f6f2e0d0a"
                + "546865207468697264206c696e652e",
            text: "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line."),
        Example(
            name: "K.3 Chinese PN with ISO 2022 IR 58",
            characterSet: "\\ISO 2022 IR 58", vr: .PN,
            hex: "5a68616e675e5869616f446f6e67 3d 1b242941 d5c5 5e 1b242941 d0a1b6ab 3d",
            text: "Zhang^XiaoDong=张^小东="),
        Example(
            name: "K.4 Chinese LT with ISO 2022 IR 58",
            characterSet: "\\ISO 2022 IR 58", vr: .LT,
            hex: "312e 1b242941 b5dad2bbd0d0cec4d7d6a1a3 0d0a"
                + "322e 1b242941 b5dab6fed0d0cec4d7d6a1a3 0d0a"
                + "332e 1b242941 b5dac8fdd0d0cec4d7d6a1a3 0d0a",
            text: "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n"),
    ]

    @Test("Decodes the example's bytes to its text", arguments: examples)
    func decodes(example: Example) {
        let characterSet = SpecificCharacterSet(example.characterSet)
        #expect(characterSet.unsupportedTerms.isEmpty)
        #expect(characterSet.decode(CharacterSetFixtures.bytes(example.hex), vr: example.vr) == example.text)
    }

    @Test("Encodes the example's text to its bytes", arguments: examples)
    func encodes(example: Example) {
        let characterSet = SpecificCharacterSet(example.characterSet)
        #expect(characterSet.encode(example.text, vr: example.vr) == CharacterSetFixtures.bytes(example.hex))
    }
}
