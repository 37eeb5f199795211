import FuzzChecks

/// libFuzzer's entry point: ``DataSetProperties`` on each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataSet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    trapOnViolation { () throws(PropertyViolation) in try DataSetProperties.check(UnsafeBufferPointer(start: data, count: size)) }
}
