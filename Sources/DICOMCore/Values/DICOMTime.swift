public import Foundation

/// A time of day, the value of a TM element (PS3.5 §6.2, Table 6.2-1): `HH`, `HHMM`, `HHMMSS` or
/// `HHMMSS.F` with one to six fraction digits, on a 24-hour clock.
///
/// A TM value is only as precise as the components it gives ("1030" means some time in that
/// minute), so the components left out are `nil` here and the number of fraction digits is kept:
/// a time formats back to exactly the characters it was parsed from. Parsing also takes the
/// ACR-NEMA form `HH:MM[:SS[.F]]` that Table 6.2-1 mentions; ``description`` always gives the
/// DICOM form.
public struct DICOMTime: Hashable, Sendable {
    /// The hour, 00–23.
    public let hour: Int
    /// The minute, 00–59, or nil when the value stops at the hour.
    public let minute: Int?
    /// The second, 00–60 (60 for a leap second), or nil when the value stops before it.
    public let second: Int?
    /// The fraction of the second in microseconds, 0–999999, or nil when the value has none. With
    /// fewer than six ``fractionDigits`` the digits beyond them are zero.
    public let microsecond: Int?
    /// How many fraction digits the value has: 0 without a fraction, else 1–6.
    public let fractionDigits: Int

    /// A time precise to the last component given; components must not skip (a second needs a
    /// minute, a fraction needs a second). `microsecond` is truncated to `fractionDigits` digits
    /// (1–6). Nil when a component is out of range.
    public init?(hour: Int, minute: Int? = nil, second: Int? = nil, microsecond: Int? = nil, fractionDigits: Int = 6) {
        guard (0...23).contains(hour) else { return nil }
        if let minute {
            guard (0...59).contains(minute) else { return nil }
        }
        if let second {
            guard minute != nil, (0...60).contains(second) else { return nil }
        }
        if let microsecond {
            guard second != nil, (0...999_999).contains(microsecond), (1...6).contains(fractionDigits) else { return nil }
            let unit = DICOMTime.microsecondsPerDigit(fractionDigits)
            self.microsecond = microsecond / unit * unit
            self.fractionDigits = fractionDigits
        } else {
            self.microsecond = nil
            self.fractionDigits = 0
        }
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses a TM value (see the type's description). Surrounding padding (spaces, NULs) is
    /// ignored. Returns nil for anything else: other lengths, a `.` without digits after it, more
    /// than six fraction digits, components out of range.
    public init?(_ text: some StringProtocol) {
        let bytes = DICOMText.trimmingPadding(Array(text.utf8))
        if bytes.contains(UInt8(ascii: ":")) {
            self.init(legacyText: bytes)
        } else {
            self.init(dicomText: bytes)
        }
    }

    /// Parses exactly `HH[MM[SS[.F{1-6}]]]`, no padding.
    init?(dicomText bytes: ArraySlice<UInt8>) {
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(dot ?? bytes.endIndex)]
        guard [2, 4, 6].contains(whole.count) else { return nil }
        var fields: [Int] = []
        var index = whole.startIndex
        while index < whole.endIndex {
            guard let field = DICOMText.number(whole[index..<index + 2]) else { return nil }
            fields.append(field)
            index += 2
        }
        var fraction: (Int, Int)?
        if let dot {
            guard whole.count == 6 else { return nil }
            guard let parsed = DICOMTime.fraction(bytes[(dot + 1)...]) else { return nil }
            fraction = parsed
        }
        self.init(fields: fields, fraction: fraction)
    }

    /// Parses the ACR-NEMA form `HH:MM[:SS[.F{1-6}]]`.
    private init?(legacyText bytes: ArraySlice<UInt8>) {
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let parts = bytes[..<(dot ?? bytes.endIndex)].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        var fields: [Int] = []
        for part in parts {
            guard part.count == 2, let field = DICOMText.number(part) else { return nil }
            fields.append(field)
        }
        var fraction: (Int, Int)?
        if let dot {
            guard parts.count == 3, let parsed = DICOMTime.fraction(bytes[(dot + 1)...]) else { return nil }
            fraction = parsed
        }
        self.init(fields: fields, fraction: fraction)
    }

    private init?(fields: [Int], fraction: (microsecond: Int, digits: Int)?) {
        self.init(
            hour: fields[0],
            minute: fields.count > 1 ? fields[1] : nil,
            second: fields.count > 2 ? fields[2] : nil,
            microsecond: fraction?.microsecond,
            fractionDigits: fraction?.digits ?? 6)
    }

    /// The microseconds and digit count of 1–6 fraction digits.
    static func fraction(_ digits: ArraySlice<UInt8>) -> (microsecond: Int, digits: Int)? {
        guard (1...6).contains(digits.count), let value = DICOMText.number(digits) else { return nil }
        return (value * microsecondsPerDigit(digits.count), digits.count)
    }

    /// The microseconds one unit of the last of `digits` fraction digits stands for.
    static func microsecondsPerDigit(_ digits: Int) -> Int {
        var unit = 1
        for _ in digits..<6 { unit *= 10 }
        return unit
    }

    /// The fraction as `fractionDigits` digits, empty without one.
    var fractionText: String {
        guard let microsecond else { return "" }
        return DICOMText.padded(microsecond / DICOMTime.microsecondsPerDigit(fractionDigits), width: fractionDigits)
    }
}

extension DICOMTime: Comparable {
    /// Times order by their components; of two times that agree as far as both go, the less
    /// precise comes first ("10" < "1000" < "100000" < "100000.0").
    public static func < (lhs: DICOMTime, rhs: DICOMTime) -> Bool {
        (lhs.hour, lhs.minute ?? -1, lhs.second ?? -1, lhs.microsecond ?? -1, lhs.fractionDigits)
            < (rhs.hour, rhs.minute ?? -1, rhs.second ?? -1, rhs.microsecond ?? -1, rhs.fractionDigits)
    }
}

extension DICOMTime: CustomStringConvertible {
    /// The TM form, with the components and fraction digits the time has.
    public var description: String {
        var text = DICOMText.padded(hour, width: 2)
        if let minute { text += DICOMText.padded(minute, width: 2) }
        if let second { text += DICOMText.padded(second, width: 2) }
        if microsecond != nil { text += "." + fractionText }
        return text
    }
}

// MARK: - Foundation

extension DICOMTime {
    /// The hour and whichever of minute, second and nanosecond the time has.
    public var dateComponents: DateComponents {
        DateComponents(hour: hour, minute: minute, second: second, nanosecond: microsecond.map { $0 * 1000 })
    }

    /// The time of `components`' hour, minute, second and nanosecond, as precise as the
    /// components present (a nanosecond gives six fraction digits). Nil without an hour or when a
    /// component is out of range.
    public init?(_ components: DateComponents) {
        guard let hour = components.hour else { return nil }
        self.init(hour: hour, minute: components.minute, second: components.second,
                  microsecond: components.nanosecond.map { $0 / 1000 })
    }

    /// The time of day of `date` in `timeZone`, to the second and `fractionDigits` (0–6) digits of
    /// fraction beyond it.
    public init?(_ date: Date, in timeZone: TimeZone, fractionDigits: Int = 6) {
        guard (0...6).contains(fractionDigits) else { return nil }
        let components = DICOMText.gregorian(in: timeZone).dateComponents([.hour, .minute, .second, .nanosecond], from: date)
        guard let hour = components.hour, let minute = components.minute, let second = components.second else { return nil }
        // Foundation's nanoseconds come from a binary fraction: round to the microsecond.
        let microsecond = fractionDigits > 0 ? min(((components.nanosecond ?? 0) + 500) / 1000, 999_999) : nil
        self.init(hour: hour, minute: minute, second: second, microsecond: microsecond,
                  fractionDigits: max(fractionDigits, 1))
    }
}
