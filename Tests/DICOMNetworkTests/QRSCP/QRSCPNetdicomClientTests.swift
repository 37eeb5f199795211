import DICOMCore
import DICOMNetwork
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` as a process, driven by our own findscu, getscu and movescu as processes: the
/// options that make them measuring tools (findscu --repeat, getscu and movescu --ignore and
/// --no-fsync), which scripts/bench's ours↔ours rows use. The archive is filled by DCMTK's
/// storescu, as in ``QRSCPDCMTKInteropTests``.
@Suite("netdicom findscu, getscu and movescu against netdicom qrscp", .tags(.interop))
struct QRSCPNetdicomClientTests {
    @Test("findscu --repeat 3: the study query three times on one association, every match printed and numbered on, one summary",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func findscuRepeats() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        // Two studies of patient A (series A1 and A2 share one), one of patient B.
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-v", "-S", "-aec", archive.aeTitle, "--repeat", "3",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=QR-PAT-*", "-k", "StudyInstanceUID", "-k", "PatientName",
            "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp:\n\(archive.log)")
        #expect(result.stderr.contains("findscu: 3 C-FINDs, 6 matches, 0 failed"), "\(result.stderr)")
        let numbers = result.stdout.split(separator: "\n").filter { $0.hasPrefix("# match ") }.map { $0.dropFirst("# match ".count) }
        #expect(numbers == (1...6).map { Substring(String($0)) }, "\(result.stdout)")
        // Each round finds the same two studies, in the index's order.
        let studies = result.stdout.split(separator: "\n").filter { $0.contains("StudyInstanceUID") }
        #expect(studies.count == 6, "\(result.stdout)")
        #expect(Array(studies[0..<2]) == Array(studies[2..<4]) && Array(studies[2..<4]) == Array(studies[4..<6]), "\(result.stdout)")
        let expected = Set([content.seriesA1.studyInstanceUID.string, content.seriesB.studyInstanceUID.string])
        #expect(Set(studies.compactMap { line in expected.first { line.contains($0) } }) == expected, "\(result.stdout)")
        // One association, three C-FINDs on it.
        #expect(result.stderr.components(separatedBy: "association accepted by").count - 1 == 1, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "sending C-FIND").count - 1 == 3, "\(result.stderr)")
    }

    @Test("findscu -sr -X: no match printed, each written to rspNNNN.dcm, the summary counts them",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func findscuHidesResponses() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        let output = try TestInstances.temporaryDirectory("findscu-hide")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-S", "-aec", archive.aeTitle, "-sr", "+sr", "-X", "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=QR-PAT-*", "-k", "StudyInstanceUID",
            "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp:\n\(archive.log)")
        // (PeerProcess.run gathers standard output and error into one log.)
        #expect(!result.stdout.contains("# match") && !result.stdout.contains("PatientID"), "\(result.stdout)")
        #expect(result.stderr.contains("findscu: 2 matches"), "\(result.stderr)")
        #expect(TestInstances.contents(of: output).sorted() == ["rsp0001.dcm", "rsp0002.dcm"], "\(TestInstances.contents(of: output))")
        // Valid Part 10 files: the meta information names the C-FIND's class and a UID of each.
        let metas = try ["rsp0001.dcm", "rsp0002.dcm"].map { try DICOMFile(contentsOf: "\(output)/\($0)").fileMetaInformation }
        #expect(metas.allSatisfy { $0.uid(.mediaStorageSOPClassUID) == .studyRootQueryRetrieveInformationModelFind })
        let instances = metas.compactMap { $0.uid(.mediaStorageSOPInstanceUID)?.string }.filter { !$0.isEmpty }
        #expect(Set(instances).count == 2, "\(instances)")
    }

    @Test("findscu into a pipe whose reader has gone ends quietly, status 141 as SIGPIPE gives, with no crash report",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func findscuClosedPipe() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        // A megabyte of matches, far more than a pipe holds: head has gone long before the end.
        let findscu = try [ExternalTools.netdicom(), "findscu", "-S", "-aec", archive.aeTitle, "--repeat", "2000",
                           "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=QR-PAT-*", "-k", "StudyInstanceUID", "-k", "PatientName",
                           "127.0.0.1", String(archive.port)].map { "'\($0)'" }.joined(separator: " ")
        let result = try await PeerProcess.run("/bin/bash", ["-c", "\(findscu) | head -c 100 >/dev/null; echo \"findscu status ${PIPESTATUS[0]}\""])
        #expect(result.stdout.contains("findscu status 141"), "\(result.stdout)\n\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Crash"), "\(result.stderr)")
    }

    @Test("getscu without -P or -S: a PATIENT-level query goes in Patient Root (DCMTK's default) and gets the patient's instances; a STUDY-level one in Study Root",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func getscuModelFromLevel() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        let patient = try TestInstances.temporaryDirectory("getscu-patient-level")
        let byPatient = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-v", "-aec", archive.aeTitle, "--no-fsync", "-od", patient,
            "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=\(ArchiveContent.patientBID)", "127.0.0.1", String(archive.port)])
        #expect(byPatient.status == 0, "\(byPatient.stderr)\nqrscp:\n\(archive.log)")
        #expect(byPatient.stderr.contains("sending C-GET (\(QueryRetrieveModel.patientRoot.rawValue))"), "\(byPatient.stderr)")
        ArchiveContent.expectFiles(under: patient, are: content.instances(of: content.seriesB), log: byPatient.stderr)
        let study = try TestInstances.temporaryDirectory("getscu-study-level")
        let byStudy = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-v", "-aec", archive.aeTitle, "--no-fsync", "-od", study,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesB.studyInstanceUID.string)", "127.0.0.1", String(archive.port)])
        #expect(byStudy.status == 0, "\(byStudy.stderr)")
        #expect(byStudy.stderr.contains("sending C-GET (\(QueryRetrieveModel.studyRoot.rawValue))"), "\(byStudy.stderr)")
        ArchiveContent.expectFiles(under: study, are: content.instances(of: content.seriesB), log: byStudy.stderr)
    }

    @Test("findscu --repeat 0 is refused before connecting")
    func findscuRepeatZero() async throws {
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "--repeat", "0", "-k", "PatientID=X", "127.0.0.1", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--repeat must be at least 1"), "\(result.stderr)")
    }

    @Test("getscu --ignore receives the study and writes nothing; --no-fsync writes the data sets sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func getscuIgnoresOrSkipsFsync() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        let study = content.instances(inStudyOf: content.seriesA1)
        let keys = ["-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"]

        let ignored = try TestInstances.temporaryDirectory("getscu-ignore")
        let ignore = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-S", "-aec", archive.aeTitle, "--ignore", "-od", ignored] + keys + ["127.0.0.1", String(archive.port)])
        #expect(ignore.status == 0, "\(ignore.stderr)")
        #expect(ignore.stderr.contains("C-GET: \(study.count) completed, 0 failed, 0 warning, \(study.count) received"), "\(ignore.stderr)")
        #expect(TestInstances.files(under: ignored).isEmpty)

        let written = try TestInstances.temporaryDirectory("getscu-no-fsync")
        let noFsync = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-S", "-aec", archive.aeTitle, "--no-fsync", "-od", written] + keys + ["127.0.0.1", String(archive.port)])
        #expect(noFsync.status == 0, "\(noFsync.stderr)")
        ArchiveContent.expectFiles(under: written, are: study, log: noFsync.stderr)
    }

    @Test("qrscp grants operations windows: storescu --async-window 4 stores four at once, getscu --async-window 8 gets the study within one",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func windows() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }
        let again = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "-v", "--no-progress", "--async-window", "4", "-aec", archive.aeTitle, "127.0.0.1", String(archive.port)] + content.files)
        #expect(again.status == 0, "\(again.stderr)\nqrscp:\n\(archive.log)")
        #expect(again.stderr.contains("4 C-STORE(s) at once"), "\(again.stderr)")
        #expect(again.stderr.contains("\(content.instances.count) sent, 0 failed"), "\(again.stderr)")

        let study = content.instances(inStudyOf: content.seriesA1)
        let output = try TestInstances.temporaryDirectory("getscu-window")
        let get = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-S", "-aec", archive.aeTitle, "--async-window", "8", "--no-fsync", "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)])
        #expect(get.status == 0, "\(get.stderr)")
        ArchiveContent.expectFiles(under: output, are: study, log: get.stderr)
    }

    @Test("movescu --store --ignore --repeat 2: the study arrives twice at movescu's own Storage SCP over one association, counted each time, and nothing is written",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func movescuStoreIgnores() async throws {
        let content = try ArchiveContent()
        let storePort = PeerProcess.freePort()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content, moveDestinations: ["MOVESCU": storePort])
        defer { archive.peer.stop() }
        let study = content.instances(inStudyOf: content.seriesA1)
        let output = try TestInstances.temporaryDirectory("movescu-ignore")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-S", "-aet", "MOVESCU", "-aec", archive.aeTitle, "--store-port", String(storePort), "--store-bind", "127.0.0.1",
            "--ignore", "-od", output, "--repeat", "2", "-v",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp:\n\(archive.log)")
        let summary = "C-MOVE: \(study.count) completed, 0 failed, 0 warning, \(study.count) received"
        #expect(result.stderr.components(separatedBy: summary).count - 1 == 2, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "association accepted by").count - 1 == 1, "\(result.stderr)")
        #expect(TestInstances.files(under: output).isEmpty)
    }

    @Test("movescu --store without --store-bind listens on IPv6 and IPv4: qrscp's C-MOVE reaches it at [::1]",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func movescuStoreListensOnIPv6() async throws {
        let content = try ArchiveContent()
        let storePort = PeerProcess.freePort()
        let archive = try await QRSCPProcess(
            storage: TestInstances.temporaryDirectory("qrscp-ipv6-destination"), extraArguments: ["--move-destination", "MOVESCU@[::1]:\(storePort)"])
        defer { archive.peer.stop() }
        let stored = try await DCMTKClient.store(content.files, to: archive)
        #expect(DCMTKClient.successfulStores(in: stored.stdout) == content.instances.count, "\(stored.stdout)")
        let study = content.instances(inStudyOf: content.seriesA1)
        let output = try TestInstances.temporaryDirectory("movescu-ipv6")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-S", "-aet", "MOVESCU", "-aec", archive.aeTitle, "--store-port", String(storePort), "-od", output, "-v",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp:\n\(archive.log)")
        #expect(result.stderr.contains("listening on [::]:\(storePort)"), "\(result.stderr)")
        #expect(result.stderr.contains("C-MOVE: \(study.count) completed, 0 failed, 0 warning, \(study.count) received"), "\(result.stderr)")
        ArchiveContent.expectFiles(under: output, are: study, log: result.stderr)
    }

    @Test("movescu --store +xi: movescu's Storage SCP accepts Implicit VR Little Endian only, so the study arrives in it, as storescp +xi would have it",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func movescuStoreHonoursTransferSyntaxPreference() async throws {
        let content = try ArchiveContent()
        let storePort = PeerProcess.freePort()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content, moveDestinations: ["MOVESCU": storePort])
        defer { archive.peer.stop() }
        let study = content.instances(inStudyOf: content.seriesA1)
        let output = try TestInstances.temporaryDirectory("movescu-implicit")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-S", "-aet", "MOVESCU", "-aec", archive.aeTitle, "--store-port", String(storePort), "--store-bind", "127.0.0.1",
            "+xi", "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp:\n\(archive.log)")
        let files = TestInstances.files(under: output)
        #expect(files.count == study.count)
        for file in files {
            #expect(try TestInstances.transferSyntax(ofFileAt: file) == .implicitVRLittleEndian, "\(file)")
        }
    }
}
