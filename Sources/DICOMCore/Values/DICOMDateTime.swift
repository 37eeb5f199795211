public import Foundation

/// A date and time, the value of a DT element (PS3.5 §6.2, Table 6.2-1):
/// `YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&ZZXX]`, where `&ZZXX` is an optional offset from UTC (`+` or
/// `-`, hours, minutes).
///
/// Table 6.2-1 calls the components left off the end "null components": the value is only as
/// precise as the components it gives. They are `nil` here, and the number of fraction digits is
/// kept, so a value formats back to exactly the characters it was parsed from (except `-0000`,
/// which the table forbids and which is read as `+0000`).
///
/// `DICOMDateTime` is not `Comparable`: a value without an offset is in the unstated time zone of
/// its writer, so two values only order once a time zone is assumed; compare
/// ``date(defaultTimeZone:)`` results instead.
public struct DICOMDateTime: Hashable, Sendable {
    /// The year, 0000–9999.
    public let year: Int
    /// The month, 1–12, or nil when the value stops at the year.
    public let month: Int?
    /// The day of the month, or nil when the value stops before it.
    public let day: Int?
    /// The time of day, or nil when the value stops at the day or before. As precise as the value.
    public let time: DICOMTime?
    /// The offset from UTC in minutes ("local time minus UTC", −720 to +840), or nil when the value
    /// has none and is in its writer's local time zone (or that of Timezone Offset From UTC
    /// (0008,0201), PS3.3 C.12.1.1.8).
    public let utcOffsetMinutes: Int?

    /// The earliest and latest offsets Table 6.2-1 allows: −12:00 and +14:00.
    static let utcOffsetRange = -720...840

    /// A date-time precise to the last component given; components must not skip (a day needs a
    /// month, a time needs a day). Nil when a component is out of range or the day does not exist.
    public init?(year: Int, month: Int? = nil, day: Int? = nil, time: DICOMTime? = nil, utcOffsetMinutes: Int? = nil) {
        guard (0...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
        }
        if let day {
            guard let month, (1...DICOMDate.numberOfDays(inMonth: month, year: year)).contains(day) else { return nil }
        }
        if time != nil {
            guard day != nil else { return nil }
        }
        if let utcOffsetMinutes {
            guard DICOMDateTime.utcOffsetRange.contains(utcOffsetMinutes) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
        self.time = time
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// The date-time of a whole `date`, at `time` if given, with an optional offset (minutes).
    public init?(date: DICOMDate, time: DICOMTime? = nil, utcOffsetMinutes: Int? = nil) {
        self.init(year: date.year, month: date.month, day: date.day, time: time, utcOffsetMinutes: utcOffsetMinutes)
    }

    /// Parses a DT value (see the type's description). Surrounding padding (spaces, NULs) is
    /// ignored. Returns nil for anything else: a partial component, a `.` without 1–6 digits
    /// after it or before the seconds, an offset that is not `&ZZXX` or lies outside −1200…+1400,
    /// components out of range.
    public init?(_ text: some StringProtocol) {
        self.init(dicomText: DICOMText.trimmingPadding(Array(text.utf8)), strict: false)
    }

    /// Parses the DT form, no padding. `strict` refuses the offset `-0000` that Table 6.2-1
    /// forbids ("The offset for a Date Time value in UTC shall be +0000").
    init?(dicomText bytes: ArraySlice<UInt8>, strict: Bool) {
        var main = bytes
        var offset: Int?
        if let sign = bytes.firstIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            let suffix = bytes[(sign + 1)...]
            guard suffix.count == 4,
                  let hours = DICOMText.number(suffix.prefix(2)),
                  let minutes = DICOMText.number(suffix.suffix(2)), minutes < 60 else { return nil }
            let isNegative = bytes[sign] == UInt8(ascii: "-")
            if strict && isNegative && hours == 0 && minutes == 0 { return nil }
            offset = (isNegative ? -1 : 1) * (hours * 60 + minutes)
            main = bytes[..<sign]
        }
        let dot = main.firstIndex(of: UInt8(ascii: "."))
        let whole = main[..<(dot ?? main.endIndex)]
        guard [4, 6, 8, 10, 12, 14].contains(whole.count), let year = DICOMText.number(whole.prefix(4)) else { return nil }
        var fields: [Int] = []
        var index = whole.startIndex + 4
        while index < whole.endIndex {
            guard let field = DICOMText.number(whole[index..<index + 2]) else { return nil }
            fields.append(field)
            index += 2
        }
        var time: DICOMTime?
        if fields.count > 2 {
            var fraction: (microsecond: Int, digits: Int)?
            if let dot {
                guard fields.count == 5, let parsed = DICOMTime.fraction(main[(dot + 1)...]) else { return nil }
                fraction = parsed
            }
            guard let parsed = DICOMTime(
                hour: fields[2],
                minute: fields.count > 3 ? fields[3] : nil,
                second: fields.count > 4 ? fields[4] : nil,
                microsecond: fraction?.microsecond,
                fractionDigits: fraction?.digits ?? 6) else { return nil }
            time = parsed
        } else if dot != nil {
            return nil
        }
        self.init(
            year: year,
            month: fields.count > 0 ? fields[0] : nil,
            day: fields.count > 1 ? fields[1] : nil,
            time: time,
            utcOffsetMinutes: offset)
    }

    /// The calendar date, when the value is precise to the day at least.
    public var date: DICOMDate? {
        guard let month, let day else { return nil }
        return DICOMDate(year: year, month: month, day: day)
    }
}

extension DICOMDateTime: CustomStringConvertible {
    /// The DT form, with the components, fraction digits and offset the value has.
    public var description: String {
        var text = DICOMText.padded(year, width: 4)
        if let month { text += DICOMText.padded(month, width: 2) }
        if let day { text += DICOMText.padded(day, width: 2) }
        if let time { text += time.description }
        if let utcOffsetMinutes {
            text += utcOffsetMinutes < 0 ? "-" : "+"
            text += DICOMText.padded(abs(utcOffsetMinutes) / 60, width: 2) + DICOMText.padded(abs(utcOffsetMinutes) % 60, width: 2)
        }
        return text
    }
}

// MARK: - Foundation

extension DICOMDateTime {
    /// The time zone of the offset, when the value has one.
    public var timeZone: TimeZone? {
        utcOffsetMinutes.flatMap { TimeZone(secondsFromGMT: $0 * 60) }
    }

    /// The components the value has, in the Gregorian calendar, with its offset's time zone.
    public var dateComponents: DateComponents {
        DateComponents(
            calendar: Calendar(identifier: .gregorian), timeZone: timeZone,
            year: year, month: month, day: day,
            hour: time?.hour, minute: time?.minute, second: time?.second,
            nanosecond: time?.microsecond.map { $0 * 1000 })
    }

    /// The first instant the value can stand for (null components taken at their start: January,
    /// the first, midnight), in its offset's time zone or else `defaultTimeZone`.
    public func date(defaultTimeZone: TimeZone) -> Date? {
        let components = DateComponents(
            year: year, month: month ?? 1, day: day ?? 1,
            hour: time?.hour ?? 0, minute: time?.minute ?? 0, second: time?.second ?? 0,
            nanosecond: (time?.microsecond ?? 0) * 1000)
        return DICOMText.gregorian(in: timeZone ?? defaultTimeZone).date(from: components)
    }

    /// The date-time of `date` in `timeZone`, to the second and `fractionDigits` (0–6) digits of
    /// fraction, with that zone's offset at `date` (whole minutes) unless `includesUTCOffset` is
    /// false. Nil outside the years 0001–9999.
    public init?(_ date: Date, in timeZone: TimeZone, fractionDigits: Int = 6, includesUTCOffset: Bool = true) {
        let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
        let zone = includesUTCOffset ? (TimeZone(secondsFromGMT: offsetMinutes * 60) ?? timeZone) : timeZone
        let components = DICOMText.gregorian(in: zone).dateComponents([.era, .year, .month, .day], from: date)
        guard components.era == 1, let year = components.year,
              let day = DICOMDate(year: year, month: components.month ?? 0, day: components.day ?? 0),
              let time = DICOMTime(date, in: zone, fractionDigits: fractionDigits) else { return nil }
        self.init(date: day, time: time, utcOffsetMinutes: includesUTCOffset ? offsetMinutes : nil)
    }
}
