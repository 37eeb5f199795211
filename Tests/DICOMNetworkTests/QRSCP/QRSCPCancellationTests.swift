import DICOMCore
import Foundation
import Testing
import TestSupport

/// C-CANCEL sent to `netdicom qrscp` by the peers that can send one: DCMTK's movescu
/// (`--cancel N`) and a pynetdicom client for C-GET (DCMTK's getscu cannot cancel). The retrieve
/// must end early with status Cancel (FE00H), every instance that did arrive must be intact,
/// and the archive must go on serving.
///
/// The sub-operation on the wire when the C-CANCEL arrives must finish whole: a data set cut
/// half way leaves the peer waiting for the rest (movescu until its DIMSE timeout) and no Cancel
/// response ever comes.
///
/// C-FIND cancellation is not tested here: qrscp computes its matches before the first response,
/// and on loopback all of them can be on the wire before findscu's C-CANCEL arrives, so the
/// final status is legitimately Success or Cancel. (The C-FIND SCP's cancellation is tested with
/// a slow handler in QueryRetrieveInteropTests.)
@Suite("netdicom qrscp and C-CANCEL from DCMTK and pynetdicom", .tags(.interop))
struct QRSCPCancellationTests {
    /// Enough sub-operations that a C-CANCEL sent after the first pending response arrives while
    /// most are still to do.
    static let instanceCount = 60

    /// A qrscp holding `content`, stored with storescu.
    static func archive(holding content: ArchiveContent, moveDestinations: [String: Int] = [:]) async throws -> QRSCPProcess {
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-cancel"), moveDestinations: moveDestinations)
        let stored = try await DCMTKClient.store(content.files, to: archive)
        #expect(DCMTKClient.successfulStores(in: stored.stdout) == content.instances.count, "\(stored.stdout)")
        return archive
    }

    /// Checks that what arrived in `directory` is a part of `content`, each data set as sent;
    /// returns how many arrived.
    static func expectIntactSubset(under directory: String, of content: ArchiveContent, log: @autoclosure () -> String) -> Int {
        let received = ArchiveContent.receivedDataSets(under: directory)
        let sent = Dictionary(uniqueKeysWithValues: content.instances.map { ($0.sopInstanceUID, $0.dataSetBytes) })
        for (uid, bytes) in received {
            #expect(sent[uid] == bytes, "\(uid) arrived \(sent[uid] == nil ? "but was never sent" : "with a data set other than the one sent"):\n\(log())")
        }
        return received.count
    }

    /// The archive still answers: an image-level find of the study returns every instance.
    static func expectStillServing(_ archive: QRSCPProcess, _ content: ArchiveContent) async throws {
        let images = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "SeriesInstanceUID=\(content.seriesA1.seriesInstanceUID.string)", "SOPInstanceUID"], at: archive)
        #expect(images.responses.count == content.instances.count, "\(images.log)\nqrscp:\n\(archive.log)")
    }

    @Test("movescu --cancel 1 → qrscp: the move ends with Cancel (FE00H) before all sub-operations; what arrived is intact",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func movescuCancelsAMove() async throws {
        let content = try ArchiveContent(count: Self.instanceCount, rows: 128, columns: 128)
        let storePort = PeerProcess.freePort()
        let archive = try await Self.archive(holding: content, moveDestinations: ["MOVESCU": storePort])
        defer { archive.peer.stop() }
        let output = try TestInstances.temporaryDirectory("movescu-cancel")
        do {
            // A DIMSE timeout, so that a half-sent sub-operation fails the test in seconds.
            let result = try await DCMTKClient.move(.studyRoot, [
                "QueryRetrieveLevel=STUDY", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)"],
                from: archive, to: "MOVESCU", extraArguments: ["+P", String(storePort), "-od", output, "--cancel", "1", "-td", "10"])
            let log = "movescu:\n\(result.stdout)\nqrscp:\n\(archive.log)"
            #expect(result.stdout.contains("Sending Cancel Request"), "\(log)")
            #expect(result.stdout.contains("Received Final Move Response (Cancel: SubOperationsTerminatedDueToCancelIndication)"), "\(log)")
            #expect(!result.stdout.contains("Association Release Failed"), "\(log)")
            let arrived = Self.expectIntactSubset(under: output, of: content, log: log)
            #expect(arrived >= 1 && arrived < Self.instanceCount, "\(arrived) of \(Self.instanceCount) arrived:\n\(log)")
        }
        try await Self.expectStillServing(archive, content)
    }

    @Test("pynetdicom C-GET, C-CANCEL after the first pending response → qrscp: final Cancel (FE00H) with consistent counts",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomCancelsAGet() async throws {
        let content = try ArchiveContent(count: Self.instanceCount, rows: 128, columns: 128)
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }
        let output = try TestInstances.temporaryDirectory("pynetdicom-get-cancel")
        do {
            let (report, clientLog) = try await PynetdicomArchiveClient.run([
                "cancel-get", String(archive.port), archive.aeTitle, "-", content.seriesA1.studyInstanceUID.string, "-", output, "-", "0"])
            let log = "pynetdicom:\n\(clientLog)\nqrscp:\n\(archive.log)"
            let get = try #require(report.get, "\(log)")
            #expect(get.statuses.last == 0xFE00, "\(log)")
            #expect(get.statuses.dropLast().allSatisfy { $0 == 0xFF00 }, "\(log)")
            let completed = try #require(get.completed, "\(log)")
            #expect(completed >= 1 && completed < Self.instanceCount, "\(log)")
            // A Cancel response's counts add up to the matches: those not performed are Remaining.
            #expect(completed + (get.failed ?? 0) + (get.warning ?? 0) + (get.remaining ?? 0) == Self.instanceCount, "\(log)")
            #expect(get.received == completed, "\(log)")
            #expect(Self.expectIntactSubset(under: output, of: content, log: log) == get.received, "\(log)")
        }
        try await Self.expectStillServing(archive, content)
    }
}
