/// An input that breaks one of a fuzz target's properties: the fuzz targets trap on it, so that
/// libFuzzer keeps the input; the corpus replay in the tests records it as a failure.
public struct PropertyViolation: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Runs `check` on a fuzzer's input and traps when it finds a violation.
public func trapOnViolation(_ check: () throws(PropertyViolation) -> Void) -> Int32 {
    do {
        try check()
    } catch {
        fatalError(error.description)
    }
    return 0
}
