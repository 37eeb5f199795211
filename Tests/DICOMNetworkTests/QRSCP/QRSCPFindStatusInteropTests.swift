import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` as a process answering C-FINDs of DCMTK's findscu and pynetdicom's findscu
/// for a key its index does not keep (Patient's Age, a study-level attribute of the files): the
/// value is read from one instance of each study and the matches are answered FF00H (pending),
/// not FF01H (optional keys not supported; PS3.4 C.4.1.1.4), which a relational query's key of a
/// lower level still gets (``QRSCPHierarchicalKeysTests``). Both peers print the status and
/// identifier they received. Under `CI=true` a missing peer fails these tests; elsewhere they
/// are skipped.
@Suite("netdicom qrscp's C-FIND of a key the index does not keep, read by DCMTK and pynetdicom", .tags(.interop))
struct QRSCPFindStatusInteropTests {
    @Test("findscu: a study query with Patient's Age gets the files' value and FF00H; a value that no file has matches nothing",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func dcmtkFindscu() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }

        let found = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientID", "PatientAge"], at: archive)
        #expect(found.responses.count == 2, "\(found.log)")
        #expect(found.responses.map { $0.string(.patientAge) } == ["054Y", "054Y"], "\(found.log)")
        #expect(Self.count("(Pending: WarningUnsupportedOptionalKeys)", in: found.log) == 0, "\(found.log)")
        #expect(Self.count("(Pending)", in: found.log) == 2, "\(found.log)")
        #expect(found.log.contains("Received Final Find Response (Success)"), "\(found.log)")

        let none = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientAge=060Y"], at: archive)
        #expect(none.responses.isEmpty, "\(none.log)")
        #expect(none.log.contains("Received Final Find Response (Success)"), "\(none.log)")
    }

    @Test("pynetdicom's findscu: a study query with Patient's Age gets 0xFF00 and the files' value",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomFindscu() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }

        let arguments = ["-m", "pynetdicom", "findscu", "-v", "-S", "-aec", archive.aeTitle]
            + ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=", "PatientID=", "PatientAge="].flatMap { ["-k", $0] }
            + ["127.0.0.1", String(archive.port)]
        let output = try await PeerProcess.run(ExternalTools.require("python"), arguments)
        let log = output.stdout
        #expect(Self.count("- 0xFF00 (Pending)", in: log) == 2, "\(log)\nqrscp:\n\(archive.log)")
        #expect(Self.count("- 0xFF01 (Pending)", in: log) == 0, "\(log)")
        #expect(Self.count("(0010,1010) AS [054Y]", in: log) == 2, "\(log)")
        #expect(log.contains("Find SCP Result: 0x0000 (Success)"), "\(log)")
    }

    static func count(_ needle: String, in log: String) -> Int {
        log.components(separatedBy: needle).count - 1
    }
}
