import DICOMCore
import Foundation
import Testing
import TestSupport

/// A query naming a Specific Character Set the archive does not know: matched all the same
/// (its ASCII text reads right with the fallback), and the archive's log says so.
@Suite("qrscp: a query in an unknown character set", .tags(.interop))
struct QRSCPQueryCharacterSetTests {
    @Test("DCMTK findscu with Specific Character Set ISO_IR 999: the patient is found, and the archive logs the unknown term",
          .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func unknownTerm() async throws {
        let content = try ArchiveContent()
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-charset"))
        defer { archive.peer.stop() }
        let stored = try await DCMTKClient.store(content.files, to: archive)
        try #require(stored.status == 0, "\(stored.stdout)\nqrscp:\n\(archive.log)")

        let found = try await DCMTKClient.find(
            .patientRoot, ["QueryRetrieveLevel=PATIENT", "SpecificCharacterSet=ISO_IR 999", "PatientName=ALPHA*", "PatientID"], at: archive)
        #expect(found.status == 0, "\(found.log)")
        #expect(found.responses.map { $0.string(.patientID) } == [ArchiveContent.patientAID], "\(found.log)\nqrscp:\n\(archive.log)")
        #expect(archive.log.contains("the query names Specific Character Set ISO_IR 999, which is unknown"), "\(archive.log)")
    }
}
