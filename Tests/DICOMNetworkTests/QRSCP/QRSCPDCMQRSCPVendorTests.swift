import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp -ZV -c dcmqrscp.cfg`: a C-MOVE may name only a destination of a vendor the
/// requestor is of, as the VendorTable groups them; the same moves are tried against DCMTK's
/// dcmqrscp -ZV with the same file, then against ours, and each answer is compared.
@Suite("netdicom qrscp -ZV: C-MOVE destinations of the requestor's vendor", .tags(.interop))
struct QRSCPDCMQRSCPVendorTests {
    static func configuration(port: Int, storage: String, destinationPorts: [Int]) -> String {
        """
        NetworkTCPPort  = \(port)
        MaxPDUSize      = 16384
        MaxAssociations = 16

        HostTable BEGIN
        friend1 = (FRIEND1, localhost, \(destinationPorts[0]))
        friend2 = (FRIEND2, localhost, \(destinationPorts[1]))
        other   = (OTHER, localhost, \(destinationPorts[2]))
        lonely  = (LONELY, localhost, \(destinationPorts[3]))
        friends = friend1, friend2
        HostTable END

        VendorTable BEGIN
        "Friendly Imaging" = friends
        "Other Vendor"     = other
        VendorTable END

        AETable BEGIN
        ARCHIVE  \(storage)  RW (9, 1024mb)  ANY
        AETable END
        """
    }

    /// Calling AE title, destination, and whether the vendor check lets the move through.
    static let cases: [(calling: String, destination: String, allowed: Bool)] = [
        ("FRIEND1", "FRIEND2", true),
        ("OTHER", "OTHER", true),
        ("FRIEND1", "OTHER", false),
        ("STRANGER", "FRIEND1", false),
        // In the HostTable, but of no vendor: not even itself.
        ("LONELY", "LONELY", false),
    ]

    @Test("DCMTK movescu: ours refuses (A801H) the destinations dcmqrscp -ZV refuses, lets through those it lets through, and moves to a requestor of its own vendor",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")), .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func sameAsDCMQRSCP() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-vendor")
        let port = PeerProcess.freePort()
        let destinationPorts = (0..<4).map { _ in PeerProcess.freePort() }
        let path = work + "/dcmqrscp.cfg"
        try FileManager.default.createDirectory(atPath: work + "/dcmtk", withIntermediateDirectories: true)
        try Self.configuration(port: port, storage: work + "/dcmtk", destinationPorts: destinationPorts)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let files = try TestInstances.files(1, label: "dcmqrscp-vendor-sent")
        let study = try #require(DICOMFile(contentsOf: files[0]).dataSet.uid(.studyInstanceUID)?.string)
        let movescu = try ExternalTools.require("movescu")
        let keys = ["-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(port)]

        /// Stores the file, then tries every case; whether each was let through, and how many
        /// instances FRIEND1 received moving the study to itself.
        func answers(_ log: () -> String) async throws -> ([Bool], Int) {
            let stored = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", "ARCHIVE", "127.0.0.1", String(port)] + files)
            #expect(stored.status == 0, "\(stored.stderr)\n\(log())")
            var answers: [Bool] = []
            for (calling, destination, _) in Self.cases {
                let moved = try await PeerProcess.run(movescu, ["-v", "-S", "-aet", calling, "-aec", "ARCHIVE", "-aem", destination] + keys)
                #expect(moved.stderr.contains("Received Final Move Response"), "\(calling) → \(destination): \(moved.stderr)\n\(log())")
                answers.append(!moved.stderr.contains("MoveDestinationUnknown"))
            }
            let output = try TestInstances.temporaryDirectory("dcmqrscp-vendor-moved")
            let own = try await PeerProcess.run(movescu, [
                "-S", "-aet", "FRIEND1", "-aec", "ARCHIVE", "-aem", "FRIEND1", "+P", String(destinationPorts[0]), "-od", output] + keys)
            #expect(own.status == 0, "\(own.stderr)\n\(log())")
            return (answers, TestInstances.instances(under: output).count)
        }

        let dcmtk = try await PeerProcess.listening(ExternalTools.require("dcmqrscp"), ["-ZV", "-c", path], on: port)
        let (dcmtkAnswers, dcmtkMoved) = try await answers { dcmtk.log }
        dcmtk.stop()
        #expect(dcmtkAnswers == Self.cases.map(\.allowed) && dcmtkMoved == 1, "\(dcmtk.log)")
        try await Task.sleep(for: .milliseconds(300))

        let archive = try await PeerProcess.listening(
            ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "--storage", work + "/netdicom", "-ZV", "-c", path], on: port)
        defer { archive.stop() }
        let (ourAnswers, ourMoved) = try await answers { archive.log }
        #expect(ourAnswers == Self.cases.map(\.allowed), "\(archive.log)")
        #expect(ourMoved == 1, "\(archive.log)")
        #expect(archive.log.contains("OTHER is of no vendor of the requestor FRIEND1"), "\(archive.log)")
    }

    @Test("-ZV without a dcmqrscp --config whose VendorTable groups AE titles is refused before the archive starts")
    func needsVendorTable() async throws {
        let storage = try TestInstances.temporaryDirectory("qrscp-zv-alone")
        let alone = try await PeerProcess.run(ExternalTools.netdicom(), ["qrscp", "--storage", storage, "-ZV", String(PeerProcess.freePort())])
        #expect(alone.status != 0 && alone.stderr.contains("-ZV (--move-vendor) needs a dcmqrscp --config whose VendorTable"), "\(alone.stderr)")
    }
}
