import Foundation
import Testing
import TestSupport

/// The archive streams: storing and retrieving an instance far larger than its memory leaves
/// the archive's memory where it was.
@Suite("netdicom qrscp with a large instance", .tags(.interop))
struct QRSCPLargeInstanceTests {
    @Test("a 256 MiB instance from DCMTK storescu, back to DCMTK getscu and movescu: delivered whole, qrscp's peak resident memory under 128 MiB",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")), .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func boundedMemory() async throws {
        let work = try TestInstances.temporaryDirectory("qrscp-large")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let size = 256 << 20
        let sent = work + "/large.dcm"
        let study = try LargeTestFile.write(at: sent, pixelDataLength: size, sopInstanceUID: "2.25.\(UInt64.random(in: 1...UInt64.max))")
        let port = PeerProcess.freePort()
        let destinationPort = PeerProcess.freePort()
        let archive = try await PeerProcess.listening(ExternalTools.netdicom(), [
            "qrscp", "--bind", "127.0.0.1", "--storage", work + "/archive", "--move-destination", "MOVESCU@127.0.0.1:\(destinationPort)",
            String(port)], on: port)
        defer { archive.stop() }

        let stored = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", "QRSCP", "127.0.0.1", String(port), sent])
        #expect(stored.status == 0, "\(stored.stderr)\nqrscp:\n\(archive.log)")
        let keys = ["-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(port)]
        let got = try await PeerProcess.run(ExternalTools.require("getscu"), ["-S", "-aec", "QRSCP", "--ignore"] + keys)
        #expect(got.status == 0, "\(got.stderr)\nqrscp:\n\(archive.log)")
        let output = try TestInstances.temporaryDirectory("qrscp-large-moved")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let moved = try await PeerProcess.run(ExternalTools.require("movescu"), [
            "-S", "-aec", "QRSCP", "-aem", "MOVESCU", "+P", String(destinationPort), "-od", output] + keys)
        #expect(moved.status == 0, "\(moved.stderr)\nqrscp:\n\(archive.log)")

        // The C-MOVE delivered it whole (movescu writes a meta header of its own).
        let arrived = try #require(TestInstances.files(under: output).first, "\(moved.stderr)")
        #expect((try FileManager.default.attributesOfItem(atPath: arrived)[.size] as? Int ?? 0) > size, "\(moved.stderr)")

        let status = try String(contentsOfFile: "/proc/\(archive.process.processIdentifier)/status", encoding: .utf8)
        let peak = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") })
        #expect(peak < 128 << 10, "qrscp's peak resident memory: \(peak >> 10) MiB for a \(size >> 20) MiB instance")
    }
}
