import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// netdicom storescu's DCMTK file options against DCMTK's storescp: which files a directory gives
/// (+sp, --no-recurse), --rename (+rn) once sent or refused, --repeat, and the invented
/// instances of +II, +IR, +IS, +IP.
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

    @Test("a path that names nothing stops the run before anything is sent, status 1, as DCMTK's storescu does",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func missingPathSendsNothing() async throws {
        let root = try Self.tree()
        let (peer, port, output) = try await Self.storescp()
        defer { peer.stop() }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "--no-progress", "127.0.0.1", String(port), root + "/a.dcm", root + "/no-such.dcm"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(root)/no-such.dcm: no such file or directory"), "\(result.stderr)")
        #expect(!result.stderr.contains("sent,"), "nothing is sent: \(result.stderr)")
        // storescp writes a file before it answers: had a.dcm been sent, it would be there.
        #expect(TestInstances.contents(of: output).isEmpty, "\(peer.log)")
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

    @Test("+II +IR 2 +IS 2 +IP 1 --repeat 3: six new instances, two per invented series, two series in one study and patient, the third in the next; the pixels as sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func inventedInstances() async throws {
        let sources = try TestInstances.files(2, label: "storescu-invent-sources")
        let (peer, port, output) = try await Self.storescp()
        defer { peer.stop() }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "--no-progress", "+II", "+IR", "2", "+IS", "2", "+IP", "1", "--repeat", "3", "127.0.0.1", String(port)] + sources)
        #expect(result.status == 0 && result.stderr.contains("6 sent, 0 failed"), "\(result.stderr)\nstorescp:\n\(peer.log)")
        try #require(await eventually { TestInstances.contents(of: output).count == 6 }, "\(peer.log)")
        let received = TestInstances.instances(under: output).values.map(\.dataSet)
        let originals = try sources.map { try DICOMFile(contentsOf: $0).dataSet }
        let sourceUIDs = Set(originals.compactMap { $0.uid(.sopInstanceUID)?.string })
        #expect(Set(received.compactMap { $0.uid(.sopInstanceUID)?.string }).count == 6)
        #expect(received.allSatisfy { !sourceUIDs.contains($0.uid(.sopInstanceUID)?.string ?? "") })
        // Three series of two instances, numbered 1 and 2 in the first study (one patient) and
        // 1 in the second (another patient).
        let bySeries = Dictionary(grouping: received) { $0.uid(.seriesInstanceUID)?.string ?? "" }
        #expect(bySeries.count == 3 && bySeries.values.allSatisfy { $0.count == 2 }, "\(bySeries.mapValues(\.count))")
        for instances in bySeries.values {
            #expect(Set(instances.flatMap { $0.strings(.instanceNumber) }) == ["1", "2"])
            #expect(Set(instances.compactMap { $0.uid(.studyInstanceUID) }).count == 1)
        }
        let byStudy = Dictionary(grouping: received) { $0.uid(.studyInstanceUID)?.string ?? "" }
        let seriesNumbers = byStudy.values.map { Set($0.flatMap { $0.strings(.seriesNumber) }).sorted() }.sorted { $0.count > $1.count }
        #expect(seriesNumbers == [["1", "2"], ["1"]], "\(seriesNumbers)")
        #expect(byStudy.values.allSatisfy { Set($0.flatMap { $0.strings(.patientID) }).count == 1 })
        #expect(Set(received.flatMap { $0.strings(.patientID) }).count == 2)
        #expect(Set(received.map { $0[.pixelData]?.bytes }) == Set(originals.map { $0[.pixelData]?.bytes }))
    }

    @Test("--max-send-pdu 8192: DCMTK storescp (accepting 16384) reads P-DATA-TF PDUs of at most 8192 bytes, 8192 when full; without it, 16384",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func maximumSendPDU() async throws {
        let directory = try TestInstances.temporaryDirectory("storescu-max-send-pdu")
        // 128 × 128 16-bit pixels: 32 KiB, several PDUs at either size.
        let file = try TestInstances.write(TestInstances.ct(rows: 128, columns: 128), into: directory)
        for (flags, largest) in [(["--max-send-pdu", "8192"], 8192), ([], 16384)] {
            let port = PeerProcess.freePort()
            let peer = try await PeerProcess.listening(ExternalTools.require("storescp"), ["--ignore", "-pdu", "16384", "-ll", "trace", String(port)], on: port)
            defer { peer.stop() }
            let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress"] + flags + ["127.0.0.1", String(port), file])
            #expect(result.status == 0, "\(result.stderr)\nstorescp:\n\(peer.log)")
            #expect(await eventually { Self.pDataLengths(in: peer.log).count >= 3 }, "\(peer.log)")
            let lengths = Self.pDataLengths(in: peer.log)
            #expect(lengths.max() == largest, "\(flags): \(lengths)")
        }
        let refused = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--max-send-pdu", "2048", "127.0.0.1", "11112", file])
        #expect(refused.status != 0 && refused.stderr.contains("4096–131072"), "\(refused.stderr)")
    }

    @Test("-xi: DCMTK storescp, which prefers Explicit VR Little Endian, gets a small and a large Explicit VR file in Implicit VR Little Endian, each data set byte for byte DCMTK's dcmconv +ti; without -xi, as they are",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")), .enabled(if: ExternalTools.shouldRun(needing: "dcmconv")))
    func proposeImplicit() async throws {
        let directory = try TestInstances.temporaryDirectory("storescu-xi")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 16 KiB of pixels (sent from memory) and 512 KiB (streamed from the file).
        let files = try [32, 512].map { try TestInstances.write(TestInstances.ct(rows: $0, columns: $0), into: directory) }
        var expected: [ByteBuffer] = []
        for file in files {
            let converted = file + ".implicit"
            let made = try await PeerProcess.run(ExternalTools.require("dcmconv"), ["+ti", file, converted])
            try #require(made.status == 0, "\(made.stderr)")
            expected.append(try TestInstances.dataSetBytes(ofFileAt: converted))
        }
        for flags in [["-xi"], []] {
            let output = try TestInstances.temporaryDirectory("storescu-xi-received")
            defer { try? FileManager.default.removeItem(atPath: output) }
            let port = PeerProcess.freePort()
            let peer = try await PeerProcess.listening(ExternalTools.require("storescp"), ["-od", output, String(port)], on: port)
            defer { peer.stop() }
            let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress"] + flags + ["127.0.0.1", String(port)] + files)
            #expect(result.status == 0, "\(result.stderr)\nstorescp:\n\(peer.log)")
            #expect(await eventually { TestInstances.files(under: output).count == 2 }, "\(peer.log)")
            for (file, implicit) in zip(files, expected) {
                let uid = try #require(DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)?.string)
                let received = try #require(TestInstances.files(under: output).first { $0.contains(uid) }, "\(TestInstances.files(under: output))")
                let header = try DICOMFile.readHeader(TestInstances.bytes(ofFileAt: received))
                let bytes = try TestInstances.dataSetBytes(ofFileAt: received)
                if flags.isEmpty {
                    #expect(header.transferSyntax == .explicitVRLittleEndian)
                    #expect(bytes == (try TestInstances.dataSetBytes(ofFileAt: file)))
                } else {
                    #expect(header.transferSyntax == .implicitVRLittleEndian, "\(peer.log)")
                    #expect(bytes == implicit, "\(bytes.readableBytes) bytes, dcmconv +ti \(implicit.readableBytes)")
                }
            }
        }
    }

    /// The lengths of the P-DATA-TF PDUs DCMTK read, from its trace lines
    /// ("Read PDU HEAD TCP: type: 04, length: 8192 (2000)").
    static func pDataLengths(in log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "type: 04, length: ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
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
        #expect(result.stderr.components(separatedBy: "association requested").count - 1 == 1, "\(result.stderr)")
        let refused = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--repeat", "2", "+rn", "127.0.0.1", String(port)] + files)
        #expect(refused.status != 0 && refused.stderr.contains("not with --repeat"), "\(refused.stderr)")
    }

    @Test("DCMTK storescp --abort-after aborts at the first instance of five: the summary counts all five failed, four of them not sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func abortCountsEveryFile() async throws {
        let output = try TestInstances.temporaryDirectory("storescu-aborted")
        let port = PeerProcess.freePort()
        let peer = try await PeerProcess.listening(ExternalTools.require("storescp"), ["--abort-after", "-od", output, String(port)], on: port)
        defer { peer.stop() }
        let files = try TestInstances.files(5, label: "storescu-aborted-sources")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "127.0.0.1", String(port)] + files)
        #expect(result.status != 0)
        #expect(result.stderr.contains("4 files not sent: the association ended"), "\(result.stderr)")
        #expect(result.stderr.contains("0 sent, 5 failed"), "\(result.stderr)")
    }
}
