import DICOMCore
import Dispatch
import DICOMNetwork
import DICOMNetworkCore
import NIOCore

/// What the contexts and the progress need of one file, read before associating. Its descriptor
/// closes at once, so that any number of files can be sent: a small file's data set is kept
/// (sent from memory, with no second open, read and parse), a larger one is opened again and
/// streamed when its turn comes.
struct PendingInstance: Sendable {
    /// Files up to this size keep their data set in memory.
    static let keptFileSize = 64 * 1024
    /// The most all kept data sets take together; later files are read again when sent.
    static let keptTotal = 64 * 1024 * 1024

    let path: String
    let sopClassUID: UID
    let sopInstanceUID: UID
    let transferSyntax: TransferSyntax
    let fileSize: Int
    let dataSet: ByteBuffer?

    /// Why a file that reads cannot be sent.
    struct Unsendable: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `path`'s meta information, and its data set when small enough to keep (`kept`
    /// counts the bytes kept so far).
    ///
    /// - Throws: ``Unsendable`` for a UID the presentation contexts or the C-STORE request could
    ///   not carry, so that the file fails alone instead of the association.
    init(path: String, keepingBytes kept: inout Int) throws {
        var file = try Part10FileSource(path: path)
        for (what, uid) in [("SOP Class UID", file.sopClassUID), ("SOP Instance UID", file.sopInstanceUID), ("Transfer Syntax UID", file.transferSyntax.uid)]
        where !uid.hasValidLength {
            throw Unsendable(description: "its \(what) \"\(uid.messageText)\" has \(uid.string.utf8.count) characters, not 1 to \(UID.maximumLength) (PS3.5 §9.1)")
        }
        self.path = path
        sopClassUID = file.sopClassUID
        sopInstanceUID = file.sopInstanceUID
        transferSyntax = file.transferSyntax
        fileSize = file.fileSize
        if file.fileSize <= Self.keptFileSize, kept + file.dataSetLength <= Self.keptTotal {
            dataSet = try Self.wellFormedDataSet(of: &file)
            kept += dataSet?.readableBytes ?? 0
        } else {
            dataSet = nil
        }
    }

    /// The rest of `file`'s data set, read whole, when it is well formed. Nil for one with values
    /// of odd length: it is sent from its file, which pads them. Throws for a truncated or
    /// malformed one, which is not sent (a file streamed is checked when its turn comes).
    static func wellFormedDataSet(of file: inout Part10FileSource) throws -> ByteBuffer? {
        var bytes = ByteBuffer()
        while let chunk = try file.nextChunk(maximumLength: 1 << 20) {
            bytes.writeImmutableBuffer(chunk)
        }
        return try file.checkStructure(startingWith: bytes) == nil ? bytes : nil
    }

    /// The data set of the file at `path` read whole, when it is well formed and no longer than
    /// `limit`; nil otherwise, or when the file cannot be read now (it fails when sent). Blocks.
    func readAhead(limit: Int) -> ByteBuffer? {
        guard dataSet == nil, fileSize <= limit, var file = try? Part10FileSource(path: path),
              file.sopInstanceUID == sopInstanceUID, file.transferSyntax == transferSyntax else { return nil }
        return try? Self.wellFormedDataSet(of: &file)
    }

    /// Sends the instance as `identity` says (``InstanceInvention``): its data set read whole
    /// (on a thread of its own, off the association's event loop), changed, and encoded again in
    /// its transfer syntax.
    func store(on association: Association, as identity: InstanceInvention.Identity) async throws -> CStoreResponse {
        let path = self.path
        let encoded: ByteBuffer = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.invented(path, as: identity) })
            }
        }
        return try await association.store(
            encodedDataSet: encoded, sopClassUID: sopClassUID, sopInstanceUID: identity.sopInstanceUID, transferSyntax: transferSyntax)
    }

    /// The data set of the file at `path` as `identity` makes it, encoded in the file's transfer
    /// syntax, its values of odd length padded to even as every instance sent is
    /// (``DataSet/paddedToEvenLengths()``). Blocks.
    static func invented(_ path: String, as identity: InstanceInvention.Identity) throws -> ByteBuffer {
        let file = try DICOMFile(contentsOf: path)
        var dataSet = file.dataSet.paddedToEvenLengths()
        InstanceInvention.apply(identity, to: &dataSet)
        return try DataSetWriter.encode(dataSet, transferSyntax: file.transferSyntax)
    }

    /// Sends the instance: from memory if kept (or read ahead: `readAhead`), else streamed from
    /// its file, telling `progress` how many of its data set's bytes went out so far.
    func store(
        on association: Association, readAhead: ByteBuffer? = nil, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws(AssociationError) -> CStoreResponse {
        if let dataSet = dataSet ?? readAhead {
            return try await association.store(
                encodedDataSet: dataSet, sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntax: transferSyntax)
        }
        guard let progress else { return try await association.store(fileAt: path) }
        return try await association.store(fileAt: path, progress: { sent, _ in progress(sent) })
    }
}
