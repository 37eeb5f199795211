public import Foundation

/// A calendar date, the value of a DA element (PS3.5 §6.2, Table 6.2-1): `YYYYMMDD` of the
/// Gregorian calendar.
///
/// Parsing also takes the ACR-NEMA form `YYYY.MM.DD`, which Table 6.2-1 asks readers to accept for
/// backward compatibility; ``description`` always gives the DICOM form. A DA value is always precise
/// to the day, so a date formats back to the characters it was parsed from (ACR-NEMA form aside).
public struct DICOMDate: Hashable, Sendable {
    /// The year, 0000–9999.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31 as the month allows (29 February in leap years only).
    public let day: Int

    /// A date, or nil when the day does not exist in the Gregorian calendar or the year needs more
    /// than four digits.
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month),
              (1...DICOMDate.numberOfDays(inMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses a DA value: `YYYYMMDD`, or the ACR-NEMA `YYYY.MM.DD`. Surrounding padding (spaces,
    /// NULs) is ignored. Returns nil for anything else, including dates that do not exist.
    public init?(_ text: some StringProtocol) {
        self.init(dicomText: DICOMText.trimmingPadding(Array(text.utf8)), allowsLegacyForm: true)
    }

    /// Parses exactly `YYYYMMDD` (or, when allowed, `YYYY.MM.DD`), no padding.
    init?(dicomText bytes: ArraySlice<UInt8>, allowsLegacyForm: Bool) {
        let start = bytes.startIndex
        let fields: (Int, Int, Int)
        switch bytes.count {
        case 8:
            guard let year = DICOMText.number(bytes[start..<start + 4]),
                  let month = DICOMText.number(bytes[start + 4..<start + 6]),
                  let day = DICOMText.number(bytes[start + 6..<start + 8]) else { return nil }
            fields = (year, month, day)
        case 10 where allowsLegacyForm:
            guard bytes[start + 4] == UInt8(ascii: "."), bytes[start + 7] == UInt8(ascii: "."),
                  let year = DICOMText.number(bytes[start..<start + 4]),
                  let month = DICOMText.number(bytes[start + 5..<start + 7]),
                  let day = DICOMText.number(bytes[start + 8..<start + 10]) else { return nil }
            fields = (year, month, day)
        default:
            return nil
        }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    /// The number of days in `month` of `year` in the (proleptic) Gregorian calendar, which
    /// Table 6.2-1 names for DA and DT.
    static func numberOfDays(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return isLeapYear ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}

extension DICOMDate: Comparable {
    /// Dates order chronologically.
    public static func < (lhs: DICOMDate, rhs: DICOMDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension DICOMDate: CustomStringConvertible {
    /// The DA form, `YYYYMMDD`.
    public var description: String {
        DICOMText.padded(year, width: 4) + DICOMText.padded(month, width: 2) + DICOMText.padded(day, width: 2)
    }
}

// MARK: - Foundation

extension DICOMDate {
    /// The year, month and day in the Gregorian calendar.
    public var dateComponents: DateComponents {
        DateComponents(calendar: Calendar(identifier: .gregorian), year: year, month: month, day: day)
    }

    /// The date of `components`' year, month and day (read as Gregorian), nil when one is missing
    /// or the date does not exist.
    public init?(_ components: DateComponents) {
        guard let year = components.year, let month = components.month, let day = components.day else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The calendar date on which `date` falls in `timeZone`; nil outside the years 0001–9999.
    public init?(_ date: Date, in timeZone: TimeZone) {
        let components = DICOMText.gregorian(in: timeZone).dateComponents([.era, .year, .month, .day], from: date)
        guard components.era == 1, let year = components.year, let month = components.month,
              let day = components.day else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The first instant of this day in `timeZone`.
    public func date(in timeZone: TimeZone) -> Date? {
        DICOMText.gregorian(in: timeZone).date(from: DateComponents(year: year, month: month, day: day))
    }
}

// MARK: - Text helpers shared by DA, TM, DT and AS

/// Byte-level helpers for the fixed-format text VRs, whose characters are all in the default
/// repertoire (PS3.5 §6.1.2.1), so they are parsed as ASCII bytes.
enum DICOMText {
    /// The value of a run of ASCII digits, nil if empty or any byte is not a digit.
    static func number(_ bytes: some Collection<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `bytes` without leading spaces and trailing spaces and NULs, the padding text values carry.
    static func trimmingPadding(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        trimmingTrailingPadding(bytes).drop { $0 == 0x20 }
    }

    /// `bytes` without trailing spaces and NULs.
    static func trimmingTrailingPadding(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x00 { end -= 1 }
        return bytes[..<end]
    }

    /// `value` in decimal, zero-padded on the left to `width` digits.
    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The Gregorian calendar computing in `timeZone`.
    static func gregorian(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
