import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp -c dcmqrscp.cfg`: an archive moves over from DCMTK's dcmqrscp with its
/// configuration file, which dcmqrscp itself reads first, to show it is one.
@Suite("netdicom qrscp reading a dcmqrscp configuration", .tags(.interop))
struct QRSCPDCMQRSCPConfigurationTests {
    /// A dcmqrscp configuration: port, a HostTable with two destinations on one line and a group
    /// of names, and an AETable whose first entry is ARCHIVE in `storage`.
    static func configuration(port: Int, storage: String, destinationPort: Int) -> String {
        """
        # dcmqrscp.cfg, as DCMTK documents it
        NetworkTCPPort  = \(port)
        MaxPDUSize      = 16384
        MaxAssociations = 16

        HostTable BEGIN
        movescu   = (MOVESCU, 127.0.0.1, \(destinationPort)), (OTHER, localhost, 104)
        workplace = movescu
        HostTable END

        VendorTable BEGIN
        "Our workplace" = workplace
        VendorTable END

        AETable BEGIN
        ARCHIVE   \(storage)   RW (100, 1024mb)   ANY
        SECOND    \(storage)-2 R  (10, 10mb)      movescu
        AETable END
        """
    }

    @Test("-c dcmqrscp.cfg: its port, the AETable's first AE title and storage area, the HostTable's destinations; DCMTK storescu and movescu work against it",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")), .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func readsDCMQRSCPConfiguration() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-cfg")
        let storage = work + "/archive"
        let port = PeerProcess.freePort()
        let destinationPort = PeerProcess.freePort()
        let path = work + "/dcmqrscp.cfg"
        try Self.configuration(port: port, storage: storage, destinationPort: destinationPort).write(toFile: path, atomically: true, encoding: .utf8)

        // DCMTK's dcmqrscp takes the file as it is (it needs its storage areas to exist).
        try FileManager.default.createDirectory(atPath: storage + "-2", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: storage, withIntermediateDirectories: true)
        let dcmtk = try await PeerProcess.listening(ExternalTools.require("dcmqrscp"), ["-c", path], on: port)
        dcmtk.stop()
        try await Task.sleep(for: .milliseconds(300))

        let archive = try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "-c", path], on: port)
        defer { archive.stop() }
        #expect(archive.log.contains("as ARCHIVE, storing in \(storage)"), "\(archive.log)")
        #expect(archive.log.contains("MOVESCU@127.0.0.1:\(destinationPort)") && archive.log.contains("OTHER@localhost:104"), "\(archive.log)")

        let files = try TestInstances.files(2, label: "dcmqrscp-cfg-sent")
        let stored = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", "ARCHIVE", "127.0.0.1", String(port)] + files)
        #expect(stored.status == 0, "\(stored.stderr)\nqrscp:\n\(archive.log)")
        let study = try #require(DICOMFile(contentsOf: files[0]).dataSet.uid(.studyInstanceUID)?.string)
        let output = try TestInstances.temporaryDirectory("dcmqrscp-cfg-moved")
        let moved = try await PeerProcess.run(ExternalTools.require("movescu"), [
            "-S", "-aec", "ARCHIVE", "-aem", "MOVESCU", "+P", String(destinationPort), "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(port)])
        #expect(moved.status == 0, "\(moved.stderr)\nqrscp:\n\(archive.log)")
        #expect(TestInstances.instances(under: output).count == 2, "\(moved.stderr)\nqrscp:\n\(archive.log)")
        #expect(TestInstances.files(under: storage).filter { $0.hasSuffix(".dcm") }.count == 2, "\(TestInstances.files(under: storage))")
    }

    @Test("--ae-title naming another AETable entry serves that entry: its storage area, its access (R: read-only) and its peers")
    func servesNamedEntry() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-cfg-entry")
        let storage = work + "/archive"
        let port = PeerProcess.freePort()
        let path = work + "/dcmqrscp.cfg"
        try Self.configuration(port: port, storage: storage, destinationPort: PeerProcess.freePort()).write(toFile: path, atomically: true, encoding: .utf8)
        let archive = try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "--ae-title", "SECOND", "-c", path], on: port)
        defer { archive.stop() }
        #expect(archive.log.contains("as SECOND, storing in \(storage)-2"), "\(archive.log)")
        #expect(archive.log.contains("only SECOND's peers") && archive.log.contains("read-only (Access R in the AETable)"), "\(archive.log)")
    }

    @Test("MaxPDUSize is our maximum PDU receive size, as DCMTK echoscu reads it from the A-ASSOCIATE-AC; --max-pdu overrides it",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func maximumPDUSize() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-cfg-pdu")
        let port = PeerProcess.freePort()
        let path = work + "/dcmqrscp.cfg"
        try "NetworkTCPPort = \(port)\nMaxPDUSize = 32768\nAETable BEGIN\nARCHIVE \(work)/archive RW (9, 1024mb) ANY\nAETable END\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        for (flags, size) in [([String](), "32768"), (["--max-pdu", "65536"], "65536")] {
            let archive = try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "-c", path] + flags, on: port)
            let echoed = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-d", "-aec", "ARCHIVE", "127.0.0.1", String(port)])
            archive.stop()
            #expect(echoed.status == 0, "\(echoed.stderr)")
            #expect(echoed.stderr.contains("Their Max PDU Receive Size:  \(size)"), "\(flags): \(echoed.stderr)")
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    @Test("a HostTable entry that is not (AETitle, host, port) is refused with its line")
    func badHostTable() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-cfg-bad")
        let path = work + "/dcmqrscp.cfg"
        try "HostTable BEGIN\nbroken = (MOVESCU, 127.0.0.1)\nHostTable END\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["qrscp", "-c", path, "--storage", work + "/archive"])
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("line 2") && result.stderr.contains("is not (AETitle, host, port)"), "\(result.stderr)")
    }
}
