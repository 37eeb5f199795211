import DICOMArchive
import DICOMCore
import Testing

@Suite("Reading a C-FIND identifier into a query")
struct QueryParsingTests {
    typealias Attribute = MatchingFixtures.Attribute

    @Test("Level, keys in tag order, and the matching type of each")
    func studyLevelIdentifier() throws {
        let identifier = MatchingFixtures.dataSet([
            Attribute(.queryRetrieveLevel, .CS, "STUDY"),
            Attribute(.patientName, .PN, "SMITH*"),
            Attribute(.studyDate, .DA, "20240101-"),
            Attribute(.studyTime, .TM, "1030"),
            Attribute(.accessionNumber, .SH, ""),
            Attribute(.modalitiesInStudy, .CS, "CT\\MR"),
            Attribute(.studyInstanceUID, .UI, "1.2.3\\1.2.4"),
            Attribute(.patientID, .LO, "*"),
        ])
        let query = try Query(identifier: identifier)
        #expect(query.level == .study)
        #expect(query.specificCharacterSet == .defaultRepertoire)
        #expect(query.keys.map(\.tag) == [
            .studyDate, .studyTime, .accessionNumber, .modalitiesInStudy, .patientName, .patientID, .studyInstanceUID,
        ])
        #expect(query[.patientName]?.matching == .wildcard(pattern: "SMITH*"))
        #expect(query[.patientName]?.vr == .PN)
        #expect(query[.studyDate]?.matching == .range(lower: "20240101", upper: nil))
        #expect(query[.studyTime]?.matching == .single("1030"))
        #expect(query[.accessionNumber]?.matching == .universal)
        #expect(query[.modalitiesInStudy]?.matching == .multipleValues([.single("CT"), .single("MR")], requiresEveryValue: false))
        #expect(query[.studyInstanceUID]?.matching == .uidList(["1.2.3", "1.2.4"]))
        #expect(query[.patientID]?.matching == .universal)
        #expect(query.returnKeys.map(\.tag) == [.accessionNumber, .patientID])
        #expect(query.matchingKeys.map(\.tag) == [.studyDate, .studyTime, .modalitiesInStudy, .patientName, .studyInstanceUID])
    }

    @Test("Every level of (0008,0052) reads; none is nil", arguments: QueryRetrieveLevel.allCases)
    func levels(level: QueryRetrieveLevel) throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.queryRetrieveLevel, .CS, level.rawValue)])
        #expect(try Query(identifier: identifier).level == level)
        #expect(try Query(identifier: DataSet()).level == nil)
    }

    @Test("Range and single-value decisions for DA, TM and DT", arguments: [
        (VR.DA, "20240101-20240131", QueryKey.Matching.range(lower: "20240101", upper: "20240131")),
        (.DA, "-20240131", .range(lower: nil, upper: "20240131")),
        (.DA, "20240101 - 20240131", .range(lower: "20240101", upper: "20240131")),
        (.DA, "-", .universal),
        (.TM, "1000-", .range(lower: "1000", upper: nil)),
        (.DT, "20240101-0500", .single("20240101-0500")),
        (.DT, "20240101-0500-20240102", .range(lower: "20240101-0500", upper: "20240102")),
        (.DT, "2024-2025", .range(lower: "2024", upper: "2025")),
    ])
    func temporalKinds(vr: VR, value: String, expected: QueryKey.Matching) throws {
        let tag = MatchingFixtures.tag(for: vr)
        let key = try QueryKey(tag: tag, in: MatchingFixtures.dataSet([Attribute(tag, vr, value)]))
        #expect(key.matching == expected)
    }

    @Test("Wild cards only in the VRs that allow them", arguments: [
        (VR.LO, true), (.SH, true), (.CS, true), (.AE, true), (.PN, true), (.ST, true),
        (.UI, false), (.IS, false), (.DS, false), (.AS, false),
    ])
    func wildcardVRs(vr: VR, allowsWildcards: Bool) throws {
        let tag = MatchingFixtures.tag(for: vr)
        let key = try QueryKey(tag: tag, in: MatchingFixtures.dataSet([Attribute(tag, vr, "12?4*")]))
        #expect(key.matching == (allowsWildcards ? .wildcard(pattern: "12?4*") : .single("12?4*")))
    }

    @Test("Malformed identifiers are refused with a code and the tag")
    func errors() {
        #expect(throws: QueryError(.invalidQueryRetrieveLevel, tag: .queryRetrieveLevel, "\"BOGUS\"")) {
            try Query(identifier: MatchingFixtures.dataSet([Attribute(.queryRetrieveLevel, .CS, "BOGUS")]))
        }
        let badDate = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "2024XX01")])
        #expect { try Query(identifier: badDate) } throws: { error in
            (error as? QueryError)?.code == .invalidValue && (error as? QueryError)?.tag == .studyDate
        }
        // `*` is no wild card in a DA key (§C.2.2.2.4), and "2024*" is no date.
        let dateWildcard = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "2024*")])
        #expect { try Query(identifier: dateWildcard) } throws: { error in
            (error as? QueryError)?.code == .invalidValue
        }
        let badRange = MatchingFixtures.dataSet([Attribute(.studyTime, .TM, "1000-2500")])
        #expect { try Query(identifier: badRange) } throws: { error in
            (error as? QueryError)?.code == .invalidValue
        }
        var twoItems = DataSet()
        twoItems.setSequence([DataSet(), DataSet()], for: .procedureCodeSequence)
        #expect { try Query(identifier: twoItems) } throws: { error in
            (error as? QueryError)?.code == .sequenceKeyWithSeveralItems && (error as? QueryError)?.tag == .procedureCodeSequence
        }
        #expect { try QueryKey(tag: .patientName, in: DataSet()) } throws: { error in
            (error as? QueryError)?.code == .keyAbsent
        }
    }

    @Test("Specific Character Set and group lengths are not keys")
    func nonKeys() throws {
        var identifier = MatchingFixtures.dataSet(characterSet: "ISO_IR 192", [Attribute(.patientName, .PN, "Müller")])
        try identifier.setIntegers([10], for: Tag(0x0010_0000), vr: .UL)
        let query = try Query(identifier: identifier)
        #expect(query.keys.map(\.tag) == [.patientName])
        #expect(query.specificCharacterSet == SpecificCharacterSet("ISO_IR 192"))
        #expect(query[.patientName]?.matching == .single("Müller"))
    }

    @Test("A UN element takes the dictionary's VR")
    func unknownVR() throws {
        var identifier = DataSet()
        identifier.setString("SMITH*", for: .patientName, vr: .UN)
        let key = try QueryKey(tag: .patientName, in: identifier)
        #expect(key.vr == .PN)
        #expect(key.matching == .wildcard(pattern: "SMITH*"))
    }

    @Test("Keys built directly describe themselves for logs")
    func description() {
        let key = QueryKey(tag: .patientName, vr: .PN, matching: .wildcard(pattern: "SMITH*"))
        #expect(key.description == "(0010,0010) PatientName PN wildcard \"SMITH*\"")
        #expect(QueryKey.Matching.range(lower: nil, upper: "2024").description == "range open to \"2024\"")
    }
}
