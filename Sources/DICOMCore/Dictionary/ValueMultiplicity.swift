/// How many values an element holds: the VM column of PS3.6 (PS3.5 §6.4), such as `1`, `1-3`,
/// `1-n` or `2-2n`.
public struct ValueMultiplicity: Hashable, Sendable {
    /// The fewest values allowed.
    public let minimum: Int
    /// The most values allowed, or `nil` when unbounded (the `n` of `1-n`).
    public let maximum: Int?
    /// The count grows in steps of this size from ``minimum``: 2 for `2-2n` (pairs), 1 otherwise.
    public let step: Int

    /// Creates a multiplicity; `step` must be at least 1 and `maximum`, if any, at least `minimum`.
    public init(minimum: Int, maximum: Int?, step: Int = 1) {
        precondition(step >= 1, "a value multiplicity's step is at least 1")
        precondition(maximum.map { $0 >= minimum } ?? true, "maximum below minimum")
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
    }

    /// Parses PS3.6's notation: `3`, `1-3`, `1-n`, `2-2n`. Returns `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, let minimum = Int(first), minimum >= 0 else { return nil }
        switch parts.count {
        case 1:
            self.init(minimum: minimum, maximum: minimum)
        case 2 where parts[1].last == "n":
            let factor = parts[1].dropLast()
            guard let step = factor.isEmpty ? 1 : Int(factor), step >= 1 else { return nil }
            self.init(minimum: minimum, maximum: nil, step: step)
        case 2:
            guard let maximum = Int(parts[1]), maximum >= minimum else { return nil }
            self.init(minimum: minimum, maximum: maximum)
        default:
            return nil
        }
    }

    /// Whether an element may hold `count` values.
    public func contains(_ count: Int) -> Bool {
        guard count >= minimum else { return false }
        if let maximum, count > maximum { return false }
        return (count - minimum) % step == 0
    }

    /// Exactly one value, the VM of most elements.
    public static let one = ValueMultiplicity(minimum: 1, maximum: 1)
    /// One value or more (`1-n`).
    public static let oneOrMore = ValueMultiplicity(minimum: 1, maximum: nil)
}

extension ValueMultiplicity: CustomStringConvertible {
    /// PS3.6's notation: `1`, `1-3`, `1-n`, `2-2n`.
    public var description: String {
        switch maximum {
        case minimum?:
            return String(minimum)
        case let maximum?:
            return "\(minimum)-\(maximum)"
        case nil:
            return step == 1 ? "\(minimum)-n" : "\(minimum)-\(step)n"
        }
    }
}
