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
            var bytes = ByteBuffer()
            while let chunk = try file.nextChunk(maximumLength: Self.keptFileSize) {
                bytes.writeImmutableBuffer(chunk)
            }
            // A truncated or malformed data set is not sent (a file streamed later is checked
            // when its turn comes); one with values of odd length is sent from its file, which
            // pads them.
            if try file.checkStructure(startingWith: bytes) == nil {
                kept += bytes.readableBytes
                dataSet = bytes
            } else {
                dataSet = nil
            }
        } else {
            dataSet = nil
        }
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

    /// Sends the instance: from memory if kept, else streamed from its file, telling
    /// `progress` how many of its data set's bytes went out so far.
    func store(on association: Association, progress: (@Sendable (Int) -> Void)? = nil) async throws(AssociationError) -> CStoreResponse {
        if let dataSet {
            return try await association.store(
                encodedDataSet: dataSet, sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntax: transferSyntax)
        }
        guard let progress else { return try await association.store(fileAt: path) }
        return try await association.store(fileAt: path, progress: { sent, _ in progress(sent) })
    }
}
