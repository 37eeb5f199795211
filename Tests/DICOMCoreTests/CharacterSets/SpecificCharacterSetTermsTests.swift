import DICOMCore
import NIOCore
import Testing

@Suite("Specific Character Set terms")
struct SpecificCharacterSetTermsTests {
    @Test("A raw (0008,0005) value splits at backslashes and loses its padding")
    func parsesRawValue() {
        #expect(SpecificCharacterSet("\\ISO 2022 IR 87 ").terms == ["", "ISO 2022 IR 87"])
        #expect(SpecificCharacterSet("ISO_IR 100 ").terms == ["ISO_IR 100"])
        #expect(SpecificCharacterSet("ISO 2022 IR 13\\ISO 2022 IR 87").terms == ["ISO 2022 IR 13", "ISO 2022 IR 87"])
        #expect(SpecificCharacterSet(" ISO_IR 192\0").terms == ["ISO_IR 192"])
    }

    @Test("Empty values after the first are dropped; an empty first value is kept")
    func dropsEmptyLaterTerms() {
        #expect(SpecificCharacterSet("ISO_IR 100\\").terms == ["ISO_IR 100"])
        #expect(SpecificCharacterSet("\\\\ISO 2022 IR 149").terms == ["", "ISO 2022 IR 149"])
        #expect(SpecificCharacterSet(terms: ["", " ISO 2022 IR 58 "]).terms == ["", "ISO 2022 IR 58"])
    }

    @Test("An empty or blank value is the default repertoire", arguments: ["", " ", "  ", "\\", "\0"])
    func emptyIsDefaultRepertoire(value: String) {
        let characterSet = SpecificCharacterSet(value)
        #expect(characterSet.terms.isEmpty)
        #expect(characterSet == .defaultRepertoire)
        #expect(characterSet.unsupportedTerms.isEmpty)
    }

    @Test("Equality and hashing follow the trimmed terms")
    func equalityFollowsTerms() {
        let padded = SpecificCharacterSet("ISO_IR 100 ")
        let plain = SpecificCharacterSet(terms: ["ISO_IR 100"])
        #expect(padded == plain)
        #expect(Set([padded, plain]).count == 1)
        #expect(padded != SpecificCharacterSet("ISO_IR 101"))
    }

    @Test("Every Defined Term is supported here, alone and after an empty value 1",
          arguments: CharacterSetFixtures.definedTerms)
    func definedTermIsSupported(term: String) {
        #expect(SpecificCharacterSet(terms: [term]).unsupportedTerms.isEmpty)
        #expect(SpecificCharacterSet(terms: ["", term]).unsupportedTerms.isEmpty)
    }

    @Test("Misspelt terms that name one Defined Term are read as that term",
          arguments: ["ISO_IR_100", "ISO-IR 100", "ISO IR 100", "iso_ir 100", "ISO_IR100", "ISO 2022 IR 100", "iso-2022-ir-100"])
    func forgivesMisspellings(term: String) {
        let characterSet = SpecificCharacterSet(terms: [term])
        #expect(characterSet.unsupportedTerms.isEmpty)
        #expect(characterSet.terms == [term])
        #expect(characterSet.decode([0x4A, 0xE9], vr: .LO) == "Jé")
    }

    @Test("An unknown value 1 is listed and read as ISO 8859-1")
    func unknownFirstTermFallsBack() {
        let characterSet = SpecificCharacterSet("ISO_IR 999")
        #expect(characterSet.unsupportedTerms == ["ISO_IR 999"])
        #expect(characterSet.decode([0x4A, 0xE9, 0xFF], vr: .PN) == "Jéÿ")
        #expect(characterSet.encode("Jéÿ", vr: .PN) == [0x4A, 0xE9, 0xFF])
    }

    @Test("An unknown later term is listed and the known terms still work")
    func unknownLaterTermIsListed() {
        let characterSet = SpecificCharacterSet("\\ISO 2022 IR 87\\KOI8-R")
        #expect(characterSet.unsupportedTerms == ["KOI8-R"])
        let bytes = CharacterSetFixtures.bytes("1b2442 3b33 4544 1b2842")
        #expect(characterSet.decode(bytes, vr: .PN) == "山田")
        #expect(characterSet.encode("山田", vr: .PN) == bytes)
    }

    @Test("A data set's (0008,0005) read from bytes gives the character set its text names, whether or not the single-term table knows it")
    func dataSetCharacterSetFromBytes() throws {
        let terms = ["ISO_IR 100", "ISO_IR 192", "ISO_IR 6", "ISO_IR 13", "ISO 2022 IR 87", "GB18030", "GBK", "ISO_IR 144", "ISO_IR 166"]
        let values = terms.flatMap { [$0, $0 + " ", " " + $0, $0 + "\0"] }
            + ["", " ", "\\ISO 2022 IR 87", "ISO 2022 IR 6\\ISO 2022 IR 87", "ISO_IR_100", "iso_ir 192", "ISO_IR 999", "ISO_IR 10", "ISO_IR 1000"]
        // Latin, Cyrillic, Thai and UTF-8 bytes, decoded the same way by both.
        let sample: [UInt8] = [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0xE9, 0xC3, 0xA9, 0xD0, 0xA4]
        for value in values {
            var dataSet = DataSet()
            dataSet[.specificCharacterSet] = DataElement(tag: .specificCharacterSet, vr: .CS, bytes: ByteBuffer(bytes: Array(value.utf8)))
            let expected = SpecificCharacterSet(value)
            #expect(dataSet.specificCharacterSet == expected, "\(value)")
            #expect(dataSet.specificCharacterSet.unsupportedTerms == expected.unsupportedTerms, "\(value)")
            #expect(dataSet.specificCharacterSet.decode(sample, vr: .LO) == expected.decode(sample, vr: .LO), "\(value)")
        }
    }
}
