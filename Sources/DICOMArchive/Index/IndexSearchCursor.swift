import DICOMCore
import SQLKit

/// Walks the rows of one index search a page at a time, so that a query with 100,000 matches
/// holds one page in memory, and its first match is answered after the first page rather than
/// after the whole result.
///
/// Pages are keyset-paginated on the level's primary key (`… AND study.study_uid > last ORDER
/// BY study.study_uid LIMIT n`): each page costs what its rows cost, never a rescan of the rows
/// before it, and the order is the same on SQLite and PostgreSQL. The first page is small, so
/// that the first pending response leaves soon; pages then double up to
/// ``maximumPageSize``, so that long results take few statements.
///
/// Each page runs on a connection lent for that page only: a slow consumer (a peer reading C-FIND
/// responses slowly) holds no connection, and no transaction is kept open. An instance recorded
/// while a search runs may or may not be seen by the pages still to come.
///
/// On SQLite the pages are read through the ``SQLiteReader``, on the task's own thread (the
/// association's event loop, for a C-FIND): no thread hop and no statement parsed twice. A page
/// holds that thread for as long as SQLite takes over its rows, which the page size bounds.
/// PostgreSQL pages go through the pool's connections (SQLKit).
actor IndexSearchCursor {
    /// The rows of the first page.
    static let firstPageSize = 64
    /// The largest page: bounds the rows (and their data sets) held at once.
    static let maximumPageSize = 2_048

    private let index: ArchiveIndex
    private let search: IndexSearch
    private var pageSize: Int
    private var lastKey: String?
    private var buffered: [IndexMatch] = []
    private var position = 0
    private var exhausted = false
    /// Rows read from the database so far (before Swift matching), for tests and logs.
    private(set) var rowsRead = 0
    /// Pages fetched so far.
    private(set) var pagesRead = 0

    init(index: ArchiveIndex, search: IndexSearch, firstPageSize: Int = IndexSearchCursor.firstPageSize) {
        self.index = index
        self.search = search
        self.pageSize = firstPageSize
    }

    /// The next match, or nil at the end. Throws `CancellationError` when the task is cancelled
    /// before a page is fetched (a C-CANCEL), so that no further statement runs.
    func next() async throws -> IndexMatch? {
        while position == buffered.count {
            if exhausted { return nil }
            try Task.checkCancellation()
            try await fetchPage()
        }
        defer { position += 1 }
        return buffered[position]
    }

    private func fetchPage() async throws {
        // An instance acknowledged before its rows committed is found by every search, not only
        // those that ArchiveService starts.
        if pagesRead == 0 { await index.awaitSubmittedRecords() }
        let limit = pageSize
        let after = lastKey
        let search = self.search
        let page: IndexSearch.Page
        if let reader = index.pool.reader {
            page = try await reader.withDatabase(logger: index.logger) { database in
                try await search.page(after: after, limit: limit, in: database)
            }
        } else {
            page = try await index.pool.withDatabase(logger: index.logger) { database in
                try await search.page(after: after, limit: limit, in: database)
            }
        }
        rowsRead += page.rowCount
        pagesRead += 1
        lastKey = page.lastKey
        exhausted = page.rowCount < limit || page.lastKey == nil
        buffered = page.matches
        position = 0
        pageSize = min(pageSize * 2, Self.maximumPageSize)
    }
}
