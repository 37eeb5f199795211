import DICOMCore
import NIOCore

/// A file as storescu, dump and the archive's reindex read one. Properties, beyond "nothing
/// traps": a file that reads is written into bytes that read, and those bytes are a fixed point,
/// written again byte for byte the same. (The first writing may differ from the input, which the
/// reader takes with some slack: an item longer than its sequence is written with its true length.)
public enum Part10Properties {
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(PropertyViolation) {
        let input = ByteBuffer(bytes: bytes)
        _ = try? DICOMFile.readHeader(input)
        let file: DICOMFile
        do {
            file = try DICOMFile(reading: input)
        } catch {
            return
        }
        let encoded: ByteBuffer
        do {
            encoded = try file.encoded()
        } catch {
            return  // a data set the writer refuses (a value too long for its VR's length field)
        }
        let again: DICOMFile
        let encodedAgain: ByteBuffer
        do {
            again = try DICOMFile(reading: encoded)
            encodedAgain = try again.encoded()
        } catch {
            throw PropertyViolation("a file written back does not read again: \(error)")
        }
        guard again.transferSyntax == file.transferSyntax else {
            throw PropertyViolation("a file written back names another transfer syntax")
        }
        guard encodedAgain == encoded else {
            throw PropertyViolation("a file written back is not written again the same")
        }
    }
}
