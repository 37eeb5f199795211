public import NIOCore
import Synchronization

/// Writes a DICOM file (PS3.10 §7) whose data set arrives in pieces, durably and atomically: what
/// a C-STORE SCP streams each received data set through, so that memory stays flat for any size.
///
/// The preamble, "DICM" and the meta information are written at once into a new file in
/// `path`'s directory that nothing can see yet (unnamed on Linux, `.NAME.XXXXXX` elsewhere: see
/// `FileIO.AtomicFile`); ``write(_:)`` appends data set bytes as they come; ``commit()`` makes
/// the file appear at `path` whole. A sink that is discarded, fails, or is released without a
/// commit drops its file, so an interrupted transfer leaves nothing: no partial file, and nothing
/// at `path`.
///
/// Every call is blocking POSIX I/O: run it on a thread pool, not on an event loop. Calls may come
/// from any thread; they are serialized.
public final class Part10FileSink: Sendable {
    /// Where the file appears on ``commit()``.
    public let path: String
    /// Whether ``commit()`` fsyncs.
    private let durable: Bool
    /// The preamble's, "DICM"'s and the meta information's bytes.
    private let headerLength: Int

    private let state: Mutex<State>

    private struct State {
        /// The file being written; nil once committed, discarded or failed.
        var file: FileIO.AtomicFile?
        var bytesWritten = 0
        /// Why `file` is nil, for the error of a later call.
        var closed = "discarded"
    }

    /// Creates the file, unseen, in `path`'s directory and writes the 128-byte zero preamble, "DICM" and
    /// `fileMetaInformation` (group 0002, Explicit VR Little Endian, PS3.10 §7.1). A
    /// (0002,0000) File Meta Information Group Length present is written with the group's length.
    ///
    /// - Parameters:
    ///   - path: The file to create or replace on ``commit()``. Its directory must exist.
    ///   - fileMetaInformation: The meta information, naming the transfer syntax in which the
    ///     data set bytes will arrive (see ``FileMetaInformation/make(sopClassUID:sopInstanceUID:transferSyntax:sourceAETitle:)``).
    ///   - durable: Whether ``commit()`` flushes the file and its directory entry to disk
    ///     (fsync), so that a committed file survives a crash or power loss.
    public init(path: String, fileMetaInformation: DataSet, durable: Bool = true) throws(DICOMEncodingError) {
        let header = try DICOMFile(
            fileMetaInformation: fileMetaInformation, dataSet: DataSet(), transferSyntax: .explicitVRLittleEndian
        ).encoded()
        let file = try FileIO.AtomicFile(path: path)
        try file.write(header)  // on failure, `file` is released and removes itself
        self.path = path
        self.durable = durable
        self.headerLength = header.readableBytes
        self.state = Mutex(State(file: file))
    }

    deinit {
        discard()
    }

    /// The number of data set bytes written so far (the preamble and meta information not
    /// counted).
    public var bytesWritten: Int {
        state.withLock { $0.bytesWritten }
    }

    /// The file's length so far: the preamble, "DICM", the meta information and the data set
    /// bytes written (what stat(2) tells of the committed file, without asking it).
    public var fileLength: Int {
        headerLength + bytesWritten
    }

    /// Appends data set bytes, as they are to stand in the file (in the transfer syntax of the
    /// meta information).
    ///
    /// A failed write discards the file: later calls throw.
    public func write(_ chunk: ByteBuffer) throws(DICOMEncodingError) {
        try state.withLock { (state: inout State) throws(DICOMEncodingError) in
            guard let file = state.file else {
                throw DICOMEncodingError(.outputFailed, tag: nil, "write to \(path): the file is already \(state.closed)")
            }
            do throws(DICOMEncodingError) {
                try file.write(chunk)
            } catch {
                file.discard()
                state.file = nil
                state.closed = "discarded after a failed write"
                throw error
            }
            state.bytesWritten += chunk.readableBytes
        }
    }

    /// Makes the file appear at `path`, replacing any file there: fsync the file if durable,
    /// link or rename it to `path`, fsync the directory if durable. Nothing can be written
    /// afterwards.
    ///
    /// On a failure before the file is in place it is dropped and `path` is untouched.
    public func commit() throws(DICOMEncodingError) {
        try state.withLock { (state: inout State) throws(DICOMEncodingError) in
            guard let file = state.file else {
                throw DICOMEncodingError(.outputFailed, tag: nil, "commit \(path): the file is already \(state.closed)")
            }
            state.file = nil
            state.closed = "committed"
            do throws(DICOMEncodingError) {
                try file.commit(durable: durable)
            } catch {
                state.closed = "closed after a failed commit"
                throw error
            }
        }
    }

    /// Closes and drops the file, leaving `path` as it was. Nothing after a commit;
    /// harmless when repeated.
    public func discard() {
        state.withLock { state in
            guard let file = state.file else { return }
            file.discard()
            state.file = nil
            state.closed = "discarded"
        }
    }
}
