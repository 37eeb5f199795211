import DICOMCore
import DICOMNetworkCore
import NIOCore
import NIOPosix
import Synchronization

/// Where the data set of the message being received goes, fragment by fragment.
enum IncomingDataSet {
    /// Collected into one buffer, bounded (identifiers, N-service arguments, in-memory stores).
    case collect(ByteBuffer?)
    /// Streamed into a Part 10 file (a C-STORE to disk).
    case stream(FileReception)
    /// Read and dropped.
    case drop(length: Int)
    /// Read and dropped, to be answered with this status (a refused C-STORE).
    case refuse(DIMSEStatus)
}

/// One data set streaming into a ``Part10FileSink``: fragments are gathered into writes of
/// about ``writeSize`` bytes, done on ``BlockingIO``'s threads so that no event loop ever waits
/// for a disk. Each write is awaited, so a slow disk slows the socket (backpressure), and
/// memory holds at most one write's worth of the data set.
final class FileReception: Sendable {
    static let writeSize = 1 << 20

    let sink: Part10FileSink
    let path: String
    let durable: Bool
    private let pending = Mutex(ByteBuffer())

    init(path: String, fileMetaInformation: DataSet, durable: Bool) async throws {
        self.path = path
        self.durable = durable
        self.sink = try await BlockingIO.transfer.runIfActive {
            try Part10FileSink(path: path, fileMetaInformation: fileMetaInformation, durable: durable)
        }
    }

    /// Adds one fragment; writes when enough has gathered.
    func append(_ fragment: ByteBuffer) async throws {
        let full: ByteBuffer? = pending.withLock { pending in
            if pending.readableBytes == 0 && fragment.readableBytes >= Self.writeSize { return fragment }
            var fragment = fragment
            pending.writeBuffer(&fragment)
            guard pending.readableBytes >= Self.writeSize else { return nil }
            defer { pending = ByteBuffer() }
            return pending
        }
        if let full { try await write(full) }
    }

    /// Writes what is gathered, then makes the file durable and puts it in place.
    func commit() async throws {
        let rest = pending.withLock { pending in
            defer { pending = ByteBuffer() }
            return pending
        }
        let sink = self.sink
        if rest.readableBytes > 0 {
            try await BlockingIO.transfer.runIfActive { try sink.write(rest) }
        }
        try await BlockingIO.durability.runIfActive { try sink.commit() }
    }

    /// Removes the temporary file: the transfer failed or was refused.
    func discard() {
        sink.discard()
    }

    private func write(_ bytes: ByteBuffer) async throws {
        let sink = self.sink
        try await BlockingIO.transfer.runIfActive { try sink.write(bytes) }
    }
}
