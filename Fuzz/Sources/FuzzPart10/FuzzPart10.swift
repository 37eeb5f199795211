import FuzzChecks

/// libFuzzer's entry point: ``Part10Properties`` on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPart10(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    trapOnViolation { () throws(PropertyViolation) in try Part10Properties.check(UnsafeBufferPointer(start: data, count: size)) }
}
