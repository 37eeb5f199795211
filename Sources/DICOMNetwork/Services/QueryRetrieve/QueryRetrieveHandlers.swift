public import DICOMCore
public import DICOMNetworkCore
public import NIOCore

/// A C-FIND, C-GET or C-MOVE request, as its handler sees it (pynetdicom's EVT_C_FIND,
/// EVT_C_GET, EVT_C_MOVE).
public struct QueryRequest: Sendable {
    /// The Affected SOP Class UID: the information model (Patient Root, Study Root…).
    public var sopClassUID: UID
    /// The Message ID of the request.
    public var messageID: UInt16
    /// The request's identifier: the query keys.
    public var identifier: DataSet
    /// For C-MOVE: the destination AE title; nil otherwise.
    public var moveDestination: String?
    /// The association it arrived on.
    public var association: AssociationInfo
    /// The transfer syntax of the request's presentation context, in which the responses'
    /// identifiers go (a C-FIND handler may encode its matches in it up front:
    /// ``FindMatch/init(encoded:transferSyntax:status:)``); nil when not told.
    public var transferSyntax: TransferSyntax? = nil

    /// The information model ``sopClassUID`` belongs to, Modality Worklist included; nil for a
    /// SOP class of another service (Hanging Protocol, Color Palette…) that a handler may still
    /// answer.
    public var model: QueryRetrieveModel? { QueryRetrieveModel(sopClass: sopClassUID) }
}

/// Why a query or retrieve handler stopped: the failure status to answer with (PS3.4 C.4.1.1.4,
/// C.4.2.1.5, C.4.3.1.4), and words for the Error Comment.
public struct QueryFailure: Error, Sendable {
    /// The final status, a failure (Axxx, Cxxx) or warning.
    public var status: DIMSEStatus
    /// The Error Comment (0000,0902), at most 64 characters.
    public var comment: String?

    /// Creates a failure.
    public init(_ status: DIMSEStatus, comment: String? = nil) {
        self.status = status
        self.comment = comment
    }
}

/// One C-FIND match and the pending status its response carries (PS3.4 C.4.1.1.4, Table C.4-1):
/// FF00H, or FF01H when the SCP did not support one or more of the request's optional keys for
/// existence or matching, so that the match may include entities those keys would have excluded.
public struct FindMatch: Sendable {
    /// The identifier as the handler gave it.
    enum Content: Sendable {
        case dataSet(DataSet)
        /// Encoded already, in this transfer syntax.
        case encoded(ByteBuffer, TransferSyntax)
    }

    var content: Content
    /// The pending status: ``DIMSEStatus/pending`` (FF00H) or
    /// ``DIMSEStatus/pendingWithUnsupportedOptionalKeys`` (FF01H).
    public var status: DIMSEStatus

    /// The match's identifier (decoded, for a match made from its bytes; empty if they do not
    /// decode).
    public var identifier: DataSet {
        get {
            switch content {
            case .dataSet(let dataSet): dataSet
            case let .encoded(bytes, syntax): (try? DataSetReader.read(bytes, transferSyntax: syntax)) ?? DataSet()
            }
        }
        set { content = .dataSet(newValue) }
    }

    /// A match answered with `status`.
    public init(_ identifier: DataSet, status: DIMSEStatus = .pending) {
        self.content = .dataSet(identifier)
        self.status = status
    }

    /// A match whose identifier is encoded already, in `transferSyntax`: sent as these bytes
    /// when that is the request's context's syntax (``QueryRequest/transferSyntax``), so that a
    /// handler that writes identifiers straight from its own records makes no `DataSet`.
    public init(encoded identifier: ByteBuffer, transferSyntax: TransferSyntax, status: DIMSEStatus = .pending) {
        self.content = .encoded(identifier, transferSyntax)
        self.status = status
    }
}

/// A C-FIND handler that answers each match with a pending status of its own (see
/// ``ServiceHandlers/findMatches``): pynetdicom's EVT_C_FIND handler yielding (status,
/// identifier) pairs.
public struct FindHandler: Sendable {
    /// Where the matches come from: one at a time, or a batch at a time.
    enum Source: Sendable {
        case matches(@Sendable (QueryRequest) async throws -> AsyncThrowingStream<FindMatch, any Error>)
        case batches(@Sendable (QueryRequest) async throws -> AsyncThrowingStream<[FindMatch], any Error>)
    }

    let source: Source
    /// True when neither the matches nor their sequence block a thread for long (they await, or
    /// do short bounded work such as reading one page of a local database): the search then
    /// runs on the association's event loop, where a database driver on the same event loop
    /// group and every response go without a thread hop. False (the default) runs it on the
    /// global executor, as every other handler.
    public var neverBlocks: Bool

    /// The matches of a request; the sequence's end is success, a thrown ``QueryFailure`` its
    /// status, another error C000H. C-CANCEL cancels the iterating task. For a handler made
    /// with batches, their matches one by one.
    public var matches: @Sendable (QueryRequest) async throws -> AsyncThrowingStream<FindMatch, any Error> {
        switch source {
        case .matches(let matches):
            return matches
        case .batches(let batches):
            return { request in
                let reader = FindMatchBatchReader(try await batches(request).makeAsyncIterator())
                return AsyncThrowingStream(unfolding: { try await reader.next() })
            }
        }
    }

    /// A handler whose sequence yields one match at a time.
    public init(
        neverBlocks: Bool = false,
        matches: @escaping @Sendable (QueryRequest) async throws -> AsyncThrowingStream<FindMatch, any Error>
    ) {
        self.source = .matches(matches)
        self.neverBlocks = neverBlocks
    }

    /// A handler whose sequence yields its matches a batch at a time (a page of a database, say):
    /// a C-FIND then costs one step of the sequence per batch, not per match, and the batch's
    /// responses leave together. Empty batches are skipped; the end and the errors are as for
    /// ``matches``.
    public init(
        neverBlocks: Bool = false,
        batches: @escaping @Sendable (QueryRequest) async throws -> AsyncThrowingStream<[FindMatch], any Error>
    ) {
        self.source = .batches(batches)
        self.neverBlocks = neverBlocks
    }
}

/// The matches of a batch sequence one by one, for ``FindHandler/matches`` of a handler made
/// with batches.
///
/// `@unchecked Sendable`: the one consumer of the `unfolding` stream calls ``next()`` one call at
/// a time (an async iterator's contract), so the state inside is never used concurrently.
private final class FindMatchBatchReader: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<[FindMatch], any Error>.AsyncIterator
    private var batch: [FindMatch] = []
    private var position = 0

    init(_ iterator: AsyncThrowingStream<[FindMatch], any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> FindMatch? {
        while position == batch.count {
            guard let next = try await iterator.next() else { return nil }
            (batch, position) = (next, 0)
        }
        defer { position += 1 }
        return batch[position]
    }
}

/// One instance a C-GET or C-MOVE handler hands over to be sent as a C-STORE sub-operation.
public enum RetrieveItem: Sendable {
    /// A Part 10 file, streamed from disk.
    case file(path: String)
    /// A Part 10 file whose SOP class, instance and transfer syntax are known already (an
    /// archive's index records them): a C-MOVE proposes the destination's contexts from them
    /// rather than opening every file first. The file is still read to be sent, and what it
    /// says is what goes out.
    case indexedFile(path: String, sopClassUID: UID, sopInstanceUID: UID, transferSyntax: UID)
    /// A data set in memory, with its SOP class, instance and encoding.
    case dataSet(DataSet, sopClassUID: UID, sopInstanceUID: UID, transferSyntax: TransferSyntax)
}

/// What a C-GET or C-MOVE handler answers: how many sub-operations there will be, then the
/// instances one by one. Its sequence sees C-CANCEL as task cancellation.
public struct RetrieveResult: Sendable {
    /// The number of instances ``items`` yields (Number of Remaining Sub-operations at start).
    public var count: Int
    /// The instances to send.
    public var items: AsyncThrowingStream<RetrieveItem, any Error>
    /// Whether ``items`` was filled up front (``init(_:)``), so that reading it never blocks:
    /// the sub-operations of a C-GET then run on the association's event loop.
    let isListed: Bool

    /// Creates a result.
    public init(count: Int, items: AsyncThrowingStream<RetrieveItem, any Error>) {
        self.count = count
        self.items = items
        self.isListed = false
    }

    /// A result from a list known up front.
    public init(_ items: [RetrieveItem]) {
        self.count = items.count
        self.items = AsyncThrowingStream { continuation in
            for item in items { continuation.yield(item) }
            continuation.finish()
        }
        self.isListed = true
    }
}

/// Where a C-MOVE destination AE title listens.
public struct MoveDestination: Hashable, Sendable {
    /// The host to connect to.
    public var host: String
    /// The port.
    public var port: Int

    /// Creates a destination.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
