import DICOMCore
import Foundation
import Testing

@Suite("DICOMDate (DA, PS3.5 Table 6.2-1)")
struct DICOMDateTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let year: Int, month: Int, day: Int
        /// The DA form it formats to.
        let formatted: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let valid: [Valid] = [
        Valid(text: "20240315", year: 2024, month: 3, day: 15, formatted: "20240315"),
        Valid(text: "19930822", year: 1993, month: 8, day: 22, formatted: "19930822"),
        Valid(text: "00010101", year: 1, month: 1, day: 1, formatted: "00010101"),
        Valid(text: "99991231", year: 9999, month: 12, day: 31, formatted: "99991231"),
        Valid(text: "20000229", year: 2000, month: 2, day: 29, formatted: "20000229"),  // 400-year leap
        Valid(text: "20240229", year: 2024, month: 2, day: 29, formatted: "20240229"),
        Valid(text: "20240430", year: 2024, month: 4, day: 30, formatted: "20240430"),
        Valid(text: "20240315 ", year: 2024, month: 3, day: 15, formatted: "20240315"),  // padding
        Valid(text: "20240315\0", year: 2024, month: 3, day: 15, formatted: "20240315"),
        Valid(text: "1993.08.22", year: 1993, month: 8, day: 22, formatted: "19930822"),  // ACR-NEMA
    ]

    @Test("Parses and formats back", arguments: valid)
    func parses(row: Valid) throws {
        let date = try #require(DICOMDate(row.text))
        #expect(date.year == row.year)
        #expect(date.month == row.month)
        #expect(date.day == row.day)
        #expect(date.description == row.formatted)
    }

    @Test("Rejects text that is not a date", arguments: [
        "", "2024", "202403", "2024031", "202403150", "20241301", "20240001", "20240100", "20240132",
        "20230229", "19000229", "20240431", "2024-03-15", "2024.3.15", "2024/03/15", "1993.08-22",
        "abcdefgh", "+2024031", "2024031a", "2024 315", "२०२४०३१५",
    ])
    func rejects(text: String) {
        #expect(DICOMDate(text) == nil)
    }

    @Test("Component initializer checks the calendar", arguments: [
        (2024, 2, 29, true), (2023, 2, 29, false), (2024, 13, 1, false), (2024, 0, 1, false),
        (2024, 6, 31, false), (10000, 1, 1, false), (-1, 1, 1, false), (0, 1, 1, true),
    ])
    func componentInitializer(year: Int, month: Int, day: Int, isValid: Bool) {
        #expect((DICOMDate(year: year, month: month, day: day) != nil) == isValid)
    }

    @Test("Orders chronologically")
    func ordering() throws {
        let texts = ["20240315", "19991231", "20240301", "20240229", "20231231"]
        let sorted = try texts.map { try #require(DICOMDate($0)) }.sorted().map(\.description)
        #expect(sorted == ["19991231", "20231231", "20240229", "20240301", "20240315"])
    }

    @Test("Converts to and from Foundation dates")
    func foundation() throws {
        let utc = try #require(TimeZone(secondsFromGMT: 0))
        let date = try #require(DICOMDate("20200101"))
        #expect(date.date(in: utc) == Date(timeIntervalSince1970: 1_577_836_800))
        let oneHourWest = try #require(TimeZone(secondsFromGMT: -3600))
        #expect(DICOMDate(Date(timeIntervalSince1970: 1_577_836_800), in: utc) == date)
        #expect(DICOMDate(Date(timeIntervalSince1970: 1_577_836_800), in: oneHourWest)?.description == "20191231")
        let components = date.dateComponents
        #expect([components.year, components.month, components.day] == [2020, 1, 1])
        #expect(DICOMDate(DateComponents(year: 2020, month: 2, day: 30)) == nil)
        #expect(DICOMDate(DateComponents(year: 2020, month: 2, day: 29))?.description == "20200229")
        #expect(DICOMDate(DateComponents(year: 2020, month: 2)) == nil)
    }
}
