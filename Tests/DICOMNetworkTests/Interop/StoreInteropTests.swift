import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// C-STORE against DCMTK and pynetdicom, both directions; what arrives is compared with what was
/// sent. Under `CI=true` a missing peer fails these tests; elsewhere they are skipped.
@Suite("C-STORE interop with DCMTK and pynetdicom", .tags(.interop))
struct StoreInteropTests {
    /// Our Storage SCP for CT in the uncompressed syntaxes, keeping the sender's first choice.
    static func storeSCP() throws -> ApplicationEntity {
        var entity = try Entities.scp()
        entity.transferSyntaxPreference = .requestor
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: TransferSyntax.uncompressed.map(\.uid))
        return entity
    }

    /// Checks that every one of `sent` arrived in `directory` (found by SOP Instance UID) with
    /// equal elements and, when `sameBytes`, the very same data set bytes in the same transfer
    /// syntax.
    static func expectArrived(_ sent: [String], in directory: String, sameBytes: Bool, peerLog: @autoclosure () -> String = "") throws {
        let received = TestInstances.instances(under: directory)
        // Where each arrived, by SOP Instance UID, found once for all.
        let arrivedPaths = sameBytes ? Dictionary(
            TestInstances.files(under: directory).compactMap { path in
                (try? DICOMFile(contentsOf: path))?.dataSet.uid(.sopInstanceUID).map { ($0.string, path) }
            }, uniquingKeysWith: { first, _ in first }) : [:]
        for path in sent {
            let original = try DICOMFile(contentsOf: path)
            let uid = try #require(original.dataSet.uid(.sopInstanceUID)).string
            guard let arrived = received[uid] else {
                Issue.record("\(uid) did not arrive; peer said:\n\(peerLog())")
                continue
            }
            let differences = TestInstances.differences(arrived.dataSet, from: original.dataSet)
            #expect(differences.isEmpty, "\(uid): \(differences.joined(separator: "; "))")
            #expect(arrived.fileMetaInformation.uid(.mediaStorageSOPInstanceUID)?.string == uid)
            if sameBytes {
                #expect(arrived.transferSyntax.uid == original.transferSyntax.uid)
                let arrivedPath = try #require(arrivedPaths[uid])
                #expect(try TestInstances.dataSetBytes(ofFileAt: arrivedPath) == TestInstances.dataSetBytes(ofFileAt: path), "\(uid): the data set bytes differ")
            }
        }
    }

    // MARK: - Peers to us

    @Test("DCMTK storescu → our Storage SCP: the data sets arrive byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func dcmtkToOurs() async throws {
        let output = try TestInstances.temporaryDirectory("interop-in")
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        let files = try TestInstances.files(3)
        // The sample has a sequence, which DCMTK re-encodes with explicit lengths.
        let sample = ExternalTools.packageRoot.appendingPathComponent("Samples/CT-synthetic.dcm").path
        let result = try await PeerProcess.run(ExternalTools.require("storescu"), ["-v", "-aec", "TEST-SCP", "127.0.0.1", String(server.port)] + files + [sample])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "Received Store Response (Success)").count - 1 == 4, "\(result.stderr)")
        try Self.expectArrived(files, in: output, sameBytes: true, peerLog: result.stderr)
        try Self.expectArrived([sample], in: output, sameBytes: false, peerLog: result.stderr)
        #expect(TestInstances.contents(of: output).count == 4, "unexpected files: \(TestInstances.contents(of: output))")
    }

    @Test("pynetdicom storescu → netdicom storescp (the CLI): the data sets arrive with equal elements",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomToOurCLI() async throws {
        let netdicom = try ExternalTools.netdicom()
        let python = try ExternalTools.require("python")
        let output = try TestInstances.temporaryDirectory("interop-cli-in")
        let port = PeerProcess.freePort()
        let scp = try PeerProcess(netdicom, ["storescp", "--bind", "127.0.0.1", "--output-directory", output, "--aetitle", "NETDICOM-SCP", String(port)])
        defer { scp.stop() }
        try await scp.waitUntilListening(on: port)
        let files = try TestInstances.files(3)
        let directory = URL(fileURLWithPath: files[0]).deletingLastPathComponent().path
        let result = try await PeerProcess.run(python, [
            "-m", "pynetdicom", "storescu", "127.0.0.1", String(port), directory, "-r", "-cx", "-xe", "-aec", "NETDICOM-SCP", "-v"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "Status: 0x0000").count - 1 == 3, "\(result.stderr)")
        try Self.expectArrived(files, in: output, sameBytes: true, peerLog: result.stderr + "\nnetdicom storescp:\n" + scp.log)
        #expect(TestInstances.contents(of: output).count == 3, "unexpected files: \(TestInstances.contents(of: output))")
    }

    @Test("100 DCMTK storescu processes at once → netdicom storescp (the CLI): no failure, every instance stored byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func hundredConcurrentAssociations() async throws {
        let netdicom = try ExternalTools.netdicom()
        let output = try TestInstances.temporaryDirectory("interop-concurrent-in")
        let port = PeerProcess.freePort()
        // Durable, as by default; at most 100 associations at once, the CLI's default.
        let scp = try PeerProcess(netdicom, ["storescp", "--bind", "127.0.0.1", "-od", output, String(port)])
        defer { scp.stop() }
        try await scp.waitUntilListening(on: port)
        let files = try TestInstances.files(200, label: "concurrent")
        let storescu = try ExternalTools.require("storescu")
        let results = try await withThrowingTaskGroup(of: ExternalTools.Output.self) { group in
            for index in 0..<100 {
                let mine = Array(files[(2 * index)..<(2 * index + 2)])
                group.addTask { try await PeerProcess.run(storescu, ["127.0.0.1", String(port)] + mine) }
            }
            return try await group.reduce(into: [ExternalTools.Output]()) { $0.append($1) }
        }
        let failed = results.filter { $0.status != 0 }
        #expect(failed.isEmpty, "\(failed.count) of 100 failed; first: \(failed.first?.stderr ?? "")\nstorescp:\n\(scp.log)")
        try Self.expectArrived(files, in: output, sameBytes: true, peerLog: scp.log)
        #expect(TestInstances.contents(of: output).count == 200, "unexpected files: \(TestInstances.contents(of: output).count)")
    }

    @Test("storescp --exec-on-reception --exec-sync: DCMTK storescu's instances each run the command, with the placeholders replaced (#r the host alone, as DCMTK's) and the peer's AE title made harmless",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func execOnReception() async throws {
        let output = try TestInstances.temporaryDirectory("interop-exec-in")
        let work = try TestInstances.temporaryDirectory("interop-exec")
        let log = work + "/log.txt"
        let port = PeerProcess.freePort()
        // The command also checks that the file is there, whole, when it runs. Unquoted, so
        // that a ";" from the peer would end the echo and run a command of the peer's.
        let command = "echo #a,#c,#f,#p,#r >> \(log); test -s #p/#f && echo present >> \(log)"
        let scp = try PeerProcess(try ExternalTools.netdicom(), [
            "storescp", "--bind", "127.0.0.1", "-od", output, "-aet", "NETDICOM-SCP", "-xcr", command, "-xs", String(port)])
        defer { scp.stop() }
        try await scp.waitUntilListening(on: port)
        let files = try TestInstances.files(2, label: "exec")
        let storescu = try ExternalTools.require("storescu")
        let hostile = try await PeerProcess.run(storescu, ["-aet", "A;echo INJECTED", "-aec", "NETDICOM-SCP", "127.0.0.1", String(port), files[0]])
        #expect(hostile.status == 0, "\(hostile.stderr)\nstorescp:\n\(scp.log)")
        let plain = try await PeerProcess.run(storescu, ["-aet", "MODALITY", "-aec", "ANY", "127.0.0.1", String(port), files[1]])
        #expect(plain.status == 0, "\(plain.stderr)")
        // --exec-sync: each command ended before its instance was answered.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let uids = try files.map { try #require(DICOMFile(contentsOf: $0).dataSet.uid(.sopInstanceUID)?.string) }
        let directory = URL(fileURLWithPath: output).path
        #expect(lines == [
            "A_echo_INJECTED,NETDICOM-SCP,\(uids[0]).dcm,\(directory),127.0.0.1", "present",
            "MODALITY,ANY,\(uids[1]).dcm,\(directory),127.0.0.1", "present",
        ], "\(lines)\nstorescp:\n\(scp.log)")
    }

    // MARK: - Us to peers

    @Test("netdicom storescu (the CLI) → DCMTK storescp: DCMTK stores instances equal to ours",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")),
          arguments: [[String](), ["--async-window", "4"]])
    func ourCLIToDCMTK(_ extraArguments: [String]) async throws {
        let netdicom = try ExternalTools.netdicom()
        let output = try TestInstances.temporaryDirectory("interop-dcmtk-out")
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["--aetitle", "DCMTK-SCP", "-od", output, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let files = try TestInstances.files(3)
        let result = try await PeerProcess.run(netdicom, ["storescu", "-aec", "DCMTK-SCP", "--no-progress"] + extraArguments + ["127.0.0.1", String(port)] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3 sent, 0 failed"), "\(result.stderr)")
        // DCMTK names its files CT.<uid> and may re-encode: compare elements, not bytes.
        #expect(await eventually { TestInstances.instances(under: output).count == 3 })
        try Self.expectArrived(files, in: output, sameBytes: false, peerLog: peer.log)
        #expect(TestInstances.instances(under: output).count == 3)
    }

    @Test("netdicom storescu (the CLI) → DCMTK storescp +xa: one SOP class in four transfer syntaxes, each arrives in its own, byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp") && ExternalTools.shouldRun(needing: "python")))
    func ourCLIMixedSyntaxesToDCMTK() async throws {
        let netdicom = try ExternalTools.netdicom()
        let samples = try ExternalTools.pydicomTestFiles()
        // Secondary Capture in JPEG Baseline, Explicit VR Little Endian, JPEG Lossless and JPEG
        // 2000: an acceptor agrees to one syntax per context, so each needs a context of its own.
        let files = ["SC_rgb_small_odd_jpeg.dcm", "SC_rgb_small_odd.dcm", "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_gdcm_KY.dcm"]
            .map { samples.appendingPathComponent($0).path }
        let output = try TestInstances.temporaryDirectory("interop-dcmtk-mixed")
        let port = PeerProcess.freePort()
        // +xa: every transfer syntax DCMTK knows; +B: the data set written as it arrived.
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["+xa", "+B", "--aetitle", "DCMTK-SCP", "-od", output, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let result = try await PeerProcess.run(netdicom, ["storescu", "-aec", "DCMTK-SCP", "--no-progress", "127.0.0.1", String(port)] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("4 sent, 0 failed"), "\(result.stderr)")
        #expect(await eventually { TestInstances.instances(under: output).count == 4 })
        for file in files {
            let uid = try #require(DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)).string
            let arrived = try #require(TestInstances.files(under: output).first { $0.hasSuffix(uid) }, "\(uid) did not arrive: \(peer.log)")
            #expect(try TestInstances.transferSyntax(ofFileAt: arrived) == TestInstances.transferSyntax(ofFileAt: file), "\(file)")
            #expect(try TestInstances.dataSetBytes(ofFileAt: arrived) == TestInstances.dataSetBytes(ofFileAt: file), "\(file): the data set bytes differ")
        }
    }

    @Test("netdicom storescu → DCMTK storescp +B: a deflated file of odd length (pydicom's image_dfl.dcm) goes out padded with one NUL (PS3.5 §A.5), from memory and from the file",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp") && ExternalTools.shouldRun(needing: "python")),
          arguments: ["16384", "131072"])
    func ourCLIPadsDeflatedToDCMTK(maximumPDU: String) async throws {
        let file = try ExternalTools.pydicomTestFiles().appendingPathComponent("image_dfl.dcm").path
        var expected = try TestInstances.dataSetBytes(ofFileAt: file)
        try #require(try TestInstances.transferSyntax(ofFileAt: file) == .deflatedExplicitVRLittleEndian)
        try #require(expected.readableBytes % 2 == 1, "image_dfl.dcm's deflated stream is no longer of odd length")
        expected.writeInteger(UInt8(0))
        let output = try TestInstances.temporaryDirectory("interop-dcmtk-deflate")
        let port = PeerProcess.freePort()
        // DCMTK aborts the association on an odd P-DATA fragment ("Odd Fragment Length").
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["+xa", "+B", "-pdu", maximumPDU, "--aetitle", "DCMTK-SCP", "-od", output, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "-aec", "DCMTK-SCP", "--no-progress", "127.0.0.1", String(port), file])
        #expect(result.stderr.contains("1 sent, 0 failed"), "\(result.stderr)\nstorescp:\n\(peer.log)")
        #expect(await eventually { TestInstances.files(under: output).count == 1 })
        let arrived = try #require(TestInstances.files(under: output).first)
        #expect(try TestInstances.transferSyntax(ofFileAt: arrived) == .deflatedExplicitVRLittleEndian)
        #expect(try TestInstances.dataSetBytes(ofFileAt: arrived) == expected)
    }

    @Test("netdicom storescu (the CLI) → DCMTK storescp -pdu 131072 +B: with long PDUs the data sets go out from their files (sendfile), and arrive byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func ourCLIFromFilesToDCMTK() async throws {
        let netdicom = try ExternalTools.netdicom()
        let output = try TestInstances.temporaryDirectory("interop-dcmtk-sendfile")
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["-pdu", "131072", "+B", "--aetitle", "DCMTK-SCP", "-od", output, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let files = try FileRegionStoreTests.files()
        let result = try await PeerProcess.run(netdicom, ["storescu", "-aec", "DCMTK-SCP", "--no-progress", "127.0.0.1", String(port)] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(files.count) sent, 0 failed"), "\(result.stderr)")
        #expect(await eventually { TestInstances.instances(under: output).count == files.count })
        try Self.expectArrived(files, in: output, sameBytes: true, peerLog: peer.log)
    }

    @Test("our Association.store → pynetdicom storescp --max-pdu 0: unlimited PDUs, data sets from their files in 1 MiB fragments, stored equal",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func ourAPIFromFilesToPynetdicom() async throws {
        let output = try TestInstances.temporaryDirectory("interop-pynetdicom-sendfile")
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("python"), [
            "-m", "pynetdicom", "storescp", String(port), "--bind-address", "127.0.0.1", "-od", output, "-aet", "PYNET-SCP", "--max-pdu", "0"])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let association = try await StoreLoopbackTests.storeSCU().associate(host: "127.0.0.1", port: port, calledAETitle: "PYNET-SCP")
        let files = try FileRegionStoreTests.files()
        for file in files {
            #expect(try await association.store(fileAt: file).status == .success)
        }
        try await association.release()
        try Self.expectArrived(files, in: output, sameBytes: false, peerLog: peer.log)
        #expect(TestInstances.instances(under: output).count == files.count)
    }

    @Test("our Association.store → pynetdicom storescp: pynetdicom stores instances equal to ours",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func ourAPIToPynetdicom() async throws {
        let output = try TestInstances.temporaryDirectory("interop-pynetdicom-out")
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("python"), [
            "-m", "pynetdicom", "storescp", String(port), "--bind-address", "127.0.0.1", "-od", output, "-aet", "PYNET-SCP"])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        var scu = try Entities.scu()
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: port, calledAETitle: "PYNET-SCP")
        let files = try TestInstances.files(3)
        for file in files {
            #expect(try await association.store(fileAt: file).status == .success)
        }
        let dataSet = try TestInstances.ct(instanceNumber: 9)
        #expect(try await association.store(dataSet).status == .success)
        try await association.release()

        try Self.expectArrived(files, in: output, sameBytes: false, peerLog: peer.log)
        let received = TestInstances.instances(under: output)
        #expect(received.count == 4)
        let uid = try #require(dataSet.uid(.sopInstanceUID)).string
        let fromMemory = try #require(received[uid])
        #expect(TestInstances.differences(fromMemory.dataSet, from: dataSet).isEmpty)
    }
}
