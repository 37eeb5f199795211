@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// Reading an arrival for its index record: a small file whole from memory, anything else as
/// the instance reader reads it, with the same result either way.
@Suite("Arrival reader: small files whole, the rest up to Pixel Data")
struct ArrivalReaderTests {
    static func write(pixels: Int, _ syntax: TransferSyntax) throws -> String {
        var instance = ArchiveFixtures.Instance()
        instance.pixelCount = pixels
        let path = try ArchiveFixtures.temporaryDirectory("arrival") + "/instance.dcm"
        try DICOMFile(dataSet: ArchiveFixtures.dataSet(instance), transferSyntax: syntax).write(toFileAt: path, durable: false)
        return path
    }

    @Test("reads what the instance reader reads, small or large, in every syntax",
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian])
    func sameAsInstanceReader(_ syntax: TransferSyntax) throws {
        for pixels in [16, ArrivalReader.wholeFileLimit] {
            let path = try Self.write(pixels: pixels, syntax)
            let arrival = try ArrivalReader.read(path)
            let stored = try InstanceReader.read(path)
            #expect(arrival.dataSet == stored.dataSet)
            #expect(arrival.meta == stored.meta)
            #expect(arrival.transferSyntax == stored.transferSyntax)
            #expect(arrival.fileSize == stored.fileSize && arrival.fileSize == FileSystem.fileSize(path))
            #expect((arrival.dataSet[.pixelData] != nil) == (pixels == 16 || syntax.isDeflated), "a small file is read whole, a large one up to Pixel Data")
        }
    }

    @Test("a file that is no Part 10 instance is refused as the instance reader refuses it")
    func refusesWhatIsNoInstance() throws {
        let path = try ArchiveFixtures.temporaryDirectory("arrival") + "/junk.dcm"
        try Data("no DICOM here".utf8).write(to: URL(fileURLWithPath: path))
        for path in [path, path + ".missing"] {
            do {
                _ = try ArrivalReader.read(path)
                Issue.record("read \(path)")
            } catch {
                #expect(error.code == .unreadableInstance)
            }
        }
    }
}
