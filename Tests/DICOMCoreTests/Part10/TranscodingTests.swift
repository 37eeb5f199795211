import DICOMCore
import NIOCore
import Testing

/// ``DICOMFile/transcoded(to:)``: what changes when a file moves to another native transfer
/// syntax. The interop suite in netdicomTests runs it over pydicom's files against DCMTK and
/// pydicom; these pin each rule on a small data set.
@Suite("Transcoding between native transfer syntaxes")
struct TranscodingTests {
    static func image(bitsAllocated: Int, groupLength: Bool = false) throws -> DataSet {
        var dataSet = DataSet()
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.3.4", for: .sopInstanceUID, vr: .UI)
        dataSet.setString("DOE^JOHN", for: .patientName, vr: .PN)
        try dataSet.setIntegers([bitsAllocated], for: .bitsAllocated, vr: .US)
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: ByteBuffer(bytes: [1, 2, 3, 4]))
        if groupLength {
            dataSet[Tag(0x0008_0000)] = DataElement(tag: Tag(0x0008_0000), vr: .UL, bytes: ByteBuffer(bytes: [0, 0, 0, 0]))
        }
        return dataSet
    }

    /// The file as an implicit VR file reads: written, then read back.
    static func implicitFile(bitsAllocated: Int, groupLength: Bool = false) throws -> DICOMFile {
        let file = DICOMFile(dataSet: try image(bitsAllocated: bitsAllocated, groupLength: groupLength), transferSyntax: .implicitVRLittleEndian)
        return try DICOMFile(reading: file.encoded())
    }

    @Test("from implicit to explicit VR, Pixel Data becomes OB when Bits Allocated is 8 or less (PS3.5 §A.1, §A.2)",
          arguments: [(8, VR.OB), (1, .OB), (16, .OW)])
    func pixelDataVR(bitsAllocated: Int, vr: VR) throws {
        let file = try Self.implicitFile(bitsAllocated: bitsAllocated)
        #expect(file.dataSet[.pixelData]?.vr == .OW)
        for target in [TransferSyntax.explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian] {
            let transcoded = try file.transcoded(to: target)
            #expect(transcoded.dataSet[.pixelData]?.vr == vr)
            #expect(transcoded.dataSet[.pixelData]?.bytes == ByteBuffer(bytes: [1, 2, 3, 4]))
            #expect(try DICOMFile(reading: transcoded.encoded()).dataSet == transcoded.dataSet)
        }
        // Explicit to explicit or to implicit, the VR is left alone.
        let explicit = try file.transcoded(to: .explicitVRLittleEndian)
        #expect(try explicit.transcoded(to: .explicitVRBigEndian).dataSet[.pixelData]?.vr == vr)
        #expect(try explicit.transcoded(to: .implicitVRLittleEndian).dataSet[.pixelData]?.vr == vr)
    }

    @Test("group lengths are recomputed for the new syntax (PS3.5 §7.2)",
          arguments: [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian])
    func groupLengths(_ target: TransferSyntax) throws {
        let file = try Self.implicitFile(bitsAllocated: 16, groupLength: true).transcoded(to: target)
        let group = DataSet(file.dataSet.filter { $0.tag.group == 0x0008 && $0.tag.element != 0 })
        let expected = DataSetWriter.encodedLength(of: group, transferSyntax: target)
        #expect(file.dataSet.integer(Tag(0x0008_0000)) == expected)
        // Two UI elements: 8 + 26 and 8 + 8 bytes, whatever the syntax (both have 16-bit lengths).
        #expect(expected == 50)
    }

    @Test("the meta information names the new syntax and NetDICOM as the writer; other elements stay")
    func metaInformation() throws {
        var file = try Self.implicitFile(bitsAllocated: 8)
        file.fileMetaInformation.setString("SENDER", for: .sourceApplicationEntityTitle, vr: .AE)
        file.fileMetaInformation.setString("1.2.3", for: .implementationClassUID, vr: .UI)
        let transcoded = try file.transcoded(to: .explicitVRBigEndian)
        let meta = transcoded.fileMetaInformation
        #expect(meta.uid(.transferSyntaxUID) == TransferSyntax.explicitVRBigEndian.uid)
        #expect(meta.uid(.implementationClassUID) == FileMetaInformation.implementationClassUID)
        #expect(meta.string(.implementationVersionName) == FileMetaInformation.implementationVersionName)
        #expect(meta.string(.sourceApplicationEntityTitle) == "SENDER")
        #expect(meta.uid(.mediaStorageSOPInstanceUID) == "1.2.3.4")
        // The group length in the meta information matches the group as it is now.
        let written = try DICOMFile(reading: transcoded.encoded())
        #expect(written.fileMetaInformation == meta)
        #expect(written.transferSyntax == .explicitVRBigEndian)
    }

    @Test("a bare data set gets meta information made from its SOP Class and Instance UIDs")
    func bareDataSet() throws {
        var bare = try Self.implicitFile(bitsAllocated: 8)
        bare.fileMetaInformation = DataSet()
        bare.preamble = nil
        let transcoded = try bare.transcoded(to: .explicitVRLittleEndian)
        #expect(transcoded.fileMetaInformation.uid(.mediaStorageSOPClassUID) == "1.2.840.10008.5.1.4.1.1.7")
        #expect(transcoded.fileMetaInformation.uid(.transferSyntaxUID) == TransferSyntax.explicitVRLittleEndian.uid)
        #expect(transcoded.preamble?.readableBytes == 128)
    }

    @Test("encapsulated pixel data is refused for the native syntaxes: that takes a codec")
    func encapsulated() throws {
        var dataSet = try Self.image(bitsAllocated: 8)
        dataSet[.pixelData] = DataElement(tag: .pixelData, fragments: EncapsulatedFragments(fragments: [ByteBuffer(bytes: [1, 2])]))
        let jpeg = DICOMFile(dataSet: dataSet, transferSyntax: .jpegBaseline8Bit)
        for target in TransferSyntax.uncompressed {
            #expect { try jpeg.transcoded(to: target) } throws: { ($0 as? DICOMEncodingError)?.code == .unsupportedConversion }
        }
        // Nor may fragments hide under a native syntax's name.
        let mislabelled = DICOMFile(dataSet: dataSet, transferSyntax: .implicitVRLittleEndian)
        #expect { try mislabelled.transcoded(to: .explicitVRLittleEndian) } throws: { ($0 as? DICOMEncodingError)?.code == .unsupportedConversion }
        // The same encapsulated syntax is no conversion.
        #expect(try jpeg.transcoded(to: .jpegBaseline8Bit).dataSet == dataSet)
        // Native pixel data cannot go into an encapsulated syntax either.
        let native = DICOMFile(dataSet: try Self.image(bitsAllocated: 8), transferSyntax: .explicitVRLittleEndian)
        #expect { try native.transcoded(to: .rleLossless) } throws: { ($0 as? DICOMEncodingError)?.code == .unsupportedConversion }
    }

    @Test("without pixel data, an encapsulated syntax converts to a native one and back")
    func encapsulatedSyntaxWithoutPixelData() throws {
        var dataSet = try Self.image(bitsAllocated: 8)
        dataSet.remove(.pixelData)
        let jpeg = DICOMFile(dataSet: dataSet, transferSyntax: .jpegLosslessSV1)
        let native = try jpeg.transcoded(to: .explicitVRBigEndian)
        #expect(native.dataSet == dataSet)
        #expect(try native.transcoded(to: .jpegLosslessSV1).dataSet == dataSet)
    }
}
