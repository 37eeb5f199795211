import FuzzChecks

/// libFuzzer's entry point: ``QueryProperties`` on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    trapOnViolation { () throws(PropertyViolation) in try QueryProperties.check(UnsafeBufferPointer(start: data, count: size)) }
}
