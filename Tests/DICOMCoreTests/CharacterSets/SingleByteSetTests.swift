import DICOMCore
import Foundation
import Testing

/// The single-byte sets of PS3.3 Table C.12-2, with and without code extensions. Bytes come from
/// the sets' code tables (Python's codecs) and, for Latin-1, German, Greek, Cyrillic, Hebrew and
/// Arabic, from pydicom's charset_files (FileInfo.txt).
@Suite("Single-byte character sets")
struct SingleByteSetTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var term: String
        var hex: String
        var text: String
        var testDescription: String { "\(term): \(text)" }
    }

    static let examples: [Example] = [
        Example(term: "ISO_IR 100", hex: "4275635e4ae972f46d65", text: "Buc^Jérôme"),
        Example(term: "ISO_IR 100", hex: "c46e6561735e52fc646967657220", text: "Äneas^Rüdiger "),
        Example(term: "ISO_IR 101", hex: "5761b3ea73615ea3f364bc", text: "Wałęsa^Łódź"),
        Example(term: "ISO_IR 109", hex: "a1616d72756e5ed575bfe8", text: "Ħamrun^Ġużè"),
        Example(term: "ISO_IR 110", hex: "c062656c655eab69727473", text: "Ābele^Ģirts"),
        Example(term: "ISO_IR 144", hex: "bbeeda6365dcd17970d3", text: "Люкceмбypг"),
        Example(term: "ISO_IR 127", hex: "e2c8c7e6ea5ee4e6d2c7d1", text: "قباني^لنزار"),
        Example(term: "ISO_IR 126", hex: "c4e9efedf5f3e9eff2", text: "Διονυσιος"),
        Example(term: "ISO_IR 138", hex: "f9f8e5ef5ee3e1e5f8e4", text: "שרון^דבורה"),
        Example(term: "ISO_IR 148", hex: "c761f072fd5edefc6b72fc", text: "Çağrı^Şükrü"),
        Example(term: "ISO_IR 203", hex: "bc757672655ea475726f", text: "Œuvre^€uro"),
        Example(term: "ISO_IR 166", hex: "cac1aad2c25ee3a8b4d5", text: "สมชาย^ใจดี"),
        Example(term: "ISO_IR 13", hex: "d4cfc0de5ec0dbb3", text: "ﾔﾏﾀﾞ^ﾀﾛｳ"),
    ]

    @Test("Decodes and encodes without code extensions", arguments: examples)
    func withoutCodeExtensions(example: Example) {
        let characterSet = SpecificCharacterSet(example.term)
        let bytes = CharacterSetFixtures.bytes(example.hex)
        #expect(characterSet.decode(bytes, vr: .PN) == example.text)
        #expect(characterSet.encode(example.text, vr: .PN) == bytes)
    }

    @Test("As value 1 of an ISO 2022 term the set is in G1 from the start", arguments: examples)
    func initiallyDesignated(example: Example) {
        let term = example.term.replacingOccurrences(of: "ISO_IR", with: "ISO 2022 IR")
        let characterSet = SpecificCharacterSet(terms: [term, "ISO 2022 IR 87"])
        let bytes = CharacterSetFixtures.bytes(example.hex)
        #expect(characterSet.unsupportedTerms.isEmpty)
        #expect(characterSet.decode(bytes, vr: .PN) == example.text)
        #expect(characterSet.encode(example.text, vr: .PN) == bytes)
    }

    @Test("As a later ISO 2022 term the set is designated by its escape sequence", arguments: examples)
    func designatedByEscape(example: Example) {
        let term = example.term.replacingOccurrences(of: "ISO_IR", with: "ISO 2022 IR")
        let characterSet = SpecificCharacterSet(terms: ["", term])
        let escape: [UInt8] = switch term {
        case "ISO 2022 IR 100": [0x1B, 0x2D, 0x41]
        case "ISO 2022 IR 101": [0x1B, 0x2D, 0x42]
        case "ISO 2022 IR 109": [0x1B, 0x2D, 0x43]
        case "ISO 2022 IR 110": [0x1B, 0x2D, 0x44]
        case "ISO 2022 IR 144": [0x1B, 0x2D, 0x4C]
        case "ISO 2022 IR 127": [0x1B, 0x2D, 0x47]
        case "ISO 2022 IR 126": [0x1B, 0x2D, 0x46]
        case "ISO 2022 IR 138": [0x1B, 0x2D, 0x48]
        case "ISO 2022 IR 148": [0x1B, 0x2D, 0x4D]
        case "ISO 2022 IR 203": [0x1B, 0x2D, 0x62]
        case "ISO 2022 IR 166": [0x1B, 0x2D, 0x54]
        case "ISO 2022 IR 13": [0x1B, 0x29, 0x49]
        default: []
        }
        #expect(!escape.isEmpty, "no escape sequence listed for \(term)")
        // One LT value: no delimiters inside, so one designation covers it.
        let text = example.text.replacingOccurrences(of: "^", with: " ")
        let bytes = CharacterSetFixtures.bytes(example.hex).map { $0 == 0x5E ? 0x20 : $0 }
        let firstHigh = bytes.firstIndex { $0 >= 0x80 }!
        let escaped = Array(bytes[..<firstHigh]) + escape + bytes[firstHigh...]
        #expect(characterSet.decode(escaped, vr: .LT) == text)
        #expect(characterSet.encode(text, vr: .LT) == escaped)
    }

    @Test("Every byte of every single-byte set decodes to one character and encodes back",
          arguments: ["ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127",
                      "ISO_IR 126", "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 166", "ISO_IR 13"])
    func everyByte(term: String) {
        let characterSet = SpecificCharacterSet(term)
        var defined = 0
        for byte in UInt8(0x80)...0xFF {
            let text = characterSet.decode([byte], vr: .LO)
            #expect(text.unicodeScalars.count == 1, "byte \(byte) in \(term)")
            if text != "\u{FFFD}" {
                defined += 1
                #expect(characterSet.encode(text, vr: .LO) == [byte], "byte \(byte) in \(term)")
            }
        }
        // JIS X 0201 has 63 katakana; ISO 8859-6, the sparsest of the others, has 83 characters
        // (with the 32 C1 controls).
        #expect(defined >= (term == "ISO_IR 13" ? 63 : 83))
    }

    @Test("Characters a set lacks cannot be encoded")
    func unrepresentable() {
        #expect(SpecificCharacterSet("ISO_IR 100").encode("Ωmega", vr: .LO) == nil)
        #expect(SpecificCharacterSet("ISO_IR 144").encode("é", vr: .LO) == nil)
        #expect(SpecificCharacterSet("ISO_IR 13").encode("山", vr: .PN) == nil)
        #expect(SpecificCharacterSet("ISO_IR 100").encode("€", vr: .LO) == nil)
        #expect(SpecificCharacterSet("ISO_IR 203").encode("€", vr: .LO) == [0xA4])
    }
}
