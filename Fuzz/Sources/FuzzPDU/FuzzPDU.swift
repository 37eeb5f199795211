import FuzzChecks

/// libFuzzer's entry point: ``PDUProperties`` on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDU(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    trapOnViolation { () throws(PropertyViolation) in try PDUProperties.check(UnsafeBufferPointer(start: data, count: size)) }
}
