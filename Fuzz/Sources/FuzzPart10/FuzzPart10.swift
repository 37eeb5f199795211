import DICOMCore
import NIOCore

/// A file as storescu, dump and the archive's reindex read one. Properties, beyond "nothing
/// traps": a file that reads is written into bytes that read, and those bytes are a fixed point,
/// written again byte for byte the same. (The first writing may differ from the input, which the
/// reader takes with some slack: an item longer than its sequence is written with its true length.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPart10(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    _ = try? DICOMFile.readHeader(input)
    let file: DICOMFile
    do {
        file = try DICOMFile(reading: input)
    } catch {
        return 0
    }
    let encoded: ByteBuffer
    do {
        encoded = try file.encoded()
    } catch {
        return 0  // a data set the writer refuses (a value too long for its VR's length field)
    }
    do {
        let again = try DICOMFile(reading: encoded)
        guard again.transferSyntax == file.transferSyntax else {
            fatalError("a file written back names another transfer syntax")
        }
        guard try again.encoded() == encoded else {
            fatalError("a file written back is not written again the same")
        }
    } catch {
        fatalError("a file written back does not read again: \(error)")
    }
    return 0
}
