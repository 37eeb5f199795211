import FuzzChecks

/// libFuzzer's entry point: ``CommandSetProperties`` on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandSet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    trapOnViolation { () throws(PropertyViolation) in try CommandSetProperties.check(UnsafeBufferPointer(start: data, count: size)) }
}
