import DICOMCore
import Testing

@Suite("AgeString (AS, PS3.5 Table 6.2-1)")
struct AgeStringTests {
    @Test("Parses and formats back", arguments: [
        ("045Y", 45, AgeString.Unit.years), ("000D", 0, .days), ("999W", 999, .weeks),
        ("012M", 12, .months), ("001Y ", 1, .years),
    ])
    func parses(text: String, count: Int, unit: AgeString.Unit) throws {
        let age = try #require(AgeString(text))
        #expect(age.count == count)
        #expect(age.unit == unit)
        #expect(age.description == text.filter { $0 != " " })
    }

    @Test("Rejects text that is not nnnU", arguments: [
        "", "45Y", "0450Y", "045y", "045X", "-45Y", "04 Y", "045", "Y045", "04.5Y",
    ])
    func rejects(text: String) {
        #expect(AgeString(text) == nil)
    }

    @Test("Component initializer keeps to three digits")
    func componentInitializer() {
        #expect(AgeString(count: 1000, unit: .days) == nil)
        #expect(AgeString(count: -1, unit: .days) == nil)
        #expect(AgeString(count: 7, unit: .weeks)?.description == "007W")
    }
}
