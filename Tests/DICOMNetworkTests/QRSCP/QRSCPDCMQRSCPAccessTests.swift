import DICOMCore
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
        // Another storage area: dcmqrscp serves it; ours with --storage serves the first
        // entry's only.
        ("STRANGER", "OPEN", true, false),
        ("FRIEND1", "NOSUCH", false, false),
        ("FARAWAY", "FAR", false, false),
        // Listed by address: dcmqrscp compares the host with the name a reverse look-up of the
        // caller gives (localhost) and refuses it; ours compares addresses.
        ("FRIEND2", "ARCHIVE", false, true),
    ]

    @Test("DCMTK echoscu from peers and strangers: ours lets in and rejects (reason 7) as dcmqrscp does, but lets in a peer listed by address and, with --storage, serves the first storage area only",
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
        #expect(archive.log.contains("only ARCHIVE's peers in the dcmqrscp configuration's AETable may associate"), "\(archive.log)")
        #expect(archive.log.contains("rejecting an association: STRANGER at 127.0.0.1 is not a peer of ARCHIVE"), "\(archive.log)")
        #expect(archive.log.contains("rejecting an association: the called AE title NOSUCH is not in the AETable"), "\(archive.log)")
        #expect(archive.log.contains("rejecting an association: the called AE title OPEN is another storage area"), "\(archive.log)")
    }

    @Test("without --storage every AETable entry is an archive of its own, as in dcmqrscp: DCMTK storescu stores one study through each AE title, and findscu through each finds its own only; the same peers are let in; --reindex and --clean act on each area",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func everyEntryServed() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-areas")
        let port = PeerProcess.freePort()
        var studies: [String] = []
        var files: [String] = []
        for label in ["one", "two"] {
            let file = try TestInstances.files(1, label: "dcmqrscp-areas-\(label)")[0]
            files.append(file)
            studies.append(try #require(DICOMFile(contentsOf: file).dataSet.uid(.studyInstanceUID)?.string))
        }
        #expect(studies[0] != studies[1])
        /// The studies found through each AE title of the archive `start` runs, after storing
        /// one file through each; and who was let in.
        func run(_ name: String, _ start: (String) async throws -> PeerProcess) async throws -> (found: [[String]], answers: [Bool]) {
            let storage = work + "/" + name
            for area in ["archive", "open", "far"] {
                try FileManager.default.createDirectory(atPath: storage + "/" + area, withIntermediateDirectories: true)
            }
            var configuration = Self.configuration(port: port, storage: storage)
            configuration = configuration.replacingOccurrences(of: "/open     R ", with: "/open     RW")
            let path = storage + "/dcmqrscp.cfg"
            try configuration.write(toFile: path, atomically: true, encoding: .utf8)
            let archive = try await start(path)
            defer { archive.stop() }
            var found: [[String]] = []
            for (file, called) in zip(files, ["ARCHIVE", "OPEN"]) {
                let stored = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aet", "FRIEND1", "-aec", called, "127.0.0.1", String(port), file])
                #expect(stored.status == 0, "\(name) → \(called): \(stored.stderr)\n\(archive.log)")
            }
            for called in ["ARCHIVE", "OPEN"] {
                let find = try await PeerProcess.run(ExternalTools.require("findscu"), [
                    "-S", "-aet", "FRIEND1", "-aec", called, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "127.0.0.1", String(port)])
                #expect(find.status == 0, "\(name) → \(called): \(find.stderr)")
                found.append(studies.filter { find.stderr.contains($0) || find.stdout.contains($0) })
            }
            var answers: [Bool] = []
            for (calling, called) in [("STRANGER", "OPEN"), ("STRANGER", "ARCHIVE"), ("FRIEND1", "NOSUCH")] {
                let echoed = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-aet", calling, "-aec", called, "127.0.0.1", String(port)])
                answers.append(echoed.status == 0)
            }
            return (found, answers)
        }

        let dcmtk = try await run("dcmtk") { path in
            try await PeerProcess.listening(ExternalTools.require("dcmqrscp"), ["-c", path], on: port)
        }
        #expect(dcmtk.found == [[studies[0]], [studies[1]]])
        #expect(dcmtk.answers == [true, false, false])
        try await Task.sleep(for: .milliseconds(300))
        let ours = try await run("netdicom") { path in
            try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "-c", path], on: port)
        }
        #expect(ours.found == dcmtk.found)
        #expect(ours.answers == dcmtk.answers)

        // --reindex and --clean act on every entry's area.
        try await Task.sleep(for: .milliseconds(300))
        let path = work + "/netdicom/dcmqrscp.cfg"
        let reindexed = try await PeerProcess.run(ExternalTools.netdicom(), ["qrscp", "-c", path, "--reindex"])
        #expect(reindexed.status == 0, "\(reindexed.stderr)")
        for (area, count) in [("archive", 1), ("open", 1), ("far", 0)] {
            #expect(reindexed.stdout.contains("\(work)/netdicom/\(area) (sqlite: \(work)/netdicom/\(area)/index.sqlite): instance files \(count); indexed already \(count)"),
                    "\(reindexed.stdout)")
        }
        let command = ([try ExternalTools.netdicom(), "qrscp", "-c", path, "--clean"]).map { "'\($0)'" }.joined(separator: " ")
        let cleaned = try await PeerProcess.run("/bin/sh", ["-c", "echo yes | \(command)"])
        #expect(cleaned.status == 0, "\(cleaned.stderr)")
        #expect(cleaned.stdout.components(separatedBy: "removed 1 instances").count - 1 == 2, "\(cleaned.stdout)")
        #expect(TestInstances.files(under: work + "/netdicom/open").filter { $0.hasSuffix(".dcm") }.isEmpty)
    }

    @Test("a read-only entry (Access R): DCMTK storescu finds no context to store with, getscu retrieves what was stored, from ours as from dcmqrscp",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")), .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func readOnly() async throws {
        let work = try TestInstances.temporaryDirectory("dcmqrscp-read-only")
        let port = PeerProcess.freePort()
        let files = try TestInstances.files(2, label: "dcmqrscp-read-only-sent")
        let study = try #require(DICOMFile(contentsOf: files[0]).dataSet.uid(.studyInstanceUID)?.string)
        /// The configuration with ARCHIVE's storage area at `storage` and its `access`; its path.
        func configuration(_ access: String, storage: String) throws -> String {
            let path = work + "/\(access).cfg"
            try "NetworkTCPPort = \(port)\nAETable BEGIN\nARCHIVE \(storage) \(access) (9, 1024mb) ANY\nAETable END\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        /// Stores through the RW configuration, then tries storing and retrieving through the R one;
        /// whether the second store went through, and how many instances getscu received.
        func run(_ start: (String) async throws -> PeerProcess, storage: String) async throws -> (stored: Bool, retrieved: Int) {
            let writable = try await start(try configuration("RW", storage: storage))
            let first = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", "ARCHIVE", "127.0.0.1", String(port), files[0]])
            writable.stop()
            #expect(first.status == 0, "\(first.stderr)\n\(writable.log)")
            try await Task.sleep(for: .milliseconds(300))
            let readOnly = try await start(try configuration("R", storage: storage))
            defer { readOnly.stop() }
            let second = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", "ARCHIVE", "127.0.0.1", String(port), files[1]])
            #expect(second.status == 0 || second.stderr.contains("No Acceptable Presentation Contexts"), "\(second.stderr)")
            let output = try TestInstances.temporaryDirectory("dcmqrscp-read-only-got")
            let got = try await PeerProcess.run(ExternalTools.require("getscu"), [
                "-S", "-aec", "ARCHIVE", "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(port)])
            #expect(got.status == 0, "\(got.stderr)\n\(readOnly.log)")
            return (second.status == 0, TestInstances.instances(under: output).count)
        }

        let dcmtkStorage = work + "/dcmtk"
        try FileManager.default.createDirectory(atPath: dcmtkStorage, withIntermediateDirectories: true)
        let dcmtk = try await run({ path in
            try await PeerProcess.listening(ExternalTools.require("dcmqrscp"), ["-c", path], on: port)
        }, storage: dcmtkStorage)
        #expect(!dcmtk.stored && dcmtk.retrieved == 1)
        try await Task.sleep(for: .milliseconds(300))
        let ours = try await run({ path in
            try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "-c", path], on: port)
        }, storage: work + "/netdicom")
        #expect(!ours.stored && ours.retrieved == 1)
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
