@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// The index's search read a page at a time (``IndexSearchCursor``): every match once, in key
/// order, across many pages; the first match after the first page; cancellation before the
/// next page.
@Suite("Archive index: searches stream page by page")
struct IndexStreamingTests {
    static let studyCount = 300

    /// An archive of `studyCount` one-instance studies recorded straight into the index (no
    /// files: the searches here never read them). Every third study is of patient "ODD"; even
    /// studies are at 10:15, odd ones at 20:15.
    static func withStudies(_ backend: TestBackend, _ body: (Archive) async throws -> Void) async throws {
        let test = try await TestArchive.make(backend)
        do {
            for number in 1...studyCount {
                var instance = ArchiveFixtures.Instance()
                instance.patientID = number % 3 == 0 ? "ODD" : "PAT-\(number)"
                instance.studyUID = "1.2.826.0.1.3680043.10.545.\(number)"
                instance.seriesUID = "\(instance.studyUID).1"
                instance.sopInstanceUID = "\(instance.seriesUID).1"
                instance.studyDate = String(format: "2024%02d%02d", number % 12 + 1, number % 28 + 1)
                instance.studyTime = number % 2 == 0 ? "101500" : "201500"
                let dataSet = ArchiveFixtures.dataSet(instance)
                try await test.archive.index.record(IndexedInstance(
                    dataSet: dataSet, path: "unused/\(number).dcm", fileSize: 1, transferSyntaxUID: UID.explicitVRLittleEndian.string))
            }
            try await body(test.archive)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    static func studyQuery(_ keys: [(Tag, VR, String)]) throws -> Query {
        try Query(identifier: ArchiveFixtures.identifier(.study, keys + [(.studyInstanceUID, .UI, "")]))
    }

    @Test("pages of growing size give every match once, in key order, with SQL and Swift filters", arguments: TestBackend.all)
    func everyMatchOnce(_ backend: TestBackend) async throws {
        try await Self.withStudies(backend) { archive in
            // Patient ID is narrowed in SQL; the TM range on Study Time only in Swift (all match).
            let query = try Self.studyQuery([(.patientID, .LO, "ODD"), (.studyTime, .TM, "0000-2359")])
            let cursor = try archive.index.cursor(query, level: .study, firstPageSize: 4)
            var uids: [String] = []
            while let match = try await cursor.next() {
                uids.append(match.attributes.string(.studyInstanceUID) ?? "")
            }
            let expected = (1...Self.studyCount).filter { $0 % 3 == 0 }.map { "1.2.826.0.1.3680043.10.545.\($0)" }
            #expect(uids.count == expected.count)
            #expect(Set(uids) == Set(expected))
            #expect(uids == uids.sorted(), "keyset pages follow the study UID order")
            let pages = cursor.pagesRead
            #expect(pages > 4, "several pages: \(pages)")
            #expect(cursor.rowsRead == expected.count, "the SQL prefilter kept only ODD's studies")

            let all = try await archive.index.search(try Self.studyQuery([]), level: .study)
            #expect(all.count == Self.studyCount)
            #expect(Set(all.compactMap { $0.attributes.string(.studyInstanceUID) }).count == Self.studyCount)
        }
    }

    @Test("page by page, a cursor gives the matches next() gives, a page's at once, with pages left empty by Swift skipped", arguments: TestBackend.all)
    func pagesGiveTheSameMatches(_ backend: TestBackend) async throws {
        try await Self.withStudies(backend) { archive in
            // Study Date is narrowed in SQL to two months, Study Time only in Swift (the even
            // studies): pages of two rows may hold no match.
            let query = try Self.studyQuery([(.studyDate, .DA, "20240301-20240430"), (.studyTime, .TM, "1000-1100")])
            let one = try archive.index.cursor(query, level: .study, firstPageSize: 2)
            var expected: [String] = []
            while let match = try await one.next() { expected.append(match.attributes.string(.studyInstanceUID) ?? "") }
            #expect(!expected.isEmpty)

            let paged = try archive.index.cursor(query, level: .study, firstPageSize: 2)
            var uids: [String] = []
            var pages = 0
            while let page = try await ArchiveIndex.nextPage(of: paged) {
                #expect(!page.isEmpty, "a page without matches is skipped, not returned")
                pages += 1
                uids += page.map { $0.attributes.string(.studyInstanceUID) ?? "" }
            }
            #expect(uids == expected)
            #expect(pages <= paged.pagesRead)
            #expect(paged.rowsRead == one.rowsRead)
            #expect(try await ArchiveIndex.nextPage(of: paged) == nil, "the end stays the end")

            // After next() has taken the first match, nextPage() gives the rest of that page.
            let mixed = try archive.index.cursor(query, level: .study, firstPageSize: 64)
            let first = try #require(try await mixed.next())
            let rest = try #require(try await mixed.nextPage())
            #expect([first.attributes.string(.studyInstanceUID) ?? ""] + rest.map { $0.attributes.string(.studyInstanceUID) ?? "" } == Array(expected.prefix(1 + rest.count)))
        }
    }

    @Test("the first match comes after the first page, not after the whole result", arguments: TestBackend.all)
    func firstMatchEarly(_ backend: TestBackend) async throws {
        try await Self.withStudies(backend) { archive in
            let cursor = try archive.index.cursor(try Self.studyQuery([]), level: .study)
            #expect(cursor.rowsRead == 0, "nothing is read before the first next()")
            let first = try await cursor.next()
            #expect(first != nil)
            #expect(cursor.pagesRead == 1)
            #expect(cursor.rowsRead == IndexSearchCursor.firstPageSize)
            #expect(cursor.rowsRead < Self.studyCount)
        }
    }

    @Test("cancelling the consuming task stops the search before its next page", arguments: TestBackend.all)
    func cancellationStopsTheSearch(_ backend: TestBackend) async throws {
        try await Self.withStudies(backend) { archive in
            let cursor = try archive.index.cursor(try Self.studyQuery([]), level: .study, firstPageSize: 8)
            let stream = AsyncThrowingStream(unfolding: { try await ArchiveIndex.next(of: cursor) })
            let firstSeen = AsyncStream<Void>.makeStream()
            let consumer = Task {
                var count = 0
                do {
                    for try await _ in stream {
                        count += 1
                        if count == 1 { firstSeen.continuation.yield() }
                        // Wait for the cancellation before asking for more.
                        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                    }
                } catch is CancellationError {
                    // A cancelled iteration may end with CancellationError or nil: both stop it.
                }
                return count
            }
            for await _ in firstSeen.stream { break }
            consumer.cancel()
            let consumed = try await consumer.value
            #expect(consumed <= 8, "no match beyond the first page was produced: \(consumed)")
            #expect(cursor.pagesRead == 1)
            #expect(cursor.rowsRead == 8)
        }
    }

    @Test("the stream reads only the query's keys above the image level; search() reads every column", arguments: TestBackend.all)
    func streamReadsKeysOnly(_ backend: TestBackend) async throws {
        try await Self.withStudies(backend) { archive in
            let query = try Self.studyQuery([(.patientID, .LO, "ODD"), (.accessionNumber, .SH, "")])
            var iterator = try archive.index.matches(query, level: .study).makeAsyncIterator()
            let streamed = try #require(try await iterator.next())
            #expect(streamed.attributes.string(.patientID) == "ODD")
            #expect(streamed.attributes.string(.accessionNumber) == "ACC-1")
            #expect(streamed.attributes[.patientName] == nil, "not asked, not read")
            let searched = try #require(try await archive.index.search(query, level: .study).first)
            #expect(searched.attributes.string(.patientName) == "SMITH^JOHN")
        }
    }

    @Test("C-FIND responses stream from the service with the same bounds", arguments: TestBackend.all)
    func serviceStreams(_ backend: TestBackend) async throws {
        try await Self.withStudies(backend) { archive in
            let service = ArchiveService(archive: archive, aeTitle: "QRSCP", logger: ArchiveFixtures.logger)
            let query = try Self.studyQuery([(.patientID, .LO, "ODD"), (.numberOfStudyRelatedInstances, .IS, "")])
            var count = 0
            for try await response in try service.responseStream(to: query, level: .study) {
                #expect(response.integer(.numberOfStudyRelatedInstances) == 1)
                #expect(response.string(.patientID) == "ODD")
                count += 1
            }
            #expect(count == Self.studyCount / 3)
        }
    }
}
