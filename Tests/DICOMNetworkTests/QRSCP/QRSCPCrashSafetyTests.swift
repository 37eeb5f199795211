import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` killed with SIGKILL in the middle of a store of 200 CT-sized instances, then
/// restarted on the same storage directory: every instance it answered with success is there and
/// comes back byte for byte, no partial file is in the instance tree, and the index and the
/// files agree. Then the sender retries what was not acknowledged, and the archive is whole.
///
/// `incoming/` is not the instance tree: what a crash leaves there (a sink's `.NAME.XXXXXX`
/// temporary file, a complete arrival never placed) was never acknowledged nor indexed, and a
/// later start removes it once stale (InstanceStore).
@Suite("netdicom qrscp survives kill -9 during a transfer", .tags(.interop))
struct QRSCPCrashSafetyTests {
    static let instanceCount = 200
    /// How many acknowledged stores to wait for before the kill.
    static let killAfter = 50

    /// The files storescu had acknowledged with success: each "Sending file: PATH" line followed
    /// by "Received Store Response (Success)".
    static func acknowledgedFiles(in log: String) -> [String] {
        var acknowledged: [String] = []
        var sending: String?
        for line in log.split(separator: "\n") {
            if let range = line.range(of: "Sending file: ") {
                sending = String(line[range.upperBound...])
            } else if line.contains("Received Store Response (Success)"), let file = sending {
                acknowledged.append(file)
                sending = nil
            }
        }
        return acknowledged
    }

    @Test("kill -9 while storescu stores 200 instances; after a restart every acknowledged instance is found and retrieved intact",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")),
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func killDuringStore() async throws {
        // 512 × 512 × 16 bits: 512 KiB of pixels each, the size of a CT slice.
        let content = try await ArchiveContent.generate(count: Self.instanceCount, rows: 512, columns: 512)
        defer { try? FileManager.default.removeItem(atPath: content.directory) }
        let storage = try TestInstances.temporaryDirectory("qrscp-crash")
        defer { try? FileManager.default.removeItem(atPath: storage) }
        let byPath = Dictionary(uniqueKeysWithValues: content.instances.map { ($0.path, $0) })

        // The store, killed once enough instances were acknowledged.
        let first = try await QRSCPProcess(storage: storage)
        let storescu = try PeerProcess(ExternalTools.require("storescu"), ["-v", "-aec", first.aeTitle, "127.0.0.1", String(first.port)] + content.files)
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.acknowledgedFiles(in: storescu.log).count < Self.killAfter, storescu.process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        // Somewhere in the next instance's store: its transfer, fsync, placing or indexing.
        let delay = Int.random(in: 0..<30)
        try await Task.sleep(for: .milliseconds(delay))
        first.crash()
        _ = try await storescu.waitForExit(timeout: .seconds(30))
        let acknowledged = Self.acknowledgedFiles(in: storescu.log).compactMap { byPath[$0] }
        #expect(acknowledged.count >= Self.killAfter && acknowledged.count < Self.instanceCount,
                "the kill did not land mid-transfer: \(acknowledged.count) acknowledged\n\(storescu.log)")

        // Restarted on the same storage.
        let archive = try await QRSCPProcess(storage: storage)
        defer { archive.peer.stop() }
        let context = { "killed \(delay) ms after the \(Self.killAfter)th acknowledgement\nstorescu:\n\(storescu.log)\nqrscp before the kill:\n\(first.log)\nafter:\n\(archive.log)" }
        let study = content.seriesA1.studyInstanceUID.string
        let imageKeys = ["QueryRetrieveLevel=IMAGE", "StudyInstanceUID=\(study)", "SeriesInstanceUID=\(content.seriesA1.seriesInstanceUID.string)", "SOPInstanceUID"]
        let found = try await DCMTKClient.find(.studyRoot, imageKeys, at: archive)
        #expect(found.log.contains("Received Final Find Response (Success)"), "\(found.log)")
        let indexed = Set(found.responses.compactMap { $0.uid(.sopInstanceUID)?.string })
        let missing = Set(acknowledged.map(\.sopInstanceUID)).subtracting(indexed)
        #expect(missing.isEmpty, "\(missing.count) acknowledged instances are not found after the restart:\n\(context())")

        // The instance tree holds exactly the indexed instances, each complete, where it belongs.
        let sent = Dictionary(uniqueKeysWithValues: content.instances.map { ($0.sopInstanceUID, $0) })
        var filed: Set<String> = []
        for relative in archive.instanceFiles {
            let components = relative.split(separator: "/")
            #expect(!components.contains { $0.hasPrefix(".") }, "a temporary file is in the instance tree: \(relative)")
            let uid = String(components.last?.dropLast(".dcm".count) ?? "")
            guard let instance = sent[uid], relative == "\(instance.studyInstanceUID)/\(instance.seriesInstanceUID)/\(uid).dcm" else {
                Issue.record("an unexpected file is in the instance tree: \(relative)")
                continue
            }
            filed.insert(uid)
            let bytes = try? TestInstances.dataSetBytes(ofFileAt: "\(storage)/\(relative)")
            #expect(bytes == instance.dataSetBytes, "\(relative) is not the data set sent (partial?)")
        }
        #expect(filed == indexed, "files without an index entry: \(filed.subtracting(indexed).sorted()); index entries without a file: \(indexed.subtracting(filed).sorted())")

        // Every indexed instance comes back by C-GET, byte for byte.
        let retrieved = try TestInstances.temporaryDirectory("crash-get")
        defer { try? FileManager.default.removeItem(atPath: retrieved) }
        let get = try await DCMTKClient.get(.studyRoot, ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(study)"], from: archive, into: retrieved)
        ArchiveContent.expectFiles(under: retrieved, are: content.instances.filter { indexed.contains($0.sopInstanceUID) },
                                   log: "\(get.stdout)\n\(context())")

        // The sender retries what it was not told was stored: the archive is then whole.
        let acknowledgedPaths = Set(acknowledged.map(\.path))
        let retry = try await DCMTKClient.store(content.files.filter { !acknowledgedPaths.contains($0) }, to: archive)
        #expect(DCMTKClient.successfulStores(in: retry.stdout) == Self.instanceCount - acknowledged.count, "\(retry.stdout)\n\(archive.log)")
        let all = try await DCMTKClient.find(.studyRoot, imageKeys, at: archive)
        #expect(Set(all.responses.compactMap { $0.uid(.sopInstanceUID)?.string }) == Set(sent.keys), "\(all.log)")
        #expect(archive.instanceFiles.count == Self.instanceCount, "\(archive.instanceFiles.count) files in the instance tree")
        #expect(try await archive.terminate() == 0, "\(archive.log)")
    }
}
