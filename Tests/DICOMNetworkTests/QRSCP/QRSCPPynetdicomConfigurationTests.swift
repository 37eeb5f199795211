import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` run as pynetdicom's qrscp is: its INI configuration file (which pynetdicom's
/// qrscp reads first, to show it is one), its --instance-location, --database-location and
/// --clean, against pynetdicom's storescu, movescu and storescp and DCMTK's findscu.
@Suite("netdicom qrscp reading a pynetdicom qrscp configuration", .tags(.interop))
struct QRSCPPynetdicomConfigurationTests {
    /// Runs `netdicom qrscp ARGUMENTS` with `answer` on its standard input.
    static func qrscp(_ arguments: [String], answering answer: String) async throws -> ExternalTools.Output {
        let command = ([try ExternalTools.netdicom(), "qrscp"] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try await PeerProcess.run("/bin/sh", ["-c", "echo \(answer) | \(command)"])
    }

    @Test("-c qrscp.ini: its port, AE title, bind address, locations and [STORESCP] destination; pynetdicom storescu and movescu work against it; --clean asks, removes every instance on yes and nothing otherwise",
          .enabled(if: ExternalTools.shouldRun(needing: "python")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func readsPynetdicomConfiguration() async throws {
        let python = try ExternalTools.require("python")
        let work = try TestInstances.temporaryDirectory("pynetdicom-ini")
        let port = PeerProcess.freePort()
        let destinationPort = PeerProcess.freePort()
        let path = work + "/qrscp.ini"
        let configuration = PynetdicomQRSCP.configuration(
            aeTitle: "PYQR", port: port, instances: work + "/instances", database: work + "/index.sqlite", destinations: ["STORESCP": destinationPort])
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)

        // pynetdicom's qrscp takes the file as it is (with locations of its own: its database
        // is not ours).
        let pynetdicom = try await PeerProcess.listening(python, [
            "-m", "pynetdicom", "qrscp", "-c", path, "--database-location", work + "/pynetdicom.sqlite",
            "--instance-location", work + "/pynetdicom-instances"], on: port)
        pynetdicom.stop()
        try await Task.sleep(for: .milliseconds(300))

        let archive = try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "-c", path], on: port)
        var archiveStopped = false
        defer { if !archiveStopped { archive.stop() } }
        #expect(archive.log.contains("listening on 127.0.0.1:\(port) as PYQR, storing in \(work)/instances (sqlite: \(work)/index.sqlite)"), "\(archive.log)")
        #expect(archive.log.contains("STORESCP@127.0.0.1:\(destinationPort)"), "\(archive.log)")

        let files = try TestInstances.files(2, label: "pynetdicom-ini-sent")
        for file in files {
            let stored = try await PeerProcess.run(python, ["-m", "pynetdicom", "storescu", "-aec", "PYQR", "127.0.0.1", String(port), file])
            #expect(stored.status == 0, "\(stored.stderr)\nqrscp:\n\(archive.log)")
        }
        let output = try TestInstances.temporaryDirectory("pynetdicom-ini-moved")
        let destination = try await PeerProcess.listening(python, [
            "-m", "pynetdicom", "storescp", String(destinationPort), "--bind-address", "127.0.0.1", "-od", output], on: destinationPort)
        defer { destination.stop() }
        let study = try #require(DICOMFile(contentsOf: files[0]).dataSet.uid(.studyInstanceUID)?.string)
        let moved = try await PeerProcess.run(python, [
            "-m", "pynetdicom", "movescu", "-S", "-aec", "PYQR", "-aem", "STORESCP",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(port)])
        #expect(moved.status == 0, "\(moved.stderr)\nqrscp:\n\(archive.log)")
        #expect(await eventually { TestInstances.files(under: output).count == 2 }, "\(moved.stderr)\nstorescp:\n\(destination.log)\nqrscp:\n\(archive.log)")
        archive.stop()
        archiveStopped = true
        try await Task.sleep(for: .milliseconds(300))

        // --clean: anything but yes removes nothing.
        let declined = try await Self.qrscp(["-c", path, "--clean"], answering: "no")
        #expect(declined.status != 0 && declined.stderr.contains("not confirmed"), "\(declined.stderr)")
        #expect(TestInstances.files(under: work + "/instances").filter { $0.hasSuffix(".dcm") }.count == 2)
        let cleaned = try await Self.qrscp(["-c", path, "--clean"], answering: "yes")
        #expect(cleaned.status == 0 && cleaned.stdout.contains("removed 2 instances"), "\(cleaned.stderr)")
        #expect(TestInstances.files(under: work + "/instances").isEmpty, "\(TestInstances.files(under: work + "/instances"))")
        #expect(TestInstances.contents(of: work + "/instances") == ["incoming"], "the study directories go too")

        let emptied = try await PeerProcess.listening(ExternalTools.netdicom(), ["qrscp", "-c", path], on: port)
        defer { emptied.stop() }
        let found = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-S", "-aec", "PYQR", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "127.0.0.1", String(port)])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(!found.stderr.contains("Find Response: 1 (Pending)"), "\(found.stderr)")
    }

    @Test("--database-location naming pynetdicom qrscp's own database is refused with the reason, and the database left as it was",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func refusesPynetdicomDatabase() async throws {
        let python = try ExternalTools.require("python")
        let work = try TestInstances.temporaryDirectory("pynetdicom-db")
        let database = work + "/instances.sqlite"
        // The database pynetdicom's qrscp makes when it starts (its tables: patient, study,
        // series, image, instance).
        let made = try await PeerProcess.run(python, ["-c", "import pynetdicom.apps.qrscp.db as db; db.create('sqlite:///\(database)')"])
        try #require(made.status == 0, "\(made.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "qrscp", "--port", String(PeerProcess.freePort()), "--instance-location", work + "/instances", "--database-location", database])
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("has a table \"patient\" but is not a NetDICOM index"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }
}
