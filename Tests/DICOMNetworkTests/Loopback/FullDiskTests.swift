import DICOMCore
import Foundation
import Testing
import TestSupport

/// A server whose disk fills up mid-transfer: each instance that no longer fits is answered
/// A700H "out of resources" with the reason logged, nothing it acknowledged is lost, no partial
/// file is left, and the process goes on serving. The disk is a small tmpfs in the server's own
/// mount namespace (``FullDisk``).
@Suite("A full disk", .enabled(if: FullDisk.isAvailable, "needs unshare(1) and a mount namespace to mount a small tmpfs in"))
struct FullDiskTests {
    /// 20 instances of about 130 kB, for a 1 MiB disk.
    static func instances() throws -> [String] {
        let directory = try TestInstances.temporaryDirectory("full-disk-sent")
        let study = TestInstances.Study()
        return try (1...20).map { try TestInstances.write(TestInstances.ct(study, instanceNumber: $0, rows: 256, columns: 256), into: directory) }
    }

    /// Sends `files` with our storescu to `port`; returns the files it reported stored, after
    /// checking that the others failed with A700H.
    static func send(_ files: [String], to port: Int, serverLog: @autoclosure () -> String) async throws -> [String] {
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "127.0.0.1", String(port)] + files)
        let failed = files.filter { result.stderr.contains("\($0): ") }
        #expect(result.status == 1, "some instances must not fit: \(result.stderr)")
        #expect(!failed.isEmpty && failed.count < files.count, "\(result.stderr)\nserver:\n\(serverLog())")
        for file in failed {
            #expect(result.stderr.contains("\(file): A700H"), "\(file) failed otherwise: \(result.stderr)")
        }
        return files.filter { !failed.contains($0) }
    }

    /// The value of Number of Study Related Instances (0020,1208) in findscu's output.
    static func numberOfStudyRelatedInstances(in output: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("(0020,1208)") }),
              let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") else { return nil }
        return Int(line[line.index(after: open)..<close])
    }

    @Test("storescp: A700H once full, with the reason logged; every acknowledged instance whole, nothing partial; the next association served")
    func storeSCP() async throws {
        let directory = try TestInstances.temporaryDirectory("full-disk-storescp")
        let port = PeerProcess.freePort()
        let scp = try FullDisk.serve(try ExternalTools.netdicom(), ["storescp", "--bind", "127.0.0.1", "-od", directory, "-v", String(port)], at: directory, size: "1m")
        defer { scp.stop() }
        try await scp.waitUntilListening(on: port)
        let files = try Self.instances()
        let stored = try await Self.send(files, to: port, serverLog: scp.log)

        #expect(scp.log.contains("No space left on device"), "\(scp.log)")
        let seen = FullDisk.path(directory, seenBy: scp)
        let names = try FileManager.default.contentsOfDirectory(atPath: seen).sorted()
        #expect(names == stored.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted(), "only the acknowledged instances, and nothing else")
        for file in stored {
            let name = URL(fileURLWithPath: file).lastPathComponent
            #expect(try TestInstances.dataSetBytes(ofFileAt: "\(seen)/\(name)") == TestInstances.dataSetBytes(ofFileAt: file), "\(name)")
        }
        let echo = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "127.0.0.1", String(port)])
        #expect(echo.status == 0, "the server must go on: \(echo.stderr)\n\(scp.log)")
    }

    /// A data set larger than one write (``FileReception``'s 1 MiB) fails part way, with more of
    /// it still to come: the rest is read and dropped, the C-STORE answered A700H, and the
    /// association goes on (it used to be aborted).
    @Test("qrscp: DCMTK storescu sends an 8 MiB instance to a 4 MiB disk, then a small one, on one association: A700H, then success; no partial file",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func largeInstanceRefused() async throws {
        let directory = try TestInstances.temporaryDirectory("full-disk-large")
        let port = PeerProcess.freePort()
        let qrscp = try FullDisk.serve(try ExternalTools.netdicom(), [
            "qrscp", "--port", String(port), "--bind", "127.0.0.1", "--storage", directory, "-v",
        ], at: directory, size: "4m")
        defer { qrscp.stop() }
        try await qrscp.waitUntilListening(on: port)
        let sent = try TestInstances.temporaryDirectory("full-disk-large-sent")
        let largeUID = "2.25.\(UInt64.random(in: 1...UInt64.max))"
        try LargeTestFile.write(at: sent + "/large.dcm", pixelDataLength: 8 << 20, sopInstanceUID: largeUID)
        let small = try TestInstances.write(TestInstances.ct(TestInstances.Study(), instanceNumber: 1), into: sent)

        // --no-halt: DCMTK's storescu stops at the first failed C-STORE otherwise.
        let result = try await PeerProcess.run(ExternalTools.require("storescu"), [
            "-v", "--no-halt", "-aec", "QRSCP", "127.0.0.1", String(port), sent + "/large.dcm", small])
        let output = result.stdout
        let responses = output.split(separator: "\n").filter { $0.contains("Received Store Response") }
        #expect(responses.count == 2, "both answered on the one association:\n\(output)\nqrscp:\n\(qrscp.log)")
        #expect(responses.first.map { !$0.contains("Success") } == true && responses.last?.contains("Success") == true, "\(responses)")
        #expect(!output.contains("Abort"), "\(output)")
        #expect(qrscp.log.contains("cannot store \(largeUID)") && qrscp.log.contains("No space left on device"), "\(qrscp.log)")
        #expect(qrscp.exitStatus == nil)
        let seen = FullDisk.path(directory, seenBy: qrscp)
        let files = TestInstances.files(under: seen)
        let placed = files.filter { $0.hasSuffix(".dcm") && !$0.contains("/incoming/") }
        #expect(placed.count == 1 && placed.first?.hasSuffix("/\(URL(fileURLWithPath: small).lastPathComponent)") == true, "the small instance only: \(placed)")
        #expect(!files.contains { $0.contains(largeUID) }, "nothing left of the large one: \(files)")
    }

    /// The study-level C-FIND count of `study`'s instances on the archive at `port`: 0 when the
    /// study is not found.
    static func indexedInstances(of study: String, port: Int) async throws -> Int {
        let find = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "-k", "NumberOfStudyRelatedInstances",
            "127.0.0.1", String(port)])
        #expect(find.status == 0, "\(find.stderr)")
        if find.stderr.contains("findscu: 0 matches") || find.stdout.contains("findscu: 0 matches") { return 0 }
        return try #require(Self.numberOfStudyRelatedInstances(in: find.stdout), "\(find.stdout)\n\(find.stderr)")
    }

    /// On SQLite the archive answers before an instance's rows commit (``Archive/receive``): on
    /// a full disk those rows can fail to commit after the answer. The archive records them
    /// again once it can, without a restart. Here the test leaves room for one instance's file
    /// but not for the index's log to grow after it: the first instance is acknowledged, its
    /// rows fail, every other instance is refused; once the test frees room, every
    /// acknowledged instance is found.
    @Test("qrscp: rows that fail to commit after the answer are recorded once space frees, without a restart; A700H once full; every acknowledged instance stored whole")
    func archive() async throws {
        let directory = try TestInstances.temporaryDirectory("full-disk-qrscp")
        let port = PeerProcess.freePort()
        let qrscp = try FullDisk.serve(try ExternalTools.netdicom(), [
            "qrscp", "--port", String(port), "--bind", "127.0.0.1", "--storage", directory, "-v",
        ], at: directory, size: "1m")
        defer { qrscp.stop() }
        try await qrscp.waitUntilListening(on: port)
        let files = try Self.instances()
        let seen = FullDisk.path(directory, seenBy: qrscp)
        // Room for one stored file (its meta information a little longer than the sent one's,
        // rounded up to whole pages) and one page more: less than a commit adds to the log.
        let page = 4096
        let fileSize = try #require(FileManager.default.attributesOfItem(atPath: files[0])[.size] as? Int)
        let room = (fileSize + 512 + page - 1) / page * page + page
        let free = try #require(FileManager.default.attributesOfFileSystem(forPath: seen)[.systemFreeSize] as? Int)
        let filler = seen + "/filler"
        try Data(count: free - room).write(to: URL(fileURLWithPath: filler))
        let stored = try await Self.send(files, to: port, serverLog: qrscp.log)

        #expect(qrscp.log.contains("No space left on device"), "\(qrscp.log)")
        #expect(qrscp.log.contains("could not index"), "the acknowledged instance's rows were to fail: \(qrscp.log)")
        let study = try #require(DICOMFile(contentsOf: files[0]).dataSet.uid(.studyInstanceUID)).string
        #expect(try await Self.indexedInstances(of: study, port: port) < stored.count, "not indexed while the disk is full")
        try FileManager.default.removeItem(atPath: filler)
        // A query records the acknowledged instances left unindexed first (a timer does too).
        #expect(try await Self.indexedInstances(of: study, port: port) == stored.count, "every acknowledged instance found once space frees, and no other:\n\(qrscp.log)")
        let placed = TestInstances.files(under: seen).filter { $0.hasSuffix(".dcm") && !$0.contains("/incoming/") }
        #expect(placed.count == stored.count, "\(placed)")
        for file in stored {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let copy = try #require(placed.first { $0.hasSuffix("/\(name)") }, "\(name) is not in the store")
            #expect(try TestInstances.dataSetBytes(ofFileAt: copy) == TestInstances.dataSetBytes(ofFileAt: file), "\(name)")
        }
    }
}
