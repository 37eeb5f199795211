@testable import DICOMArchive
import DICOMCore
import Foundation
import NIOCore
import Testing

/// Reading a stored file for the index: everything before Pixel Data, without reading the pixels.
@Suite("Instance reader: the data set up to Pixel Data")
struct InstanceReaderTests {
    static func write(_ dataSet: DataSet, _ syntax: TransferSyntax) throws -> String {
        let directory = try ArchiveFixtures.temporaryDirectory("reader")
        let path = "\(directory)/instance.dcm"
        try DICOMFile(dataSet: dataSet, transferSyntax: syntax).write(toFileAt: path, durable: false)
        return path
    }

    static func instance(pixels: Int) -> DataSet {
        var instance = ArchiveFixtures.Instance()
        instance.pixelCount = pixels
        return ArchiveFixtures.dataSet(instance)
    }

    @Test("a large instance is read up to Pixel Data only", arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian, .explicitVRBigEndian])
    func stopsAtPixelData(_ syntax: TransferSyntax) throws {
        var dataSet = Self.instance(pixels: 1 << 20)
        // An undefined-length sequence with an undefined-length item before the pixels.
        var item = DataSet()
        item.setString("1.2.3", for: .referencedSOPInstanceUID, vr: .UI)
        item.setString("1.2.840.10008.5.1.4.1.1.2", for: .referencedSOPClassUID, vr: .UI)
        dataSet[.referencedImageSequence] = DataElement(tag: .referencedImageSequence, items: [item], hasUndefinedLength: true)
        let path = try Self.write(dataSet, syntax)
        let read = try InstanceReader.read(path)
        #expect(read.dataSet[.pixelData] == nil)
        #expect(read.dataSet.string(.patientName) == "SMITH^JOHN")
        #expect(read.dataSet.sequence(.referencedImageSequence)?.first?.string(.referencedSOPInstanceUID) == "1.2.3")
        #expect(read.fileSize == FileSystem.fileSize(path))
        #expect(read.transferSyntax == syntax)
    }

    @Test("elements larger than the first read before Pixel Data make the read grow")
    func growsPastLargeElements() throws {
        var dataSet = Self.instance(pixels: 1 << 21)
        var blob = ByteBuffer()
        blob.writeRepeatingByte(0x41, count: 300_000)
        dataSet[Tag(0x0009_1010)] = DataElement(tag: Tag(0x0009_1010), vr: .OB, bytes: blob)
        dataSet.setString("LATE", for: .seriesDescription, vr: .LO)
        let read = try InstanceReader.read(Self.write(dataSet, .explicitVRLittleEndian))
        #expect(read.dataSet[Tag(0x0009_1010)]?.valueLength == 300_000)
        #expect(read.dataSet.string(.patientName) == "SMITH^JOHN")
        #expect(read.dataSet[.pixelData] == nil)
    }

    @Test("a small instance is read whole, a small deflated one up to Pixel Data")
    func smallAndDeflated() throws {
        for syntax in [TransferSyntax.explicitVRLittleEndian, .deflatedExplicitVRLittleEndian] {
            let read = try InstanceReader.read(Self.write(Self.instance(pixels: 16), syntax))
            #expect(read.dataSet.string(.sopInstanceUID) == ArchiveFixtures.Instance().sopInstanceUID)
            #expect((read.dataSet[.pixelData] == nil) == syntax.isDeflated)
        }
    }

    @Test("a large deflated instance is inflated only up to its Pixel Data: damage in the deflated pixels further on is never read")
    func deflatedStopsAtPixelData() throws {
        // 3 MiB of pixels that do not compress: the deflated file is about as long, and its
        // first chunk (1 MiB) holds everything before Pixel Data.
        var generator = SystemRandomNumberGenerator()
        var pixels = ByteBuffer()
        for _ in 0..<(3 << 17) { pixels.writeInteger(generator.next(), as: UInt64.self) }
        var dataSet = Self.instance(pixels: 16)
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: pixels)
        let path = try Self.write(dataSet, .deflatedExplicitVRLittleEndian)
        var file = try #require(FileManager.default.contents(atPath: path))
        #expect(file.count > 3 << 20)
        // The deflate stream's last 64 KiB made garbage: inflating the whole file fails.
        file.replaceSubrange((file.count - 65_536)..<file.count, with: Data(repeating: 0xFF, count: 65_536))
        try file.write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try DICOMFile(contentsOf: path) }

        let read = try InstanceReader.read(path)
        #expect(read.dataSet[.pixelData] == nil)
        #expect(read.dataSet.string(.patientName) == "SMITH^JOHN")
        #expect(read.transferSyntax == .deflatedExplicitVRLittleEndian)
    }

    @Test("a deflated instance cut short before its Pixel Data is refused")
    func deflatedCutShort() throws {
        let path = try Self.write(Self.instance(pixels: 16), .deflatedExplicitVRLittleEndian)
        let file = try #require(FileManager.default.contents(atPath: path))
        // The meta information and a few deflated bytes only.
        let metaLength = try DICOMFile.readHeader(ByteBuffer(bytes: file)).dataSetOffset
        try file.prefix(metaLength + 20).write(to: URL(fileURLWithPath: path))
        #expect { try InstanceReader.read(path) } throws: { ($0 as? ArchiveError)?.code == .unreadableInstance }
    }

    @Test("a file that is not DICOM is refused")
    func notDICOM() throws {
        let directory = try ArchiveFixtures.temporaryDirectory("reader")
        let path = "\(directory)/junk.dcm"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 500)))
        #expect { try InstanceReader.read(path) } throws: { ($0 as? ArchiveError)?.code == .unreadableInstance }
    }

    @Test("the scanner finds where a top-level tag starts, or says the buffer is short")
    func scanner() throws {
        var dataSet = DataSet()
        dataSet.setString("A", for: .patientName, vr: .PN)
        dataSet.setString("B", for: .patientID, vr: .LO)
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        let scanner = ElementScanner(buffer: encoded, explicitVR: true, bigEndian: false)
        #expect(scanner.topLevelOffset(of: .patientID) == .stop(10))
        #expect(scanner.topLevelOffset(of: .pixelData) == .end)
        let short = ElementScanner(buffer: encoded.getSlice(at: encoded.readerIndex, length: 14)!, explicitVR: true, bigEndian: false)
        #expect(short.topLevelOffset(of: .pixelData) == .incomplete)
    }
}
