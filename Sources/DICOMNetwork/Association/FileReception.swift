import DICOMCore
import DICOMNetworkCore
import NIOCore
import NIOPosix
import Synchronization

/// One data set streaming into a Part 10 file: fragments are gathered (not copied) until about
/// ``writeSize`` bytes wait, then written in one trip to ``BlockingIO``'s threads, so that no
/// event loop ever waits for a disk. Each trip is awaited, so a slow disk slows the socket
/// (backpressure), and memory holds at most one trip's worth of the data set.
///
/// The file is created with the first write, so a data set smaller than one write (most
/// instances of a worklist or a structured report, every tiny image) costs one trip to the I/O
/// threads in all: create, write, make durable, put in place.
///
/// A write that fails (a full disk) does not end the association: the partial file goes at
/// once, the rest of the data set is read and dropped, and ``commit()`` throws that failure, so
/// the C-STORE is answered A700H "out of resources" (PS3.4 B.2.3) and the next one may fit.
final class FileReception: Sendable {
    static let writeSize = 1 << 20
    /// Data sets up to this size are kept in memory too (``keptDataSet``); of larger ones, this
    /// many first bytes (``keptPrefix``).
    static let keptDataSetLimit = 64 * 1024

    private struct State {
        var pending: [ByteBuffer] = []
        var pendingBytes = 0
        var sink: Part10FileSink?
        var written = 0
        var kept: ByteBuffer?
        var prefix: [ByteBuffer] = []
        /// Why a write failed; what arrives after it is dropped.
        var failure: (any Error)?
    }

    /// What a committed reception hands its store handler.
    struct Committed {
        /// The data set's length in bytes.
        var dataSetLength: Int
        /// The whole data set (``keptDataSet``), or nil.
        var kept: ByteBuffer?
        /// The data set's first bytes, in pieces (``keptPrefix``); empty when not kept.
        var prefix: [ByteBuffer]
        /// The Part 10 file's length, meta information included.
        var fileLength: Int
    }

    let path: String
    let durable: Bool
    private let fileMetaInformation: DataSet
    private let state = Mutex(State())

    init(path: String, fileMetaInformation: DataSet, durable: Bool) {
        self.path = path
        self.durable = durable
        self.fileMetaInformation = fileMetaInformation
    }

    /// The data set bytes received so far.
    var bytesReceived: Int { state.withLock { $0.written + $0.pendingBytes } }

    /// The whole data set, once committed, when it was at most ``keptDataSetLimit`` bytes (so
    /// all of it waited in memory for the one write): for the store handler
    /// (`ReceivedInstance.dataSetBytes`), which then need not read the file back. Nil
    /// otherwise.
    var keptDataSet: ByteBuffer? { state.withLock { $0.kept } }

    /// The first ``keptDataSetLimit`` bytes of a larger data set, once committed: for an image,
    /// the attributes before its Pixel Data, which the store handler (an archive's index) reads
    /// instead of opening the file again. Slices of the fragments received, not a copy: a
    /// handler that does not read them (a plain Storage SCP) pays nothing for them, one that
    /// does joins them (``joined(_:length:)``). Empty for a data set kept whole.
    var keptPrefix: [ByteBuffer] { state.withLock { $0.prefix } }

    /// Adds one fragment; writes when enough has gathered. Throws only when the I/O threads
    /// are shutting down; a failed write is kept for ``commit()``.
    func append(_ fragment: ByteBuffer) async throws {
        let full: ([ByteBuffer], Part10FileSink?)? = state.withLock { state in
            guard state.failure == nil else {
                state.written += fragment.readableBytes
                return nil
            }
            state.pending.append(fragment)
            state.pendingBytes += fragment.readableBytes
            guard state.pendingBytes >= Self.writeSize else { return nil }
            if state.written == 0 { state.prefix = Self.prefix(of: state.pending, length: Self.keptDataSetLimit) }
            defer {
                state.written += state.pendingBytes
                state.pending = []
                state.pendingBytes = 0
            }
            return (state.pending, state.sink)
        }
        guard let (chunks, existing) = full else { return }
        let (path, meta, durable) = (path, fileMetaInformation, durable)
        let written = try await BlockingIO.transfer.runIfActive { () -> Result<Part10FileSink, DICOMEncodingError> in
            let sink: Part10FileSink
            if let existing {
                sink = existing
            } else {
                do throws(DICOMEncodingError) {
                    sink = try Part10FileSink(path: path, fileMetaInformation: meta, durable: durable)
                } catch {
                    return .failure(error)
                }
            }
            do throws(DICOMEncodingError) {
                for chunk in chunks { try sink.write(chunk) }
                return .success(sink)
            } catch {
                sink.discard()
                return .failure(error)
            }
        }
        state.withLock { state in
            switch written {
            case .success(let sink): state.sink = sink
            case .failure(let error):
                state.sink = nil
                state.failure = error
            }
        }
    }

    /// Writes what is gathered, then makes the file durable and puts it in place.
    func commit() async throws {
        _ = try await commit(then: nil)
    }

    /// ``commit()``, then `answer` on the same I/O thread, once the file is durable and in
    /// place, with the data set's length, its bytes or first bytes when kept (``keptDataSet``,
    /// ``keptPrefix``) and the file's length: a handler whose answer needs blocking file work
    /// does it there, without a trip to another thread and back. Returns what `answer`
    /// returned (nil: no answer yet).
    func commit(then answer: (@Sendable (Committed) -> DIMSEStatus?)?) async throws -> DIMSEStatus? {
        let last = try takeLastWrite()
        return try await BlockingIO.durability.runIfActive {
            let committed = try last.write()
            return answer?(committed)
        }
    }

    /// Whether ``commit()`` keeps the whole data set (``keptDataSet``): nothing is written yet
    /// and all of it, at most ``keptDataSetLimit`` bytes, waits in memory for the one write.
    var keepsWholeDataSet: Bool {
        state.withLock { $0.failure == nil && $0.sink == nil && $0.written == 0 && $0.pendingBytes <= Self.keptDataSetLimit }
    }

    /// ``commit()``, running `meanwhile` on the calling thread while an I/O thread writes the
    /// file and makes it durable, with the whole data set when it is kept (``keptDataSet``):
    /// work on the data set's bytes (an archive reading it for its index) then costs no time
    /// on top of the disk's. Returns what a store handler is handed and what `meanwhile`
    /// returned, once the file is durable and in place; `eventLoop` is the caller's.
    func commit<Meanwhile>(on eventLoop: any EventLoop, meanwhile: (ByteBuffer?) -> Meanwhile) async throws -> (Committed, Meanwhile) {
        let last = try takeLastWrite()
        let committed = BlockingIO.durability.runIfActive(eventLoop: eventLoop) { try last.write() }
        let result = meanwhile(last.kept)
        return (try await committed.get(), result)
    }

    /// What is left to write when the data set is all there, and how to write it.
    private struct LastWrite: Sendable {
        var rest: [ByteBuffer]
        var existing: Part10FileSink?
        var length: Int
        var kept: ByteBuffer?
        var prefix: [ByteBuffer]
        var path: String
        var fileMetaInformation: DataSet
        var durable: Bool

        /// Writes the rest, makes the file durable and puts it in place. Blocks.
        func write() throws -> Committed {
            let sink = try existing ?? Part10FileSink(path: path, fileMetaInformation: fileMetaInformation, durable: durable)
            for chunk in rest where chunk.readableBytes > 0 { try sink.write(chunk) }
            try sink.commit()
            return Committed(dataSetLength: length, kept: kept, prefix: prefix, fileLength: sink.fileLength)
        }
    }

    /// Takes what waits to be written, keeping the data set (or its first bytes) as it goes;
    /// throws the failure of an earlier write.
    private func takeLastWrite() throws -> LastWrite {
        if let failure = state.withLock({ $0.failure }) { throw failure }
        return state.withLock { state in
            defer {
                state.written += state.pendingBytes
                state.pending = []
                state.pendingBytes = 0
            }
            if state.sink == nil, state.written == 0 {
                if state.pendingBytes <= Self.keptDataSetLimit {
                    state.kept = Self.joined(state.pending, length: state.pendingBytes)
                } else {
                    state.prefix = Self.prefix(of: state.pending, length: Self.keptDataSetLimit)
                }
            }
            return LastWrite(
                rest: state.pending, existing: state.sink, length: state.written + state.pendingBytes, kept: state.kept,
                prefix: state.prefix, path: path, fileMetaInformation: fileMetaInformation, durable: durable)
        }
    }

    /// `fragments` as one buffer: the one fragment itself (no copy), or a copy of them all.
    static func joined(_ fragments: [ByteBuffer], length: Int) -> ByteBuffer {
        if fragments.count == 1 { return fragments[0] }
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        for fragment in fragments { buffer.writeImmutableBuffer(fragment) }
        return buffer
    }

    /// The first `length` bytes of `fragments` (which hold more), as slices of them.
    private static func prefix(of fragments: [ByteBuffer], length: Int) -> [ByteBuffer] {
        var slices: [ByteBuffer] = []
        var taken = 0
        for fragment in fragments where taken < length {
            let count = min(fragment.readableBytes, length - taken)
            slices.append(fragment.getSlice(at: fragment.readerIndex, length: count)!)
            taken += count
        }
        return slices
    }

    /// Drops the unfinished file, if there is one: the transfer failed or was refused.
    func discard() {
        let sink = state.withLock { state in
            defer { state.sink = nil }
            return state.sink
        }
        sink?.discard()
    }
}
