public import DICOMCore
public import DICOMNetwork
public import DICOMNetworkCore
public import Logging

/// The archive on the network: Verification, Storage, Query/Retrieve (Patient Root and Study
/// Root, FIND, GET and MOVE) and Storage Commitment Push Model SCP over an ``Archive``, as the
/// handlers an acceptor runs.
///
/// ```swift
/// let archive = try await Archive.open(storage: "netdicom-archive")
/// let service = ArchiveService(archive: archive, aeTitle: "QRSCP", moveDestinations: ["STORESCP": .init(host: "127.0.0.1", port: 11113)])
/// var entity = ApplicationEntity(aeTitle: "QRSCP")
/// try ArchiveService.addSupportedContexts(to: &entity)
/// let server = try await entity.makeServer(host: "0.0.0.0", port: 11112, handlers: service.handlers)
/// ```
public struct ArchiveService: Sendable {
    /// The archive served.
    public let archive: Archive
    /// The AE title answered as Retrieve AE Title (0008,0054) in C-FIND responses.
    public var aeTitle: String
    /// The known AEs by AE title: C-MOVE destinations, and where to report a Storage
    /// Commitment result whose request's association has ended.
    public var moveDestinations: [String: MoveDestination]
    /// Which known destination a C-MOVE may name (dcmqrscp's -ZA, -ZH, -ZV).
    public var moveRestriction = MoveRestriction.unrestricted
    /// The ACSE and DIMSE timeouts of an association opened to report a Storage Commitment
    /// result.
    public var storageCommitmentTimeout: Duration = .seconds(30)
    /// How long a Storage Commitment result waits, once ready, before it is reported on the
    /// request's association. A requestor that releases straight after the N-ACTION response,
    /// to take the report on an association of its own as most modalities do, would otherwise
    /// meet the N-EVENT-REPORT while releasing (a protocol error to DCMTK and pynetdicom, which
    /// abort) and then get it again on a new association. One that waits for the report on
    /// the request's association gets it this much later.
    public var storageCommitmentGrace: Duration = .milliseconds(500)
    /// How often a C-GET or C-MOVE answers with a pending response while its sub-operations run
    /// (``ServiceHandlers/retrievePendingInterval``). Default zero: after every sub-operation
    /// but the last, as dcmqrscp and pynetdicom answer. A second, say, spares the requestor of
    /// a large retrieve a message per instance while a progress display still moves.
    public var retrievePendingInterval: Duration = .zero
    let logger: Logger

    /// A service for `archive`.
    public init(
        archive: Archive,
        aeTitle: String,
        moveDestinations: [String: MoveDestination] = [:],
        logger: Logger = Logger(label: "netdicom.qrscp")
    ) {
        self.archive = archive
        self.aeTitle = aeTitle
        self.moveDestinations = moveDestinations
        self.logger = logger
    }

    /// The handlers to give `makeServer` or `startServer`.
    public var handlers: ServiceHandlers {
        var handlers = ServiceHandlers(
            echo: { _ in .success },
            store: storeHandler,
            get: { request in
                await archive.awaitAcknowledgedInstances()
                return try await retrieve(request, operation: "C-GET")
            },
            move: { [moveRestriction, moveDestinations, logger] request in
                do {
                    try await moveRestriction.check(request, destinations: moveDestinations)
                } catch let failure as QueryFailure {
                    logger.warning("C-MOVE from \(request.association.peerAETitle) refused: \(failure.comment ?? "")")
                    throw failure
                }
                await archive.awaitAcknowledgedInstances()
                return try await retrieve(request, operation: "C-MOVE")
            },
            moveDestinations: moveDestinations,
            nService: { request in nService(request) },
            sopClassExtendedNegotiation: sopClassExtendedNegotiationHandler)
        handlers.retrievePendingInterval = retrievePendingInterval
        // The search only awaits (the index's driver, file reads on the I/O threads): it runs on
        // the association's event loop; its matches come a page at a time, and go out in
        // batches; FF01H for the matches of a query with keys the archive does not support.
        handlers.findMatches = FindHandler(neverBlocks: true, batches: { request in
            // An instance is answered stored before its rows are committed: they come first.
            await archive.awaitAcknowledgedInstances()
            return try await find(request)
        })
        return handlers
    }

    /// The information models served.
    public static let models: [QueryRetrieveModel] = [.patientRoot, .studyRoot]

    /// ``addSupportedContexts(to:models:get:preferring:)`` with every model and C-GET, taking the
    /// requestor's first transfer syntax choice.
    public static func addSupportedContexts(to entity: inout ApplicationEntity) throws(ACSEError) {
        try addSupportedContexts(to: &entity, models: models, get: true)
    }

    /// Adds what the archive accepts to `entity`: Verification; the Storage Service Class
    /// (``ServiceClass/storage``: every Storage SOP Class, retired ones too, not the DICOMDIR's)
    /// in every known transfer syntax, taking the requestor's first choice (so that an instance
    /// is stored as it was sent) and accepting the SCP/SCU role selection a C-GET SCU proposes
    /// (PS3.7 D.3.3.4; without it C-GET cannot send anything back); the FIND, GET and MOVE SOP
    /// classes of `models` (among ``models``; their GET ones only with `get`); and the Storage
    /// Commitment Push Model.
    ///
    /// - Parameter preferring: the transfer syntaxes to accept instead, the archive's order
    ///   deciding (DCMTK dcmqrscp's +x options): all of them for the Storage classes, the
    ///   uncompressed ones among them for the others.
    public static func addSupportedContexts(
        to entity: inout ApplicationEntity, models: [QueryRetrieveModel], get: Bool, preferring: [UID]? = nil
    ) throws(ACSEError) {
        entity.transferSyntaxPreference = preferring == nil ? .requestor : .acceptor
        let storage = preferring ?? TransferSyntax.allKnown.map(\.uid)
        let uncompressed = storage.filter { TransferSyntax(uid: $0).isUncompressed }
        try entity.addSupportedContext(.verification, transferSyntaxes: uncompressed)
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: storage, scuRole: true, scpRole: true)
        for model in Self.models where models.contains(model) {
            for sopClass in [model.find, get ? model.get : nil, model.move].compactMap({ $0 }) {
                try entity.addSupportedContext(sopClass, transferSyntaxes: uncompressed)
            }
        }
        try entity.addSupportedContext(.storageCommitmentPushModel, transferSyntaxes: uncompressed)
    }
}
