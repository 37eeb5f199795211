import DICOMCore

/// Range Matching (PS3.4 §C.2.2.2.5) of DA, TM and DT keys: `<a>-<b>` matches the values from `a`
/// to `b` inclusive, `-<b>` those up to and including `b`, `<a>-` those from `a` on.
///
/// Values compare as instants, with the precision they are written to:
/// - a bound stands for the whole period its precision names, so a lower bound is its first
///   microsecond and an upper bound its last: `-1030` includes 10:30:59, `20240101-2024` (DT)
///   runs to the end of 2024;
/// - a stored value is the first microsecond it can stand for (`10` is 10:00:00);
/// - TM ranges do not cross midnight (§C.2.2.2.5): a range whose lower bound is after its upper
///   bound matches nothing;
/// - DT offsets from UTC are taken into account when both the bound and the stored value have
///   one (§C.2.2.2.5: "The offset from Universal Coordinated Time, if present in the Value of the
///   Attribute, shall be taken into account"); when either lacks one, the two are compared as
///   written, in the same (unstated) time zone.
///
/// Single Value Matching of DA, TM and DT is the range from the value to itself.
enum RangeMatching {
    /// Whether range matching applies to `vr`.
    static func appliesTo(_ vr: VR) -> Bool {
        vr == .DA || vr == .TM || vr == .DT
    }

    /// The matching of one DA, TM or DT key value: a range when it has a range `-`, else a single
    /// value. A DT value whose `-` begins its UTC offset (`20240101-0500`) is a single value.
    ///
    /// - Throws: ``QueryError/Code/invalidValue`` when a bound is not a valid value of `vr`.
    static func matching(_ value: String, tag: Tag, vr: VR) throws(QueryError) -> QueryKey.Matching {
        if Instant.period(value, vr: vr) != nil {
            return .single(value)
        }
        guard let (lower, upper) = bounds(value, vr: vr) else {
            throw QueryError(.invalidValue, tag: tag, "\"\(value)\" is neither a \(vr.rawValue) value nor a range of them")
        }
        if lower == nil && upper == nil {
            // A lone `-`: a range open at both ends, which every value falls in.
            return .universal
        }
        return .range(lower: lower, upper: upper)
    }

    /// The two bounds of `value` split at its range `-`, each trimmed and nil when empty; nil
    /// when no `-` splits it into valid bounds. DT offsets also use `-`, so each `-` is tried in
    /// turn.
    static func bounds(_ value: String, vr: VR) -> (String?, String?)? {
        var index = value.startIndex
        while let dash = value[index...].firstIndex(of: "-") {
            let lower = trimmed(value[..<dash])
            let upper = trimmed(value[value.index(after: dash)...])
            let lowerIsValid = lower.isEmpty || Instant.period(lower, vr: vr) != nil
            let upperIsValid = upper.isEmpty || Instant.period(upper, vr: vr) != nil
            if lowerIsValid && upperIsValid {
                return (lower.isEmpty ? nil : lower, upper.isEmpty ? nil : upper)
            }
            index = value.index(after: dash)
        }
        return nil
    }

    /// Whether the stored `value` falls between the bounds (inclusive; nil is open). A value or
    /// a bound that does not parse matches nothing.
    static func matches(lower: String?, upper: String?, value: String, vr: VR) -> Bool {
        guard let stored = Instant.period(value, vr: vr) else { return false }
        var lowerPeriod: Instant.Period?
        var upperPeriod: Instant.Period?
        if let lower {
            guard let period = Instant.period(lower, vr: vr) else { return false }
            lowerPeriod = period
        }
        if let upper {
            guard let period = Instant.period(upper, vr: vr) else { return false }
            upperPeriod = period
        }
        return contains(stored, from: lowerPeriod, to: upperPeriod)
    }

    /// Whether any moment of the period the stored `value` names (a whole day for a DT date)
    /// lies between the bounds (inclusive; nil is open). A value or a bound that does not parse
    /// matches nothing.
    static func overlaps(lower: String?, upper: String?, value: String, vr: VR) -> Bool {
        guard let stored = Instant.period(value, vr: vr) else { return false }
        if let lower {
            guard let period = Instant.period(lower, vr: vr), Instant.compare(stored.end, period.start) >= 0 else { return false }
        }
        if let upper {
            guard let period = Instant.period(upper, vr: vr), Instant.compare(stored.start, period.end) <= 0 else { return false }
        }
        return true
    }

    /// Whether the start of `stored` lies between the start of `lower` and the end of `upper`
    /// (nil: open).
    static func contains(_ stored: Instant.Period, from lower: Instant.Period?, to upper: Instant.Period?) -> Bool {
        if let lower, Instant.compare(stored.start, lower.start) < 0 { return false }
        if let upper, Instant.compare(stored.start, upper.end) > 0 { return false }
        return true
    }

    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}

/// A moment as a count of microseconds, with the UTC offset it was written with, if any.
struct Instant {
    /// Microseconds since 0000-03-01 (proleptic Gregorian) for DA and DT, since midnight for TM,
    /// in the time zone the value was written in.
    var microseconds: Int64
    /// The value's offset from UTC in minutes, when it has one (DT only).
    var utcOffsetMinutes: Int?

    /// The first and last microsecond a value stands for, given its precision.
    struct Period {
        var start: Instant
        var end: Instant
    }

    static let microsecondsPerSecond: Int64 = 1_000_000
    static let microsecondsPerDay: Int64 = 86_400 * microsecondsPerSecond

    /// The ordering of two instants: by UTC when both carry an offset, else as written.
    static func compare(_ lhs: Instant, _ rhs: Instant) -> Int {
        var left = lhs.microseconds
        var right = rhs.microseconds
        if let leftOffset = lhs.utcOffsetMinutes, let rightOffset = rhs.utcOffsetMinutes {
            left -= Int64(leftOffset) * 60 * microsecondsPerSecond
            right -= Int64(rightOffset) * 60 * microsecondsPerSecond
        }
        return left < right ? -1 : (left == right ? 0 : 1)
    }

    /// The period a DA, TM or DT value stands for; nil when it does not parse.
    static func period(_ text: String, vr: VR) -> Period? {
        switch vr {
        case .DA:
            guard let date = DICOMDate(text) else { return nil }
            let start = days(year: date.year, month: date.month, day: date.day) * microsecondsPerDay
            return Period(start: Instant(microseconds: start), end: Instant(microseconds: start + microsecondsPerDay - 1))
        case .TM:
            guard let time = DICOMTime(text) else { return nil }
            let (start, length) = timeOfDay(time)
            return Period(start: Instant(microseconds: start), end: Instant(microseconds: start + length - 1))
        case .DT:
            guard let dateTime = DICOMDateTime(text) else { return nil }
            return period(dateTime)
        case .AE, .AS, .AT, .CS, .DS, .FL, .FD, .IS, .LO, .LT, .OB, .OD, .OF, .OL, .OV, .OW, .PN, .SH,
             .SL, .SQ, .SS, .ST, .SV, .UC, .UI, .UL, .UN, .UR, .US, .UT, .UV:
            return nil
        }
    }

    /// The period of a date-time, from its first to its last microsecond.
    static func period(_ dateTime: DICOMDateTime) -> Period {
        let year = dateTime.year
        let offset = dateTime.utcOffsetMinutes
        let startDay = days(year: year, month: dateTime.month ?? 1, day: dateTime.day ?? 1)
        let start: Int64
        let end: Int64
        if let time = dateTime.time {
            let (timeStart, length) = timeOfDay(time)
            start = startDay * microsecondsPerDay + timeStart
            end = start + length - 1
        } else {
            start = startDay * microsecondsPerDay
            let nextDay: Int64
            if dateTime.day != nil {
                nextDay = startDay + 1
            } else if let month = dateTime.month {
                nextDay = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
            } else {
                nextDay = days(year: year + 1, month: 1, day: 1)
            }
            end = nextDay * microsecondsPerDay - 1
        }
        return Period(start: Instant(microseconds: start, utcOffsetMinutes: offset), end: Instant(microseconds: end, utcOffsetMinutes: offset))
    }

    /// The first microsecond of `time` since midnight, and the length of the period its
    /// precision names (an hour, a minute, a second, or one unit of its last fraction digit).
    static func timeOfDay(_ time: DICOMTime) -> (start: Int64, length: Int64) {
        var start = Int64(time.hour) * 3_600 * microsecondsPerSecond
        var length = 3_600 * microsecondsPerSecond
        if let minute = time.minute {
            start += Int64(minute) * 60 * microsecondsPerSecond
            length = 60 * microsecondsPerSecond
        }
        if let second = time.second {
            start += Int64(second) * microsecondsPerSecond
            length = microsecondsPerSecond
        }
        if let microsecond = time.microsecond {
            start += Int64(microsecond)
            length = 1
            for _ in time.fractionDigits..<6 { length *= 10 }
        }
        return (start, length)
    }

    /// The number of days from 0000-03-01 to the given date of the proleptic Gregorian calendar.
    /// Counting years from March puts the leap day last, so a year's days follow from its number
    /// alone.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let marchMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * marchMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra
    }
}
