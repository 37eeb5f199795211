/// An age, the value of an AS element (PS3.5 §6.2, Table 6.2-1): `nnnD`, `nnnW`, `nnnM` or
/// `nnnY`, three digits and a unit, four bytes exactly.
///
/// Ages in different units do not convert exactly into one another (months and years vary in
/// length), so `AgeString` is not `Comparable`.
public struct AgeString: Hashable, Sendable {
    /// The unit an age counts in.
    public enum Unit: String, CaseIterable, Hashable, Sendable {
        /// `D`.
        case days = "D"
        /// `W`.
        case weeks = "W"
        /// `M`.
        case months = "M"
        /// `Y`.
        case years = "Y"
    }

    /// How many ``unit``s, 0–999.
    public let count: Int
    /// The unit of ``count``.
    public let unit: Unit

    /// An age; nil unless `count` fits three digits.
    public init?(count: Int, unit: Unit) {
        guard (0...999).contains(count) else { return nil }
        self.count = count
        self.unit = unit
    }

    /// Parses an AS value, exactly three digits and a unit letter; surrounding padding (spaces,
    /// NULs) is ignored.
    public init?(_ text: some StringProtocol) {
        self.init(dicomText: DICOMText.trimmingPadding(Array(text.utf8)))
    }

    /// Parses exactly `nnnU`, no padding.
    init?(dicomText bytes: ArraySlice<UInt8>) {
        guard bytes.count == 4, let count = DICOMText.number(bytes.prefix(3)),
              let unit = Unit(rawValue: String(decoding: bytes.suffix(1), as: UTF8.self)) else { return nil }
        self.init(count: count, unit: unit)
    }
}

extension AgeString: CustomStringConvertible {
    /// The AS form, such as `045Y`.
    public var description: String {
        DICOMText.padded(count, width: 3) + unit.rawValue
    }
}
