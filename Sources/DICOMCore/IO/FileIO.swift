#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The few file operations DICOMCore needs, on POSIX calls: reading a file whole or in pieces,
/// and writing one atomically and durably (``AtomicFile``).
///
/// Every call blocks; callers on an event loop run them on a thread pool.
enum FileIO {
    // MARK: - Reading

    /// Reads the whole file at `path` into one `ByteBuffer`.
    static func readAll(_ path: String) throws(DICOMParsingError) -> ByteBuffer {
        let file = try ReadableFile(path: path)
        // A file that shrinks while being read yields what was there.
        return try file.read(at: 0, length: file.size)
    }

    /// A file open for reading at any offset (pread(2)), closed when released. Reads do not move
    /// a shared position, so copies of its owner read independently.
    final class ReadableFile: Sendable {
        /// The path it was opened at, for errors.
        let path: String
        /// The size when opened.
        let size: Int
        private let descriptor: Int32

        /// Opens `path` (close-on-exec); a directory is refused.
        init(path: String) throws(DICOMParsingError) {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw unreadable(path, errno) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                let code = errno
                close(descriptor)
                throw unreadable(path, code)
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw unreadable(path, EISDIR)
            }
            self.path = path
            self.size = Int(status.st_size)
            self.descriptor = descriptor
        }

        deinit {
            close(descriptor)
        }

        /// Reads up to `length` bytes at `offset`, retrying short reads and EINTR; fewer bytes
        /// come back only when the file ends first.
        func read(at offset: Int, length: Int) throws(DICOMParsingError) -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(length)
            var failure: Int32 = 0
            while buffer.readableBytes < length {
                let wanted = length - buffer.readableBytes
                let position = off_t(offset + buffer.readableBytes)
                let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { target in
                    let result = pread(descriptor, target.baseAddress, min(wanted, target.count), position)
                    if result < 0 { failure = errno; return 0 }
                    return result
                }
                if failure == EINTR { failure = 0; continue }
                if failure != 0 { throw unreadable(path, failure) }
                if count == 0 { break }
            }
            return buffer
        }
    }

    static func unreadable(_ path: String, _ code: Int32) -> DICOMParsingError {
        DICOMParsingError(.fileUnreadable, offset: 0, tag: nil, "\(path): \(describe(code))")
    }

    // MARK: - Writing

    /// Writes what `produce` hands out to `path` through an ``AtomicFile``: `path` ends up with
    /// either its old content or the whole new one, even across a crash or power loss when
    /// `durable`.
    static func writeAtomically(
        to path: String,
        durable: Bool,
        _ produce: (_ handleChunk: (ByteBuffer) throws -> Void) throws(DICOMEncodingError) -> Void
    ) throws(DICOMEncodingError) {
        let file = try AtomicFile(path: path)
        defer { file.discard() }  // nothing once committed
        try produce { chunk in try file.write(chunk) }
        try file.commit(durable: durable)
    }

    /// A file written under a temporary name, `.NAME.XXXXXX` in the destination's directory, and
    /// renamed over the destination by ``commit(durable:)``. rename(2) replaces a name atomically
    /// within one file system (hence the same directory), so a reader of `path` sees the old file
    /// or the whole new one, never a part; ``discard()`` (also run by deinit) removes the
    /// temporary file, so an abandoned write leaves nothing behind.
    ///
    /// Not thread-safe: one owner at a time (``Part10FileSink`` guards one with a mutex).
    final class AtomicFile {
        /// Where the file goes on commit.
        let path: String
        /// The temporary file's path, beside `path`.
        let temporaryPath: String
        private let directory: String
        /// The temporary file's descriptor; -1 once closed.
        private var descriptor: Int32
        private var state = State.open

        private enum State {
            /// Being written: `descriptor` is open.
            case open
            /// Closed, being renamed.
            case closing
            /// Renamed over `path`.
            case committed
            /// Removed.
            case discarded
        }

        /// Creates the temporary file beside `path`, with the mode open(2) would give a new file.
        init(path: String) throws(DICOMEncodingError) {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            var template = Array("\(prefix).\(name).XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw failed("cannot create a temporary file in \(directory) for \(path)", errno)
            }
            let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // mkstemp gives 0600 and no close-on-exec: a stored file should be as readable as any
            // other new file, and the descriptor must not leak into a spawned process.
            if fcntl(descriptor, F_SETFD, FD_CLOEXEC) != 0 || fchmod(descriptor, FileIO.newFileMode) != 0 {
                let code = errno
                close(descriptor)
                unlink(temporaryPath)
                throw failed("cannot set up \(temporaryPath)", code)
            }
            self.path = path
            self.temporaryPath = temporaryPath
            self.directory = directory
            self.descriptor = descriptor
        }

        deinit {
            discard()
        }

        /// Appends all of `chunk`, retrying short writes and EINTR.
        func write(_ chunk: ByteBuffer) throws(DICOMEncodingError) {
            guard state == .open else {
                throw DICOMEncodingError(.outputFailed, tag: nil, "write \(temporaryPath): the file is already \(state)")
            }
            var failure: Int32 = 0
            chunk.withUnsafeReadableBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += written
                }
            }
            if failure != 0 { throw failed("write \(temporaryPath)", failure) }
        }

        /// Closes the file (after fsync(2) if `durable`), renames it over `path`, and if
        /// `durable` fsyncs the directory so that the rename itself survives a power loss. On a
        /// failure before the rename, the temporary file is removed.
        func commit(durable: Bool) throws(DICOMEncodingError) {
            guard state == .open else {
                throw DICOMEncodingError(.outputFailed, tag: nil, "commit \(path): the file is already \(state)")
            }
            do throws(DICOMEncodingError) {
                if durable, fsync(descriptor) != 0 { throw failed("fsync \(temporaryPath)", errno) }
                // close(2) reports delayed write errors on some file systems (NFS).
                let closed = close(descriptor)
                descriptor = -1
                state = .closing
                if closed != 0 { throw failed("close \(temporaryPath)", errno) }
                guard rename(temporaryPath, path) == 0 else { throw failed("rename \(temporaryPath) to \(path)", errno) }
            } catch {
                discard()
                throw error
            }
            state = .committed
            guard durable else { return }
            let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directoryDescriptor >= 0 else { return }  // an unopenable directory cannot be synced
            defer { close(directoryDescriptor) }
            guard fsync(directoryDescriptor) == 0 else { throw failed("fsync \(directory)", errno) }
        }

        /// Closes and removes the temporary file; nothing once committed or discarded.
        func discard() {
            guard state == .open || state == .closing else { return }
            if descriptor >= 0 {
                close(descriptor)
                descriptor = -1
            }
            unlink(temporaryPath)
            state = .discarded
        }
    }

    /// The mode open(2) with 0666 gives a new file: 0666 without the process's umask. The umask is
    /// read once, from /proc/self/status, as umask(2) cannot read it without changing it for every
    /// thread; 0644 where that is not available.
    static let newFileMode: mode_t = {
        let fallback: mode_t = 0o644
        let descriptor = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return fallback }
        defer { close(descriptor) }
        // /proc files report size 0: read until the end.
        var status: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            status += chunk[..<count]
        }
        for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Umask:") {
            let digits = line.dropFirst("Umask:".count).drop { $0 == " " || $0 == "\t" }
            guard let mask = mode_t(digits, radix: 8) else { break }
            return 0o666 & ~mask
        }
        return fallback
    }()

    private static func failed(_ what: String, _ code: Int32) -> DICOMEncodingError {
        DICOMEncodingError(.outputFailed, tag: nil, "\(what): \(describe(code))")
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

// write(2), named apart from AtomicFile's `write`.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
