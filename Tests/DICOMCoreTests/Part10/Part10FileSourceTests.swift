import DICOMCore
import Foundation
import NIOCore
import Testing

/// ``Part10FileSource``: the header read alone, then the data set in chunks.
@Suite("Reading a Part 10 file for sending")
struct Part10FileSourceTests {
    static func bytes(of path: String) throws -> ByteBuffer {
        try ByteBuffer(bytes: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every chunk the source hands out, checking none is longer than `maximumLength`.
    static func drain(_ source: inout Part10FileSource, maximumLength: Int) throws -> ByteBuffer {
        var all = ByteBuffer()
        while var chunk = try source.nextChunk(maximumLength: maximumLength) {
            #expect(chunk.readableBytes > 0 && chunk.readableBytes <= maximumLength)
            all.writeBuffer(&chunk)
        }
        #expect(try source.nextChunk(maximumLength: maximumLength) == nil)
        return all
    }

    static func write(_ bytes: ByteBuffer, in directory: Part10TestDirectory, name: String = "x.dcm") throws -> String {
        let path = directory.path + "/" + name
        try Data(bytes.readableBytesView).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes a Part 10 file of `meta` and `dataSet` in `syntax` into `directory`; returns its path.
    static func writeFile(meta: DataSet, dataSet: DataSet, syntax: TransferSyntax = .explicitVRLittleEndian, in directory: Part10TestDirectory) throws -> String {
        let path = directory.path + "/x.dcm"
        try DICOMFile(fileMetaInformation: meta, dataSet: dataSet, transferSyntax: syntax).write(toFileAt: path, durable: false)
        return path
    }

    /// Explicit VR Little Endian meta information without the Media Storage SOP Class and
    /// Instance UIDs.
    static func metaWithoutUIDs() -> DataSet {
        var meta = FileMetaInformation.make(sopClassUID: "", sopInstanceUID: "", transferSyntax: .explicitVRLittleEndian)
        meta.remove(.mediaStorageSOPClassUID)
        meta.remove(.mediaStorageSOPInstanceUID)
        return meta
    }

    static func metaWithPrivateInformation(length: Int) -> DataSet {
        var meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: .explicitVRLittleEndian)
        meta.setString("1.2.3.4", for: .privateInformationCreatorUID, vr: .UI)
        meta[.privateInformation] = DataElement(tag: .privateInformation, vr: .OB, bytes: ByteBuffer(repeating: 0x5A, count: length))
        return meta
    }

    static func smallDataSet() -> DataSet {
        var dataSet = DataSet()
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.3", for: .sopInstanceUID, vr: .UI)
        dataSet.setString("DOE^JOHN", for: .patientName, vr: .PN)
        return dataSet
    }

    @Test("the sample's header, UIDs and sizes")
    func sample() throws {
        let source = try Part10FileSource(path: Part10TestDirectory.ctSample)
        let whole = try Self.bytes(of: Part10TestDirectory.ctSample)
        let reference = try DICOMFile.readHeader(whole)
        #expect(source.sopClassUID == "1.2.840.10008.5.1.4.1.1.2")
        #expect(source.sopInstanceUID == "2.25.148179758419080019080563060578182541283")
        #expect(source.transferSyntax == .explicitVRLittleEndian)
        #expect(source.header.meta == reference.meta)
        #expect(source.header.preamble == reference.preamble)
        #expect(source.header.dataSetOffset == 132 + 12 + 220)  // preamble, DICM, (0002,0000), group
        #expect(source.fileSize == whole.readableBytes)
        #expect(source.dataSetLength == whole.readableBytes - source.header.dataSetOffset)
    }

    @Test("the chunks make up exactly the bytes after the meta information",
          arguments: [1, 7, 4096, 1 << 20])
    func chunks(maximumLength: Int) throws {
        var source = try Part10FileSource(path: Part10TestDirectory.ctSample)
        let whole = try Self.bytes(of: Part10TestDirectory.ctSample)
        let dataSet = try Self.drain(&source, maximumLength: maximumLength)
        #expect(dataSet.readableBytes == source.dataSetLength)
        #expect(dataSet == whole.getSlice(at: source.header.dataSetOffset, length: source.dataSetLength))
        #expect(try DataSetReader.read(dataSet, transferSyntax: source.transferSyntax) == DICOMFile(reading: whole).dataSet)
    }

    @Test("copies of a source read independently")
    func copies() throws {
        var first = try Part10FileSource(path: Part10TestDirectory.ctSample)
        _ = try first.nextChunk(maximumLength: 100)
        var second = first
        let rest = try Self.drain(&first, maximumLength: 1000)
        #expect(try Self.drain(&second, maximumLength: 3000) == rest)
        #expect(rest.readableBytes == first.dataSetLength - 100)
    }

    @Test("meta information longer than the first read is read whole", arguments: [5000, 300_000])
    func largeMetaInformation(privateLength: Int) throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = Self.metaWithPrivateInformation(length: privateLength)
        let path = try Self.writeFile(meta: meta, dataSet: Self.smallDataSet(), in: directory)
        var source = try Part10FileSource(path: path)
        #expect(source.header.meta == (try DICOMFile(contentsOf: path)).fileMetaInformation)
        #expect(source.header.meta[.privateInformation] == meta[.privateInformation])
        #expect(source.header.dataSetOffset > privateLength)
        #expect(source.sopInstanceUID == "1.2.3")
        let dataSet = try Self.drain(&source, maximumLength: 4096)
        #expect(dataSet == (try DataSetWriter.encode(Self.smallDataSet(), transferSyntax: .explicitVRLittleEndian)))
    }

    @Test("meta information longer than the limit is refused")
    func metaInformationOverLimit() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = Self.metaWithPrivateInformation(length: Part10FileSource.maximumHeaderLength)
        let path = try Self.writeFile(meta: meta, dataSet: Self.smallDataSet(), in: directory)
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.code == .invalidFileMetaInformation)
        #expect(error?.detail.contains(path) == true)
    }

    @Test("\"DICM\" without a preamble is read, as DICOMFile reads it")
    func noPreamble() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let whole = try Self.bytes(of: Part10TestDirectory.ctSample)
        let path = try Self.write(whole.getSlice(at: 128, length: whole.readableBytes - 128)!, in: directory)
        var source = try Part10FileSource(path: path)
        #expect(source.header.preamble == nil)
        #expect(source.header.dataSetOffset == 4 + 12 + 220)
        #expect(try Self.drain(&source, maximumLength: 512) == whole.getSlice(at: 364, length: whole.readableBytes - 364))
    }

    /// ``smallDataSet()`` without its SOP Class UID.
    static func unidentifiedDataSet() -> DataSet {
        var dataSet = smallDataSet()
        dataSet.remove(.sopClassUID)
        return dataSet
    }

    @Test("a file that is not Part 10 throws notPart10",
          arguments: ["empty", "garbage", "zeros", "bare data set", "DICM and no meta information"])
    func notPart10(kind: String) throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let content: ByteBuffer
        switch kind {
        case "empty": content = ByteBuffer()
        case "garbage": content = ByteBuffer(string: "This is a text file, in no way a DICOM file.\n")
        case "zeros": content = ByteBuffer(repeating: 0, count: 100)
        case "bare data set": content = try DataSetWriter.encode(Self.unidentifiedDataSet(), transferSyntax: .implicitVRLittleEndian)
        default:
            var bytes = ByteBuffer(repeating: 0, count: 128)
            bytes.writeString("DICM")
            var dataSet = try DataSetWriter.encode(Self.unidentifiedDataSet(), transferSyntax: .explicitVRLittleEndian)
            bytes.writeBuffer(&dataSet)
            content = bytes
        }
        let path = try Self.write(content, in: directory)
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.code == .notPart10, "\(String(describing: error))")
        #expect(error?.detail.contains(path) == true, "\(String(describing: error))")
    }

    @Test("a file cut inside its meta information throws", arguments: [140, 200, 363])
    func truncatedMetaInformation(length: Int) throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let whole = try Self.bytes(of: Part10TestDirectory.ctSample)
        let path = try Self.write(whole.getSlice(at: 0, length: length)!, in: directory)
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.detail.contains(path) == true, "\(String(describing: error))")
    }

    @Test("a data set without its SOP Class or Instance UID is refused, whatever the meta information says, as DCMTK's storescu refuses it",
          arguments: [Tag.sopClassUID, .sopInstanceUID])
    func missingFromTheDataSet(tag: Tag) throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: .explicitVRLittleEndian)
        var dataSet = Self.smallDataSet()
        dataSet.remove(tag)
        let path = try Self.writeFile(meta: meta, dataSet: dataSet, in: directory)
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.code == .missingSOPIdentity)
        #expect(error?.tag == tag)
        #expect(error?.detail.contains(path) == true, "\(String(describing: error))")
    }

    @Test("a file of meta information only is refused")
    func metaInformationOnly() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: .explicitVRLittleEndian)
        let path = try Self.writeFile(meta: meta, dataSet: DataSet(), in: directory)
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.code == .missingSOPIdentity)
        #expect(error?.tag == .sopClassUID)
    }

    @Test("a data set cut before its SOP Instance UID throws the reader's error, not the meta information's UIDs")
    func truncatedBeforeTheUIDs() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: .explicitVRLittleEndian)
        let whole = try Self.bytes(of: Self.writeFile(meta: meta, dataSet: Self.smallDataSet(), in: directory))
        let header = try DICOMFile.readHeader(whole)
        // Into the SOP Class UID's value: its header (8 bytes) and 10 of its 26 bytes.
        let path = try Self.write(whole.getSlice(at: 0, length: header.dataSetOffset + 18)!, in: directory, name: "cut.dcm")
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.code == .valueLengthExceedsInput, "\(String(describing: error))")
    }

    /// Writes a Part 10 file whose meta information names `syntax` over `dataSet`, bytes encoded
    /// in another; returns its path.
    static func writeMislabelledFile(declaring syntax: TransferSyntax, dataSet: ByteBuffer, in directory: Part10TestDirectory) throws -> String {
        var bytes = ByteBuffer(repeating: 0, count: 128)
        bytes.writeString("DICM")
        var meta = try DataSetWriter.encode(
            FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: syntax),
            transferSyntax: .explicitVRLittleEndian)
        bytes.writeBuffer(&meta)
        bytes.writeImmutableBuffer(dataSet)
        return try write(bytes, in: directory)
    }

    @Test("meta information naming JPEG Baseline over a data set encoded in Implicit VR is refused, as DCMTK refuses it")
    func compressedSyntaxOverImplicitDataSet() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = try Self.writeMislabelledFile(
            declaring: TransferSyntax(uid: "1.2.840.10008.1.2.4.50"),
            dataSet: DataSetWriter.encode(Self.smallDataSet(), transferSyntax: .implicitVRLittleEndian), in: directory)
        #expect(try DICOMFile.readHeader(Self.bytes(of: path)).transferSyntax == .implicitVRLittleEndian, "read as what it is")
        let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
        #expect(error?.code == .invalidFileMetaInformation)
        #expect(error?.detail.contains("Implicit VR") == true, "\(String(describing: error))")
    }

    @Test("meta information naming Implicit VR over a data set encoded in Explicit VR: read, and sent, as Explicit VR Little Endian")
    func implicitDeclaredOverExplicitDataSet() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let encoded = try DataSetWriter.encode(Self.smallDataSet(), transferSyntax: .explicitVRLittleEndian)
        let path = try Self.writeMislabelledFile(declaring: .implicitVRLittleEndian, dataSet: encoded, in: directory)
        #expect(try DICOMFile(contentsOf: path).dataSet == Self.smallDataSet())
        var source = try Part10FileSource(path: path)
        #expect(source.transferSyntax == .explicitVRLittleEndian)
        #expect(source.sopInstanceUID == "1.2.3")
        #expect(try source.checkStructure() == nil)
        #expect(try Self.drain(&source, maximumLength: 64) == encoded)
    }

    @Test("a deflated data set, not read here, goes by the meta information's UIDs")
    func deflatedByTheMetaInformation() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "4.5.6", transferSyntax: .deflatedExplicitVRLittleEndian)
        let path = try Self.writeFile(meta: meta, dataSet: Self.smallDataSet(), syntax: .deflatedExplicitVRLittleEndian, in: directory)
        let source = try Part10FileSource(path: path)
        #expect(source.sopInstanceUID == "4.5.6")
    }

    /// A data set that names its SOP Class and Instance.
    static func identifiedDataSet() -> DataSet {
        var dataSet = Self.smallDataSet()
        dataSet.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        return dataSet
    }

    @Test("meta information without the SOP Class and Instance: the data set's (0008,0016) and (0008,0018) are taken, as DCMTK's storescu takes them")
    func identityFromTheDataSet() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = Self.metaWithoutUIDs()
        let path = try Self.writeFile(meta: meta, dataSet: Self.identifiedDataSet(), in: directory)
        var source = try Part10FileSource(path: path)
        #expect(source.sopClassUID == "1.2.840.10008.5.1.4.1.1.7")
        #expect(source.sopInstanceUID == "1.2.3")
        #expect(try Self.drain(&source, maximumLength: 64) == DataSetWriter.encode(Self.identifiedDataSet(), transferSyntax: .explicitVRLittleEndian))
    }

    @Test("where the meta information and the data set disagree, the data set's UIDs are taken: the command must match the data set")
    func dataSetUIDsFirst() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "9.9.9", transferSyntax: .implicitVRLittleEndian)
        let path = try Self.writeFile(meta: meta, dataSet: Self.identifiedDataSet(), syntax: .implicitVRLittleEndian, in: directory)
        let source = try Part10FileSource(path: path)
        #expect(source.sopClassUID == "1.2.840.10008.5.1.4.1.1.7")
        #expect(source.sopInstanceUID == "1.2.3")
    }

    @Test("the data set's UIDs are found past the first bytes read, behind a long element")
    func uidsBehindALongElement() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        var dataSet = Self.identifiedDataSet()
        dataSet.setString(String(repeating: "X", count: 12_000), for: .imageType, vr: .CS)
        let meta = Self.metaWithoutUIDs()
        let path = try Self.writeFile(meta: meta, dataSet: dataSet, in: directory)
        let source = try Part10FileSource(path: path)
        #expect(source.sopClassUID == "1.2.840.10008.5.1.4.1.1.7")
        #expect(source.sopInstanceUID == "1.2.3")
    }

    @Test("a bare data set that names its SOP Class and Instance is sent whole, in the syntax its first element shows",
          arguments: [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian])
    func bareDataSet(syntax: TransferSyntax) throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let bytes = try DataSetWriter.encode(Self.identifiedDataSet(), transferSyntax: syntax)
        let path = try Self.write(bytes, in: directory)
        var source = try Part10FileSource(path: path)
        #expect(source.header.meta.isEmpty && source.header.dataSetOffset == 0)
        #expect(source.transferSyntax == syntax)
        #expect(source.sopClassUID == "1.2.840.10008.5.1.4.1.1.7")
        #expect(source.sopInstanceUID == "1.2.3")
        #expect(try Self.drain(&source, maximumLength: 50) == bytes)
    }

    @Test("a missing file or a directory throws fileUnreadable, naming the path")
    func unreadable() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        for path in [directory.path + "/missing.dcm", directory.path] {
            let error = #expect(throws: DICOMParsingError.self) { try Part10FileSource(path: path) }
            #expect(error?.code == .fileUnreadable)
            #expect(error?.detail.contains(path) == true, "\(String(describing: error))")
        }
    }

    @Test("a file that shrinks while being sent throws instead of ending early")
    func shrinks() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = try Self.write(Self.bytes(of: Part10TestDirectory.ctSample), in: directory)
        var source = try Part10FileSource(path: path)
        _ = try source.nextChunk(maximumLength: 1000)
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 2000)
        let error = #expect(throws: DICOMParsingError.self) { try source.nextChunk(maximumLength: 4096) }
        #expect(error?.code == .fileUnreadable)
        #expect(error?.offset == 2000)
    }

    @Test("sending from the file: its data set range and a handle of its own; a file that shrank is refused before a send")
    func sendingFromTheFile() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let bytes = try Self.bytes(of: Part10TestDirectory.ctSample)
        let path = try Self.write(bytes, in: directory)
        let source = try Part10FileSource(path: path)
        #expect(source.dataSetRange == source.header.dataSetOffset..<bytes.readableBytes)
        try source.prepareToSend(source.dataSetRange)

        // The handle reads the same file, and outlives the source.
        let handle = try source.duplicateFileHandle()
        defer { try? handle.close() }
        let head = try handle.withUnsafeFileDescriptor { descriptor in
            var buffer = [UInt8](repeating: 0, count: 132)
            #expect(pread(descriptor, &buffer, 132, 0) == 132)
            return buffer
        }
        #expect(head == Array(bytes.readableBytesView.prefix(132)))

        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 2000)
        try source.prepareToSend(source.dataSetRange.lowerBound..<2000)
        let error = #expect(throws: DICOMParsingError.self) { try source.prepareToSend(source.dataSetRange) }
        #expect(error?.code == .fileUnreadable)
        #expect(error?.offset == 2000)
    }
}
