import DICOMCore
import Testing

@Suite("Default repertoire and VRs without the Specific Character Set")
struct DefaultRepertoireTests {
    static let nonTextVRs: [VR] = VR.allCases.filter { $0.isString && !$0.usesSpecificCharacterSet }

    @Test("The VRs that ignore (0008,0005) are the string VRs outside LO, LT, PN, SH, ST, UC, UT")
    func nonTextVRsAreTheRightOnes() {
        #expect(Set(Self.nonTextVRs) == [.AE, .AS, .CS, .DA, .DS, .DT, .IS, .TM, .UI, .UR])
    }

    @Test("VRs without the Specific Character Set read bytes above 0x7F as ISO 8859-1", arguments: nonTextVRs)
    func nonTextVRsIgnoreCharacterSet(vr: VR) {
        for term in CharacterSetFixtures.definedTerms {
            let characterSet = SpecificCharacterSet(terms: [term])
            #expect(characterSet.decode([0x41, 0xE9, 0x5C, 0xC4], vr: vr) == "Aé\\Ä", "\(term)")
            #expect(characterSet.decode([0x1B, 0x24, 0x42, 0x3B, 0x33], vr: vr) == "\u{1B}$B;3", "\(term)")
        }
    }

    @Test("VRs without the Specific Character Set encode ASCII only", arguments: nonTextVRs)
    func nonTextVRsEncodeASCII(vr: VR) {
        let characterSet = SpecificCharacterSet("ISO_IR 192")
        #expect(characterSet.encode("1.2.840\\ABC", vr: vr) == Array("1.2.840\\ABC".utf8))
        #expect(characterSet.encode("Jé", vr: vr) == nil)
    }

    @Test("The default repertoire reads bytes above 0x7F as ISO 8859-1 and writes ASCII only")
    func defaultRepertoire() {
        let characterSet = SpecificCharacterSet.defaultRepertoire
        #expect(characterSet.terms.isEmpty)
        #expect(characterSet.decode([0x4A, 0xE9, 0x80], vr: .PN) == "Jé\u{80}")
        #expect(characterSet.encode("Jé", vr: .PN) == nil)
        #expect(SpecificCharacterSet("ISO_IR 6").decode([0x4A, 0xE9], vr: .LO) == "Jé")
    }

    @Test("ASCII decodes and encodes the same in every character set",
          arguments: [[]] + CharacterSetFixtures.definedTerms.map { [$0] } + [["", "ISO 2022 IR 87"], ["ISO 2022 IR 13", "ISO 2022 IR 87"]])
    func asciiEverywhere(terms: [String]) {
        let characterSet = SpecificCharacterSet(terms: terms)
        let ascii = (0x00..<0x80).map { UInt8($0) }.filter { $0 != 0x1B }
        let text = String(decoding: ascii, as: UTF8.self)
        for vr in CharacterSetFixtures.textVRs {
            #expect(characterSet.decode(ascii, vr: vr) == text)
            #expect(characterSet.encode(text, vr: vr) == ascii)
        }
    }

    @Test("Decoding accepts any collection of bytes, contiguous or not")
    func anyCollection() {
        let bytes: [UInt8] = [0xC4, 0xE9, 0xEF, 0xED]
        let characterSet = SpecificCharacterSet("ISO_IR 126")
        let lazy = bytes.indices.lazy.map { bytes[$0] }
        #expect(characterSet.decode(lazy, vr: .LO) == "Διον")
        #expect(characterSet.decode(bytes[1...], vr: .LO) == "ιον")
        #expect(characterSet.decode(bytes.reversed().reversed(), vr: .LO) == "Διον")
        #expect(characterSet.decode([UInt8](), vr: .LO) == "")
    }
}
