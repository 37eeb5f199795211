import DICOMCore
import Foundation
import NIOCore
import Testing

/// ``TranscodingFileReader``: a file's data set read as the other Little Endian syntax, a chunk
/// at a time, is byte for byte what converting the whole file (``DICOMFile/transcoded(to:)``)
/// and encoding it gives.
@Suite("TranscodingFileReader: Explicit ↔ Implicit VR Little Endian, as read")
struct TranscodingFileReaderTests {
    /// An image with what a conversion has to get right: a character set, a private block, a
    /// "US or SS" element, a sequence of undefined length holding an icon longer than the
    /// first window its end is looked for in, a defined-length one, and a long document and
    /// pixel data of `pixelBytes` bytes.
    static func dataSet(pixelBytes: Int, bitsAllocated: Int) throws -> DataSet {
        var dataSet = DataSet()
        dataSet.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.826.0.1.3680043.10.543.9.1", for: .sopInstanceUID, vr: .UI)
        dataSet.setString("MÜLLER^JÖRG", for: .patientName, vr: .PN)
        dataSet.setString("NETDICOM TEST", for: Tag(0x0029_0010), vr: .LO)
        dataSet.setString("private text", for: Tag(0x0029_1010), vr: .LO)
        var icon = DataSet()
        try icon.setIntegers([8], for: .bitsAllocated, vr: .US)
        icon[.pixelData] = DataElement(tag: .pixelData, vr: .OB, bytes: ByteBuffer(bytes: (0..<(200 << 10)).map { UInt8(truncatingIfNeeded: $0) }))
        dataSet.setSequence([icon], for: Tag(0x0088_0200), hasUndefinedLength: true)
        var code = DataSet()
        code.setString("T-D1100", for: Tag(0x0008_0100), vr: .SH)
        dataSet.setSequence([code, code], for: Tag(0x0008_2218), hasUndefinedLength: false)
        try dataSet.setIntegers([bitsAllocated], for: .bitsAllocated, vr: .US)
        try dataSet.setIntegers([1], for: Tag(0x0028_0103), vr: .US)
        try dataSet.setIntegers([-5], for: Tag(0x0028_0106), vr: .SS)
        dataSet[Tag(0x0042_0011)] = DataElement(tag: Tag(0x0042_0011), vr: .OB, bytes: ByteBuffer(bytes: [UInt8](repeating: 0x25, count: 300 << 10)))
        dataSet[.pixelData] = DataElement(
            tag: .pixelData, vr: bitsAllocated <= 8 ? .OB : .OW, bytes: ByteBuffer(bytes: (0..<pixelBytes).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        return dataSet
    }

    static func file(_ dataSet: DataSet, in syntax: TransferSyntax) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-transcoding-reader-\(UUID().uuidString).dcm").path
        let bytes = try DICOMFile(dataSet: dataSet, transferSyntax: syntax).encoded()
        try Data(bytes.readableBytesView).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("byte for byte what converting the whole file gives, in chunks of any length",
          arguments: [
              (TransferSyntax.explicitVRLittleEndian, TransferSyntax.implicitVRLittleEndian, 16),
              (.implicitVRLittleEndian, .explicitVRLittleEndian, 16),
              (.implicitVRLittleEndian, .explicitVRLittleEndian, 8),
              (.explicitVRLittleEndian, .explicitVRBigEndian, 16),
              (.implicitVRLittleEndian, .explicitVRBigEndian, 16),
              (.implicitVRLittleEndian, .explicitVRBigEndian, 8),
          ], [1000, 3 << 20])
    func sameAsWholeFile(_ conversion: (TransferSyntax, TransferSyntax, Int), pixelBytes: Int) throws {
        let (source, target, bits) = conversion
        let path = try Self.file(Self.dataSet(pixelBytes: pixelBytes, bitsAllocated: bits), in: source)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = try DataSetWriter.encode(DICOMFile(contentsOf: path).transcoded(to: target).dataSet, transferSyntax: target)
        #expect(TranscodingFileReader.converts(source, to: target))
        for chunkLength in [4093, 16384, 1 << 20] {
            var reader = TranscodingFileReader(try Part10FileSource(path: path), to: target)
            var read = ByteBuffer()
            while let chunk = try reader.nextChunk(maximumLength: chunkLength) {
                #expect(chunk.readableBytes <= chunkLength && chunk.readableBytes > 0)
                read.writeImmutableBuffer(chunk)
            }
            #expect(read == expected, "\(source.uid) → \(target.uid), chunks of \(chunkLength): \(read.readableBytes) bytes, \(expected.readableBytes) expected")
        }
    }

    @Test("encapsulated pixel data under a native syntax's name (a mislabelled file) goes over as it is, fragments and all, as encoding the data set read whole does")
    func mislabelledEncapsulatedPixelData() throws {
        var dataSet = DataSet()
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.826.0.1.3680043.10.543.9.2", for: .sopInstanceUID, vr: .UI)
        try dataSet.setIntegers([8], for: .bitsAllocated, vr: .US)
        let fragments = EncapsulatedFragments(fragments: [ByteBuffer(bytes: [UInt8](repeating: 0xFF, count: 300 << 10)), ByteBuffer(bytes: [1, 2])])
        dataSet[.pixelData] = DataElement(tag: .pixelData, fragments: fragments)
        let path = try Self.file(dataSet, in: .implicitVRLittleEndian)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try DICOMFile(contentsOf: path)
        #expect(read.dataSet[.pixelData]?.fragments != nil)
        var reader = TranscodingFileReader(try Part10FileSource(path: path), to: .explicitVRLittleEndian)
        var converted = ByteBuffer()
        while let chunk = try reader.nextChunk(maximumLength: 16384) { converted.writeImmutableBuffer(chunk) }
        #expect(converted == (try DataSetWriter.encode(read.dataSet, transferSyntax: .explicitVRLittleEndian)))
    }

    @Test("only between Explicit and Implicit VR Little Endian, and from either to Explicit VR Big Endian")
    func conversions() {
        #expect(!TranscodingFileReader.converts(.explicitVRLittleEndian, to: .explicitVRLittleEndian))
        #expect(!TranscodingFileReader.converts(.explicitVRBigEndian, to: .implicitVRLittleEndian))
        #expect(!TranscodingFileReader.converts(.implicitVRLittleEndian, to: .deflatedExplicitVRLittleEndian))
        #expect(TranscodingFileReader.converts(.implicitVRLittleEndian, to: .explicitVRBigEndian))
        #expect(TranscodingFileReader.converts(.explicitVRLittleEndian, to: .explicitVRBigEndian))
        #expect(!TranscodingFileReader.converts(.explicitVRBigEndian, to: .explicitVRBigEndian))
    }


    @Test("a file cut inside its pixel data fails when the cut is reached, not with a short data set")
    func truncated() throws {
        let path = try Self.file(Self.dataSet(pixelBytes: 2 << 20, bitsAllocated: 16), in: .explicitVRLittleEndian)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size - 1000))
        try handle.close()
        var reader = TranscodingFileReader(try Part10FileSource(path: path), to: .implicitVRLittleEndian)
        #expect(throws: DICOMParsingError.self) {
            while try reader.nextChunk(maximumLength: 1 << 20) != nil {}
        }
    }
}
