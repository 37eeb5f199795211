import DICOMCore
import Foundation
import Testing
import TestSupport

/// netdicom storescu's DCMTK file options against DCMTK's storescp: which files a directory gives
/// (+sp, --no-recurse), --rename (+rn) once sent or refused, and --repeat.
@Suite("netdicom storescu's file options against DCMTK storescp", .tags(.interop))
struct StoreSCUFileOptionsTests {
    /// A directory of a.dcm and b.dcm, sub/c.dcm, x.img (a DICOM file too) and notes.txt.
    static func tree() throws -> String {
        let root = try TestInstances.temporaryDirectory("storescu-tree")
        let sources = try TestInstances.files(4, label: "storescu-tree-sources")
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        for (source, name) in zip(sources, ["a.dcm", "b.dcm", "sub/c.dcm", "x.img"]) {
            try FileManager.default.copyItem(atPath: source, toPath: "\(root)/\(name)")
        }
        try "not DICOM".write(toFile: root + "/notes.txt", atomically: true, encoding: .utf8)
        return root
    }

    static func storescp() async throws -> (PeerProcess, port: Int, output: String) {
        let output = try TestInstances.temporaryDirectory("storescu-tree-received")
        let port = PeerProcess.freePort()
        return (try await PeerProcess.listening(ExternalTools.require("storescp"), ["-od", output, String(port)], on: port), port, output)
    }

    @Test("+sp '*.dcm' --no-recurse +rn: a.dcm and b.dcm are sent and become .done; sub/c.dcm, x.img and notes.txt stay as they were",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func patternNoRecurseRename() async throws {
        let root = try Self.tree()
        let (peer, port, output) = try await Self.storescp()
        defer { peer.stop() }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "--no-progress", "+sp", "*.dcm", "--no-recurse", "+rn", "127.0.0.1", String(port), root])
        #expect(result.status == 0, "\(result.stderr)\nstorescp:\n\(peer.log)")
        #expect(result.stderr.contains("2 sent, 0 failed"), "\(result.stderr)")
        #expect(Set(TestInstances.contents(of: root)) == ["a.dcm.done", "b.dcm.done", "sub", "x.img", "notes.txt"], "\(TestInstances.contents(of: root))")
        #expect(TestInstances.contents(of: root + "/sub") == ["c.dcm"])
        #expect(await eventually { TestInstances.contents(of: output).count == 2 }, "\(peer.log)")
    }

    @Test("+rn: a file that is not DICOM becomes .bad, the others .done; without a pattern every file is tried, subdirectories too",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func renameBad() async throws {
        let root = try Self.tree()
        let (peer, port, output) = try await Self.storescp()
        defer { peer.stop() }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "--rename", "127.0.0.1", String(port), root])
        #expect(result.status == 1, "notes.txt fails: \(result.stderr)")
        #expect(result.stderr.contains("4 sent, 1 failed"), "\(result.stderr)")
        #expect(Set(TestInstances.contents(of: root)) == ["a.dcm.done", "b.dcm.done", "sub", "x.img.done", "notes.txt.bad"], "\(TestInstances.contents(of: root))")
        #expect(TestInstances.contents(of: root + "/sub") == ["c.dcm.done"])
        #expect(await eventually { TestInstances.contents(of: output).count == 4 }, "\(peer.log)")
    }

    @Test("+rn renames no device: a link to /dev/null named on the command line fails and keeps its name (the device too)",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func renameSkipsDevices() async throws {
        let directory = try TestInstances.temporaryDirectory("storescu-rename-device")
        let link = directory + "/null-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let (peer, port, _) = try await Self.storescp()
        defer { peer.stop() }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "+rn", "127.0.0.1", String(port), link])
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("not a regular file: not renamed"), "\(result.stderr)")
        #expect(TestInstances.contents(of: directory) == ["null-link"])
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("--repeat 3 sends two files six times on one association; --rename with --repeat is refused",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func repeatSends() async throws {
        let files = try TestInstances.files(2, label: "storescu-repeat")
        let (peer, port, _) = try await Self.storescp()
        defer { peer.stop() }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "-v", "--repeat", "3", "127.0.0.1", String(port)] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("6 sent, 0 failed"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "association accepted").count - 1 == 1, "\(result.stderr)")
        let refused = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--repeat", "2", "+rn", "127.0.0.1", String(port)] + files)
        #expect(refused.status != 0 && refused.stderr.contains("not with --repeat"), "\(refused.stderr)")
    }
}
