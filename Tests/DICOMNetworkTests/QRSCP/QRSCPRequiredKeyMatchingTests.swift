import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// PS3.4 C.2.2.1.1 over the wire: "If a C-FIND SCP manages an entity with a Required Key of zero
/// length, the value is considered unknown and all matching against the zero length Required Key
/// shall be considered a successful match." A study stored without Study Time is found by a Study
/// Time range, an instance without Instance Number by an Instance Number, both asked by DCMTK's
/// findscu; a combined date-time range (negotiated by pynetdicom) finds a study without a time
/// whose day meets the range. An Optional Key the archive supports (Study Description) is
/// matched in the same manner, as its FF00H pending status says. Under
/// `CI=true` a missing peer fails these tests; elsewhere they are skipped.
@Suite("netdicom qrscp: an unknown Required or supported Optional Key matches every key (PS3.4 C.2.2.1.1)", .tags(.interop))
struct QRSCPRequiredKeyMatchingTests {
    /// Two studies of one patient: `timed` at 10:15 on 2024-03-15 with instances 1 and 2, and
    /// `untimed` on the same day with no Study Time, no Study Description and one instance
    /// without an Instance Number.
    struct Content {
        let directory: String
        let files: [String]
        let timed: TestInstances.Study
        let untimed: TestInstances.Study
        let numbered: [String]
        let unnumbered: String

        init() throws {
            directory = try TestInstances.temporaryDirectory("qrscp-required")
            timed = TestInstances.Study(patientID: "REQ-PAT", patientName: "REQUIRED^RITA")
            untimed = TestInstances.Study(patientID: "REQ-PAT", patientName: "REQUIRED^RITA")
            var files: [String] = []
            var numbered: [String] = []
            for number in 1...2 {
                let dataSet = try TestInstances.ct(timed, instanceNumber: number, rows: 4, columns: 4)
                files.append(try TestInstances.write(dataSet, into: directory))
                numbered.append(dataSet.uid(.sopInstanceUID)?.string ?? "")
            }
            var bare = try TestInstances.ct(untimed, instanceNumber: 1, rows: 4, columns: 4)
            _ = bare.remove(.studyTime)
            _ = bare.remove(.studyDescription)
            _ = bare.remove(.instanceNumber)
            files.append(try TestInstances.write(bare, into: directory))
            unnumbered = bare.uid(.sopInstanceUID)?.string ?? ""
            self.files = files
            self.numbered = numbered
        }
    }

    static func archive(holding content: Content) async throws -> QRSCPProcess {
        try await QRSCPProcess.holding(content.files, label: "qrscp-required-archive")
    }

    @Test("findscu: a Study Time range finds the study without a time, an Instance Number the instance without one",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func findscuMatchesUnknownRequiredKeys() async throws {
        let content = try Content()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        let studies = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyTime=1000-1100"], at: archive)
        #expect(Set(studies.responses.compactMap { $0.uid(.studyInstanceUID)?.string })
                == [content.timed.studyInstanceUID.string, content.untimed.studyInstanceUID.string], "\(studies.log)")
        let untimed = studies.responses.first { $0.uid(.studyInstanceUID) == content.untimed.studyInstanceUID }
        #expect(untimed?[.studyTime]?.bytes?.readableBytes == 0, "the unknown time comes back zero length: \(studies.log)")

        // A time outside the stored one: the study without a time still matches, the other not.
        let late = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyTime=1800-"], at: archive)
        #expect(late.responses.compactMap { $0.uid(.studyInstanceUID)?.string } == [content.untimed.studyInstanceUID.string], "\(late.log)")

        // Study Description is an Optional Key the archive supports: its unknown value matches
        // as a Required Key's does; a known one that does not match still excludes.
        let described = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyDescription=SYNTHETIC*"], at: archive)
        #expect(Set(described.responses.compactMap { $0.uid(.studyInstanceUID)?.string })
                == [content.timed.studyInstanceUID.string, content.untimed.studyInstanceUID.string], "\(described.log)")
        let otherwise = try await DCMTKClient.find(.studyRoot, [
            "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyDescription=ELSEWHERE*"], at: archive)
        #expect(otherwise.responses.compactMap { $0.uid(.studyInstanceUID)?.string } == [content.untimed.studyInstanceUID.string], "\(otherwise.log)")

        for study in [content.timed, content.untimed] {
            let images = try await DCMTKClient.find(.studyRoot, [
                "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=\(study.studyInstanceUID.string)",
                "SeriesInstanceUID=\(study.seriesInstanceUID.string)", "SOPInstanceUID", "InstanceNumber=1"], at: archive)
            let expected = study.studyInstanceUID == content.timed.studyInstanceUID ? [content.numbered[0]] : [content.unnumbered]
            #expect(images.responses.compactMap { $0.uid(.sopInstanceUID)?.string } == expected, "\(images.log)")
        }
    }

    @Test("pynetdicom with combined date-time matching: a study without a time matches when its day meets the range",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func combinedDateTimeWithUnknownTime() async throws {
        let content = try Content()
        let archive = try await Self.archive(holding: content)
        defer { archive.peer.stop() }

        // From noon on the studies' day: the 10:15 study is before it, the untimed one's day meets it.
        let output = try await PeerProcess.run(ExternalTools.require("python"), [
            "-c", Self.combinedFindScript, String(archive.port), archive.aeTitle, "20240315-20240316", "1200-1200"])
        let found = output.stdout.split(separator: "\n").filter { $0.hasPrefix("MATCH ") }.map { String($0.dropFirst(6)) }
        #expect(output.stdout.contains("FINAL 0000"), "\(output.stdout)\nqrscp:\n\(archive.log)")
        #expect(found == [content.untimed.studyInstanceUID.string], "\(output.stdout)")
    }

    /// A Study Root C-FIND at the study level with relational queries and combined date-time
    /// matching proposed; prints `MATCH uid` per match and `FINAL status`. Arguments: port, AE
    /// title, Study Date, Study Time.
    static let combinedFindScript = #"""
        import sys
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        from pynetdicom.pdu_primitives import SOPClassExtendedNegotiation
        from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as FIND

        port, aet, date, time = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        ae = AE(ae_title="PYNET-SCU")
        ae.add_requested_context(FIND)
        negotiation = SOPClassExtendedNegotiation()
        negotiation.sop_class_uid = FIND
        negotiation.service_class_application_information = bytes([1, 1])
        assoc = ae.associate("127.0.0.1", port, ae_title=aet, ext_neg=[negotiation])
        if not assoc.is_established:
            sys.exit("association refused")
        query = Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.StudyInstanceUID = ""
        query.StudyDate = date
        query.StudyTime = time
        for status, identifier in assoc.send_c_find(query, FIND):
            if status is None:
                sys.exit("no response")
            if identifier is not None:
                print("MATCH " + identifier.StudyInstanceUID, flush=True)
            else:
                print("FINAL %04X" % status.Status, flush=True)
        assoc.release()
        """#
}
