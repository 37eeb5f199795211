import DICOMCore
import Testing

/// Decoding never fails: whatever the terms and bytes, it returns a string, and the fallbacks keep
/// bytes so that encoding writes back what was read.
@Suite("Fallbacks and robustness")
struct FallbackTests {
    /// Deterministic pseudo-random bytes (a 64-bit linear congruential generator), biased towards
    /// ESC and the delimiters so that escape sequences and resets are exercised.
    static func noise(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        let interesting: [UInt8] = [0x1B, 0x24, 0x28, 0x29, 0x2D, 0x42, 0x5C, 0x5E, 0x3D, 0x0D, 0x0A]
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = UInt8(truncatingIfNeeded: state >> 33)
            return value % 4 == 0 ? interesting[Int(value >> 2) % interesting.count] : value
        }
    }

    static let termLists: [[String]] = CharacterSetFixtures.definedTerms.map { [$0] } + [
        ["", "ISO 2022 IR 87", "ISO 2022 IR 159"], ["ISO 2022 IR 13", "ISO 2022 IR 87"],
        ["", "ISO 2022 IR 149"], ["", "ISO 2022 IR 58"], ["ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 144"],
        ["NOT A TERM"], ["", "NOT A TERM"], ["ISO_IR 100", "ISO 2022 IR 87"],
    ]

    @Test("Random bytes decode without crashing in every VR and every set", arguments: termLists)
    func randomBytes(terms: [String]) {
        let characterSet = SpecificCharacterSet(terms: terms)
        for seed in UInt64(1)...20 {
            let bytes = Self.noise(seed: seed, count: 257)
            for vr in VR.allCases where vr.isString {
                let text = characterSet.decode(bytes, vr: vr)
                #expect(!text.isEmpty)
                #expect(text.unicodeScalars.count <= bytes.count)
                // Whatever was decoded either encodes or is reported as not representable.
                _ = characterSet.encode(text, vr: vr)
            }
        }
    }

    @Test("Every byte survives a round trip through an unknown term, as ISO 8859-1")
    func unknownTermKeepsBytes() {
        let characterSet = SpecificCharacterSet("WINDOWS-1252")
        #expect(characterSet.unsupportedTerms == ["WINDOWS-1252"])
        let bytes = (0...255).map { UInt8($0) }
        let text = characterSet.decode(bytes, vr: .LT)
        #expect(text.unicodeScalars.map(\.value) == (0...255).map { UInt32($0) })
        #expect(characterSet.encode(text, vr: .LT) == bytes)
    }

    @Test("Every byte survives a round trip through the default repertoire's decoding")
    func defaultRepertoireKeepsBytesOnRead() {
        let bytes = (0...255).map { UInt8($0) }
        let text = SpecificCharacterSet.defaultRepertoire.decode(bytes, vr: .LO)
        #expect(text.unicodeScalars.map(\.value) == (0...255).map { UInt32($0) })
    }

    @Test("Bytes a single-byte set does not define become U+FFFD")
    func undefinedSingleBytes() {
        // 0xA1 is not assigned in ISO 8859-8 (Hebrew) nor in ISO 8859-6 (Arabic).
        #expect(SpecificCharacterSet("ISO_IR 138").decode([0x41, 0xA1, 0xE0], vr: .LO) == "A\u{FFFD}א")
        #expect(SpecificCharacterSet("ISO_IR 127").decode([0xA1, 0xC7], vr: .LO) == "\u{FFFD}ا")
        #expect(SpecificCharacterSet("ISO_IR 13").decode([0x80, 0xB1, 0xE0], vr: .LO) == "\u{FFFD}ｱ\u{FFFD}")
    }
}
