public import DICOMCore
public import DICOMNetworkCore
public import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How an AE answers C-STORE requests (pynetdicom's EVT_C_STORE), in two steps so that an
/// instance of any size streams to disk: ``destination`` chooses where the incoming data set goes
/// when its command arrives; ``received`` sees the instance once it is all there (durable, for a
/// file) and returns the status to answer.
public struct StoreHandler: Sendable {
    /// Where an incoming instance's data set goes; called before any of it arrives.
    public var destination: @Sendable (StoreRequest) -> StoreDestination
    /// Called once the instance is complete; returns the C-STORE-RSP status.
    public var received: @Sendable (ReceivedInstance) async -> DIMSEStatus
    /// Whether ``received`` neither blocks nor runs long (it counts, logs, answers at once): it
    /// then runs on the association's event loop, which saves two thread hops per instance.
    /// True for the library's own directory and discarding handlers; false by default, when
    /// ``received`` runs on the global executor.
    public var receivedNeverBlocks = false
    /// For an instance streamed to a file (``StoreDestination/file(path:durable:)``): called on
    /// the I/O thread that has just made the file durable and put it in place, before the
    /// association's event loop hears of it, with what ``received`` would get. It may block on
    /// file work, briefly (other transfers' files wait for the thread). Its status is answered
    /// and ``received`` is not called; nil leaves the answer to ``received``. A handler whose
    /// answer needs blocking work on the file (an archive reading and placing it) saves the
    /// trips to another thread and back. Nil by default.
    public var receivedOnFileThread: (@Sendable (ReceivedInstance) -> DIMSEStatus?)? = nil
    /// For a small instance streamed to a file whose whole data set the receiver also keeps in
    /// memory (``ReceivedInstance/dataSetBytes``: data sets up to 64 KiB): called while an I/O
    /// thread makes the file durable, where ``received`` runs (the association's event loop
    /// when ``receivedNeverBlocks``), with the instance as ``received`` would get it but for
    /// ``ReceivedInstance/fileLength``, so that work on the data set's bytes (an archive
    /// reading them for its index) overlaps the disk's. The file is not there yet, and may
    /// never be (a full disk): this step reads the bytes, nothing else. It returns the step
    /// that answers, called on the same thread once the file is durable and in place, with the
    /// complete instance; its status is answered and neither ``receivedOnFileThread`` nor
    /// ``received`` is called. Nil, from either step, leaves the answer to ``received``.
    /// Neither may block. Nil by default.
    public var receivedWhileCommitting: (@Sendable (ReceivedInstance) -> (@Sendable (ReceivedInstance) -> DIMSEStatus?)?)? = nil

    /// Creates a handler from its two steps.
    public init(
        destination: @escaping @Sendable (StoreRequest) -> StoreDestination,
        received: @escaping @Sendable (ReceivedInstance) async -> DIMSEStatus
    ) {
        self.destination = destination
        self.received = received
    }

    /// A handler that keeps each instance in memory and passes it, parsed, to `handle`: the
    /// simple form, as pynetdicom's `event.dataset`, for instances that fit in memory.
    public static func inMemory(_ handle: @escaping @Sendable (StoreRequest, DICOMFile) async -> DIMSEStatus) -> StoreHandler {
        StoreHandler(destination: { _ in .memory }) { instance in
            guard case .memory(let bytes) = instance.location else { return .outOfResources }
            do {
                let dataSet = try DataSetReader.read(bytes, transferSyntax: instance.request.transferSyntax)
                let file = DICOMFile(fileMetaInformation: instance.request.fileMetaInformation, dataSet: dataSet, transferSyntax: instance.request.transferSyntax)
                return await handle(instance.request, file)
            } catch {
                return .cannotUnderstand
            }
        }
    }

    /// A handler that writes each instance to `directory` as `SOPInstanceUID.dcm` (or another
    /// `fileExtension`; a UID that is not a safe file name is refused with C000H, never used as a
    /// path), durable unless `durable` is false, and answers success once the file is in place.
    public static func directory(_ directory: String, durable: Bool = true, fileExtension: String = ".dcm") -> StoreHandler {
        StoreHandler(destination: { request in
            guard let name = UIDFileName.fileName(for: request.message.affectedSOPInstanceUID.string) else {
                return .refuse(.cannotUnderstand)
            }
            return .file(path: "\(directory)/\(name)\(fileExtension)", durable: durable)
        }, received: { instance in
            // A data set that is not the instance its request names is not kept under that name.
            guard let fault = instance.identityFault else { return .success }
            if case .file(let path) = instance.location { _ = unlink(path) }
            return fault.status
        }).nonBlocking
    }

    /// A handler that receives every instance and throws it away (storescp --ignore).
    public static let discard = StoreHandler(destination: { _ in .discard }, received: { _ in .success }).nonBlocking

    private var nonBlocking: StoreHandler {
        var handler = self
        handler.receivedNeverBlocks = true
        return handler
    }
}

/// Where a received instance's data set goes.
public enum StoreDestination: Sendable {
    /// Into a Part 10 file at `path`: streamed to a file created unseen in its directory (see
    /// `Part10FileSink`), then (if `durable`) fsynced, then put at `path`, all before
    /// ``StoreHandler/received`` is called. A transfer that fails half way leaves nothing behind.
    case file(path: String, durable: Bool)
    /// Into memory, as one buffer (bounded like any collected data set).
    case memory
    /// Read and thrown away; ``StoreHandler/received`` is still called.
    case discard
    /// Read and thrown away, and answered with this status without calling ``StoreHandler/received``.
    case refuse(DIMSEStatus)
}

/// A C-STORE request, as a store handler sees it when its command arrives.
public struct StoreRequest: Sendable {
    /// The request's command.
    public var message: CStoreRequest
    /// The presentation context's transfer syntax: the data set's encoding.
    public var transferSyntax: TransferSyntax
    /// The association it arrived on.
    public var association: AssociationInfo
    /// File meta information for storing the instance as a Part 10 file (PS3.10 §7.1): SOP class
    /// and instance from the command, the transfer syntax, NetDICOM's implementation, and the
    /// sender's AE title as Source Application Entity Title.
    public var fileMetaInformation: DataSet {
        FileMetaInformation.make(
            sopClassUID: message.affectedSOPClassUID,
            sopInstanceUID: message.affectedSOPInstanceUID,
            transferSyntax: transferSyntax,
            sourceAETitle: association.peerAETitle)
    }
}

/// A received instance, complete.
public struct ReceivedInstance: Sendable {
    /// Where the data set went.
    public enum Location: Sendable {
        /// A durable (if asked) Part 10 file at this path.
        case file(String)
        /// The data set's bytes, in the request's transfer syntax.
        case memory(ByteBuffer)
        /// Thrown away.
        case discarded
    }

    /// The request it answers.
    public var request: StoreRequest
    /// Where its data set is.
    public var location: Location
    /// The data set's length in bytes.
    public var dataSetLength: Int
    /// The data set's bytes, in the request's transfer syntax, when it went to a file
    /// (``Location/file(_:)``) and was small enough to be kept in memory as well: a handler
    /// that reads it (an archive's index) need not read the file back. Nil otherwise.
    public var dataSetBytes: ByteBuffer? = nil
    /// The data set's first bytes (64 KiB) as received, in pieces: joined by ``dataSetPrefix``
    /// only when a handler asks for them.
    var dataSetPrefixFragments: [ByteBuffer] = []
    /// The Part 10 file's length in bytes (meta information included), when it went to a file
    /// (``Location/file(_:)``) and the receiver knows it without asking the file system. Nil
    /// otherwise.
    public var fileLength: Int? = nil

    /// The data set's first bytes (64 KiB), when it went to a file (``Location/file(_:)``) and
    /// was too large for ``dataSetBytes``: for an image, the attributes before its Pixel Data,
    /// which a handler reading them (an archive's index) takes instead of opening the file. Nil
    /// otherwise. Made when asked: a copy of the received pieces unless one held them all.
    public var dataSetPrefix: ByteBuffer? {
        guard !dataSetPrefixFragments.isEmpty else { return nil }
        return FileReception.joined(dataSetPrefixFragments, length: dataSetPrefixFragments.reduce(0) { $0 + $1.readableBytes })
    }
}
