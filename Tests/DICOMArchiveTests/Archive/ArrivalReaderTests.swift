@testable import DICOMArchive
import DICOMCore
import Foundation
import NIOCore
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
            #expect(arrival.transferSyntax == stored.transferSyntax)
            #expect(arrival.fileSize == stored.fileSize && arrival.fileSize == FileSystem.fileSize(path))
            #expect((arrival.dataSet[.pixelData] != nil) == (pixels == 16 && !syntax.isDeflated), "a small file is read whole, a large or deflated one up to Pixel Data")
        }
    }

    @Test("reads the data set the network kept instead of the file, with the same result; a deflated one from the file",
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian, .deflatedExplicitVRLittleEndian])
    func keptDataSet(_ syntax: TransferSyntax) throws {
        let path = try Self.write(pixels: 16, syntax)
        let file = try FileSystem.contents(of: path, offset: 0, length: 1 << 20)
        let header = try DICOMFile.readHeader(file)
        let bytes = try #require(file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset))
        let arrival = try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: bytes, transferSyntax: syntax))
        let stored = try InstanceReader.read(path)
        #expect(arrival.dataSet == stored.dataSet)
        #expect(arrival.transferSyntax == stored.transferSyntax)
        #expect(arrival.fileSize == FileSystem.fileSize(path))
        // Kept bytes that are not the file's data set are what is read: the file is not opened.
        var other = ArchiveFixtures.Instance()
        other.sopInstanceUID = "1.2.826.0.1.3680043.10.543.9.9"
        let otherPath = try ArchiveFixtures.write(other, into: ArchiveFixtures.temporaryDirectory("arrival"))
        let otherFile = try FileSystem.contents(of: otherPath, offset: 0, length: 1 << 20)
        let otherHeader = try DICOMFile.readHeader(otherFile)
        let otherBytes = try #require(otherFile.getSlice(at: otherFile.readerIndex + otherHeader.dataSetOffset, length: otherFile.readableBytes - otherHeader.dataSetOffset))
        // (Said to be deflated, kept bytes are not used: the file is read.)
        let read = try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: otherBytes, transferSyntax: syntax.isDeflated ? syntax : otherHeader.transferSyntax))
        #expect(read.dataSet.uid(.sopInstanceUID)?.string == (syntax.isDeflated ? stored.dataSet.uid(.sopInstanceUID)?.string : other.sopInstanceUID))
    }

    @Test("a large data set's first bytes give what the instance reader reads, the file unopened; bytes short of Pixel Data fall back to the file",
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian, .explicitVRBigEndian])
    func keptPrefix(_ syntax: TransferSyntax) throws {
        let path = try Self.write(pixels: ArrivalReader.wholeFileLimit, syntax)
        let file = try FileSystem.contents(of: path, offset: 0, length: 1 << 20)
        let header = try DICOMFile.readHeader(file)
        let prefix = try #require(file.getSlice(at: file.readerIndex + header.dataSetOffset, length: 4096))
        let stored = try InstanceReader.read(path)
        let fromPrefix = try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: prefix, transferSyntax: syntax, fileLength: file.readableBytes, isPrefix: true))
        #expect(fromPrefix.dataSet == stored.dataSet)
        #expect(fromPrefix.dataSet[.pixelData] == nil)
        #expect(fromPrefix.fileSize == stored.fileSize)
        // Gone from the disk: the prefix alone answers.
        try FileManager.default.removeItem(atPath: path)
        #expect(try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: prefix, transferSyntax: syntax, fileLength: file.readableBytes, isPrefix: true)).dataSet == stored.dataSet)
        // Bytes that end before Pixel Data are not enough: the (missing) file is read, and refused.
        let short = try #require(prefix.getSlice(at: prefix.readerIndex, length: 40))
        #expect(throws: ArchiveError.self) {
            try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: short, transferSyntax: syntax, fileLength: file.readableBytes, isPrefix: true))
        }
    }

    @Test("kept bytes with the file's length: the length is taken as told, the file system not asked")
    func keptFileLength() throws {
        let path = try Self.write(pixels: 16, .explicitVRLittleEndian)
        let file = try FileSystem.contents(of: path, offset: 0, length: 1 << 20)
        let header = try DICOMFile.readHeader(file)
        let bytes = try #require(file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset))
        let told = try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: bytes, transferSyntax: .explicitVRLittleEndian, fileLength: file.readableBytes))
        #expect(told.fileSize == FileSystem.fileSize(path))
        // Moved away: a stat would fail (and the reader would fall back to the missing file).
        let moved = path + ".moved"
        try FileManager.default.moveItem(atPath: path, toPath: moved)
        let read = try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: bytes, transferSyntax: .explicitVRLittleEndian, fileLength: 12345))
        #expect(read.fileSize == 12345)
        #expect(read.dataSet == told.dataSet)
        #expect(throws: ArchiveError.self) { try ArrivalReader.read(path, kept: ArrivalDataSet(bytes: bytes, transferSyntax: .explicitVRLittleEndian)) }
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
