import DICOMCore
import Foundation
import Testing
import TestSupport

/// Instances stored compressed, retrieved with C-GET: an archive sends a compressed data set only
/// in its own syntax, and accepts one transfer syntax per context. Our getscu's DCMTK
/// preferences (+xs, +xr…) propose that syntax in contexts of their own, beside the
/// uncompressed ones, so that both kinds arrive. The compressed copies are made by DCMTK's
/// dcmcjpeg and dcmcrle from the generated CT files.
@Suite("getscu's preferred storage transfer syntax, against netdicom qrscp and dcmqrscp", .tags(.interop))
struct QRSCPCompressedRetrieveTests {
    /// The default content, plus a JPEG Lossless and an RLE copy (new SOP Instance UIDs) of the
    /// first instance of series A1, in its study and series.
    struct Content {
        let base = try! ArchiveContent()
        let jpegLossless: ArchiveContent.Instance
        let rle: ArchiveContent.Instance

        init() async throws {
            let source = base.instances(of: base.seriesA1)[0]
            jpegLossless = try await Self.compress(source, with: "dcmcjpeg", ["+e1", "+ua"], name: "jpeg-lossless.dcm")
            rle = try await Self.compress(source, with: "dcmcrle", ["+ua"], name: "rle.dcm")
        }

        /// Everything in series A1's study.
        var study: [ArchiveContent.Instance] { base.instances(inStudyOf: base.seriesA1) + [jpegLossless, rle] }
        var files: [String] { base.files + [jpegLossless.path, rle.path] }

        static func compress(_ source: ArchiveContent.Instance, with tool: String, _ options: [String], name: String) async throws -> ArchiveContent.Instance {
            let path = try TestInstances.temporaryDirectory("compressed") + "/" + name
            let result = try await PeerProcess.run(ExternalTools.require(tool), options + [source.path, path])
            try #require(result.status == 0, "\(tool): \(result.stderr)")
            let dataSet = try DICOMFile(contentsOf: path).dataSet
            return ArchiveContent.Instance(
                path: path, sopInstanceUID: try #require(dataSet.uid(.sopInstanceUID)?.string),
                studyInstanceUID: source.studyInstanceUID, seriesInstanceUID: source.seriesInstanceUID,
                patientID: source.patientID, dataSetBytes: try TestInstances.dataSetBytes(ofFileAt: path))
        }
    }

    /// Our getscu with `options`, the study of series A1 into a new directory.
    static func get(_ options: [String], _ content: Content, port: Int, aeTitle: String) async throws -> (ExternalTools.Output, directory: String) {
        let output = try TestInstances.temporaryDirectory("getscu-compressed")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["getscu", "-S", "-aec", aeTitle, "-od", output] + options + [
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.base.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(port)])
        return (result, output)
    }

    @Test("netdicom qrscp: no preference gets the uncompressed instances; +xs adds the JPEG Lossless one, +xr the RLE one, each as stored",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmcjpeg")), .enabled(if: ExternalTools.shouldRun(needing: "dcmcrle")))
    func fromNetdicomQRSCP() async throws {
        let content = try await Content()
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-compressed"))
        defer { archive.peer.stop() }
        // Our storescu proposes each file's own syntax: the compressed ones are stored as they are.
        let stored = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "--no-progress", "-aec", archive.aeTitle, "127.0.0.1", String(archive.port)] + content.files)
        try #require(stored.status == 0, "\(stored.stderr)\nqrscp:\n\(archive.log)")
        let uncompressed = content.base.instances(inStudyOf: content.base.seriesA1)

        let (plain, plainDirectory) = try await Self.get([], content, port: archive.port, aeTitle: archive.aeTitle)
        #expect(plain.stderr.contains("C-GET: \(uncompressed.count) completed, 2 failed"), "\(plain.stderr)")
        ArchiveContent.expectFiles(under: plainDirectory, are: uncompressed, log: plain.stderr)

        let (lossless, losslessDirectory) = try await Self.get(["+xs"], content, port: archive.port, aeTitle: archive.aeTitle)
        #expect(lossless.stderr.contains("C-GET: \(uncompressed.count + 1) completed, 1 failed"), "\(lossless.stderr)\nqrscp:\n\(archive.log)")
        ArchiveContent.expectFiles(under: losslessDirectory, are: uncompressed + [content.jpegLossless], log: lossless.stderr)

        let (rle, rleDirectory) = try await Self.get(["--prefer-rle"], content, port: archive.port, aeTitle: archive.aeTitle)
        #expect(rle.stderr.contains("C-GET: \(uncompressed.count + 1) completed, 1 failed"), "\(rle.stderr)")
        ArchiveContent.expectFiles(under: rleDirectory, are: uncompressed + [content.rle], log: rle.stderr)
    }

    /// dcmqrscp sends every instance of a class in the first context accepted for it, and
    /// cannot convert between compressed and uncompressed: with +xs that is the JPEG Lossless
    /// context, as it is for DCMTK's getscu +xs (one context, JPEG Lossless first).
    @Test("DCMTK dcmqrscp +xs: getscu +xs gets the JPEG Lossless instance as stored; without it the instance fails",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")), .enabled(if: ExternalTools.shouldRun(needing: "dcmcjpeg")),
          .enabled(if: ExternalTools.shouldRun(needing: "dcmcrle")))
    func fromDCMTK() async throws {
        let content = try await Content()
        let archive = try await DCMTKArchive(extraArguments: ["+xs"])
        defer { archive.stop() }
        try await archive.load([content.jpegLossless.path], extraArguments: ["-xs"])
        let image = content.jpegLossless
        let keys = ["-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=\(image.studyInstanceUID)",
                    "-k", "SeriesInstanceUID=\(image.seriesInstanceUID)", "-k", "SOPInstanceUID=\(image.sopInstanceUID)"]

        let lossless = try TestInstances.temporaryDirectory("getscu-dcmqrscp-xs")
        let preferred = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-S", "-aec", DCMTKArchive.aeTitle, "-od", lossless, "+xs"] + keys + ["127.0.0.1", String(archive.port)])
        #expect(preferred.status == 0, "\(preferred.stderr)\ndcmqrscp:\n\(archive.peer.log)")
        ArchiveContent.expectFiles(under: lossless, are: [image], log: preferred.stderr + archive.peer.log)

        let plain = try TestInstances.temporaryDirectory("getscu-dcmqrscp")
        let uncompressed = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-S", "-aec", DCMTKArchive.aeTitle, "-od", plain] + keys + ["127.0.0.1", String(archive.port)])
        #expect(uncompressed.stderr.contains("C-GET: 0 completed, 1 failed"), "\(uncompressed.stderr)")
    }
}
