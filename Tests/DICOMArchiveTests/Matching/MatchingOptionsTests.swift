import DICOMArchive
import DICOMCore
import DICOMNetwork
import Testing

@Suite("Matching options: implementation choices and Extended Negotiation")
struct MatchingOptionsTests {
    typealias Attribute = MatchingFixtures.Attribute

    @Test("Person names ignore case by default, and match case when told to")
    func personNameCase() throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.patientName, .PN, "smith^j*")])
        let candidate = MatchingFixtures.dataSet([Attribute(.patientName, .PN, "SMITH^JOHN")])
        #expect(try Query(identifier: identifier).matches(candidate))
        #expect(try !Query(identifier: identifier, options: MatchingOptions(personNamesIgnoreCase: false)).matches(candidate))
    }

    @Test("Unknown stored values match only universal keys, unless listed (§C.2.2.1.1)")
    func unknownValues() throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.patientName, .PN, "SMITH"), Attribute(.studyDate, .DA, "20240101-")])
        let noName = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "20240101")])
        let emptyName = MatchingFixtures.dataSet([Attribute(.patientName, .PN, ""), Attribute(.studyDate, .DA, "20240101")])
        let noDate = MatchingFixtures.dataSet([Attribute(.patientName, .PN, "SMITH")])
        let strict = try Query(identifier: identifier)
        #expect(!strict.matches(noName))
        #expect(!strict.matches(emptyName))
        #expect(!strict.matches(noDate))
        let lenient = try Query(identifier: identifier, options: MatchingOptions(unknownValuesMatchEveryKey: [.patientName]))
        #expect(lenient.matches(noName))
        #expect(lenient.matches(emptyName))
        #expect(!lenient.matches(noDate))
    }

    @Test("The Required Keys of the Q/R models (§C.6.1.1, §C.6.2.1): Patient ID only in Study Root, none for worklists")
    func requiredKeys() {
        let studyRoot = QueryHierarchy.requiredKeys(of: .studyRoot)
        #expect(studyRoot == [.patientName, .patientID, .studyDate, .studyTime, .accessionNumber, .studyID, .modality, .seriesNumber, .instanceNumber])
        #expect(QueryHierarchy.requiredKeys(of: .patientRoot) == studyRoot.subtracting([.patientID]))
        #expect(QueryHierarchy.requiredKeys(of: .patientStudyOnly) == [.patientName, .studyDate, .studyTime, .accessionNumber, .studyID])
        #expect(QueryHierarchy.requiredKeys(of: .modalityWorklist).isEmpty)
    }

    @Test("Combined date-time: a study without a time is at the start of its day, or, when the time is a Required Key (§C.2.2.1.1), matches when its day meets the range", arguments: [
        ("20060704", false, false),
        ("20060705", false, true),
        ("20060706", true, true),
        ("20060707", true, true),
        ("20060708", false, false),
    ])
    func combinedDateTimeUnknownTime(date: String, startOfDay: Bool, required: Bool) throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "20060705-20060707"), Attribute(.studyTime, .TM, "1000-1800")])
        let plain = try Query(identifier: identifier, options: MatchingOptions(combinedDateTimeMatching: true))
        #expect(plain.matches(Self.studyAt(date, nil)) == startOfDay)
        let options = MatchingOptions(unknownValuesMatchEveryKey: [.studyDate, .studyTime], combinedDateTimeMatching: true)
        #expect(try Query(identifier: identifier, options: options).matches(Self.studyAt(date, nil)) == required)
        #expect(try Query(identifier: identifier, options: options).matches(Self.studyAt(date, "0900")) == (date == "20060706" || date == "20060707"))
    }

    static func studyAt(_ date: String, _ time: String?) -> DataSet {
        MatchingFixtures.dataSet([Attribute(.studyDate, .DA, date)] + (time.map { [Attribute(.studyTime, .TM, $0)] } ?? []))
    }

    @Test("Combined date-time matching pairs StudyDate with StudyTime", arguments: [
        ("20060706", "0900", true, false),
        ("20060705", "0900", false, false),
        ("20060705", "1000", true, true),
        ("20060707", "1700", true, true),
        ("20060707", "1900", false, false),
        ("20060708", "1200", false, false),
        ("20060706", nil, true, false),
    ] as [(String, String?, Bool, Bool)])
    func combinedDateTime(date: String, time: String?, combined: Bool, separate: Bool) throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "20060705-20060707"), Attribute(.studyTime, .TM, "1000-1800")])
        let query = try Query(identifier: identifier, options: MatchingOptions(combinedDateTimeMatching: true))
        #expect(query[.studyDate]?.matching == .combinedDateTimeRange(timeTag: .studyTime, lower: "200607051000", upper: "200607071800"))
        #expect(query[.studyTime]?.matching == .universal)
        #expect(query.matches(Self.studyAt(date, time)) == combined)
        #expect(try Query(identifier: identifier).matches(Self.studyAt(date, time)) == separate)
    }

    @Test("Combined matching needs both keys to give the same form of range")
    func combinedDateTimeForms() throws {
        let options = MatchingOptions(combinedDateTimeMatching: true)
        let differentForms = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "20060705-"), Attribute(.studyTime, .TM, "1000-1800")])
        #expect(try Query(identifier: differentForms, options: options)[.studyDate]?.matching == .range(lower: "20060705", upper: nil))
        let openEnded = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "20060705-"), Attribute(.studyTime, .TM, "10:00-")])
        let query = try Query(identifier: openEnded, options: options)
        #expect(query[.studyDate]?.matching == .combinedDateTimeRange(timeTag: .studyTime, lower: "200607051000", upper: nil))
        #expect(query.matches(Self.studyAt("20060706", "0800")))
        #expect(!query.matches(Self.studyAt("20060705", "0800")))
        let singleDate = MatchingFixtures.dataSet([Attribute(.studyDate, .DA, "20060705"), Attribute(.studyTime, .TM, "1000-1800")])
        #expect(try Query(identifier: singleDate, options: options)[.studyDate]?.matching == .single("20060705"))
    }

    @Test("Empty Value Matching finds the entities without a value, when negotiated (§C.2.2.2.7)")
    func emptyValue() throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.accessionNumber, .SH, "\"\"")])
        let negotiated = try Query(identifier: identifier, options: MatchingOptions(emptyValueMatching: true))
        #expect(negotiated[.accessionNumber]?.matching == .emptyValue)
        #expect(negotiated.matches(DataSet()))
        #expect(negotiated.matches(MatchingFixtures.dataSet([Attribute(.accessionNumber, .SH, "")])))
        #expect(!negotiated.matches(MatchingFixtures.dataSet([Attribute(.accessionNumber, .SH, "A1")])))
        let plain = try Query(identifier: identifier)
        #expect(plain[.accessionNumber]?.matching == .single("\"\""))
        #expect(!plain.matches(DataSet()))
    }

    @Test("Several key values: any without negotiation, every with it (§C.2.2.2.8)", arguments: [
        ("CT\\PT\\MR", true, true),
        ("PT\\CT", true, true),
        ("CT", true, false),
        ("MR", false, false),
    ])
    func multipleValues(stored: String, any: Bool, every: Bool) throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.modalitiesInStudy, .CS, "CT\\PT")])
        let candidate = MatchingFixtures.dataSet([Attribute(.modalitiesInStudy, .CS, stored)])
        #expect(try Query(identifier: identifier).matches(candidate) == any)
        let negotiated = try Query(identifier: identifier, options: MatchingOptions(multipleValueMatching: true))
        #expect(negotiated[.modalitiesInStudy]?.matching == .multipleValues([.single("CT"), .single("PT")], requiresEveryValue: true))
        #expect(negotiated.matches(candidate) == every)
    }

    @Test("A key with one universal value among several is universal")
    func universalAmongSeveral() throws {
        let identifier = MatchingFixtures.dataSet([Attribute(.modality, .CS, "CT\\*")])
        #expect(try Query(identifier: identifier)[.modality]?.matching == .universal)
    }
}
