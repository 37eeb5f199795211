import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// A video instance in MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video (PS3.5 §A.4.7),
/// which our Storage SCPs once refused as an unknown syntax: stored from DCMTK's storescu as it
/// was sent (its -x2 proposes the syntax, -R only the files' classes), and retrieved in its own
/// syntax by DCMTK's getscu and ours asking for it (+x2).
@Suite("a video transfer syntax through storescp and qrscp, with DCMTK", .tags(.interop))
struct VideoTransferSyntaxInteropTests {
    static let mpeg4For2D = TransferSyntax(uid: "1.2.840.10008.1.2.4.104")

    /// A Video Endoscopic Image in the 2D video syntax: its "stream" two fragments of made-up
    /// bytes (nothing here decodes them).
    static func videoFile() throws -> (path: String, study: String) {
        let study = UID.generate()
        var dataSet = DataSet()
        dataSet.setString(UID.videoEndoscopicImageStorage.string, for: .sopClassUID, vr: .UI)
        dataSet.setString(UID.generate().string, for: .sopInstanceUID, vr: .UI)
        dataSet.setString("ES", for: .modality, vr: .CS)
        dataSet.setString("VIDEO^PATIENT", for: .patientName, vr: .PN)
        dataSet.setString("NETDICOM-VIDEO", for: .patientID, vr: .LO)
        dataSet.setString(study.string, for: .studyInstanceUID, vr: .UI)
        dataSet.setString(UID.generate().string, for: .seriesInstanceUID, vr: .UI)
        dataSet.setString("YBR_PARTIAL_420", for: .photometricInterpretation, vr: .CS)
        try dataSet.setIntegers([3], for: .samplesPerPixel, vr: .US)
        try dataSet.setIntegers([1080], for: .rows, vr: .US)
        try dataSet.setIntegers([1920], for: .columns, vr: .US)
        try dataSet.setIntegers([8], for: .bitsAllocated, vr: .US)
        try dataSet.setIntegers([8], for: .bitsStored, vr: .US)
        try dataSet.setIntegers([7], for: .highBit, vr: .US)
        try dataSet.setIntegers([0], for: .pixelRepresentation, vr: .US)
        dataSet.setString("30", for: .numberOfFrames, vr: .IS)
        let stream = (0..<2).map { index in ByteBuffer(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }) }
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OB, fragments: EncapsulatedFragments(fragments: stream))
        let directory = try TestInstances.temporaryDirectory("video")
        return (try TestInstances.write(dataSet, transferSyntax: mpeg4For2D, into: directory), study.string)
    }

    @Test("DCMTK storescu → our storescp: the video instance is accepted in its syntax and written byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func storeSCPAcceptsVideo() async throws {
        let (path, _) = try Self.videoFile()
        let port = PeerProcess.freePort()
        let output = try TestInstances.temporaryDirectory("video-storescp")
        let scp = try await PeerProcess.listening(ExternalTools.netdicom(), ["storescp", "--bind", "127.0.0.1", "-od", output, String(port)], on: port)
        defer { scp.stop() }
        let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["-x2", "-R", "127.0.0.1", String(port), path])
        #expect(sent.status == 0, "\(sent.stderr)\nstorescp:\n\(scp.log)")
        let written = try #require(TestInstances.files(under: output).first { $0.hasSuffix(".dcm") }, "\(scp.log)")
        #expect(try TestInstances.transferSyntax(ofFileAt: written) == Self.mpeg4For2D.uid)
        #expect(try TestInstances.dataSetBytes(ofFileAt: written) == TestInstances.dataSetBytes(ofFileAt: path))
    }

    @Test("DCMTK storescu → our qrscp, then DCMTK getscu +x2 and our getscu --prefer-mpeg4-2-2d: the same bytes come back in the video syntax",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func qrscpStoresAndSendsVideo() async throws {
        let (path, study) = try Self.videoFile()
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("video-qrscp"))
        defer { archive.peer.stop() }
        let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["-x2", "-R", "-aec", archive.aeTitle, "127.0.0.1", String(archive.port), path])
        try #require(sent.status == 0, "\(sent.stderr)\nqrscp:\n\(archive.log)")
        let keys = ["-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(archive.port)]
        for (tool, preference) in [(try ExternalTools.require("getscu"), "+x2"), (try ExternalTools.netdicom(), "--prefer-mpeg4-2-2d")] {
            let output = try TestInstances.temporaryDirectory("video-got")
            let arguments = (tool.hasSuffix("getscu") ? [] : ["getscu"]) + ["-S", "-aec", archive.aeTitle, preference, "-od", output] + keys
            let got = try await PeerProcess.run(tool, arguments)
            #expect(got.status == 0, "\(tool) \(preference): \(got.stderr)\nqrscp:\n\(archive.log)")
            let received = try #require(TestInstances.files(under: output).first, "\(tool) \(preference): \(got.stderr)")
            #expect(try TestInstances.transferSyntax(ofFileAt: received) == Self.mpeg4For2D.uid, "\(tool) \(preference)")
            #expect(try TestInstances.dataSetBytes(ofFileAt: received) == TestInstances.dataSetBytes(ofFileAt: path), "\(tool) \(preference)")
        }
    }
}
