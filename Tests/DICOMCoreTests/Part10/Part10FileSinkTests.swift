import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``Part10FileSink``: what it writes, and that nothing but a committed file is ever left.
@Suite("Streaming a Part 10 file to disk")
struct Part10FileSinkTests {
    static let ctImageStorage: UID = "1.2.840.10008.5.1.4.1.1.2"

    /// A small image data set, encoded in `syntax`.
    static func encodedDataSet(_ syntax: TransferSyntax) throws -> ByteBuffer {
        var dataSet = DataSet()
        dataSet.setString(ctImageStorage.string, for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.3.4.5", for: .sopInstanceUID, vr: .UI)
        dataSet.setString("DOE^JANE", for: .patientName, vr: .PN)
        try dataSet.setIntegers([16], for: .bitsAllocated, vr: .US)
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: ByteBuffer(bytes: (0..<10_000).map { UInt8($0 % 251) }))
        return try DataSetWriter.encode(dataSet, transferSyntax: syntax)
    }

    static func meta(_ syntax: TransferSyntax) -> DataSet {
        FileMetaInformation.make(sopClassUID: ctImageStorage, sopInstanceUID: "1.2.3.4.5", transferSyntax: syntax)
    }

    /// Writes `bytes` in chunks of `chunkLength`.
    static func write(_ bytes: ByteBuffer, to sink: Part10FileSink, chunkLength: Int) throws {
        var rest = bytes
        while rest.readableBytes > 0 {
            try sink.write(rest.readSlice(length: min(chunkLength, rest.readableBytes))!)
        }
    }

    @Test("the file reads back with the meta information given and the data set bytes written, byte for byte",
          arguments: [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian], [1, 7, 65_536])
    func roundTrip(syntax: TransferSyntax, chunkLength: Int) throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/1.2.3.4.5"
        let dataSet = try Self.encodedDataSet(syntax)
        let sink = try Part10FileSink(path: path, fileMetaInformation: Self.meta(syntax), durable: chunkLength != 1)
        try Self.write(dataSet, to: sink, chunkLength: chunkLength)
        #expect(sink.bytesWritten == dataSet.readableBytes)
        #expect(try directory.visibleContents() == [])
        #expect(!FileManager.default.fileExists(atPath: path))
        try sink.commit()
        #expect(try directory.contents() == ["1.2.3.4.5"])

        let file = try DICOMFile(contentsOf: path)
        #expect(file.fileMetaInformation == Self.meta(syntax))
        #expect(file.transferSyntax == syntax)
        #expect(file.dataSet == (try DataSetReader.read(dataSet, transferSyntax: syntax)))
        let written = try ByteBuffer(bytes: Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try DICOMFile.readHeader(written)
        #expect(header.preamble == ByteBuffer(repeating: 0, count: 128))
        #expect(written.getSlice(at: header.dataSetOffset, length: written.readableBytes - header.dataSetOffset) == dataSet)
    }

    @Test("a file streamed from a Part10FileSource into a sink is the same file")
    func sourceToSink() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let sample = Part10TestDirectory.ctSample
        var source = try Part10FileSource(path: sample)
        let path = directory.path + "/copy.dcm"
        let sink = try Part10FileSink(path: path, fileMetaInformation: source.header.meta)
        while let chunk = try source.nextChunk(maximumLength: 1000) {
            try sink.write(chunk)
        }
        try sink.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: sample)))
    }

    @Test("DCMTK's dcmdump reads the file as the original", .enabled(if: ExternalTools.shouldRun(needing: "dcmdump")))
    func dcmdumpReadsIt() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let original = try DICOMFile(contentsOf: Part10TestDirectory.ctSample)
        let syntax = TransferSyntax.implicitVRLittleEndian
        let transcoded = try original.transcoded(to: syntax)
        let reference = directory.path + "/reference.dcm"
        try transcoded.write(toFileAt: reference)
        let path = directory.path + "/streamed.dcm"
        let sink = try Part10FileSink(path: path, fileMetaInformation: transcoded.fileMetaInformation)
        try Self.write(DataSetWriter.encode(transcoded.dataSet, transferSyntax: syntax), to: sink, chunkLength: 333)
        try sink.commit()

        let dcmdump = try ExternalTools.require("dcmdump")
        let theirs = try ExternalTools.run(dcmdump, ["-M", path])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        #expect(theirs.stderr.isEmpty)
        #expect(theirs.stdout.contains("Little Endian Implicit"))
        #expect(theirs.stdout.contains("(0010,0010) PN"))
        #expect(theirs.stdout == (try ExternalTools.run(dcmdump, ["-M", reference])).stdout)
    }

    @Test("discard removes the temporary file and leaves an existing file at the path untouched")
    func discard() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/x.dcm"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let sink = try Part10FileSink(path: path, fileMetaInformation: Self.meta(.explicitVRLittleEndian))
        try sink.write(Self.encodedDataSet(.explicitVRLittleEndian))
        #expect(try directory.visibleContents() == ["x.dcm"])
        sink.discard()
        sink.discard()
        #expect(try directory.contents() == ["x.dcm"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8))
        #expect(throws: DICOMEncodingError.self) { try sink.write(ByteBuffer(bytes: [0, 0])) }
        #expect(throws: DICOMEncodingError.self) { try sink.commit() }
        #expect(try directory.contents() == ["x.dcm"])
    }

    @Test("a sink released without a commit leaves the directory empty")
    func releasedWithoutCommit() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        func interruptedTransfer() throws {
            let sink = try Part10FileSink(path: directory.path + "/x.dcm", fileMetaInformation: Self.meta(.explicitVRLittleEndian))
            try sink.write(ByteBuffer(bytes: [0x08, 0x00, 0x05, 0x00]))
            #expect(try directory.visibleContents() == [])
        }
        try interruptedTransfer()
        #expect(try directory.contents() == [])
    }

    @Test("after a commit, writes and commits throw and discard leaves the file")
    func afterCommit() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/x.dcm"
        let sink = try Part10FileSink(path: path, fileMetaInformation: Self.meta(.explicitVRLittleEndian))
        try sink.commit()
        let error = #expect(throws: DICOMEncodingError.self) { try sink.write(ByteBuffer(bytes: [0, 0])) }
        #expect(error?.code == .outputFailed)
        #expect(error?.detail.contains(path) == true && error?.detail.contains("committed") == true, "\(String(describing: error))")
        #expect(throws: DICOMEncodingError.self) { try sink.commit() }
        sink.discard()
        #expect(try directory.contents() == ["x.dcm"])
        #expect(sink.bytesWritten == 0)
        #expect(try DICOMFile(contentsOf: path).dataSet.isEmpty)
    }

    @Test("a path in a missing directory throws an error naming it and the system's reason")
    func missingDirectory() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/missing/x.dcm"
        let error = #expect(throws: DICOMEncodingError.self) {
            try Part10FileSink(path: path, fileMetaInformation: Self.meta(.explicitVRLittleEndian))
        }
        #expect(error?.code == .outputFailed)
        #expect(error?.detail.contains(path) == true, "\(String(describing: error))")
        #expect(error?.detail.contains(String(cString: strerror(ENOENT))) == true, "\(String(describing: error))")
    }

    @Test("a failed rename throws and removes the temporary file")
    func failedCommit() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        // A non-empty directory at the path: rename(2) cannot replace it.
        let path = directory.path + "/x.dcm"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        let sink = try Part10FileSink(path: path, fileMetaInformation: Self.meta(.explicitVRLittleEndian))
        try sink.write(Self.encodedDataSet(.explicitVRLittleEndian))
        let error = #expect(throws: DICOMEncodingError.self) { try sink.commit() }
        #expect(error?.detail.contains("rename") == true && error?.detail.contains(path) == true, "\(String(describing: error))")
        #expect(try directory.contents() == ["x.dcm"])
        #expect(throws: DICOMEncodingError.self) { try sink.write(ByteBuffer(bytes: [0, 0])) }
    }

    @Test("the file gets the permissions of any new file (not mkstemp's 0600), for DICOMFile.write(toFileAt:) too")
    func permissions() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let reference = directory.path + "/reference"
        let descriptor = open(reference, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        try #require(descriptor >= 0)
        close(descriptor)
        let sink = try Part10FileSink(path: directory.path + "/sink.dcm", fileMetaInformation: Self.meta(.explicitVRLittleEndian))
        try sink.commit()
        let file = DICOMFile(fileMetaInformation: Self.meta(.explicitVRLittleEndian), dataSet: DataSet(), transferSyntax: .explicitVRLittleEndian)
        try file.write(toFileAt: directory.path + "/file.dcm", durable: false)
        let expected = try directory.permissions(of: reference)
        #expect(try directory.permissions(of: directory.path + "/sink.dcm") == expected)
        #expect(try directory.permissions(of: directory.path + "/file.dcm") == expected)
        #expect(try directory.contents() == ["file.dcm", "reference", "sink.dcm"])
    }

    @Test("a commit over an existing file replaces it whole and leaves no temporary name; durable or not")
    func replacesExistingFile() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/x.dcm"
        for durable in [false, true] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            let sink = try Part10FileSink(path: path, fileMetaInformation: Self.meta(.explicitVRLittleEndian), durable: durable)
            try sink.write(Self.encodedDataSet(.explicitVRLittleEndian))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8))
            try sink.commit()
            #expect(try directory.contents() == ["x.dcm"])
            #expect(try DICOMFile(contentsOf: path).dataSet == DataSetReader.read(Self.encodedDataSet(.explicitVRLittleEndian), transferSyntax: .explicitVRLittleEndian))
        }
    }

    #if os(Linux)
    @Test("on Linux the file being written has no name at all (O_TMPFILE): nothing a crash could leave behind")
    func unnamedWhileWritten() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let sink = try Part10FileSink(path: directory.path + "/x.dcm", fileMetaInformation: Self.meta(.explicitVRLittleEndian))
        try sink.write(Self.encodedDataSet(.explicitVRLittleEndian))
        #expect(try directory.contents() == [])
        try sink.commit()
        #expect(try directory.contents() == ["x.dcm"])
    }
    #endif

    @Test("many durable commits into one directory at once (their directory syncs shared) all land whole")
    func concurrentDurableCommits() async throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        let dataSet = try Self.encodedDataSet(.explicitVRLittleEndian)
        let meta = Self.meta(.explicitVRLittleEndian)
        let names = (1...64).map { "\($0).dcm" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                let path = directory.path + "/" + name
                group.addTask {
                    let sink = try Part10FileSink(path: path, fileMetaInformation: meta, durable: true)
                    try sink.write(dataSet)
                    try sink.commit()
                }
            }
            try await group.waitForAll()
        }
        #expect(try directory.contents() == names.sorted())
        for name in names {
            let written = try ByteBuffer(bytes: Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + name)))
            let header = try DICOMFile.readHeader(written)
            #expect(written.getSlice(at: header.dataSetOffset, length: written.readableBytes - header.dataSetOffset) == dataSet)
        }
    }

    @Test("DICOMFile.write(toFileAt:) leaves nothing when the data set fails to encode")
    func writeAtomicallyFailure() throws {
        let directory = try Part10TestDirectory()
        defer { directory.remove() }
        var dataSet = DataSet()
        // A sequence under a VR that cannot hold one (see DICOMEncodingError.invalidValueForVR).
        dataSet[.patientName] = DataElement(tag: .patientName, vr: .PN, items: [DataSet()])
        let file = DICOMFile(fileMetaInformation: Self.meta(.explicitVRLittleEndian), dataSet: dataSet, transferSyntax: .explicitVRLittleEndian)
        #expect(throws: DICOMEncodingError.self) { try file.write(toFileAt: directory.path + "/x.dcm") }
        #expect(try directory.contents() == [])
    }
}

/// A fresh directory for one test, under the system's temporary directory.
struct Part10TestDirectory {
    /// The sample file shipped in the package.
    static let ctSample = ExternalTools.packageRoot.appendingPathComponent("Samples/CT-synthetic.dcm").path

    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-part10-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    /// The names in the directory, hidden ones included, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// The names a reader of the directory would take for files: hidden temporary ones left out.
    func visibleContents() throws -> [String] {
        try contents().filter { !$0.hasPrefix(".") }
    }

    func permissions(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
