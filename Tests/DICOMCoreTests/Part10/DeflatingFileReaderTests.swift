import DICOMCore
import Foundation
import NIOCore
import Testing

/// ``DeflatingFileReader``: a file's data set deflated as it is read, a chunk at a time, inflates
/// to the data set in Explicit VR Little Endian, every chunk even and the whole too (PS3.5 §A.5,
/// PS3.8 Annex E).
@Suite("DeflatingFileReader: Little Endian to Deflated Explicit VR Little Endian, as read")
struct DeflatingFileReaderTests {
    typealias Transcoding = TranscodingFileReaderTests

    @Test("inflates to the data set, from Explicit or Implicit VR, with even chunks of at most the length asked for (an odd one rounded down)",
          arguments: [(TransferSyntax.explicitVRLittleEndian, 16_383), (.implicitVRLittleEndian, 65_536), (.explicitVRLittleEndian, 3)])
    func inflatesToTheDataSet(_ syntax: TransferSyntax, maximumLength: Int) throws {
        let dataSet = try Transcoding.dataSet(pixelBytes: 3 << 20, bitsAllocated: 16)
        let path = try Transcoding.file(dataSet, in: syntax)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(DeflatingFileReader.converts(syntax, to: .deflatedExplicitVRLittleEndian))
        let reader = try DeflatingFileReader(Part10FileSource(path: path))
        var deflated = ByteBuffer()
        var chunks = 0
        // Length 3 makes a chunk of 2 bytes: enough for a million chunks; only the first thousand are checked one by one.
        while let chunk = try reader.nextChunk(maximumLength: maximumLength) {
            chunks += 1
            if chunks < 1000 || maximumLength > 3 {
                #expect(chunk.readableBytes % 2 == 0 && chunk.readableBytes <= maximumLength & ~1, "chunk \(chunks): \(chunk.readableBytes) bytes")
            }
            deflated.writeImmutableBuffer(chunk)
        }
        #expect(deflated.readableBytes % 2 == 0)
        let read = try DataSetReader.read(deflated, transferSyntax: .deflatedExplicitVRLittleEndian)
        // What converting the whole file to Explicit VR Little Endian gives (an Implicit one's
        // VRs as the dictionary and its context give them).
        let explicit = try DICOMFile(contentsOf: path).transcoded(to: .explicitVRLittleEndian).dataSet
        #expect(try read == DataSetReader.read(DataSetWriter.encode(explicit, transferSyntax: .explicitVRLittleEndian), transferSyntax: .explicitVRLittleEndian))
    }

    @Test("converts Little Endian only: not Big Endian, not what is deflated or encapsulated already")
    func converts() {
        #expect(!DeflatingFileReader.converts(.explicitVRBigEndian, to: .deflatedExplicitVRLittleEndian))
        #expect(!DeflatingFileReader.converts(.deflatedExplicitVRLittleEndian, to: .deflatedExplicitVRLittleEndian))
        #expect(!DeflatingFileReader.converts(TransferSyntax(uid: .jpegBaseline8Bit), to: .deflatedExplicitVRLittleEndian))
        #expect(!DeflatingFileReader.converts(.explicitVRLittleEndian, to: .implicitVRLittleEndian))
    }
}
