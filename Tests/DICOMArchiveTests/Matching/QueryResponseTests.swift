import DICOMArchive
import DICOMCore
import Testing

@Suite("Building C-FIND response identifiers")
struct QueryResponseTests {
    typealias Attribute = MatchingFixtures.Attribute

    static let candidate = MatchingFixtures.dataSet([
        Attribute(.patientName, .PN, "SMITH^JOHN"),
        Attribute(.patientID, .LO, "ID1"),
        Attribute(.studyDate, .DA, "20240315"),
        Attribute(.modality, .CS, "CT"),
        Attribute(.studyInstanceUID, .UI, "1.2.3"),
    ])

    @Test("Matching and return keys are filled from the candidate, absent ones with zero length")
    func returnKeys() throws {
        let identifier = MatchingFixtures.dataSet([
            Attribute(.queryRetrieveLevel, .CS, "STUDY"),
            Attribute(.patientName, .PN, "SMITH*"),
            Attribute(.patientID, .LO, ""),
            Attribute(.studyDate, .DA, ""),
            Attribute(.accessionNumber, .SH, ""),
            Attribute(.studyInstanceUID, .UI, ""),
        ])
        let query = try Query(identifier: identifier)
        #expect(query.matches(Self.candidate))
        let response = query.response(for: Self.candidate)
        #expect(response.tags == [.studyDate, .accessionNumber, .queryRetrieveLevel, .patientName, .patientID, .studyInstanceUID])
        #expect(response.string(.queryRetrieveLevel) == "STUDY")
        #expect(response.string(.patientName) == "SMITH^JOHN")
        #expect(response.string(.patientID) == "ID1")
        #expect(response.string(.studyDate) == "20240315")
        #expect(response.uid(.studyInstanceUID)?.description == "1.2.3")
        #expect(response[.accessionNumber]?.vr == .SH)
        #expect(response[.accessionNumber]?.valueLength == 0)
        #expect(response[.modality] == nil)
        #expect(response[.specificCharacterSet] == nil)
        #expect(response[.studyDate] == Self.candidate[.studyDate])
    }

    @Test("Without a level in the query, the response has none (worklist)")
    func noLevel() throws {
        let query = try Query(identifier: MatchingFixtures.dataSet([Attribute(.patientID, .LO, "")]))
        #expect(query.response(for: Self.candidate).tags == [.patientID])
    }

    @Test("The candidate's character set comes with its text bytes")
    func characterSet() throws {
        let candidate = MatchingFixtures.dataSet(characterSet: "ISO_IR 192", [Attribute(.patientName, .PN, "Müller^Hans")])
        let identifier = MatchingFixtures.dataSet(characterSet: "ISO_IR 100", [
            Attribute(.queryRetrieveLevel, .CS, "PATIENT"), Attribute(.patientName, .PN, "MÜLLER*"),
        ])
        let query = try Query(identifier: identifier)
        #expect(query.specificCharacterSet == SpecificCharacterSet("ISO_IR 100"))
        #expect(query.matches(candidate))
        let response = query.response(for: candidate)
        #expect(response.specificCharacterSet == SpecificCharacterSet("ISO_IR 192"))
        #expect(response[.specificCharacterSet] == candidate[.specificCharacterSet])
        #expect(response[.patientName] == candidate[.patientName])
        #expect(response.string(.patientName) == "Müller^Hans")
    }

    @Test("Identifier and candidate text compare decoded, whatever their character sets")
    func decodedComparison() throws {
        let latin1 = MatchingFixtures.dataSet(characterSet: "ISO_IR 100", [Attribute(.patientName, .PN, "Müller^Hans")])
        let utf8 = MatchingFixtures.dataSet(characterSet: "ISO_IR 192", [Attribute(.patientName, .PN, "Müller^Hans")])
        #expect(latin1[.patientName]?.bytes != utf8[.patientName]?.bytes)
        #expect(try Query(identifier: latin1).matches(utf8))
        #expect(try Query(identifier: utf8).matches(latin1))
        let other = MatchingFixtures.dataSet(characterSet: "ISO_IR 192", [Attribute(.patientName, .PN, "Muller^Hans")])
        #expect(try !Query(identifier: latin1).matches(other))
    }

    static func code(_ value: String, _ meaning: String) -> DataSet {
        MatchingFixtures.dataSet([
            Attribute(.codeValue, .SH, value), Attribute(.codingSchemeDesignator, .SH, "L"), Attribute(.codeMeaning, .LO, meaning),
        ])
    }

    @Test("A sequence key returns the matching items with the requested attributes only")
    func sequenceItems() throws {
        var candidate = Self.candidate
        candidate.setSequence([Self.code("P1", "One"), Self.code("P2", "Two"), Self.code("P1", "Again")], for: .procedureCodeSequence)
        var identifier = DataSet()
        identifier.setSequence([MatchingFixtures.dataSet([Attribute(.codeValue, .SH, "P1"), Attribute(.codeMeaning, .LO, "")])], for: .procedureCodeSequence)
        let query = try Query(identifier: identifier)
        #expect(query.matches(candidate))
        let items = try #require(query.response(for: candidate).sequence(.procedureCodeSequence))
        #expect(items.map { $0.tags } == [[.codeValue, .codeMeaning], [.codeValue, .codeMeaning]])
        #expect(items.map { $0.string(.codeMeaning) } == ["One", "Again"])
    }

    @Test("A universal sequence key returns the whole sequence, or an empty one")
    func wholeSequence() throws {
        var candidate = Self.candidate
        candidate.setSequence([Self.code("P1", "One"), Self.code("P2", "Two")], for: .procedureCodeSequence)
        var identifier = DataSet()
        identifier.setSequence([DataSet()], for: .procedureCodeSequence)
        let query = try Query(identifier: identifier)
        #expect(query.response(for: candidate)[.procedureCodeSequence] == candidate[.procedureCodeSequence])
        let empty = query.response(for: Self.candidate)[.procedureCodeSequence]
        #expect(empty?.vr == .SQ)
        #expect(empty?.items?.isEmpty == true)
    }
}
