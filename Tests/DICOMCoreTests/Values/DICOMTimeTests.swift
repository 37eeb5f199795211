import DICOMCore
import Foundation
import Testing

@Suite("DICOMTime (TM, PS3.5 Table 6.2-1)")
struct DICOMTimeTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let hour: Int, minute: Int?, second: Int?, microsecond: Int?, fractionDigits: Int
        /// The TM form it formats to.
        let formatted: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let valid: [Valid] = [
        Valid(text: "10", hour: 10, minute: nil, second: nil, microsecond: nil, fractionDigits: 0, formatted: "10"),
        Valid(text: "1030", hour: 10, minute: 30, second: nil, microsecond: nil, fractionDigits: 0, formatted: "1030"),
        Valid(text: "103015", hour: 10, minute: 30, second: 15, microsecond: nil, fractionDigits: 0, formatted: "103015"),
        Valid(text: "103015.1", hour: 10, minute: 30, second: 15, microsecond: 100_000, fractionDigits: 1, formatted: "103015.1"),
        Valid(text: "103015.05", hour: 10, minute: 30, second: 15, microsecond: 50_000, fractionDigits: 2, formatted: "103015.05"),
        Valid(text: "103015.000100", hour: 10, minute: 30, second: 15, microsecond: 100, fractionDigits: 6, formatted: "103015.000100"),
        Valid(text: "103015.123456", hour: 10, minute: 30, second: 15, microsecond: 123_456, fractionDigits: 6, formatted: "103015.123456"),
        Valid(text: "000000", hour: 0, minute: 0, second: 0, microsecond: nil, fractionDigits: 0, formatted: "000000"),
        Valid(text: "235960", hour: 23, minute: 59, second: 60, microsecond: nil, fractionDigits: 0, formatted: "235960"),  // leap second
        Valid(text: "070907.0705 ", hour: 7, minute: 9, second: 7, microsecond: 70_500, fractionDigits: 4, formatted: "070907.0705"),
        Valid(text: "10:30", hour: 10, minute: 30, second: nil, microsecond: nil, fractionDigits: 0, formatted: "1030"),  // ACR-NEMA
        Valid(text: "10:30:15", hour: 10, minute: 30, second: 15, microsecond: nil, fractionDigits: 0, formatted: "103015"),
        Valid(text: "10:30:15.25", hour: 10, minute: 30, second: 15, microsecond: 250_000, fractionDigits: 2, formatted: "103015.25"),
    ]

    @Test("Parses, keeps the precision, formats back", arguments: valid)
    func parses(row: Valid) throws {
        let time = try #require(DICOMTime(row.text))
        #expect(time.hour == row.hour)
        #expect(time.minute == row.minute)
        #expect(time.second == row.second)
        #expect(time.microsecond == row.microsecond)
        #expect(time.fractionDigits == row.fractionDigits)
        #expect(time.description == row.formatted)
    }

    @Test("Rejects text that is not a time", arguments: [
        "", "1", "103", "10301", "1030151", "2400", "2360", "235961", "103015.", "103015.1234567",
        "1030.5", "10.5", "10:3", "10:30:", "10:30.5", "10:30:15:00", ":30", "ab", "-100", "1030 15",
        "10 30", "+10", "10:30:15.", "1O30",
    ])
    func rejects(text: String) {
        #expect(DICOMTime(text) == nil)
    }

    @Test("Component initializer: no skipped components, ranges, fraction truncated to its digits")
    func componentInitializer() {
        #expect(DICOMTime(hour: 10, second: 5) == nil)
        #expect(DICOMTime(hour: 10, minute: 5, microsecond: 5) == nil)
        #expect(DICOMTime(hour: 24) == nil)
        #expect(DICOMTime(hour: 1, minute: 60) == nil)
        #expect(DICOMTime(hour: 1, minute: 2, second: 61) == nil)
        #expect(DICOMTime(hour: 1, minute: 2, second: 3, microsecond: 1_000_000) == nil)
        #expect(DICOMTime(hour: 1, minute: 2, second: 3, microsecond: 5, fractionDigits: 7) == nil)
        #expect(DICOMTime(hour: 1, minute: 2, second: 3, microsecond: 123_456, fractionDigits: 3)?.description == "010203.123")
        #expect(DICOMTime(hour: 1, minute: 2, second: 3, microsecond: 7)?.description == "010203.000007")
        #expect(DICOMTime(hour: 9)?.description == "09")
    }

    @Test("Orders by components, less precise first")
    func ordering() throws {
        let texts = ["100000.0", "1000", "0959", "10", "100000", "095959.999999"]
        let sorted = try texts.map { try #require(DICOMTime($0)) }.sorted().map(\.description)
        #expect(sorted == ["0959", "095959.999999", "10", "1000", "100000", "100000.0"])
    }

    @Test("Same instant at different precision is a different value")
    func precisionIsPartOfTheValue() {
        #expect(DICOMTime("1030") != DICOMTime("103000"))
        #expect(DICOMTime("103000.5") != DICOMTime("103000.50"))
        #expect(DICOMTime("10:30") == DICOMTime("1030"))
    }

    @Test("Converts to and from Foundation")
    func foundation() throws {
        let utc = try #require(TimeZone(secondsFromGMT: 0))
        let instant = Date(timeIntervalSince1970: 1_577_836_800 + 3600 * 13 + 60 * 4 + 5.25)
        #expect(DICOMTime(instant, in: utc)?.description == "130405.250000")
        #expect(DICOMTime(instant, in: utc, fractionDigits: 2)?.description == "130405.25")
        #expect(DICOMTime(instant, in: utc, fractionDigits: 0)?.description == "130405")
        #expect(DICOMTime(instant, in: try #require(TimeZone(secondsFromGMT: 5400)), fractionDigits: 0)?.description == "143405")

        let time = try #require(DICOMTime("1304"))
        let components = time.dateComponents
        #expect(components.hour == 13)
        #expect(components.minute == 4)
        #expect(components.second == nil)
        #expect(DICOMTime(DateComponents(hour: 13, minute: 4)) == time)
        #expect(DICOMTime(DateComponents(hour: 13, minute: 4, second: 5, nanosecond: 250_000_000))?.description == "130405.250000")
        #expect(DICOMTime(DateComponents(minute: 4)) == nil)
    }
}
