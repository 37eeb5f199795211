import DICOMCore
import SQLKit
import Synchronization

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
///
/// Not an actor: a C-FIND's matches come from its one consuming task, and a hop onto an actor
/// for every match let the response sender run between matches, one socket write each. The
/// state is behind a mutex that is never held across the page's `await`.
final class IndexSearchCursor: Sendable {
    /// The rows of the first page.
    static let firstPageSize = 64
    /// The largest page: bounds the rows (and their data sets) held at once.
    static let maximumPageSize = 2_048

    private struct State {
        var pageSize: Int
        var lastKey: String?
        var buffered: [IndexMatch] = []
        var position = 0
        var exhausted = false
        var rowsRead = 0
        var pagesRead = 0
    }

    private let index: ArchiveIndex
    private let search: IndexSearch
    private let state: Mutex<State>

    /// Rows read from the database so far (before Swift matching), for tests and logs.
    var rowsRead: Int { state.withLock { $0.rowsRead } }
    /// Pages fetched so far.
    var pagesRead: Int { state.withLock { $0.pagesRead } }

    init(index: ArchiveIndex, search: IndexSearch, firstPageSize: Int = IndexSearchCursor.firstPageSize) {
        self.index = index
        self.search = search
        self.state = Mutex(State(pageSize: firstPageSize))
    }

    /// The next match, or nil at the end. Throws `CancellationError` when the task is cancelled
    /// before a page is fetched (a C-CANCEL), so that no further statement runs. One consumer
    /// at a time, as an iterator is used.
    func next() async throws -> IndexMatch? {
        while true {
            enum Step { case match(IndexMatch), end, fetch(Fetch) }
            let step = state.withLock { state -> Step in
                if state.position < state.buffered.count {
                    defer { state.position += 1 }
                    return .match(state.buffered[state.position])
                }
                if state.exhausted { return .end }
                return .fetch(Fetch(state))
            }
            switch step {
            case .match(let match): return match
            case .end: return nil
            case .fetch(let fetch): try await read(fetch)
            }
        }
    }

    /// The matches not yet taken of the next page that has any, or nil at the end: a page's
    /// matches in one step rather than one each (``next()``). Cancellation as for ``next()``.
    func nextPage() async throws -> [IndexMatch]? {
        while true {
            enum Step { case matches([IndexMatch]), end, fetch(Fetch) }
            let step = state.withLock { state -> Step in
                if state.position < state.buffered.count {
                    defer { state.position = state.buffered.count }
                    return .matches(state.position == 0 ? state.buffered : Array(state.buffered[state.position...]))
                }
                if state.exhausted { return .end }
                return .fetch(Fetch(state))
            }
            switch step {
            case .matches(let matches): return matches
            case .end: return nil
            case .fetch(let fetch): try await read(fetch)
            }
        }
    }

    /// Where the next page starts and how long it is.
    private struct Fetch {
        var after: String?
        var limit: Int
        var first: Bool

        init(_ state: State) {
            (after, limit, first) = (state.lastKey, state.pageSize, state.pagesRead == 0)
        }
    }

    /// Reads the page `fetch` describes into the state.
    private func read(_ fetch: Fetch) async throws {
        try Task.checkCancellation()
        let page = try await fetchPage(after: fetch.after, limit: fetch.limit, first: fetch.first)
        state.withLock { state in
            state.rowsRead += page.rowCount
            state.pagesRead += 1
            state.lastKey = page.lastKey
            state.exhausted = page.rowCount < fetch.limit || page.lastKey == nil
            state.buffered = page.matches
            state.position = 0
            state.pageSize = min(state.pageSize * 2, Self.maximumPageSize)
        }
    }

    private func fetchPage(after: String?, limit: Int, first: Bool) async throws -> IndexSearch.Page {
        // An instance acknowledged before its rows committed is found by every search, not only
        // those that ArchiveService starts.
        if first { await index.awaitSubmittedRecords() }
        let search = self.search
        if let reader = index.pool.reader {
            return try await reader.withDatabase(logger: index.logger) { database in
                try await search.page(after: after, limit: limit, in: database)
            }
        }
        return try await index.pool.withDatabase(logger: index.logger) { database in
            try await search.page(after: after, limit: limit, in: database)
        }
    }
}
