import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `netdicom qrscp` as a process: its startup line, storing, and graceful shutdown on SIGTERM.
@Suite("netdicom qrscp")
struct QRSCPCommandTests {
    /// Waits for `text` to hold a line starting with `prefix` and returns the line.
    static func line(startingWith prefix: String, in output: URL, process: Process) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            guard process.isRunning else { throw ArchiveError(.invalidConfiguration, "qrscp exited: \(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ArchiveError(.invalidConfiguration, "no \"\(prefix)\" line")
    }

    @Test("qrscp says where it listens and stores, stores an instance, and exits 0 on SIGTERM")
    func startStoreStop() async throws {
        let storage = try ArchiveFixtures.temporaryDirectory("qrscp-cli")
        let output = URL(fileURLWithPath: storage + ".log")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalTools.netdicom())
        process.arguments = ["qrscp", "--port", "0", "--bind", "127.0.0.1", "--ae-title", "CLI-QR", "--storage", storage,
                             "--move-destination", "ELSEWHERE@127.0.0.1:4242"]
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let banner = try await Self.line(startingWith: "qrscp: listening on", in: output, process: process)
        #expect(banner.contains("as CLI-QR, storing in \(storage) (sqlite: \(storage)/index.sqlite)"), "\(banner)")
        let portText = try #require(banner.split(separator: " ")[3].split(separator: ":").last?.split(separator: ",").first)
        let port = try #require(Int(portText))

        var scu = ApplicationEntity(aeTitle: "TEST-SCU")
        try scu.addRequestedContext(.verification)
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: port, calledAETitle: "CLI-QR")
        #expect(try await association.echo() == .success)
        let instance = ArchiveFixtures.Instance()
        #expect(try await association.store(ArchiveFixtures.dataSet(instance)).status == .success)
        try await association.release()

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        // Placed and settled by the time it exits (it may answer before placing: see
        // Archive.acknowledgesBeforeIndexing).
        #expect(FileManager.default.fileExists(atPath: "\(storage)/\(instance.studyUID)/\(instance.seriesUID)/\(instance.sopInstanceUID).dcm"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(storage)/incoming").isEmpty)
    }
}
