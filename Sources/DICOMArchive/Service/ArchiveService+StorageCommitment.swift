import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Logging

/// The Storage Commitment Push Model SCP (PS3.4 Annex J).
///
/// An N-ACTION request (Action Type ID 1) with a Transaction UID and a Referenced SOP Sequence
/// is answered success at once (J.3.2.1.3: the request is received); a malformed one with a
/// failure status and an Error Comment, and no report. Once the response is out, each
/// referenced instance is checked against the archive: committed when the index holds it with
/// the same SOP class and its file is in the store with the size indexed (an indexed instance is
/// durable: it is fsynced and renamed into place before it is indexed). Otherwise it fails with
/// Failure Reason (PS3.3 C.14.1.1) 0119H when the archive holds it as another SOP class, 0122H
/// when it is not indexed and its class is no Storage SOP class, 0112H when it is not indexed
/// or its file is missing, 0110H when its file does not match its record or the index cannot be
/// read.
///
/// The result goes out as an N-EVENT-REPORT (Event Type ID 1 when all are committed, 2
/// otherwise) with the Transaction UID, the Referenced SOP Sequence with the Retrieve AE Title
/// (the archive's own AE title, for C-GET and C-MOVE), and the Failed SOP Sequence:
/// - on the association of the request when the requestor keeps it open (J.3.3.1.2 note 1)
///   for ``ArchiveService/storageCommitmentGrace`` after the result is ready;
/// - else, or when sending on it fails, on a new association to the requestor's AE title,
///   looked up among the known destinations (``ArchiveService/moveDestinations``), proposing
///   the Storage Commitment Push Model with SCP/SCU Role Selection: SCU role 0, SCP role 1, so
///   that the archive, as association-requestor, is the SCP (J.3.3.1.3 note). A requestor that
///   is not a known destination does not get its result; that is logged.
///
/// A requestor that releases just as the grace ends may still receive the report twice (on the
/// old association and on the new one), with the same Transaction UID. Transaction UIDs are
/// not remembered between requests, so Failure Reason 0131H is never reported.
extension ArchiveService {
    /// The N-service handler: Storage Commitment requests.
    func nService(_ request: NServiceRequest) -> NServiceResult {
        guard case .nActionRequest(let action) = request.message else {
            // The archive is the SCP: N-ACTION is the one operation an SCU invokes on it (J.3.1).
            return NServiceResult(.unrecognizedOperation, errorComment: "the archive only performs N-ACTION here")
        }
        guard action.requestedSOPClassUID == .storageCommitmentPushModel else {
            // A class the archive serves (its context was accepted) that has no N-ACTION: as
            // any other N-service on it.
            return NServiceResult(.unrecognizedOperation, errorComment: "no N-ACTION on \(action.requestedSOPClassUID)")
        }
        guard action.requestedSOPInstanceUID == .storageCommitmentPushModelInstance else {
            return NServiceResult(.noSuchSOPInstance, errorComment: "not the well-known Storage Commitment Push Model instance")
        }
        guard action.actionTypeID == StorageCommitment.requestActionTypeID else {
            return NServiceResult(.noSuchAction)
        }
        let commitment: StorageCommitment.Request
        do {
            commitment = try StorageCommitment.Request(actionInformation: request.dataSet ?? DataSet())
        } catch {
            logger.warning("refused a Storage Commitment request from \(request.association.peerAETitle): \(error)")
            return NServiceResult(.invalidArgumentValue, errorComment: error.detail)
        }
        let requestor = request.association.peerAETitle
        logger.info("Storage Commitment request \(commitment.transactionUID) from \(requestor): \(commitment.references.count) instances")
        return NServiceResult(.success, afterResponse: { association in
            let result = await commitmentResult(for: commitment)
            await report(result, to: requestor, on: association)
        })
    }

    /// Checks each referenced instance against the index and the store.
    func commitmentResult(for request: StorageCommitment.Request) async -> StorageCommitment.Result {
        var committed: [StorageCommitment.Reference] = []
        var failed: [StorageCommitment.Failure] = []
        let locations: [String: ArchiveIndex.InstanceLocation]
        do {
            locations = try await archive.index.locations(sopInstanceUIDs: request.references.map(\.sopInstanceUID.string))
        } catch {
            logger.error("Storage Commitment \(request.transactionUID): cannot read the index: \(error)")
            return StorageCommitment.Result(
                transactionUID: request.transactionUID, committed: [],
                failed: request.references.map { StorageCommitment.Failure($0, reason: .processingFailure) })
        }
        let store = archive.store
        let paths = locations.mapValues { store.absolutePath($0.path) }
        let sizes = (try? await Archive.blocking { () throws(ArchiveError) in paths.compactMapValues(FileSystem.fileSize) }) ?? [:]
        for reference in request.references {
            let uid = reference.sopInstanceUID.string
            guard let location = locations[uid] else {
                let supported = Self.storageSOPClasses.contains(reference.sopClassUID)
                failed.append(.init(reference, reason: supported ? .noSuchObjectInstance : .referencedSOPClassNotSupported))
                continue
            }
            if location.sopClassUID != reference.sopClassUID.string {
                failed.append(.init(reference, reason: .classInstanceConflict))
            } else if let size = sizes[uid] {
                if size == location.fileSize {
                    committed.append(reference)
                } else {
                    logger.error("Storage Commitment \(request.transactionUID): \(uid) is \(size) bytes on disk, \(location.fileSize) in the index")
                    failed.append(.init(reference, reason: .processingFailure))
                }
            } else {
                logger.error("Storage Commitment \(request.transactionUID): \(uid) is indexed but its file \(location.path) is missing")
                failed.append(.init(reference, reason: .noSuchObjectInstance))
            }
        }
        return StorageCommitment.Result(
            transactionUID: request.transactionUID, committed: committed, failed: failed, retrieveAETitle: aeTitle)
    }

    /// Sends `result` on `association` if it is still open after ``storageCommitmentGrace``,
    /// else on a new association to `requestor`.
    func report(_ result: StorageCommitment.Result, to requestor: String, on association: Association) async {
        let summary = "Storage Commitment \(result.transactionUID): \(result.committed.count) committed, \(result.failed.count) failed"
        if await !association.ended(within: storageCommitmentGrace) {
            do {
                let response = try await Self.send(result, on: association)
                logger.info("\(summary); reported to \(requestor) on the request's association: \(response.status)")
                return
            } catch {
                logger.notice("\(summary); cannot report on the request's association (\(error)), opening another")
            }
        }
        guard let destination = moveDestinations[requestor] else {
            logger.error("\(summary); cannot report it: the request's association has ended and \(requestor) is not a known destination")
            return
        }
        var entity = ApplicationEntity(aeTitle: aeTitle)
        entity.dimseTimeout = storageCommitmentTimeout
        entity.acseTimeout = storageCommitmentTimeout
        // As requestor the archive proposes the SCP role, the peer keeps the SCU's (J.3.3.1.3).
        let context = PresentationContext(
            abstractSyntax: .storageCommitmentPushModel,
            transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian],
            scuRole: false, scpRole: true)
        do {
            let reportAssociation = try await entity.associate(
                host: destination.host, port: destination.port, calledAETitle: requestor, contexts: [context], logger: logger)
            do {
                if reportAssociation.acceptedContext(for: .storageCommitmentPushModel)?.asSCP != true {
                    logger.notice("\(requestor) did not accept the SCP role for Storage Commitment; reporting anyway")
                }
                let response = try await Self.send(result, on: reportAssociation)
                try? await reportAssociation.release()
                logger.info("\(summary); reported to \(requestor) on a new association: \(response.status)")
            } catch {
                await reportAssociation.abort()
                throw error
            }
        } catch {
            logger.error("\(summary); cannot report it to \(requestor) at \(destination.host):\(destination.port): \(error)")
        }
    }

    private static func send(_ result: StorageCommitment.Result, on association: Association) async throws(AssociationError) -> NServiceResponse {
        try await association.nEventReport(
            sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance,
            eventTypeID: result.eventTypeID, information: result.eventInformation)
    }

    /// The SOP classes the archive stores (``addSupportedContexts(to:)``).
    static let storageSOPClasses = Set(UIDRegistry.storageSOPClasses + UIDRegistry.retiredStorageSOPClasses)
}
