import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` as a process, driven by a pynetdicom client: C-STORE, C-FIND on both
/// models, C-GET with SCP/SCU role selection, C-MOVE to the client's own pynetdicom Storage SCP.
/// Under `CI=true` a missing pynetdicom fails these tests; elsewhere they are skipped.
@Suite("netdicom qrscp with pynetdicom", .tags(.interop))
struct QRSCPPynetdicomInteropTests {
    /// With pynetdicom's 16382-byte PDUs the archive reads each file and sends it in chunks; with
    /// no limit (0), in 1 MiB fragments, each data set (all under a megabyte) read whole as its
    /// file is opened.
    @Test("pynetdicom stores, finds, gets and moves through qrscp; every retrieved data set is the one sent",
          .enabled(if: ExternalTools.shouldRun(needing: "python")), arguments: [16382, 0])
    func storeFindGetMove(maximumPDUSize: Int) async throws {
        let content = try ArchiveContent()
        let movePort = PeerProcess.freePort()
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-pynetdicom"), moveDestinations: ["PYSTORE": movePort])
        defer { archive.peer.stop() }
        let got = try TestInstances.temporaryDirectory("pynetdicom-get")
        let moved = try TestInstances.temporaryDirectory("pynetdicom-move")
        let study = content.seriesA1.studyInstanceUID.string
        let (report, log) = try await PynetdicomArchiveClient.run([
            "all", String(archive.port), archive.aeTitle, content.directory, study, content.seriesA2.seriesInstanceUID.string,
            got, moved, String(movePort), String(maximumPDUSize)])
        let context = "pynetdicom:\n\(log)\nqrscp:\n\(archive.log)"

        // C-STORE: every instance answered with success and filed with the data set sent.
        #expect(report.store == Array(repeating: 0x0000, count: content.instances.count), "\(context)")
        ArchiveContent.expectFiles(under: archive.storage, are: content.instances, log: context)

        // C-FIND.
        let find = try #require(report.find, "\(context)")
        #expect(find.values.allSatisfy { $0.final == 0x0000 }, "\(context)")
        let patients = find["PATIENT"]?.matches.map { [$0["PatientID"] ?? "", $0["PatientName"] ?? "", $0["NumberOfPatientRelatedInstances"] ?? ""] }
        #expect(patients?.sorted { $0[0] < $1[0] } == [[ArchiveContent.patientAID, "ALPHA^ANNA", "5"], [ArchiveContent.patientBID, "BRAVO^BEN", "1"]],
                "\(context)")
        let studies = find["STUDY"]?.matches.map { [$0["StudyInstanceUID"] ?? "", $0["PatientName"] ?? "",
                                                   $0["NumberOfStudyRelatedSeries"] ?? "", $0["NumberOfStudyRelatedInstances"] ?? ""] }
        #expect(studies == [[study, "ALPHA^ANNA", "2", "5"]], "\(context)")
        let series = find["SERIES"]?.matches.map { [$0["SeriesInstanceUID"] ?? "", $0["NumberOfSeriesRelatedInstances"] ?? ""] }
        #expect(series?.sorted { $0[1] > $1[1] } == [[content.seriesA1.seriesInstanceUID.string, "3"], [content.seriesA2.seriesInstanceUID.string, "2"]],
                "\(context)")
        let images = find["IMAGE"]?.matches.compactMap { $0["SOPInstanceUID"] }
        #expect(images?.sorted() == content.instances(of: content.seriesA2).map(\.sopInstanceUID).sorted(), "\(context)")

        // C-GET of patient A's study: pending responses counting down, then success with 5 completed.
        let get = try #require(report.get, "\(context)")
        #expect(get.statuses.last == 0x0000, "\(context)")
        #expect(get.statuses.dropLast().allSatisfy { $0 == 0xFF00 }, "\(context)")
        #expect(get.completed == 5 && get.failed ?? 0 == 0 && get.received == 5, "\(context)")
        ArchiveContent.expectFiles(under: got, are: content.instances(inStudyOf: content.seriesA1), log: context)

        // C-MOVE of series A2 to the client's Storage SCP.
        let move = try #require(report.move, "\(context)")
        #expect(move.statuses.last == 0x0000, "\(context)")
        #expect(move.completed == 2 && move.failed ?? 0 == 0 && move.received == 2, "\(context)")
        ArchiveContent.expectFiles(under: moved, are: content.instances(of: content.seriesA2), log: context)
    }
}
