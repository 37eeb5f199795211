import DICOMCore
import Foundation
import Testing
import TestSupport

/// dcmqrscp's command line run against `netdicom qrscp`, with DCMTK's clients: the options that
/// change what the archive does do it, those asking for what it always does are accepted, and
/// those asking for what it cannot do are refused with the reason.
@Suite("netdicom qrscp with dcmqrscp's options", .tags(.interop))
struct QRSCPDCMQRSCPOptionsTests {
    /// Our qrscp on a free port, given as dcmqrscp takes it (the last argument), with `options`,
    /// holding two stored instances of one study.
    struct Archive {
        let peer: PeerProcess
        let port: Int
        let storage: String
        let study: String

        init(_ options: [String], label: String, store: Bool = true) async throws {
            port = PeerProcess.freePort()
            storage = try TestInstances.temporaryDirectory("qrscp-dcmqrscp-\(label)")
            peer = try await PeerProcess.listening(
                ExternalTools.netdicom(), ["qrscp", "--bind", "127.0.0.1", "--storage", storage] + options + [String(port)], on: port)
            let files = try TestInstances.files(2, label: "qrscp-dcmqrscp-\(label)-sent")
            study = try #require(DICOMFile(contentsOf: files[0]).dataSet.uid(.studyInstanceUID)?.string)
            if store {
                let stored = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", "QRSCP", "127.0.0.1", String(port)] + files)
                try #require(stored.status == 0, "\(stored.stderr)\nqrscp:\n\(peer.log)")
            }
        }

        /// DCMTK findscu's study-level query for the study, on `model` (-S or -P); its output.
        func find(_ model: String = "-S") async throws -> ExternalTools.Output {
            var keys = ["-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)"]
            if model == "-P" { keys += ["-k", "PatientID=\(TestInstances.Study().patientID)"] }
            return try await PeerProcess.run(ExternalTools.require("findscu"), ["-v", model, "-aec", "QRSCP"] + keys + ["127.0.0.1", String(port)])
        }

        /// DCMTK movescu moving the study to its own Storage SCP, called `destination`, on
        /// `listenPort`; its output and what arrived.
        func move(as callingAETitle: String, to destination: String, listenPort: Int) async throws -> (ExternalTools.Output, Int) {
            let output = try TestInstances.temporaryDirectory("qrscp-dcmqrscp-moved")
            let result = try await PeerProcess.run(ExternalTools.require("movescu"), [
                "-v", "-S", "-aet", callingAETitle, "-aec", "QRSCP", "-aem", destination, "+P", String(listenPort), "-od", output,
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)", "127.0.0.1", String(port)])
            return (result, TestInstances.instances(under: output).count)
        }

        /// DCMTK movescu calling itself MOVESCU moves the study to itself: both instances arrive.
        func expectMoveSucceeds(listenPort: Int) async throws {
            let (moved, arrived) = try await move(as: "MOVESCU", to: "MOVESCU", listenPort: listenPort)
            #expect(moved.status == 0 && arrived == 2, "\(moved.stderr)\nqrscp:\n\(peer.log)")
        }

        /// DCMTK getscu retrieving the study; its output and what arrived.
        func get() async throws -> (ExternalTools.Output, Int) {
            let output = try TestInstances.temporaryDirectory("qrscp-dcmqrscp-got")
            let result = try await PeerProcess.run(ExternalTools.require("getscu"), [
                "-v", "-S", "-aec", "QRSCP", "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study)",
                "127.0.0.1", String(port)])
            return (result, TestInstances.instances(under: output).count)
        }
    }

    /// How many matches DCMTK findscu -v reports: one pending response each.
    static func matches(_ output: ExternalTools.Output) -> Int {
        output.stderr.components(separatedBy: "(Pending)").count - 1
    }

    @Test("dcmqrscp's options for what qrscp always does are accepted, the port comes last; DCMTK storescu, findscu and movescu work",
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func acceptsDCMQRSCPCommandLine() async throws {
        let moveDestinationPort = PeerProcess.freePort()
        let archive = try await Archive(
            ["-s", "--fork", "-dhl", "+B", "-XF", "-XM", "-up", "-ac", "+xe", "-xi", "-QO", "+F", "+t=", "+u", "--no-parallel-store",
             "--move-destination", "MOVESCU@127.0.0.1:\(moveDestinationPort)"],
            label: "accepted")
        defer { archive.peer.stop() }
        #expect(archive.peer.log.contains("listening on 127.0.0.1:\(archive.port)"), "\(archive.peer.log)")
        let found = try await archive.find()
        #expect(found.status == 0 && Self.matches(found) == 1, "\(found.stderr)\nqrscp:\n\(archive.peer.log)")
        try await archive.expectMoveSucceeds(listenPort: moveDestinationPort)
    }

    @Test("+xi: the archive accepts Implicit VR Little Endian only: DCMTK storescu's instances are stored so, and findscu and movescu still work",
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func implicitOnly() async throws {
        let moveDestinationPort = PeerProcess.freePort()
        let archive = try await Archive(["+xi", "--move-destination", "MOVESCU@127.0.0.1:\(moveDestinationPort)"], label: "implicit")
        defer { archive.peer.stop() }
        let stored = TestInstances.files(under: archive.storage).filter { $0.hasSuffix(".dcm") && !$0.contains("/incoming/") }
        #expect(stored.count == 2, "\(stored)")
        for path in stored { #expect(try TestInstances.transferSyntax(ofFileAt: path) == .implicitVRLittleEndian, "\(path)") }
        #expect(Self.matches(try await archive.find()) == 1)
        try await archive.expectMoveSucceeds(listenPort: moveDestinationPort)
    }

    @Test("--disable-get, and --require-find (DCMTK getscu proposes C-GET without C-FIND): getscu's context is refused and nothing is retrieved; movescu, which proposes C-FIND too, works",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")), arguments: ["--disable-get", "--require-find"])
    func getRefused(flag: String) async throws {
        let moveDestinationPort = PeerProcess.freePort()
        let archive = try await Archive([flag, "--move-destination", "MOVESCU@127.0.0.1:\(moveDestinationPort)"], label: "no-get")
        defer { archive.peer.stop() }
        let (got, received) = try await archive.get()
        #expect(got.status != 0 && received == 0, "\(got.stderr)\nqrscp:\n\(archive.peer.log)")
        try await archive.expectMoveSucceeds(listenPort: moveDestinationPort)
    }

    @Test("-QS: the Study Root models are refused, Patient Root answers DCMTK findscu; -QP the other way round",
          .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func modelsLeftOut() async throws {
        let noStudyRoot = try await Archive(["-QS"], label: "no-study-root")
        defer { noStudyRoot.peer.stop() }
        let studyRoot = try await noStudyRoot.find("-S")
        #expect(studyRoot.status != 0 && Self.matches(studyRoot) == 0, "\(studyRoot.stderr)")
        let patientRoot = try await noStudyRoot.find("-P")
        #expect(patientRoot.status == 0 && Self.matches(patientRoot) == 1, "\(patientRoot.stderr)\nqrscp:\n\(noStudyRoot.peer.log)")

        let noPatientRoot = try await Archive(["--no-patient-root"], label: "no-patient-root")
        defer { noPatientRoot.peer.stop() }
        #expect(try await noPatientRoot.find("-P").status != 0)
        #expect(Self.matches(try await noPatientRoot.find("-S")) == 1)
    }

    @Test("-ZA, -ZH: a destination the restriction forbids (another AE title; a host, ::1, that is not the requestor's 127.0.0.1) is answered A801H and sends nothing; the requestor's own, on its host, works",
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")),
          arguments: [
              ("-ZA", "OTHER@127.0.0.1", "MOVESCU@127.0.0.1", "only the requestor's own AE title"),
              ("--move-host", "OTHER@[::1]", "MOVESCU@localhost", "is not on the requestor's host"),
          ])
    func moveRestriction(flag: String, forbidden: String, allowed: String, logged: String) async throws {
        let moveDestinationPort = PeerProcess.freePort()
        let archive = try await Archive(
            [flag, "--move-destination", "\(allowed):\(moveDestinationPort)", "--move-destination", "\(forbidden):\(moveDestinationPort)"],
            label: "move-restriction")
        defer { archive.peer.stop() }
        let (refused, none) = try await archive.move(as: "MOVESCU", to: "OTHER", listenPort: moveDestinationPort)
        #expect(none == 0, "\(refused.stderr)")
        #expect(refused.stderr.contains("MoveDestinationUnknown"), "\(refused.stderr)\nqrscp:\n\(archive.peer.log)")
        #expect(archive.peer.log.contains(logged), "\(archive.peer.log)")
        try await archive.expectMoveSucceeds(listenPort: moveDestinationPort)
    }

    @Test("DCMTK movescu to an unknown destination (A801H) and findscu without a level (A900H): each refusal is in qrscp's log with its reason",
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func refusalsAreLogged() async throws {
        let archive = try await Archive([], label: "refusals")
        defer { archive.peer.stop() }
        let (refused, none) = try await archive.move(as: "MOVESCU", to: "NOWHERE", listenPort: PeerProcess.freePort())
        #expect(none == 0 && refused.stderr.contains("MoveDestinationUnknown"), "\(refused.stderr)")
        let moveLine = "answered a C-MOVE-RQ from MOVESCU with A801H (failure)"
        #expect(try await archive.peer.waitForLog(containing: moveLine).contains("unknown move destination NOWHERE"), "\(archive.peer.log)")

        let found = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-S", "-aet", "FINDSCU", "-aec", "QRSCP", "-k", "StudyInstanceUID", "127.0.0.1", String(archive.port)])
        #expect(found.status == 0, "\(found.stderr)")
        let findLine = "answered a C-FIND-RQ from FINDSCU with A900H (failure)"
        #expect(try await archive.peer.waitForLog(containing: findLine).contains("no Query/Retrieve Level"), "\(archive.peer.log)")
    }

    @Test("--allow-shutdown: DCMTK termscu is rejected and qrscp exits 0; without it, termscu's context is refused and qrscp stays up",
          .enabled(if: ExternalTools.shouldRun(needing: "termscu")))
    func allowShutdown() async throws {
        let stays = try await Archive([], label: "no-shutdown", store: false)
        defer { stays.peer.stop() }
        _ = try await PeerProcess.run(ExternalTools.require("termscu"), ["-aec", "QRSCP", "127.0.0.1", String(stays.port)])
        try await Task.sleep(for: .milliseconds(500))
        #expect(stays.peer.process.isRunning, "\(stays.peer.log)")

        let archive = try await Archive(["--allow-shutdown"], label: "shutdown", store: false)
        defer { archive.peer.stop() }
        let terminated = try await PeerProcess.run(ExternalTools.require("termscu"), ["-v", "-aec", "QRSCP", "127.0.0.1", String(archive.port)])
        #expect(terminated.stderr.contains("Association Rejected"), "\(terminated.stderr)")
        #expect(try await archive.peer.waitForExit(timeout: .seconds(20)) == 0, "\(archive.peer.log)")
        #expect(archive.peer.log.contains("shutting down: TERMSCU"), "\(archive.peer.log)")
    }

    @Test("--refuse: DCMTK echoscu is rejected; --ignore: DCMTK storescu's instances are answered success and not kept",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func refuseAndIgnore() async throws {
        let refusing = try await Archive(["--refuse"], label: "refuse", store: false)
        defer { refusing.peer.stop() }
        let echoed = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-aec", "QRSCP", "127.0.0.1", String(refusing.port)])
        #expect(echoed.status != 0 && echoed.stderr.contains("Association Rejected"), "\(echoed.stderr)")

        let ignoring = try await Archive(["--ignore"], label: "ignore")
        defer { ignoring.peer.stop() }
        #expect(TestInstances.files(under: ignoring.storage).filter { $0.hasSuffix(".dcm") }.isEmpty, "\(TestInstances.files(under: ignoring.storage))")
        let found = try await ignoring.find()
        #expect(found.status == 0 && Self.matches(found) == 0, "\(found.stderr)")
    }

    @Test("dcmqrscp options asking for what qrscp does not do are refused before it starts, with the reason",
          arguments: [("+te", "does not re-encode it"), ("-xf", "association negotiation profiles"), ("+ac", "no TCP wrapper check"),
                      ("+U8", "converts no character sets")])
    func refusedOptions(option: String, reason: String) async throws {
        let storage = try TestInstances.temporaryDirectory("qrscp-dcmqrscp-refused")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["qrscp", "--storage", storage, option, String(PeerProcess.freePort())])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(option) && result.stderr.contains(reason), "\(result.stderr)")
    }
}
