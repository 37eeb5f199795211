import DICOMCore
import Foundation
import Testing

@Suite("DICOMDateTime (DT, PS3.5 Table 6.2-1)")
struct DICOMDateTimeTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let year: Int, month: Int?, day: Int?
        /// The time's TM form, if any.
        let time: String?
        let offset: Int?
        /// The DT form it formats to.
        let formatted: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let valid: [Valid] = [
        Valid(text: "2024", year: 2024, month: nil, day: nil, time: nil, offset: nil, formatted: "2024"),
        Valid(text: "202403", year: 2024, month: 3, day: nil, time: nil, offset: nil, formatted: "202403"),
        Valid(text: "20240315", year: 2024, month: 3, day: 15, time: nil, offset: nil, formatted: "20240315"),
        Valid(text: "2024031509", year: 2024, month: 3, day: 15, time: "09", offset: nil, formatted: "2024031509"),
        Valid(text: "202403150930", year: 2024, month: 3, day: 15, time: "0930", offset: nil, formatted: "202403150930"),
        Valid(text: "20240315093005", year: 2024, month: 3, day: 15, time: "093005", offset: nil, formatted: "20240315093005"),
        Valid(text: "20240315093005.1", year: 2024, month: 3, day: 15, time: "093005.1", offset: nil, formatted: "20240315093005.1"),
        Valid(text: "20240315093005.123456+0100", year: 2024, month: 3, day: 15, time: "093005.123456", offset: 60, formatted: "20240315093005.123456+0100"),
        Valid(text: "2024-0500", year: 2024, month: nil, day: nil, time: nil, offset: -300, formatted: "2024-0500"),
        Valid(text: "20240315+1400", year: 2024, month: 3, day: 15, time: nil, offset: 840, formatted: "20240315+1400"),
        Valid(text: "20240315-1200", year: 2024, month: 3, day: 15, time: nil, offset: -720, formatted: "20240315-1200"),
        Valid(text: "2024031512+0530", year: 2024, month: 3, day: 15, time: "12", offset: 330, formatted: "2024031512+0530"),
        Valid(text: "20240315+0000", year: 2024, month: 3, day: 15, time: nil, offset: 0, formatted: "20240315+0000"),
        Valid(text: "20240229235960 ", year: 2024, month: 2, day: 29, time: "235960", offset: nil, formatted: "20240229235960"),
        Valid(text: "20240315-0000", year: 2024, month: 3, day: 15, time: nil, offset: 0, formatted: "20240315+0000"),  // forbidden, read as UTC
    ]

    @Test("Parses, keeps the precision and offset, formats back", arguments: valid)
    func parses(row: Valid) throws {
        let value = try #require(DICOMDateTime(row.text))
        #expect(value.year == row.year)
        #expect(value.month == row.month)
        #expect(value.day == row.day)
        #expect(value.time?.description == row.time)
        #expect(value.utcOffsetMinutes == row.offset)
        #expect(value.description == row.formatted)
    }

    @Test("Rejects text that is not a date-time", arguments: [
        "", "202", "20241", "2024031", "202403151", "20241301", "20240230", "2024031524", "202403152360",
        "20240315235961", "20240315093005.", "20240315093005.1234567", "202403150930.5", "20240315.5",
        "2024+01", "2024+010", "2024+01000", "2024+1500", "2024-1300", "2024+0160", "2024+1401",
        "20240315 0930", " 2024 03", "2024.03.15", "20240315093005+01:00", "20240315T093005", "++0100",
    ])
    func rejects(text: String) {
        #expect(DICOMDateTime(text) == nil)
    }

    @Test("Component initializer: no skipped components")
    func componentInitializer() throws {
        #expect(DICOMDateTime(year: 2024, day: 1) == nil)
        #expect(DICOMDateTime(year: 2024, month: 3, time: DICOMTime(hour: 1)) == nil)
        #expect(DICOMDateTime(year: 2024, utcOffsetMinutes: 841) == nil)
        #expect(DICOMDateTime(year: 2024, month: 2, day: 30) == nil)
        let date = try #require(DICOMDate("20240315"))
        #expect(DICOMDateTime(date: date, time: DICOMTime("0930"), utcOffsetMinutes: -90)?.description == "202403150930-0130")
        #expect(DICOMDateTime("20240315093005")?.date == date)
        #expect(DICOMDateTime("202403")?.date == nil)
    }

    @Test("Converts to Foundation: the offset wins over the default zone; null components start their period")
    func toFoundation() throws {
        let utc = try #require(TimeZone(secondsFromGMT: 0))
        let tokyo = try #require(TimeZone(secondsFromGMT: 9 * 3600))
        // 2020-01-01T12:00:00+01:00 is 11:00 UTC.
        #expect(DICOMDateTime("20200101120000+0100")?.date(defaultTimeZone: tokyo) == Date(timeIntervalSince1970: 1_577_876_400))
        #expect(DICOMDateTime("2020")?.date(defaultTimeZone: utc) == Date(timeIntervalSince1970: 1_577_836_800))
        #expect(DICOMDateTime("20200101090000")?.date(defaultTimeZone: tokyo) == Date(timeIntervalSince1970: 1_577_836_800))
        #expect(DICOMDateTime("20200101000000.5")?.date(defaultTimeZone: utc) == Date(timeIntervalSince1970: 1_577_836_800.5))
        #expect(DICOMDateTime("2020+0100")?.timeZone?.secondsFromGMT() == 3600)
        #expect(DICOMDateTime("2020")?.timeZone == nil)
        let components = try #require(DICOMDateTime("202001021304")).dateComponents
        #expect([components.year, components.month, components.day, components.hour, components.minute] == [2020, 1, 2, 13, 4])
        #expect(components.second == nil)
    }

    @Test("Converts from Foundation with the zone's offset")
    func fromFoundation() throws {
        let plusOne = try #require(TimeZone(secondsFromGMT: 3600))
        let instant = Date(timeIntervalSince1970: 1_577_876_400.25)  // 2020-01-01T11:00:00.25Z
        #expect(DICOMDateTime(instant, in: plusOne, fractionDigits: 2)?.description == "20200101120000.25+0100")
        #expect(DICOMDateTime(instant, in: plusOne, fractionDigits: 0, includesUTCOffset: false)?.description == "20200101120000")
        let minusFiveThirty = try #require(TimeZone(secondsFromGMT: -(5 * 3600 + 1800)))
        #expect(DICOMDateTime(instant, in: minusFiveThirty, fractionDigits: 0)?.description == "20200101053000-0530")
    }
}
