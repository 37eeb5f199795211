import DICOMCore
import Foundation
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// Reading a large file holds one copy of it: every value is a slice of the one buffer the file
/// is read into (README, "Zero-copy reading").
@Suite("Large files")
struct LargeFileMemoryTests {
    @Test("dumping a 256 MiB file peaks at one copy of it plus a bounded overhead")
    func oneCopy() throws {
        let size = 256 << 20
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-large-\(UUID().uuidString).dcm").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.writeFile(at: path, pixelDataLength: size)

        let output = try ExternalTools.run(try ExternalTools.netdicom(), ["dump", path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("(7fe0,0010) OW"))

        // The largest child this test process has waited for is that dump (the other children
        // of this process are small tools), so its peak resident size is ru_maxrss of children.
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let peakBytes = Int(usage.ru_maxrss) * 1024
        #expect(peakBytes >= size, "the file must have been read: peak \(peakBytes)")
        #expect(peakBytes < size + (64 << 20), "peak \(peakBytes / (1 << 20)) MiB for a \(size >> 20) MiB file")
    }

    /// A Part 10 file with one OW Pixel Data element of `pixelDataLength` bytes, written in
    /// chunks so the test itself never holds it.
    static func writeFile(at path: String, pixelDataLength: Int) throws {
        var dataSet = DataSet()
        dataSet.setString("LARGE^FILE", for: .patientName, vr: .PN)
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString("2.25.1", for: .sopInstanceUID, vr: .UI)
        var head = try DICOMFile(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian).encoded()
        head.writeMultipleIntegers(UInt16(0x7FE0), UInt16(0x0010), endianness: .little)
        head.writeString("OW")
        head.writeInteger(UInt16(0))
        head.writeInteger(UInt32(pixelDataLength), endianness: .little)
        _ = FileManager.default.createFile(atPath: path, contents: Data(head.readableBytesView))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        let chunk = Data(repeating: 0x5A, count: 4 << 20)
        for _ in 0..<(pixelDataLength / chunk.count) { try handle.write(contentsOf: chunk) }
    }
}
