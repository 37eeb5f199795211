import DICOMCore
import Foundation
import Testing
import TestSupport

/// A hierarchical C-FIND may hold only the keys allowable for its level (PS3.4 C.4.1.1.3.1,
/// C.4.1.2.2): one with a key of a lower level (Modality in a study query, Study Date in a
/// patient query) is refused with A900H (Identifier does not match SOP Class), as pynetdicom's
/// qrscp does, rather than answered with every study as if the key were not there. With
/// relational queries negotiated the same key is an optional key the archive does not support:
/// the matches come with FF01H. Under `CI=true` a missing peer fails these tests; elsewhere they
/// are skipped.
@Suite("netdicom qrscp: keys below the query level", .tags(.interop))
struct QRSCPHierarchicalKeysTests {
    @Test("findscu: a key of a lower level in a hierarchical query is refused with A900H; Modalities in Study is the study's own key",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func findscuKeyBelowLevel() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }

        let refused = "Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)"
        let modality = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "Modality=CT"], at: archive)
        #expect(modality.log.contains(refused), "\(modality.log)")
        #expect(modality.responses.isEmpty, "\(modality.log)")

        let seriesKey = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "SeriesInstanceUID"], at: archive)
        #expect(seriesKey.log.contains(refused), "\(seriesKey.log)")

        let studyDate = try await DCMTKClient.find(.patientRoot, [
            "QueryRetrieveLevel=PATIENT", "PatientID", "StudyDate=20240315"], at: archive)
        #expect(studyDate.log.contains(refused), "\(studyDate.log)")

        let modalities = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "ModalitiesInStudy=CT"], at: archive)
        #expect(modalities.log.contains("Received Final Find Response (Success)"), "\(modalities.log)")
        #expect(modalities.responses.count == 2, "\(modalities.log)")
    }

    @Test("pynetdicom: the same study query with Modality is refused (A900H) when hierarchical, answered FF01H per study when relational",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomRelationalOrNot() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPDCMTKInteropTests.archive(holding: content)
        defer { archive.peer.stop() }

        func statuses(relational: Bool) async throws -> String {
            let output = try await PeerProcess.run(ExternalTools.require("python"), [
                "-c", Self.findScript, String(archive.port), archive.aeTitle, relational ? "1" : "0"])
            return output.stdout.split(separator: "\n").first { $0.hasPrefix("STATUSES ") }.map { String($0.dropFirst(9)) }
                ?? "no statuses:\n\(output.stdout)"
        }
        #expect(try await statuses(relational: false) == "A900", "qrscp:\n\(archive.log)")
        #expect(try await statuses(relational: true) == "FF01 FF01 0000", "qrscp:\n\(archive.log)")
    }

    /// A Study Root study query with Modality CT, relational queries proposed when the third
    /// argument is 1; prints `STATUSES` and each response's status. Arguments: port, AE title,
    /// relational.
    static let findScript = #"""
        import sys
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        from pynetdicom.pdu_primitives import SOPClassExtendedNegotiation
        from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as FIND

        port, aet, relational = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
        ae = AE(ae_title="PYNET-SCU")
        ae.add_requested_context(FIND)
        negotiation = SOPClassExtendedNegotiation()
        negotiation.sop_class_uid = FIND
        negotiation.service_class_application_information = b"\x01"
        assoc = ae.associate("127.0.0.1", port, ae_title=aet, ext_neg=[negotiation] if relational else [])
        if not assoc.is_established:
            sys.exit("association refused")
        query = Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.StudyInstanceUID = ""
        query.Modality = "CT"
        codes = ["%04X" % status.Status for status, _ in assoc.send_c_find(query, FIND) if status is not None]
        print("STATUSES " + " ".join(codes), flush=True)
        assoc.release()
        """#
}
