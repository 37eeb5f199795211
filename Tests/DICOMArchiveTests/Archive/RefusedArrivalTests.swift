@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// An arrival refused after it was placed (its rows cannot be committed: a full disk) leaves
/// nothing in the tree: not its file, and not the study and series directories made for it.
@Suite("Archive: an arrival refused once placed")
struct RefusedArrivalTests {
    @Test("rows refused: the import fails, and neither its file nor its new study's directories stay; a study that had instances keeps its directory")
    func refusedRowsLeaveNoDirectories() async throws {
        let test = try await TestArchive.make(.sqlite)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("refused-arrival")
        var kept = ArchiveFixtures.Instance()
        kept.studyUID = "1.2.826.0.1.3680043.10.543.81"
        kept.seriesUID = "\(kept.studyUID).1"
        kept.sopInstanceUID = "\(kept.seriesUID).1"
        try await test.archive.importFile(at: ArchiveFixtures.write(kept, into: directory))

        // A new study, and a new series of the study stored above.
        var newStudy = kept
        newStudy.studyUID = "1.2.826.0.1.3680043.10.543.82"
        newStudy.seriesUID = "\(newStudy.studyUID).1"
        newStudy.sopInstanceUID = "\(newStudy.seriesUID).1"
        var newSeries = kept
        newSeries.seriesUID = "\(kept.studyUID).2"
        newSeries.sopInstanceUID = "\(newSeries.seriesUID).1"
        for refused in [newStudy, newSeries] {
            try await UnindexedSupersededTests.refuseRows(ofStudy: refused.studyUID, in: test.archive)
            await #expect(throws: ArchiveError.self) { try await test.archive.importFile(at: ArchiveFixtures.write(refused, into: directory)) }
            try await UnindexedSupersededTests.acceptRows(ofStudy: refused.studyUID, in: test.archive)
        }

        let root = test.archive.store.root
        let exists = { (relative: String) in FileManager.default.fileExists(atPath: root + "/" + relative) }
        #expect(!exists(newStudy.studyUID), "the refused instance's new study directory is removed")
        #expect(!exists("\(kept.studyUID)/\(newSeries.seriesUID)"), "the refused instance's new series directory is removed")
        #expect(exists("\(kept.studyUID)/\(kept.seriesUID)"), "the stored instance's directories stay")
        #expect(UnindexedSupersededTests.placedFiles(of: test.archive).count == 1)
    }
}
