import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// pydicom's test files — every transfer syntax pydicom ships, private and nested sequences,
/// odd lengths, several character sets, trailing padding — through `netdicom qrscp` and back out
/// to DCMTK, on loopback. The archive must keep what it was sent, byte for byte, and give it out
/// as stored or, where the destination chooses another transfer syntax, converted exactly as
/// DCMTK's own converter converts it.
@Suite("netdicom qrscp with pydicom's test files", .tags(.interop))
struct QRSCPPydicomCorpusTests {
    @Test("storescu → qrscp → movescu → DCMTK storescp +xa +B: each file stored as sent; moved as stored, or as dcmconv +te converts it",
          .enabled(if: ExternalTools.shouldRun(needing: "python")), .enabled(if: ExternalTools.shouldRun(needing: "movescu")),
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")), .enabled(if: ExternalTools.shouldRun(needing: "dcmconv")))
    func corpusRoundTrip() async throws {
        let originals = try Self.filesWithDistinctInstances()
        // The archive files an instance by its Study, Series and SOP Instance UIDs: a data set
        // without them (pydicom's fragments, the JPEG-LS files with an empty Study Instance UID)
        // is refused with C000H and a logged reason.
        // A mislabelled file is not sent (storescu refuses it, as DCMTK's does).
        let fileable = Set(originals.filter { $0.value.fileable && Self.mislabelled[URL(fileURLWithPath: $0.value.path).lastPathComponent] == nil }.keys)
        #expect(fileable.count >= 40, "pydicom ships about 50 distinct instances; found \(fileable.count) of \(originals.count)")

        let received = try TestInstances.temporaryDirectory("corpus-moved")
        let storescpPort = PeerProcess.freePort()
        // +xa: every transfer syntax DCMTK knows, Explicit VR Little Endian preferred among the
        // uncompressed ones; +B: each data set written as it arrived.
        let storescp = try PeerProcess(ExternalTools.require("storescp"), ["+xa", "+B", "-aet", "STORE", "-od", received, String(storescpPort)])
        defer { storescp.stop() }
        try await storescp.waitUntilListening(on: storescpPort)
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-corpus"), moveDestinations: ["STORE": storescpPort])
        defer { archive.peer.stop() }

        // In: our storescu sends each file's data set as it is, in its own transfer syntax.
        let sent = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "-aec", archive.aeTitle, "--no-progress", "127.0.0.1", String(archive.port)] + originals.values.map(\.path).sorted(),
            timeout: .seconds(120))
        let stored = Self.storedFiles(of: archive)
        #expect(Set(stored.keys) == fileable, "\(stored.count) of \(fileable.count) stored:\n\(sent.stderr)\nqrscp:\n\(archive.log)")
        #expect(sent.stderr.contains("\(stored.count) sent, \(originals.count - stored.count) failed"), "\(sent.stderr)")
        var paddedDeflate = 0
        for (uid, path) in stored {
            let original = try #require(originals[uid]?.path)
            var expected = try TestInstances.dataSetBytes(ofFileAt: original)
            // A deflated stream written without its padding goes out with it (PS3.5 §A.5).
            if try TestInstances.transferSyntax(ofFileAt: original) == .deflatedExplicitVRLittleEndian, expected.readableBytes % 2 == 1 {
                expected.writeInteger(UInt8(0))
                paddedDeflate += 1
            }
            #expect(try TestInstances.dataSetBytes(ofFileAt: path) == expected,
                    "\(URL(fileURLWithPath: original).lastPathComponent): stored differently from what was sent")
        }
        // image_dfl.dcm: a deflated stream of odd length, which DCMTK refuses unpadded.
        #expect(paddedDeflate == 1)

        // Out: one C-MOVE per series, Study Root.
        let series = Set(archive.instanceFiles.map { $0.split(separator: "/").prefix(2).map(String.init) })
        for path in series.sorted(by: { $0.joined() < $1.joined() }) {
            let moved = try await DCMTKClient.move(.studyRoot, [
                "QueryRetrieveLevel=SERIES", "StudyInstanceUID=\(path[0])", "SeriesInstanceUID=\(path[1])"], from: archive, to: "STORE")
            #expect(moved.stdout.contains("Received Final Move Response (Success)"), "\(path):\n\(moved.stdout)\nqrscp:\n\(archive.log)")
        }
        #expect(await eventually { Self.filesByInstance(under: received).count == stored.count })
        let arrived = Self.filesByInstance(under: received)
        #expect(Set(arrived.keys) == Set(stored.keys), "storescp:\n\(storescp.log)")

        var converted = 0
        for (uid, path) in stored.sorted(by: { $0.key < $1.key }) {
            guard let arrivedPath = arrived[uid] else { continue }
            let bytes = try TestInstances.dataSetBytes(ofFileAt: arrivedPath)
            let name = URL(fileURLWithPath: originals[uid]!.path).lastPathComponent
            let storedSyntax = try TestInstances.transferSyntax(ofFileAt: path)
            let arrivedSyntax = try TestInstances.transferSyntax(ofFileAt: arrivedPath)
            if arrivedSyntax == storedSyntax {
                #expect(bytes == (try TestInstances.dataSetBytes(ofFileAt: path)), "\(name): moved differently from how it was stored")
                continue
            }
            // The destination took Explicit VR Little Endian for an uncompressed instance stored
            // in another syntax: the conversion must be DCMTK's, byte for byte. dcmconv writes
            // every sequence and item with defined lengths (+e) or every one undefined (-e);
            // ours keeps each one's form, so one of the two is the reference.
            #expect(arrivedSyntax == .explicitVRLittleEndian, "\(name): stored in \(storedSyntax), arrived in \(arrivedSyntax)")
            var references: [ByteBuffer] = []
            for lengths in ["+e", "-e"] {
                let reference = try TestInstances.temporaryDirectory("corpus-dcmconv") + "/\(uid).dcm"
                let conversion = try await PeerProcess.run(ExternalTools.require("dcmconv"), ["+te", lengths, path, reference])
                try #require(conversion.status == 0, "dcmconv +te \(lengths) \(name): \(conversion.stderr)")
                references.append(try TestInstances.dataSetBytes(ofFileAt: reference))
            }
            #expect(references.contains(bytes), "\(name): converted from \(storedSyntax) differently from dcmconv +te")
            converted += 1
        }
        // Big endian (ExplVR_BigEnd, ExplVR_BigEndNoMeta) and implicit VR (rtplan, rtstruct):
        // the conversion path was taken.
        #expect(converted >= 4, "only \(converted) instances were converted on the way out")
        #expect(try await archive.terminate() == 0, "\(archive.log)")
    }

    /// Files whose data set is not encoded in the syntax their meta information names, and why:
    /// storescu refuses them, as DCMTK's does.
    static let mislabelled = [
        "SC_rgb_jpeg.dcm": "JPEG Baseline pixel data in a data set encoded in Implicit VR Little Endian, labelled JPEG Baseline",
    ]

    /// One of pydicom's files, and whether its data set has the UIDs the archive files it by.
    struct Original {
        var path: String
        var fileable: Bool
    }

    /// pydicom's files by the SOP Instance UID storescu sends them under (the data set's; the
    /// meta information's when the data set cannot be read), the first by name when several
    /// hold the same instance (a file and its other encodings).
    static func filesWithDistinctInstances() throws -> [String: Original] {
        var files: [String: Original] = [:]
        for url in try PydicomTestFiles.all() {
            let dataSet = try? DICOMFile(contentsOf: url.path).dataSet
            let uids = [Tag.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID].map { dataSet?.uid($0)?.string ?? "" }
            guard let uid = uids[2].isEmpty ? Self.filesByInstance([url.path]).keys.first : uids[2], files[uid] == nil else { continue }
            files[uid] = Original(path: url.path, fileable: !uids.contains(""))
        }
        return files
    }

    /// The Part 10 files under `directory` by the SOP Instance UID of their meta information.
    static func filesByInstance(under directory: String) -> [String: String] {
        filesByInstance(TestInstances.files(under: directory))
    }

    /// `paths` by the SOP Instance UID of their meta information, the first when several share
    /// one; files without one are left out.
    static func filesByInstance(_ paths: [String]) -> [String: String] {
        var files: [String: String] = [:]
        for path in paths {
            guard let bytes = try? TestInstances.bytes(ofFileAt: path), let header = try? DICOMFile.readHeader(bytes),
                  let uid = header.meta.uid(.mediaStorageSOPInstanceUID)?.string, files[uid] == nil else { continue }
            files[uid] = path
        }
        return files
    }

    /// The archive's instance files by SOP Instance UID (their names).
    static func storedFiles(of archive: QRSCPProcess) -> [String: String] {
        var files: [String: String] = [:]
        for relative in archive.instanceFiles {
            let name = URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent
            files[name] = archive.storage + "/" + relative
        }
        return files
    }
}
