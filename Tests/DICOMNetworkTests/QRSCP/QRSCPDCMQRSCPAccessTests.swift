import Foundation
import Testing
import TestSupport

/// `netdicom qrscp -c dcmqrscp.cfg` lets in whom dcmqrscp lets in under the same file: the
/// same associations, from DCMTK's echoscu, are tried against DCMTK's dcmqrscp and then against
/// ours, and each answer is compared.
@Suite("netdicom qrscp enforcing a dcmqrscp configuration's AETable peers", .tags(.interop))
struct QRSCPDCMQRSCPAccessTests {
    /// ARCHIVE lets in two peers of a name of names, one listed by host name and one by
    /// address; OPEN lets in anyone; FAR only a peer elsewhere.
    static func configuration(port: Int, storage: String) -> String {
        """
        NetworkTCPPort  = \(port)
        MaxPDUSize      = 16384
        MaxAssociations = 16

        HostTable BEGIN
        friend1 = (FRIEND1, localhost, 11113)
        friend2 = (FRIEND2, 127.0.0.1, 11114)
        friends = friend1, friend2
        faraway = (FARAWAY, 192.0.2.1, 104)
        HostTable END

        AETable BEGIN
        ARCHIVE  \(storage)/archive  RW (9, 1024mb)  friends
        OPEN     \(storage)/open     R  (9, 1024mb)  ANY
        FAR      \(storage)/far      R  (9, 1024mb)  faraway
        AETable END
        """
    }

    /// Calling AE title, called AE title, and whether dcmqrscp and ours let it in.
    static let cases: [(calling: String, called: String, dcmqrscp: Bool, ours: Bool)] = [
        ("FRIEND1", "ARCHIVE", true, true),
        ("STRANGER", "ARCHIVE", false, false),
        ("FARAWAY", "ARCHIVE", false, false),
        ("STRANGER", "OPEN", true, true),
        ("FRIEND1", "NOSUCH", false, false),
        ("FARAWAY", "FAR", false, false),
        // Listed by address: dcmqrscp compares the host with the name a reverse look-up of the
        // caller gives (localhost) and refuses it; ours compares addresses.
        ("FRIEND2", "ARCHIVE", false, true),
    ]

    @Test("DCMTK echoscu from peers and strangers: ours lets in and rejects (reason 7) as dcmqrscp does, and also a peer listed by address",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")), .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func sameAsDCMQRSCP() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-access")
        for area in ["archive", "open", "far"] {
            try FileManager.default.createDirectory(atPath: work + "/" + area, withIntermediateDirectories: true)
        }
        let port = PeerProcess.freePort()
        let path = work + "/dcmqrscp.cfg"
        try Self.configuration(port: port, storage: work).write(toFile: path, atomically: true, encoding: .utf8)
        let echoscu = try ExternalTools.require("echoscu")
        func answers() async throws -> [Bool] {
            var answers: [Bool] = []
            for (calling, called, _, _) in Self.cases {
                let echoed = try await PeerProcess.run(echoscu, ["-aet", calling, "-aec", called, "127.0.0.1", String(port)])
                let rejected = echoed.stderr.contains("Association Rejected") && echoed.stderr.contains("Called AE Title Not Recognized")
                #expect(echoed.status == 0 || rejected, "\(calling) → \(called): \(echoed.stderr)")
                answers.append(echoed.status == 0)
            }
            return answers
        }

        let dcmtk = try await PeerProcess.listening(ExternalTools.require("dcmqrscp"), ["-c", path], on: port)
        let dcmtkAnswers = try await answers()
        dcmtk.stop()
        #expect(dcmtkAnswers == Self.cases.map(\.dcmqrscp), "\(dcmtk.log)")
        try await Task.sleep(for: .milliseconds(300))

        let archive = try await PeerProcess.listening(
            ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "--storage", work + "/netdicom", "-c", path], on: port)
        defer { archive.stop() }
        let ourAnswers = try await answers()
        #expect(ourAnswers == Self.cases.map(\.ours), "\(archive.log)")
        #expect(archive.log.contains("only the called AE titles and peers of the dcmqrscp configuration's AETable may associate"), "\(archive.log)")
        #expect(archive.log.contains("rejecting an association: STRANGER at 127.0.0.1 is not a peer of ARCHIVE"), "\(archive.log)")
        #expect(archive.log.contains("rejecting an association: the called AE title NOSUCH is not in the AETable"), "\(archive.log)")
    }

    @Test("pynetdicom echoscu: a stranger is rejected, a peer gets its C-ECHO answered",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomRequestor() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-access-py")
        let port = PeerProcess.freePort()
        let path = work + "/dcmqrscp.cfg"
        try Self.configuration(port: port, storage: work).write(toFile: path, atomically: true, encoding: .utf8)
        let archive = try await PeerProcess.listening(
            ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "--storage", work + "/netdicom", "-c", path], on: port)
        defer { archive.stop() }
        let python = try ExternalTools.require("python")
        let stranger = try await PeerProcess.run(python, ["-m", "pynetdicom", "echoscu", "-aet", "STRANGER", "-aec", "ARCHIVE", "127.0.0.1", String(port)])
        #expect(stranger.status != 0 && (stranger.stderr + stranger.stdout).contains("Association Rejected"), "\(stranger.stderr)\(stranger.stdout)")
        let friend = try await PeerProcess.run(python, ["-m", "pynetdicom", "echoscu", "-aet", "FRIEND1", "-aec", "ARCHIVE", "127.0.0.1", String(port)])
        #expect(friend.status == 0, "\(friend.stderr)\(friend.stdout)\nqrscp:\n\(archive.log)")
    }
}
