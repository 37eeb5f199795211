@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing

/// The archive's C-FIND pending statuses over a real socket (PS3.4 C.4.1.1.4, Table C.4-1):
/// FF00H when every key is matched and returned, from the index or the files (FF01H, for a
/// relational query's key of a lower level, is ``RelationalQueryTests``'); and a result longer
/// than one index page and one response batch arriving whole and in order.
@Suite("qrscp C-FIND pending statuses and long results on loopback")
struct ArchiveFindStatusTests {
    static let study = "1.2.826.0.1.3680043.10.545"

    /// An archive service on loopback holding `studies` one-instance studies of patient FIND,
    /// the n-th with Study Instance UID `study.n`, Accession Number ACC-n (zero-padded, so
    /// that the index's order is the numbers' order) and Institution Name `institution(n)`.
    static func withArchive(
        _ backend: TestBackend, studies: Int, institution: (Int) -> String? = { _ in nil }, _ body: (Association) async throws -> Void
    ) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let source = try ArchiveFixtures.temporaryDirectory("find-status")
        for number in 1...studies {
            var instance = ArchiveFixtures.Instance()
            instance.patientID = "FIND"
            instance.studyUID = Self.studyUID(number)
            instance.seriesUID = "\(Self.studyUID(number)).1"
            instance.sopInstanceUID = "\(Self.studyUID(number)).1.1"
            instance.accession = Self.accession(number)
            if let name = institution(number) { instance.extra = [(.institutionName, .LO, name)] }
            let path = try ArchiveFixtures.write(instance, into: source)
            try await test.archive.importFile(at: path)
        }
        let server = try await ArchiveFixtures.startQRSCP(test.archive)
        defer { Task { await server.shutdown() } }
        var scu = ArchiveEndToEndTests.entity("TEST-SCU")
        try scu.addRequestedContext(.studyRootQueryRetrieveInformationModelFind)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", logger: ArchiveFixtures.logger)
        try await body(association)
        try await association.release()
    }

    static func studyUID(_ number: Int) -> String { "\(study).\(1000 + number)" }
    static func accession(_ number: Int) -> String { "ACC-\(String(1000 + number))" }

    @Test("a study query with Institution Name, which the index does not keep, is matched on one file of each study and answered FF00H",
          arguments: TestBackend.all)
    func keyReadFromFiles(_ backend: TestBackend) async throws {
        try await Self.withArchive(backend, studies: 3, institution: { $0 == 2 ? "ELSEWHERE" : "SOMEWHERE \($0)" }) { association in
            let supported = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientID, .LO, "FIND"), (.studyInstanceUID, .UI, ""), (.accessionNumber, .SH, ""),
            ])))
            #expect(supported.map(\.status.code) == [0xFF00, 0xFF00, 0xFF00, 0x0000])

            let fromFiles = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientID, .LO, "FIND"), (.studyInstanceUID, .UI, ""), (.institutionName, .LO, "SOMEWHERE*"),
            ])))
            #expect(fromFiles.map(\.status.code) == [0xFF00, 0xFF00, 0x0000])
            #expect(fromFiles.compactMap { $0.identifier?.string(.studyInstanceUID) } == [Self.studyUID(1), Self.studyUID(3)])
            #expect(fromFiles.compactMap { $0.identifier?.string(.institutionName) } == ["SOMEWHERE 1", "SOMEWHERE 3"])
            #expect(fromFiles.dropLast().allSatisfy { $0.identifier?.string(.patientID) == "FIND" })

            // At the image level too, from each instance's file.
            let images = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.image, [
                (.studyInstanceUID, .UI, Self.studyUID(1)), (.seriesInstanceUID, .UI, "\(Self.studyUID(1)).1"),
                (.sopInstanceUID, .UI, ""), (.institutionName, .LO, ""),
            ])))
            #expect(images.map(\.status.code) == [0xFF00, 0x0000])
            #expect(images.first?.identifier?.string(.institutionName) == "SOMEWHERE 1")
        }
    }

    @Test("150 matches (three index pages, several response batches) arrive whole, in the index's order, then success",
          arguments: TestBackend.all)
    func longResult(_ backend: TestBackend) async throws {
        let count = 150
        try await Self.withArchive(backend, studies: count) { association in
            let responses = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientID, .LO, "FIND"), (.studyInstanceUID, .UI, ""), (.accessionNumber, .SH, ""),
            ])))
            #expect(responses.count == count + 1)
            #expect(responses.dropLast().allSatisfy { $0.status == .pending })
            #expect(responses.last?.status == .success)
            #expect(responses.last?.identifier == nil)
            #expect(responses.compactMap { $0.identifier?.string(.accessionNumber) } == (1...count).map(Self.accession))
            // The association goes on after a long result.
            let again = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.studyInstanceUID, .UI, Self.studyUID(7)), (.accessionNumber, .SH, ""),
            ])))
            #expect(again.map(\.status) == [.pending, .success])
            #expect(again.first?.identifier?.string(.accessionNumber) == Self.accession(7))
        }
    }
}
