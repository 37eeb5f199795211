import DICOMCore
import Foundation
import Testing
import TestSupport

/// `netdicom qrscp` as a process answering C-FINDs of DCMTK's findscu and pynetdicom's findscu
/// with FF01H (pending, one or more optional keys not supported; PS3.4 C.4.1.1.4) when a query
/// holds a key the archive does not index at the query's level (Institution Name at the study
/// level), and FF00H otherwise; both peers print the status they received. Under `CI=true` a
/// missing peer fails these tests; elsewhere they are skipped.
@Suite("netdicom qrscp's C-FIND pending statuses, read by DCMTK and pynetdicom", .tags(.interop))
struct QRSCPFindStatusInteropTests {
    @Test("findscu reads FF01H (WarningUnsupportedOptionalKeys) for a study query with Institution Name, FF00H without",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func dcmtkFindscu() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }

        let unsupported = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientID", "InstitutionName"], at: archive)
        #expect(unsupported.responses.count == 2, "\(unsupported.log)")
        #expect(Self.count("(Pending: WarningUnsupportedOptionalKeys)", in: unsupported.log) == 2, "\(unsupported.log)")
        #expect(unsupported.log.contains("Received Final Find Response (Success)"), "\(unsupported.log)")

        let supported = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientID"], at: archive)
        #expect(supported.responses.count == 2, "\(supported.log)")
        #expect(Self.count("(Pending: WarningUnsupportedOptionalKeys)", in: supported.log) == 0, "\(supported.log)")
        #expect(Self.count("(Pending)", in: supported.log) == 2, "\(supported.log)")
    }

    @Test("pynetdicom's findscu reads 0xFF01 for a study query with Institution Name, 0xFF00 without",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomFindscu() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }

        func find(_ keys: [String]) async throws -> String {
            let arguments = ["-m", "pynetdicom", "findscu", "-v", "-S", "-aec", archive.aeTitle] + keys.flatMap { ["-k", $0] }
                + ["127.0.0.1", String(archive.port)]
            return try await PeerProcess.run(ExternalTools.require("python"), arguments).stdout
        }
        let unsupported = try await find(["QueryRetrieveLevel=STUDY", "StudyInstanceUID=", "PatientID=", "InstitutionName="])
        #expect(Self.count("- 0xFF01 (Pending)", in: unsupported) == 2, "\(unsupported)\nqrscp:\n\(archive.log)")
        #expect(Self.count("- 0xFF00 (Pending)", in: unsupported) == 0, "\(unsupported)")
        #expect(unsupported.contains("Find SCP Result: 0x0000 (Success)"), "\(unsupported)")

        let supported = try await find(["QueryRetrieveLevel=STUDY", "StudyInstanceUID=", "PatientID="])
        #expect(Self.count("- 0xFF00 (Pending)", in: supported) == 2, "\(supported)\nqrscp:\n\(archive.log)")
        #expect(Self.count("- 0xFF01 (Pending)", in: supported) == 0, "\(supported)")
    }

    static func count(_ needle: String, in log: String) -> Int {
        log.components(separatedBy: needle).count - 1
    }
}
