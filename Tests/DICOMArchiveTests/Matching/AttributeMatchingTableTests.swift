import DICOMArchive
import DICOMCore
import Testing

/// One row of the matching table: a key value of some VR against a stored value.
struct MatchRow: Sendable, CustomTestStringConvertible {
    var vr: VR
    var key: String
    /// The stored value; nil when the candidate lacks the attribute, "" for zero length.
    var stored: String?
    var matches: Bool

    init(_ vr: VR, _ key: String, _ stored: String?, _ matches: Bool) {
        self.vr = vr
        self.key = key
        self.stored = stored
        self.matches = matches
    }

    var testDescription: String {
        "\(vr.rawValue) \"\(key)\" vs \(stored.map { "\"\($0)\"" } ?? "absent") → \(matches)"
    }
}

@Suite("Attribute matching, PS3.4 §C.2.2.2, one key against one stored value")
struct AttributeMatchingTableTests {
    static let personNames: [MatchRow] = [
        // Single Value Matching, component-wise; trailing empty components insignificant.
        .init(.PN, "SMITH^JOHN", "SMITH^JOHN", true),
        .init(.PN, "SMITH^JOHN", "SMITH^JOHN^^^", true),
        .init(.PN, "SMITH^JOHN^^^", "SMITH^JOHN", true),
        .init(.PN, "SMITH ^ JOHN", "SMITH^JOHN", true),
        .init(.PN, "SMITH^JOHN", "smith^john", true),
        .init(.PN, "SMITH", "SMITH^JOHN", false),
        .init(.PN, "SMITH^JOHN", "SMITH^JANE", false),
        .init(.PN, "SMITH^JOHN", "SMITH^JOHN^Q", false),
        // Wild cards over the group's text, `*` spanning components.
        .init(.PN, "SMITH*", "SMITH^JOHN", true),
        .init(.PN, "smith*", "SMITH^JOHN", true),
        .init(.PN, "SMITH*", "SMYTHE^JOHN", false),
        .init(.PN, "SM?TH*", "SMYTH^JOHN", true),
        .init(.PN, "*^JOHN", "SMITH^JOHN", true),
        .init(.PN, "*^JOHN", "SMITH^JOHN^Q", false),
        .init(.PN, "*^J*", "SMITH^JOHN^Q", true),
        .init(.PN, "*^*", "SMITH", true),
        .init(.PN, "*^*^^^", "SMITH", true),
        .init(.PN, "SMITH^*", "SMITH", true),
        .init(.PN, "SMITH^J*", "SMITH", false),
        // Component groups.
        .init(.PN, "Yamada^Tarou", "Yamada^Tarou=山田^太郎=やまだ^たろう", true),
        .init(.PN, "山田^太郎", "Yamada^Tarou=山田^太郎=やまだ^たろう", true),
        .init(.PN, "=山田*", "Yamada^Tarou=山田^太郎", true),
        .init(.PN, "Yamada^Tarou=山田^花子", "Yamada^Tarou=山田^太郎", false),
        .init(.PN, "Yamada*=山田^太郎", "Yamada^Tarou=山田^太郎", true),
        // Several values on either side: one match is enough.
        .init(.PN, "DOE^JANE", "SMITH^JOHN\\DOE^JANE", true),
        .init(.PN, "SMITH^JOHN\\DOE^JANE", "DOE^JANE", true),
        .init(.PN, "SMITH^JOHN\\DOE^JANE", "ROE^RICHARD", false),
        // Universal, and unknown stored values.
        .init(.PN, "", "ANYONE", true),
        .init(.PN, "*", "ANYONE", true),
        .init(.PN, "^", "ANYONE", true),
        .init(.PN, "", nil, true),
        .init(.PN, "*", nil, true),
        .init(.PN, "SMITH*", nil, false),
        .init(.PN, "SMITH", "", false),
    ]

    static let strings: [MatchRow] = [
        // LO: case-sensitive, padding insignificant, wild cards.
        .init(.LO, "ID123", "ID123", true),
        .init(.LO, "ID123", " ID123 ", true),
        .init(.LO, "ID123", "id123", false),
        .init(.LO, "ID123", "ID1234", false),
        .init(.LO, "ID*", "ID123", true),
        .init(.LO, "ID?23", "ID123", true),
        .init(.LO, "ID?3", "ID123", false),
        .init(.LO, "*23", "ID123", true),
        .init(.LO, "id*", "ID123", false),
        .init(.LO, "ID123", nil, false),
        .init(.LO, "", nil, true),
        .init(.LO, "  ", "ID123", true),
        // SH.
        .init(.SH, "A1", "A1", true),
        .init(.SH, "A1", "A12", false),
        .init(.SH, "A1*", "A12", true),
        .init(.SH, "A1", "", false),
        // CS: wild cards allowed, case-sensitive; several key values: any.
        .init(.CS, "CT", "CT", true),
        .init(.CS, "CT", "ct", false),
        .init(.CS, "C?", "CT", true),
        .init(.CS, "CT\\MR", "MR", true),
        .init(.CS, "CT\\MR", "US", false),
        .init(.CS, "PT", "CT\\PT", true),
        // AE.
        .init(.AE, "ARCHIVE", "ARCHIVE", true),
        .init(.AE, "ARCH*", "ARCHIVE", true),
        .init(.AE, "archive", "ARCHIVE", false),
        // ST: wild cards, leading spaces significant but trailing not.
        .init(.ST, "Main St*", "Main Street 1", true),
        .init(.ST, "main st*", "Main Street 1", false),
        // AS: no wild cards, so `*` and `?` are literal.
        .init(.AS, "045Y", "045Y", true),
        .init(.AS, "045?", "045Y", false),
    ]

    static let uids: [MatchRow] = [
        .init(.UI, "1.2.3", "1.2.3", true),
        .init(.UI, "1.2.3", "1.2.30", false),
        .init(.UI, "1.2.3\\1.2.4", "1.2.4", true),
        .init(.UI, "1.2.3\\1.2.4", "1.2.5", false),
        .init(.UI, "1.2.*", "1.2.3", false),
        .init(.UI, "*", "1.2.3", true),
        .init(.UI, "1.2.3", "", false),
        .init(.UI, "1.2.3", nil, false),
    ]

    static let dates: [MatchRow] = [
        .init(.DA, "20240315", "20240315", true),
        .init(.DA, "20240315", "20240316", false),
        .init(.DA, "20240315", "2024.03.15", true),
        .init(.DA, "20240301-20240331", "20240315", true),
        .init(.DA, "20240301-20240331", "20240301", true),
        .init(.DA, "20240301-20240331", "20240331", true),
        .init(.DA, "20240301-20240331", "20240401", false),
        .init(.DA, "20240301 - 20240331", "20240315", true),
        .init(.DA, "-20240315", "20240315", true),
        .init(.DA, "-20240315", "20240316", false),
        .init(.DA, "20240315-", "20240315", true),
        .init(.DA, "20240315-", "20240314", false),
        .init(.DA, "20240331-20240301", "20240315", false),
        .init(.DA, "20240315\\20240320", "20240320", true),
        .init(.DA, "*", "20240320", true),
        .init(.DA, "20240101-", nil, false),
        .init(.DA, "20240101-", "", false),
        .init(.DA, "", nil, true),
    ]

    static let times: [MatchRow] = [
        .init(.TM, "1030", "103015", true),
        .init(.TM, "1030", "1031", false),
        .init(.TM, "103015", "1030", false),
        .init(.TM, "103015.5", "103015.55", true),
        .init(.TM, "1000-1800", "1200", true),
        .init(.TM, "1000-1800", "1000", true),
        .init(.TM, "1000-1800", "180059.999999", true),
        .init(.TM, "1000-1800", "1801", false),
        .init(.TM, "1000-1800", "0959", false),
        .init(.TM, "-0900", "083000", true),
        .init(.TM, "-0900", "093000", false),
        .init(.TM, "1700-", "235959", true),
        .init(.TM, "2200-0200", "2300", false),
        .init(.TM, "10:00-18:00", "12:30", true),
    ]

    static let dateTimes: [MatchRow] = [
        .init(.DT, "20240315", "20240315103000", true),
        .init(.DT, "2024", "20240101", true),
        .init(.DT, "2023", "20240101", false),
        .init(.DT, "20240315100000-20240315110000", "20240315103000", true),
        .init(.DT, "20240315100000-20240315110000", "20240315110001", false),
        .init(.DT, "20240315100000+0100-20240315110000+0100", "20240315093000+0000", true),
        .init(.DT, "20240315100000+0100-20240315110000+0100", "20240315103000+0000", false),
        .init(.DT, "20240315100000+0100-20240315110000+0100", "20240315103000", true),
        .init(.DT, "20240101-0500", "20240101", true),
        .init(.DT, "-2024", "20241231235959", true),
        .init(.DT, "-2023", "20240101", false),
        .init(.DT, "2025-", "20241231", false),
        .init(.DT, "202403-202404", "20240430235959.999999", true),
    ]

    static let numbers: [MatchRow] = [
        .init(.IS, "5", "5", true),
        .init(.IS, "5", "05", true),
        .init(.IS, "5", "+5", true),
        .init(.IS, "5", "6", false),
        .init(.IS, "5*", "55", false),
        .init(.IS, "5\\7", "7", true),
        .init(.DS, "1.5", "1.50", true),
        .init(.DS, "70", "70.0", true),
        .init(.DS, "70", "7.0E1", true),
        .init(.DS, "70", "71", false),
        .init(.US, "512", "512", true),
        .init(.US, "512", "256", false),
        .init(.US, "512", nil, false),
    ]

    @Test("Person names: components, groups, wild cards, case", arguments: personNames)
    func personName(row: MatchRow) throws { try check(row) }

    @Test("Text VRs: LO, SH, CS, AE, ST, AS", arguments: strings)
    func string(row: MatchRow) throws { try check(row) }

    @Test("UIDs: single values and lists", arguments: uids)
    func uid(row: MatchRow) throws { try check(row) }

    @Test("Dates: single values and ranges", arguments: dates)
    func date(row: MatchRow) throws { try check(row) }

    @Test("Times: precision, ranges, no crossing midnight", arguments: times)
    func time(row: MatchRow) throws { try check(row) }

    @Test("Date-times: precision, ranges, UTC offsets", arguments: dateTimes)
    func dateTime(row: MatchRow) throws { try check(row) }

    @Test("Numbers: IS, DS and binary values compare as numbers", arguments: numbers)
    func number(row: MatchRow) throws { try check(row) }

    private func check(_ row: MatchRow, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tag = MatchingFixtures.tag(for: row.vr)
        let identifier = MatchingFixtures.dataSet([.init(tag, row.vr, row.key)])
        let candidate = MatchingFixtures.dataSet(row.stored.map { [.init(tag, row.vr, $0)] } ?? [])
        let key = try QueryKey(tag: tag, in: identifier)
        #expect(key.matches(candidate) == row.matches, "\(key)", sourceLocation: sourceLocation)
        let query = try Query(identifier: identifier)
        #expect(query.matches(candidate) == row.matches, sourceLocation: sourceLocation)
    }
}
