import DICOMArchive
import DICOMCore
import Testing

@Suite("Sequence Matching, PS3.4 §C.2.2.2.6")
struct SequenceMatchingTests {
    typealias Attribute = MatchingFixtures.Attribute

    static func code(_ value: String, _ scheme: String = "L", _ meaning: String = "") -> DataSet {
        MatchingFixtures.dataSet([
            Attribute(.codeValue, .SH, value), Attribute(.codingSchemeDesignator, .SH, scheme),
            Attribute(.codeMeaning, .LO, meaning),
        ])
    }

    static func dataSet(_ items: [DataSet]?) -> DataSet {
        var dataSet = DataSet()
        if let items { dataSet.setSequence(items, for: .procedureCodeSequence) }
        return dataSet
    }

    static let candidate = dataSet([code("P1", "L", "Procedure one"), code("P2", "L", "Procedure two")])

    @Test("One item of the candidate must match every item key", arguments: [
        ([Attribute(.codeValue, .SH, "P1")], true),
        ([Attribute(.codeValue, .SH, "P2"), Attribute(.codingSchemeDesignator, .SH, "L")], true),
        ([Attribute(.codeValue, .SH, "P3")], false),
        ([Attribute(.codeValue, .SH, "P*")], true),
        ([Attribute(.codeValue, .SH, "P1"), Attribute(.codeMeaning, .LO, "Procedure two")], false),
        ([Attribute(.codeValue, .SH, "P1"), Attribute(.codeMeaning, .LO, "")], true),
    ])
    func itemKeys(itemKeys: [Attribute], matches: Bool) throws {
        let identifier = Self.dataSet([MatchingFixtures.dataSet(itemKeys)])
        let query = try Query(identifier: identifier)
        guard case .sequence(let keys) = query[.procedureCodeSequence]?.matching else {
            Issue.record("not a sequence key: \(query.keys)")
            return
        }
        #expect(keys.map(\.tag) == itemKeys.map(\.tag))
        #expect(query.matches(Self.candidate) == matches)
    }

    @Test("A key without items or with an empty item is universal")
    func universal() throws {
        for identifier in [Self.dataSet([]), Self.dataSet([DataSet()])] {
            let query = try Query(identifier: identifier)
            #expect(query[.procedureCodeSequence]?.matching == .universal)
            #expect(query.matches(Self.candidate))
            #expect(query.matches(Self.dataSet(nil)))
            #expect(query.matches(Self.dataSet([])))
        }
    }

    @Test("A candidate without the sequence or its items matches only universal item keys")
    func absentSequence() throws {
        let matching = try Query(identifier: Self.dataSet([MatchingFixtures.dataSet([Attribute(.codeValue, .SH, "P1")])]))
        #expect(!matching.matches(Self.dataSet(nil)))
        #expect(!matching.matches(Self.dataSet([])))
        let returning = try Query(identifier: Self.dataSet([MatchingFixtures.dataSet([Attribute(.codeValue, .SH, "")])]))
        #expect(returning.matches(Self.dataSet(nil)))
    }

    @Test("Sequences nest: an item key may itself be a sequence key")
    func nested() throws {
        var outerKeyItem = DataSet()
        outerKeyItem.setSequence([MatchingFixtures.dataSet([Attribute(.codeValue, .SH, "P2")])], for: .procedureCodeSequence)
        var identifier = DataSet()
        identifier.setSequence([outerKeyItem], for: .scheduledProcedureStepSequence)

        var outerItem = DataSet()
        outerItem.setSequence([Self.code("P1"), Self.code("P2")], for: .procedureCodeSequence)
        var candidate = DataSet()
        candidate.setSequence([outerItem], for: .scheduledProcedureStepSequence)
        var other = DataSet()
        other.setSequence([Self.dataSet([Self.code("P1")])], for: .scheduledProcedureStepSequence)

        let query = try Query(identifier: identifier)
        #expect(query.matches(candidate))
        #expect(!query.matches(other))
    }
}
