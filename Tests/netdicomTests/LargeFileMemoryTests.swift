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
        try LargeTestFile.write(at: path, pixelDataLength: size)

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
}
