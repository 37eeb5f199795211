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

        /// A new descriptor of the same open file (dup(2), close-on-exec), for a reader that
        /// outlives this one, such as a socket's pending sendfile(2); the caller closes it.
        func duplicateDescriptor() throws(DICOMParsingError) -> Int32 {
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
            guard copy >= 0 else { throw unreadable(path, errno) }
            return copy
        }

        /// Checks that the file still reaches to `range.upperBound` (a file that shrank would
        /// leave a sendfile(2) with nothing to send) and asks the kernel to read `range` ahead
        /// (POSIX_FADV_WILLNEED: started, not awaited), so that sending it from the page cache
        /// rarely waits on the disk.
        func prepareToSend(_ range: Range<Int>) throws(DICOMParsingError) {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw unreadable(path, errno) }
            guard Int(status.st_size) >= range.upperBound else {
                throw DICOMParsingError(.fileUnreadable, offset: Int(status.st_size), tag: nil,
                                        "\(path): the file now ends at byte \(status.st_size), but had \(size) bytes when opened")
            }
            _ = posix_fadvise(descriptor, off_t(range.lowerBound), off_t(range.count), POSIX_FADV_WILLNEED)
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

    static func failed(_ what: String, _ code: Int32) -> DICOMEncodingError {
        DICOMEncodingError(.outputFailed, tag: nil, "\(what): \(describe(code))")
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
