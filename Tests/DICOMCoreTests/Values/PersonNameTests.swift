import DICOMCore
import Testing

@Suite("PersonName (PN, PS3.5 §6.2.1)")
struct PersonNameTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let text: String
        /// The five components of each of the three groups.
        let groups: [[String]]
        /// The PN form it formats to (trailing empty components and groups left off).
        let formatted: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let rows: [Row] = [
        // PS3.5 §6.2.1's examples.
        Row(text: "Adams^John Robert Quincy^^Rev.^B.A. M.Div.",
            groups: [["Adams", "John Robert Quincy", "", "Rev.", "B.A. M.Div."], [], []],
            formatted: "Adams^John Robert Quincy^^Rev.^B.A. M.Div."),
        Row(text: "Morrison-Jones^Susan^^^Ph.D., Chief Executive Officer",
            groups: [["Morrison-Jones", "Susan", "", "", "Ph.D., Chief Executive Officer"], [], []],
            formatted: "Morrison-Jones^Susan^^^Ph.D., Chief Executive Officer"),
        Row(text: "Doe^John", groups: [["Doe", "John"], [], []], formatted: "Doe^John"),
        Row(text: "Smith^Fluffy", groups: [["Smith", "Fluffy"], [], []], formatted: "Smith^Fluffy"),
        // Trailing empty components and their delimiters are dropped when formatting.
        Row(text: "Doe^John^^^", groups: [["Doe", "John"], [], []], formatted: "Doe^John"),
        Row(text: "Doe^^^^", groups: [["Doe"], [], []], formatted: "Doe"),
        // Interior empty components keep their delimiters.
        Row(text: "^John", groups: [["", "John"], [], []], formatted: "^John"),
        Row(text: "^^^Dr", groups: [["", "", "", "Dr"], [], []], formatted: "^^^Dr"),
        // Component groups (PS3.5 Annex H, I, K examples).
        Row(text: "Yamada^Tarou=山田^太郎=やまだ^たろう",
            groups: [["Yamada", "Tarou"], ["山田", "太郎"], ["やまだ", "たろう"]],
            formatted: "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        Row(text: "Hong^Gildong=洪^吉洞=홍^길동",
            groups: [["Hong", "Gildong"], ["洪", "吉洞"], ["홍", "길동"]],
            formatted: "Hong^Gildong=洪^吉洞=홍^길동"),
        Row(text: "Zhang^XiaoDong=张^小东=", groups: [["Zhang", "XiaoDong"], ["张", "小东"], []], formatted: "Zhang^XiaoDong=张^小东"),
        Row(text: "=Yamada^Tarou", groups: [[], ["Yamada", "Tarou"], []], formatted: "=Yamada^Tarou"),
        Row(text: "==やまだ^たろう", groups: [[], [], ["やまだ", "たろう"]], formatted: "==やまだ^たろう"),
        Row(text: "Doe^John==", groups: [["Doe", "John"], [], []], formatted: "Doe^John"),
        // Padding and empty values.
        Row(text: "Doe^John ", groups: [["Doe", "John"], [], []], formatted: "Doe^John"),
        Row(text: "", groups: [[], [], []], formatted: ""),
        Row(text: "^^", groups: [[], [], []], formatted: ""),
        Row(text: "=", groups: [[], [], []], formatted: ""),
    ]

    @Test("Parses components and groups, formats with trailing empties left off", arguments: rows)
    func parses(row: Row) throws {
        let name = try #require(PersonName(row.text))
        for (group, expected) in zip(name.componentGroups, row.groups) {
            #expect(group.components == expected + Array(repeating: "", count: 5 - expected.count))
        }
        #expect(name.description == row.formatted)
        #expect(name.isEmpty == row.formatted.isEmpty)
    }

    @Test("A formatted name parses back to the same name", arguments: rows)
    func roundTrips(row: Row) throws {
        let name = try #require(PersonName(row.text))
        #expect(PersonName(name.description) == name)
    }

    @Test("Rejects more than three groups, more than five components, a backslash", arguments: [
        "a=b=c=d", "a^b^c^d^e^f", "Doe\\Roe", "===", "A=b^c^d^e^f^g",
    ])
    func rejects(text: String) {
        #expect(PersonName(text) == nil)
    }

    @Test("Builds from components")
    func buildsFromComponents() {
        #expect(PersonName(familyName: "Doe", namePrefix: "Dr").description == "Doe^^^Dr")
        #expect(PersonName(familyName: "Doe", givenName: "John", middleName: "Q", namePrefix: "Mr", nameSuffix: "Jr").description == "Doe^John^Q^Mr^Jr")
        let name = PersonName(phonetic: PersonName.ComponentGroup(familyName: "やまだ"))
        #expect(name.description == "==やまだ")
        #expect(name.alphabetic.isEmpty)
        #expect(PersonName.ComponentGroup("Doe^John")?.givenName == "John")
        #expect(PersonName.ComponentGroup("Doe=John") == nil)
    }
}
