/// Where two values' descriptions first differ, with some of each around it: a failed round trip
/// of a large PDU or message reads better this way than as two whole descriptions, which
/// fatalError's message also cuts short.
public func firstDifference(_ lhs: some Any, _ rhs: some Any) -> String {
    let left = Array(String(describing: lhs))
    let right = Array(String(describing: rhs))
    let index = zip(left, right).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(left.count, right.count)
    let start = max(0, index - 120)
    let was = String(left[start..<min(left.count, index + 120)])
    let became = String(right[start..<min(right.count, index + 120)])
    return "at character \(index): …\(was)… became …\(became)…"
}
