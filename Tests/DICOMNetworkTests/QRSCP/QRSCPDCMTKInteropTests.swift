import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` as a process, driven by DCMTK's storescu, findscu, getscu and movescu (to a
/// DCMTK storescp), on loopback. Every instance that comes back is compared byte for byte, data
/// set after the meta information, with the file that was sent. Under `CI=true` a missing DCMTK
/// fails these tests; elsewhere they are skipped.
@Suite("netdicom qrscp with DCMTK's storescu, findscu, getscu and movescu", .tags(.interop))
struct QRSCPDCMTKInteropTests {
    /// A new qrscp holding `content`, stored through storescu.
    static func archive(holding content: ArchiveContent, moveDestinations: [String: Int] = [:]) async throws -> QRSCPProcess {
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-dcmtk"), moveDestinations: moveDestinations)
        let stored = try await DCMTKClient.store(content.files, to: archive)
        #expect(stored.status == 0, "\(stored.stdout)\nqrscp:\n\(archive.log)")
        #expect(DCMTKClient.successfulStores(in: stored.stdout) == content.instances.count, "\(stored.stdout)\nqrscp:\n\(archive.log)")
        return archive
    }

    @Test("storescu → qrscp: each instance is answered with success and filed as STUDY/SERIES/SOP.dcm with the data set sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func storescuStores() async throws {
        let content = try ArchiveContent()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let expected = content.instances.map { "\($0.studyInstanceUID)/\($0.seriesInstanceUID)/\($0.sopInstanceUID).dcm" }
        #expect(archive.instanceFiles == expected.sorted())
        ArchiveContent.expectFiles(under: archive.storage, are: content.instances, log: archive.log)
        // A second copy of every instance replaces the first (the default duplicate policy).
        let again = try await DCMTKClient.store(content.files, to: archive)
        #expect(DCMTKClient.successfulStores(in: again.stdout) == content.instances.count, "\(again.stdout)")
        #expect(archive.instanceFiles == expected.sorted())
        let images = try await DCMTKClient.find(.patientRoot, [
            "QueryRetrieveLevel=IMAGE", "PatientID=\(ArchiveContent.patientAID)",
            "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)", "SeriesInstanceUID=\(content.seriesA1.seriesInstanceUID.string)",
            "SOPInstanceUID"], at: archive)
        #expect(images.responses.compactMap { $0.uid(.sopInstanceUID)?.string }.sorted() == content.instances(of: content.seriesA1).map(\.sopInstanceUID).sorted(),
                "\(images.log)")
        #expect(try await archive.terminate() == 0, "\(archive.log)")
    }

    @Test("findscu → qrscp: Patient Root and Study Root at every level, with the keys asked for",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func findscuFinds() async throws {
        let content = try ArchiveContent()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }
        let studyA = content.seriesA1.studyInstanceUID.string

        // Patient Root, PATIENT level, a wild card on the unique key: both patients with their counts.
        let patients = try await DCMTKClient.find(.patientRoot, [
            "QueryRetrieveLevel=PATIENT", "PatientID=QR-PAT-*", "PatientName",
            "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances"], at: archive)
        #expect(patients.log.contains("Received Final Find Response (Success)"), "\(patients.log)")
        let byPatient = Dictionary(patients.responses.map { ($0.string(.patientID) ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPatient.keys.sorted() == [ArchiveContent.patientAID, ArchiveContent.patientBID], "\(patients.log)")
        #expect(byPatient[ArchiveContent.patientAID]?.string(.patientName) == "ALPHA^ANNA")
        #expect(byPatient[ArchiveContent.patientBID]?.string(.patientName) == "BRAVO^BEN")
        #expect(byPatient[ArchiveContent.patientAID].map { Self.counts($0, .numberOfPatientRelatedStudies, .numberOfPatientRelatedSeries, .numberOfPatientRelatedInstances) } == ["1", "2", "5"])
        #expect(byPatient[ArchiveContent.patientBID].map { Self.counts($0, .numberOfPatientRelatedStudies, .numberOfPatientRelatedSeries, .numberOfPatientRelatedInstances) } == ["1", "1", "1"])

        // Patient Root, STUDY level under patient A.
        let studies = try await DCMTKClient.find(.patientRoot, [
            "QueryRetrieveLevel=STUDY", "PatientID=\(ArchiveContent.patientAID)", "StudyInstanceUID", "StudyDate",
            "NumberOfStudyRelatedInstances"], at: archive)
        #expect(studies.responses.count == 1, "\(studies.log)")
        #expect(studies.responses.first?.uid(.studyInstanceUID)?.string == studyA)
        #expect(studies.responses.first?.string(.studyDate) == "20240315")
        #expect(studies.responses.first.map { Self.counts($0, .numberOfStudyRelatedInstances) } == ["5"])

        // Study Root, STUDY level by its unique key.
        let study = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(studyA)", "PatientName", "PatientID", "ModalitiesInStudy",
            "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances"], at: archive)
        #expect(study.log.contains("Received Final Find Response (Success)"), "\(study.log)")
        let studyAnswer = try #require(study.responses.first, "\(study.log)")
        #expect(study.responses.count == 1)
        #expect(studyAnswer.string(.queryRetrieveLevel) == "STUDY")
        #expect(studyAnswer.string(.patientName) == "ALPHA^ANNA")
        #expect(studyAnswer.string(.patientID) == ArchiveContent.patientAID)
        #expect(studyAnswer.strings(.modalitiesInStudy) == ["CT"])
        #expect(Self.counts(studyAnswer, .numberOfStudyRelatedSeries, .numberOfStudyRelatedInstances) == ["2", "5"])

        // Study Root, SERIES level: the two series with their numbers and sizes.
        let series = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=SERIES", "StudyInstanceUID=\(studyA)", "SeriesInstanceUID", "SeriesNumber", "Modality",
            "NumberOfSeriesRelatedInstances"], at: archive)
        let seriesAnswers = series.responses.map {
            [$0.uid(.seriesInstanceUID)?.string ?? "", $0.string(.seriesNumber) ?? "", $0.string(.modality) ?? ""]
                + Self.counts($0, .numberOfSeriesRelatedInstances)
        }
        #expect(seriesAnswers.sorted { $0[1] < $1[1] } == [
            [content.seriesA1.seriesInstanceUID.string, "1", "CT", "3"],
            [content.seriesA2.seriesInstanceUID.string, "2", "CT", "2"],
        ], "\(series.log)")

        // Study Root, IMAGE level in series A2.
        let images = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=\(studyA)", "SeriesInstanceUID=\(content.seriesA2.seriesInstanceUID.string)",
            "SOPInstanceUID", "InstanceNumber"], at: archive)
        #expect(images.log.contains("Received Final Find Response (Success)"), "\(images.log)")
        #expect(images.responses.compactMap { $0.uid(.sopInstanceUID)?.string }.sorted()
                == content.instances(of: content.seriesA2).map(\.sopInstanceUID).sorted(), "\(images.log)")
        #expect(images.responses.compactMap { $0.string(.instanceNumber) }.sorted() == ["1", "2"])

        // Patient Root, IMAGE level down patient B's hierarchy.
        let imageB = try await DCMTKClient.find(.patientRoot, [
            "QueryRetrieveLevel=IMAGE", "PatientID=\(ArchiveContent.patientBID)", "StudyInstanceUID=\(content.seriesB.studyInstanceUID.string)",
            "SeriesInstanceUID=\(content.seriesB.seriesInstanceUID.string)", "SOPInstanceUID"], at: archive)
        #expect(imageB.responses.compactMap { $0.uid(.sopInstanceUID)?.string } == content.instances(of: content.seriesB).map(\.sopInstanceUID),
                "\(imageB.log)")

        // A key that matches nothing: no pending response, success.
        let none = try await DCMTKClient.find(.studyRoot, ["QueryRetrieveLevel=STUDY", "PatientID=NOBODY", "StudyInstanceUID"], at: archive)
        #expect(none.responses.isEmpty && none.log.contains("Received Final Find Response (Success)"), "\(none.log)")
    }

    @Test("getscu → qrscp: a study, a series and one image (Patient Root) come back with the data sets sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func getscuRetrieves() async throws {
        let content = try ArchiveContent()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let studyOutput = try TestInstances.temporaryDirectory("getscu-study")
        let study = try await DCMTKClient.get(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"], from: archive, into: studyOutput)
        #expect(study.status == 0, "\(study.stdout)")
        #expect(study.stdout.contains("Number of Completed Suboperations : 5"), "\(study.stdout)")
        ArchiveContent.expectFiles(under: studyOutput, are: content.instances(inStudyOf: content.seriesA1), log: study.stdout)

        let seriesOutput = try TestInstances.temporaryDirectory("getscu-series")
        let series = try await DCMTKClient.get(.studyRoot, [
            "QueryRetrieveLevel=SERIES", "StudyInstanceUID=\(content.seriesA2.studyInstanceUID.string)",
            "SeriesInstanceUID=\(content.seriesA2.seriesInstanceUID.string)"], from: archive, into: seriesOutput)
        ArchiveContent.expectFiles(under: seriesOutput, are: content.instances(of: content.seriesA2), log: series.stdout)

        let image = try #require(content.instances(of: content.seriesB).first)
        let imageOutput = try TestInstances.temporaryDirectory("getscu-image")
        let one = try await DCMTKClient.get(.patientRoot, [
            "QueryRetrieveLevel=IMAGE", "PatientID=\(ArchiveContent.patientBID)", "StudyInstanceUID=\(image.studyInstanceUID)",
            "SeriesInstanceUID=\(image.seriesInstanceUID)", "SOPInstanceUID=\(image.sopInstanceUID)"], from: archive, into: imageOutput)
        #expect(one.stdout.contains("Number of Completed Suboperations : 1"), "\(one.stdout)")
        ArchiveContent.expectFiles(under: imageOutput, are: [image], log: one.stdout)
    }

    @Test("getscu -v → qrscp: a pending C-GET response after each sub-operation but the last by default; one, after the first, with --pending-interval 3600",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func pendingResponsesArePaced() async throws {
        let content = try ArchiveContent()
        let study = content.instances(inStudyOf: content.seriesA1)
        let keys = ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"]
        for (arguments, pending) in [([String](), study.count - 1), (["--pending-interval", "3600"], 1)] {
            let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-pending"), extraArguments: arguments)
            defer { archive.peer.stop() }
            let stored = try await DCMTKClient.store(content.files, to: archive)
            #expect(DCMTKClient.successfulStores(in: stored.stdout) == content.instances.count, "\(stored.stdout)")
            let output = try TestInstances.temporaryDirectory("getscu-pending")
            let got = try await DCMTKClient.get(.studyRoot, keys, from: archive, into: output)
            #expect(got.status == 0, "\(got.stdout)")
            #expect(got.stdout.components(separatedBy: "Received C-GET Response (Pending)").count - 1 == pending, "\(arguments): \(got.stdout)")
            #expect(got.stdout.contains("Number of Completed Suboperations : \(study.count)"), "\(got.stdout)")
            ArchiveContent.expectFiles(under: output, are: study, log: got.stdout)
        }
    }

    @Test("--require-calling-aet: DCMTK's echoscu is accepted calling a listed AE title, rejected with reason 3 calling another",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func requireCallingAETitle() async throws {
        let archive = try await QRSCPProcess(
            storage: TestInstances.temporaryDirectory("qrscp-calling"), extraArguments: ["--require-calling-aet", "VIEWER", "--require-calling-aet", "MODALITY"])
        defer { archive.peer.stop() }
        let echoscu = try ExternalTools.require("echoscu")
        let known = try await PeerProcess.run(echoscu, ["-v", "-aet", "MODALITY", "-aec", archive.aeTitle, "127.0.0.1", String(archive.port)])
        #expect(known.status == 0, "\(known.stdout)\(known.stderr)")
        let unknown = try await PeerProcess.run(echoscu, ["-v", "-aet", "STRANGER", "-aec", archive.aeTitle, "127.0.0.1", String(archive.port)])
        #expect(unknown.status != 0)
        #expect((unknown.stdout + unknown.stderr).contains("Calling AE Title Not Recognized"), "\(unknown.stdout)\(unknown.stderr)")
    }

    /// getscu +xs proposes JPEG Lossless first, then the uncompressed syntaxes, in its one
    /// context per Storage class: accepting JPEG Lossless there (the requestor's first choice)
    /// would fail every uncompressed instance, as it did (0 of 5, A702H).
    @Test("getscu +xs (JPEG Lossless first) → qrscp: the uncompressed study comes back in Explicit VR Little Endian",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func getscuPreferringLossless() async throws {
        let content = try ArchiveContent()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let output = try TestInstances.temporaryDirectory("getscu-xs")
        let study = try await DCMTKClient.get(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"], from: archive, into: output,
            extraArguments: ["+xs"])
        #expect(study.status == 0, "\(study.stdout)\nqrscp:\n\(archive.log)")
        #expect(study.stdout.contains("Number of Completed Suboperations : 5"), "\(study.stdout)")
        ArchiveContent.expectFiles(under: output, are: content.instances(inStudyOf: content.seriesA1), log: study.stdout)
    }

    @Test("movescu → qrscp → DCMTK storescp: a series, then a study, arrive with the data sets sent; an unknown destination is refused",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "movescu")),
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func movescuMovesToStorescp() async throws {
        let content = try ArchiveContent()
        let received = try TestInstances.temporaryDirectory("storescp-moved")
        let storescpPort = PeerProcess.freePort()
        let storescp = try PeerProcess(ExternalTools.require("storescp"), ["-v", "-aet", "STORESCP", "-od", received, String(storescpPort)])
        defer { storescp.stop() }
        try await storescp.waitUntilListening(on: storescpPort)
        let archive = try await Self.archive(holding: content, moveDestinations: ["STORESCP": storescpPort])
        defer { archive.peer.stop() }

        let series = try await DCMTKClient.move(.studyRoot, [
            "QueryRetrieveLevel=SERIES", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "SeriesInstanceUID=\(content.seriesA1.seriesInstanceUID.string)"], from: archive, to: "STORESCP")
        #expect(series.status == 0, "\(series.stdout)")
        #expect(series.stdout.contains("Received Final Move Response (Success)"), "\(series.stdout)\nqrscp:\n\(archive.log)")
        ArchiveContent.expectFiles(under: received, are: content.instances(of: content.seriesA1), log: series.stdout + storescp.log)

        let study = try await DCMTKClient.move(.patientRoot, [
            "QueryRetrieveLevel=STUDY", "PatientID=\(ArchiveContent.patientBID)",
            "StudyInstanceUID=\(content.seriesB.studyInstanceUID.string)"], from: archive, to: "STORESCP")
        #expect(study.stdout.contains("Received Final Move Response (Success)"), "\(study.stdout)\nqrscp:\n\(archive.log)")
        ArchiveContent.expectFiles(under: received, are: content.instances(of: content.seriesA1) + content.instances(of: content.seriesB),
                                   log: study.stdout + storescp.log)

        let unknown = try await DCMTKClient.move(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"], from: archive, to: "NOWHERE")
        #expect(unknown.stdout.contains("Received Final Move Response (Refused: MoveDestinationUnknown)"), "\(unknown.stdout)")
    }

    /// 32×32 images are read whole and sent from memory; 1024×1024 ones (2 MiB, over
    /// the archive's `longestDataSetSentFromMemory`) from their files.
    @Test("with 128 KiB PDUs, from memory or from the files (sendfile): getscu -pdu 131072 and movescu → storescp -pdu 131072 get the data sets sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "getscu")),
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")), .enabled(if: ExternalTools.shouldRun(needing: "storescp")),
          arguments: [32, 1024])
    func retrievesWithLongPDUs(imageSize: Int) async throws {
        let content = try await ArchiveContent.generate(count: 3, rows: imageSize, columns: imageSize)
        let received = try TestInstances.temporaryDirectory("storescp-moved-long")
        let storescpPort = PeerProcess.freePort()
        let storescp = try PeerProcess(ExternalTools.require("storescp"), ["-v", "-pdu", "131072", "-aet", "STORESCP", "-od", received, String(storescpPort)])
        defer { storescp.stop() }
        try await storescp.waitUntilListening(on: storescpPort)
        let archive = try await Self.archive(holding: content, moveDestinations: ["STORESCP": storescpPort])
        defer { archive.peer.stop() }
        let keys = ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"]

        let output = try TestInstances.temporaryDirectory("getscu-long")
        let study = try await DCMTKClient.get(.studyRoot, keys, from: archive, into: output, extraArguments: ["-pdu", "131072"])
        #expect(study.stdout.contains("Number of Completed Suboperations : 3"), "\(study.stdout)\nqrscp:\n\(archive.log)")
        ArchiveContent.expectFiles(under: output, are: content.instances, log: study.stdout)

        let moved = try await DCMTKClient.move(.studyRoot, keys, from: archive, to: "STORESCP")
        #expect(moved.stdout.contains("Received Final Move Response (Success)"), "\(moved.stdout)\nqrscp:\n\(archive.log)")
        ArchiveContent.expectFiles(under: received, are: content.instances, log: moved.stdout + storescp.log)
    }

    /// The values of count attributes (IS), for comparing as a list.
    static func counts(_ answer: DataSet, _ tags: Tag...) -> [String] {
        tags.map { answer.string($0) ?? "absent" }
    }
}
