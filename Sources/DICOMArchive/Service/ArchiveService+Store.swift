import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Logging

/// The Storage SCP (PS3.4 Annex B): instances stream into `incoming/`, durably; the archive
/// reads, places and indexes each, and answers (on SQLite once read, before it is placed and
/// its index rows are committed: see ``Archive/acknowledgesBeforeIndexing``).
extension ArchiveService {
    /// The C-STORE handler. Its `received` step never blocks its thread: everything slow in
    /// storing (reading the data set, the index, the file system) is awaited on the archive's
    /// threads, so it runs on the association's event loop, which saves two thread hops per
    /// instance.
    var storeHandler: StoreHandler {
        let archive = self.archive
        let logger = self.logger
        var handler = StoreHandler(destination: { request in
            let uid = request.message.affectedSOPInstanceUID.string
            guard let path = archive.store.incomingPath(for: uid) else {
                let shown = uid.count > 80 ? "\(uid.prefix(80))… (\(uid.count) characters)" : uid
                logger.warning("refused an instance whose SOP Instance UID \"\(shown)\" is not a valid UID, from \(request.association.peerAETitle) (association #\(request.association.associationID))")
                return .refuse(.cannotUnderstand)
            }
            return .file(path: path, durable: true)
        }, received: { instance in
            guard case .file(let path) = instance.location else { return .processingFailure }
            let uid = instance.request.message.affectedSOPInstanceUID.string
            let sopClass = instance.request.message.affectedSOPClassUID.string
            let peer = instance.request.association.peerAETitle
            if archive.acknowledgesBeforeIndexing {
                // Answered once the data set is read; the placing and the index rows
                // follow, and the archive's queries wait for them.
                let read = await withCheckedContinuation { continuation in
                    archive.receive(path, expectedSOPInstanceUID: uid, expectedSOPClassUID: sopClass, dataSet: Self.keptDataSet(of: instance)) { continuation.resume(returning: $0) }
                }
                return Self.answer(read, for: instance, logger: logger)
            }
            do {
                let outcome = try await archive.ingest(path, expectedSOPInstanceUID: uid, expectedSOPClassUID: sopClass)
                switch outcome {
                case .stored:
                    logger.info("stored \(uid) from \(peer) (\(instance.dataSetLength) bytes)")
                case .replaced:
                    logger.info("stored \(uid) from \(peer), replacing the former copy")
                case .keptExisting:
                    logger.info("kept the stored copy of \(uid); discarded the one from \(peer)")
                }
                return .success
            } catch let error as ArchiveError {
                logger.warning("could not store \(uid) from \(peer): \(error)")
                return Self.status(for: error)
            } catch {
                logger.warning("could not store \(uid) from \(peer): \(error)")
                return .outOfResources
            }
        })
        handler.receivedNeverBlocks = true
        // A larger one on SQLite: read and queued for the index on the thread that made the
        // file durable, and answered from there (``Archive/receiveDurable``); else as above.
        handler.receivedOnFileThread = { instance in
            guard case .file(let path) = instance.location else { return nil }
            let uid = instance.request.message.affectedSOPInstanceUID.string
            let sopClass = instance.request.message.affectedSOPClassUID.string
            guard let read = archive.receiveDurable(
                path, expectedSOPInstanceUID: uid, expectedSOPClassUID: sopClass, dataSet: Self.keptDataSet(of: instance)) else { return nil }
            return Self.answer(read, for: instance, logger: logger)
        }
        // A small one on SQLite: read while its file is made durable, then queued for the
        // index and answered (``Archive/readArrival``).
        handler.receivedWhileCommitting = { instance in
            guard let dataSet = Self.keptDataSet(of: instance), !dataSet.isPrefix, case .file(let path) = instance.location,
                  let queue = archive.readArrival(
                    path, expectedSOPInstanceUID: instance.request.message.affectedSOPInstanceUID.string,
                    expectedSOPClassUID: instance.request.message.affectedSOPClassUID.string, dataSet: dataSet) else { return nil }
            return { instance in
                guard let fileLength = instance.fileLength, let read = queue(fileLength) else { return nil }
                return Self.answer(read, for: instance, logger: logger)
            }
        }
        return handler
    }

    /// The data set's bytes the network kept for `instance` (all of a small one, the first of
    /// a larger one), to read instead of its file, with the file's length when the network
    /// knows it.
    static func keptDataSet(of instance: ReceivedInstance) -> ArrivalDataSet? {
        let syntax = instance.request.transferSyntax
        if let whole = instance.dataSetBytes {
            return ArrivalDataSet(bytes: whole, transferSyntax: syntax, fileLength: instance.fileLength)
        }
        return instance.dataSetPrefix.map { ArrivalDataSet(bytes: $0, transferSyntax: syntax, fileLength: instance.fileLength, isPrefix: true) }
    }

    /// The answer to `instance` once the archive has read it (or refused it), logged.
    static func answer(_ read: Result<Void, ArchiveError>, for instance: ReceivedInstance, logger: Logger) -> DIMSEStatus {
        let uid = instance.request.message.affectedSOPInstanceUID.string
        let peer = instance.request.association.peerAETitle
        switch read {
        case .success:
            logger.info("stored \(uid) from \(peer) (\(instance.dataSetLength) bytes)")
            return .success
        case .failure(let error):
            logger.warning("could not store \(uid) from \(peer): \(error)")
            return status(for: error)
        }
    }

    /// The C-STORE status for an archive error (PS3.4 B.2.3): the instance's own faults are
    /// C000H "cannot understand", a data set naming another SOP class or instance than its
    /// request A900H (Data Set does not match SOP Class), a refused duplicate 0111H, the
    /// archive's A700H "out of resources".
    static func status(for error: ArchiveError) -> DIMSEStatus {
        switch error.code {
        case .unsafeUID, .missingAttribute, .unreadableInstance:
            return .cannotUnderstand
        case .identityMismatch:
            return .dataSetDoesNotMatchSOPClass
        case .duplicate:
            return .duplicateSOPInstance
        default:
            return .outOfResources
        }
    }
}
