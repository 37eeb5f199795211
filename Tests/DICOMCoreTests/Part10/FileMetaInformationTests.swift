import NIOCore
import Testing
@testable import DICOMCore

/// File meta information: `FileMetaInformation.make` and its direct encoder agree, byte for byte,
/// with the general data set writer they stand in for.
@Suite("File meta information")
struct FileMetaInformationTests {
    /// `meta` as the general writer encodes it, the group length set from the rest of the group.
    private func writerBytes(_ meta: DataSet) throws -> [UInt8] {
        var meta = meta
        FileMetaInformation.updateGroupLength(&meta)
        let bytes = try DataSetWriter.encode(meta, transferSyntax: .explicitVRLittleEndian)
        return Array(bytes.readableBytesView)
    }

    private func directBytes(_ meta: DataSet) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try FileMetaInformation.encode(meta, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("made meta information: the group length counts the rest, and the direct encoding is the writer's", arguments: [
        ("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", nil as String?),  // odd, padded with NUL
        ("1.2.840.10008.5.1.4.1.1.7", "1.2.3.44", "STORESCU"),  // even, with a source AE title
        ("1.2.840.10008.5.1.4.1.1.7", "", "AE1"),  // empty instance UID, odd AE title padded with a space
    ])
    func made(sopClass: String, sopInstance: String, sourceAETitle: String?) throws {
        let meta = FileMetaInformation.make(
            sopClassUID: UID(sopClass), sopInstanceUID: UID(sopInstance), transferSyntax: .explicitVRLittleEndian, sourceAETitle: sourceAETitle)
        var rest = meta
        rest.remove(.fileMetaInformationGroupLength)
        let groupLength = try #require(meta[.fileMetaInformationGroupLength]?.bytes?.getInteger(at: 0, endianness: .little, as: UInt32.self))
        #expect(Int(groupLength) == DataSetWriter.encodedLength(of: rest, transferSyntax: .explicitVRLittleEndian))
        #expect(meta.tags == meta.tags.sorted())
        #expect(meta.uid(.mediaStorageSOPInstanceUID) == UID(sopInstance))
        #expect(meta.string(.sourceApplicationEntityTitle) == sourceAETitle)
        #expect(try directBytes(meta) == writerBytes(meta))
    }

    @Test("a stale group length is rewritten; values the direct path does not take go through the writer")
    func staleAndUnusual() throws {
        var meta = FileMetaInformation.make(sopClassUID: "1.2.3", sopInstanceUID: "4.5.6", transferSyntax: .implicitVRLittleEndian)
        var stale = ByteBuffer()
        stale.writeInteger(UInt32(7), endianness: .little)
        meta[.fileMetaInformationGroupLength] = DataElement(tag: .fileMetaInformationGroupLength, vr: .UL, bytes: stale)
        #expect(try directBytes(meta) == writerBytes(meta))

        // An odd-length value, as a sloppy writer may leave one: the general writer's output.
        var odd = ByteBuffer()
        odd.writeString("ABC")
        meta[.implementationVersionName] = DataElement(tag: .implementationVersionName, vr: .SH, bytes: odd)
        #expect(try directBytes(meta) == writerBytes(meta))

        // Without a group length, none is added.
        meta.remove(.fileMetaInformationGroupLength)
        #expect(try directBytes(meta) == writerBytes(meta))
        #expect(try directBytes(meta).prefix(4) == [0x02, 0x00, 0x01, 0x00])
    }

    @Test("a second (0002,0000), or one of another VR, as a damaged file read back has them: one UL group length is written, and the file reads back the same (found by scripts/fuzz)")
    func strayGroupLengths() throws {
        let made = FileMetaInformation.make(sopClassUID: "1.2.3", sopInstanceUID: "4.5.6", transferSyntax: .implicitVRLittleEndian)
        var twice = made
        twice.insert(DataElement(tag: .fileMetaInformationGroupLength, vr: .OB, bytes: ByteBuffer(bytes: [0, 1])))
        var asOB = made
        asOB[.fileMetaInformationGroupLength] = DataElement(tag: .fileMetaInformationGroupLength, vr: .OB, bytes: ByteBuffer(bytes: [0, 1]))
        for meta in [twice, asOB] {
            #expect(try directBytes(meta) == writerBytes(made))
            var dataSet = DataSet()
            dataSet.setString("1.2.3", for: .sopClassUID, vr: .UI)
            let file = try DICOMFile(fileMetaInformation: meta, dataSet: dataSet, transferSyntax: .implicitVRLittleEndian).encoded()
            let again = try DICOMFile(reading: file)
            #expect(again.fileMetaInformation == made)
            #expect(try again.encoded() == file)
        }
    }
}
