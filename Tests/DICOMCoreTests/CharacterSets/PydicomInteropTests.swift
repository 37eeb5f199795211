import DICOMCore
import Foundation
import Testing
import TestSupport

/// Decodes what pydicom decodes and compares: every text element of pydicom's charset_files, and
/// every code of every table against Python's codecs. Runs `scripts/pydicom_charset_values.py`
/// with the virtualenv's Python; under `CI=true` a missing Python fails instead of skipping.
@Suite("pydicom interop: character sets", .enabled(if: ExternalTools.shouldRun(needing: "python")))
struct PydicomInteropTests {
    struct Element: Decodable {
        var file: String
        var path: String
        var vr: String
        var charset: String
        var hex: String
        var values: [String]
    }

    struct Table: Decodable {
        var term: String
        var codec: String
        var first: Int
        var cells: [String?]
    }

    static func run(_ mode: String) throws -> Data {
        let script = ExternalTools.packageRoot.appendingPathComponent("scripts/pydicom_charset_values.py").path
        let output = try ExternalTools.run(ExternalTools.require("python"), [script, mode])
        #expect(output.status == 0, "\(output.stderr)")
        return Data(output.stdout.utf8)
    }

    /// Where pydicom and the standard disagree, by "file path" — none so far. pydicom's own
    /// normalizations (trailing padding per value, trailing empty PN component groups) are applied
    /// to our side in `normalized(_:vr:)` instead of being listed here.
    static let knownDisagreements: [String: String] = [:]

    /// Elements whose bytes another encoder wrote differently from how we write the same text; both
    /// forms decode to the same text. Everything else must encode back byte for byte.
    static let writtenDifferently: [String: String] = {
        let redundantReturn = "switches G0 back to ASCII (ESC ( B) after KS X 1001 in G1, where G0 never left ASCII"
        let asciiInsteadOfRomaji = "returns G0 to ASCII (ESC ( B) where value 1 is ISO 2022 IR 13, whose G0 is JIS X 0201 romaji (ESC ( J), as in PS3.5 H.3.2"
        return [
            "chrKoreanMulti.dcm (0008,1070)": redundantReturn,
            "chrKoreanMulti.dcm (0010,0010)": redundantReturn,
            "chrKoreanMulti.dcm (0010,1001)": redundantReturn,
            "chrKoreanMulti.dcm (0010,21B0)": redundantReturn,
            "chrSQEncoding.dcm (0032,1064)[0]/(0010,0010)": asciiInsteadOfRomaji,
            "chrSQEncoding1.dcm (0032,1064)[0]/(0010,0010)": asciiInsteadOfRomaji,
        ]
    }()

    /// Our decoded value as pydicom presents it: split into values, trailing spaces and NULs
    /// removed from each, and for PN trailing empty component groups dropped
    /// (pydicom's `_decode_personname`).
    static func normalized(_ text: String, vr: VR) -> [String] {
        let values = vr.allowsMultipleValues
            ? text.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
            : [text]
        return values.map { value in
            var value = Substring(value)
            while let last = value.last, last == " " || last == "\0" { value.removeLast() }
            if vr == .PN {
                while value.last == "=" { value.removeLast() }
            }
            return String(value)
        }
    }

    @Test("Every text element of pydicom's charset files decodes as pydicom decodes it, and encodes back to its bytes")
    func charsetFiles() throws {
        let elements = try JSONDecoder().decode([Element].self, from: Self.run("elements"))
        let files = Set(elements.map(\.file))
        // pydicom 3.0 ships 17 charset files; each has a Patient's Name or similar text.
        #expect(files.count >= 17)
        #expect(elements.count >= 150)
        var compared = 0
        for element in elements {
            let key = "\(element.file) \(element.path)"
            let vr = try #require(VR(rawValue: element.vr))
            let characterSet = SpecificCharacterSet(element.charset)
            #expect(characterSet.unsupportedTerms.isEmpty, "\(key)")
            let bytes = CharacterSetFixtures.bytes(element.hex)
            let decoded = characterSet.decode(bytes, vr: vr)
            if let reason = Self.knownDisagreements[key] {
                #expect(Self.normalized(decoded, vr: vr) != element.values, "\(key) agrees now: \(reason)")
                continue
            }
            #expect(Self.normalized(decoded, vr: vr) == element.values, "\(key) [\(element.charset)]")
            let encoded = try #require(characterSet.encode(decoded, vr: vr), "\(key) does not encode")
            if let reason = Self.writtenDifferently[key] {
                #expect(encoded != bytes, "\(key) is now written as it was: \(reason)")
                #expect(characterSet.decode(encoded, vr: vr) == decoded, "\(key) round trip")
            } else {
                #expect(encoded == bytes, "\(key) [\(element.charset)] round trip")
            }
            compared += 1
        }
        #expect(compared == elements.count - Self.knownDisagreements.count)
    }

    /// Codes Python's codecs reject are only checked to decode to one character: Foundation reads
    /// some of them (NBSP at 0xA0 of TIS 620, which ISO 8859-11 has; NEC's and IBM's rows of JIS X
    /// 0208; the user-defined rows of KS X 1001 and the unassigned cells of GB 2312 as private use).
    @Test("Every code Python's codecs define decodes to the same character")
    func codeTables() throws {
        let tables = try JSONDecoder().decode([Table].self, from: Self.run("tables"))
        #expect(tables.count == 16)
        for table in tables {
            let isDoubleByte = table.first > 0xFF
            let characterSet: SpecificCharacterSet
            let framing: [UInt8]
            if isDoubleByte {
                characterSet = SpecificCharacterSet(terms: ["", table.term])
                framing = switch table.term {
                case "ISO 2022 IR 87": [0x1B, 0x24, 0x42]
                case "ISO 2022 IR 159": [0x1B, 0x24, 0x28, 0x44]
                case "ISO 2022 IR 149": [0x1B, 0x24, 0x29, 0x43]
                default: [0x1B, 0x24, 0x29, 0x41]
                }
            } else {
                characterSet = SpecificCharacterSet(terms: [table.term])
                framing = []
            }
            #expect(characterSet.unsupportedTerms.isEmpty, "\(table.term)")
            var compared = 0
            for (offset, expected) in table.cells.enumerated() {
                let code: [UInt8]
                if isDoubleByte {
                    let row = UInt8(0x21 + offset / 94)
                    let column = UInt8(0x21 + offset % 94)
                    let high: UInt8 = table.term == "ISO 2022 IR 149" || table.term == "ISO 2022 IR 58" ? 0x80 : 0
                    code = [row | high, column | high]
                } else {
                    code = [UInt8(table.first + offset)]
                }
                let decoded = characterSet.decode(framing + code, vr: .LO)
                // One code is one character, whether Python defines it or not.
                #expect(decoded.unicodeScalars.count == 1, "\(table.term) \(code)")
                guard let expected else { continue }
                #expect(decoded == expected, "\(table.term) \(code): Python's \(table.codec) gives \(expected.unicodeScalars.map { String($0.value, radix: 16) })")
                // JIS X 0208 and 0212 sit in G0, which returns to ASCII at the end of the value.
                // A character ASCII has too (JIS X 0212's TILDE) is written as ASCII.
                let end: [UInt8] = isDoubleByte && code[0] < 0x80 ? [0x1B, 0x28, 0x42] : []
                let written = expected.unicodeScalars.allSatisfy(\.isASCII) ? Array(expected.utf8) : framing + code + end
                #expect(characterSet.encode(expected, vr: .LO) == written, "\(table.term) \(code)")
                compared += 1
            }
            // The smallest sets: JIS X 0201 katakana (63), ISO 8859-6 with C1 (83); the 94 × 94 sets
            // define 6,067 (JIS X 0212) to 8,224 (KS X 1001) characters.
            #expect(compared >= (isDoubleByte ? 6_000 : 63), "\(table.term): only \(compared) codes compared")
        }
    }
}
