@testable import DICOMArchive
import DICOMCore
import NIOCore
import Testing

/// C-FIND response identifiers written straight from index rows (``FindResponseEncoder``) are
/// the bytes the data set path gives: ``ArchiveService/responses(to:level:)`` (the query's
/// response for each row's data set, with the Retrieve AE Title and Instance Availability the
/// service supplies) encoded by ``DataSetWriter``.
@Suite("Archive: C-FIND responses encoded from index rows")
struct FindResponseEncoderTests {
    static let patientComments = Tag(group: 0x0010, element: 0x4000)
    static let otherStudyNumbers = Tag(group: 0x0020, element: 0x1070)
    static let syntaxes: [TransferSyntax] = [.explicitVRLittleEndian, .implicitVRLittleEndian]

    /// Queries at every level above the image: keys of the level and above, counts and lists,
    /// supplied keys, keys the index lacks (indexed or not, with odd VRs), keys of a lower
    /// level, matching keys decided in SQL and in Swift, UTF-8 names.
    static let queries: [(QueryRetrieveLevel, [(Tag, VR, String)])] = [
        (.study, [
            (.studyInstanceUID, .UI, ""), (.patientName, .PN, ""), (.patientID, .LO, ""), (.studyDate, .DA, ""),
            (.studyTime, .TM, ""), (.accessionNumber, .SH, ""), (.studyID, .SH, ""), (.studyDescription, .LO, ""),
        ]),
        (.study, [
            (.studyInstanceUID, .UI, ""), (.patientName, .PN, ""), (.referringPhysicianName, .PN, ""),
            (.numberOfStudyRelatedInstances, .IS, ""), (.numberOfStudyRelatedSeries, .IS, ""),
            (.modalitiesInStudy, .CS, ""), (.sopClassesInStudy, .UI, ""), (.retrieveAETitle, .AE, ""),
            (.instanceAvailability, .CS, ""), (patientComments, .LT, ""), (otherStudyNumbers, .IS, ""),
            (.seriesInstanceUID, .UI, ""), (.modality, .CS, ""), (.patientSex, .CS, ""),
        ]),
        (.study, [(.studyInstanceUID, .UI, ""), (.patientName, .PN, "M*"), (.studyDate, .DA, "")]),
        (.study, [(.studyInstanceUID, .UI, "1.2.826.0.1.3680043.10.543.1"), (.studyDescription, .LO, "")]),
        (.study, [
            (.studyInstanceUID, .UI, ""), (.numberOfPatientRelatedStudies, .IS, ""), (.numberOfPatientRelatedInstances, .IS, "4"),
            (.numberOfStudyRelatedSeries, .IS, ""),
        ]),
        (.study, [(.studyInstanceUID, .UI, ""), (.modalitiesInStudy, .CS, "MR"), (.patientID, .LO, "PAT-1")]),
        (.patient, [
            (.patientID, .LO, ""), (.patientName, .PN, ""), (.patientBirthDate, .DA, ""), (.patientSex, .CS, ""),
            (.numberOfPatientRelatedStudies, .IS, ""), (.numberOfPatientRelatedSeries, .IS, ""),
            (.numberOfPatientRelatedInstances, .IS, ""), (.retrieveAETitle, .AE, ""),
        ]),
        (.patient, [(.patientID, .LO, ""), (.patientName, .PN, "Müller*")]),
        (.series, [
            (.studyInstanceUID, .UI, "1.2.826.0.1.3680043.10.543.1"), (.seriesInstanceUID, .UI, ""), (.modality, .CS, ""),
            (.seriesNumber, .IS, ""), (.numberOfSeriesRelatedInstances, .IS, ""), (.seriesDescription, .LO, ""),
            (.sopInstanceUID, .UI, ""),
        ]),
        (.series, [(.studyInstanceUID, .UI, "1.2.826.0.1.3680043.10.543.3"), (.seriesInstanceUID, .UI, ""), (.seriesNumber, .IS, "5")]),
    ]

    @Test("the encoded identifiers are the data set path's bytes", arguments: TestBackend.all)
    func sameBytes(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        do {
            try await ArchiveFixtures.populate(test.archive)
            let service = ArchiveService(archive: test.archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger)
            for (level, keys) in Self.queries {
                let query = try Query(identifier: ArchiveFixtures.identifier(level, keys))
                let expected = try await service.responses(to: query, level: level)
                #expect(!expected.isEmpty, "every query here matches: \(level) \(keys.map(\.0))")
                for syntax in Self.syntaxes {
                    let cursor = try #require(try test.archive.index.encodingCursor(query, level: level, aeTitle: "QRSCP", transferSyntax: syntax))
                    var encoded: [ByteBuffer] = []
                    while let match = try await cursor.next() {
                        encoded.append(try #require(match.response))
                    }
                    let written = try expected.map { try DataSetWriter.encode($0, transferSyntax: syntax) }
                    #expect(encoded.count == written.count, "\(level) \(keys.map(\.0)) in \(syntax.uid)")
                    for (ours, theirs) in zip(encoded, written) {
                        #expect(Array(ours.readableBytesView) == Array(theirs.readableBytesView), "\(level) \(keys.map(\.0)) in \(syntax.uid)")
                    }
                }
            }
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    @Test("the image level, sequence keys and big endian keep the data set path")
    func dataSetPathWhereNeeded() async throws {
        let test = try await TestArchive.make(.sqlite)
        do {
            let index = test.archive.index
            let study = try Query(identifier: ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, "")]))
            #expect(try index.encodingCursor(study, level: .study, aeTitle: "QRSCP", transferSyntax: .explicitVRBigEndian) == nil)
            #expect(try index.encodingCursor(study, level: .study, aeTitle: "QRSCP", transferSyntax: .deflatedExplicitVRLittleEndian) == nil)
            #expect(try index.encodingCursor(study, level: .study, aeTitle: "QRSCP", transferSyntax: .explicitVRLittleEndian) != nil)
            let image = try Query(identifier: ArchiveFixtures.identifier(.image, [(.sopInstanceUID, .UI, "")]))
            #expect(try index.encodingCursor(image, level: .image, aeTitle: "QRSCP", transferSyntax: .explicitVRLittleEndian) == nil)
            var identifier = ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, "")])
            identifier[.referencedStudySequence] = DataElement(tag: .referencedStudySequence, vr: .SQ, items: [])
            let withSequence = try Query(identifier: identifier)
            #expect(try index.encodingCursor(withSequence, level: .study, aeTitle: "QRSCP", transferSyntax: .explicitVRLittleEndian) == nil)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }
}
