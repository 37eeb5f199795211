#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The few file operations DICOMCore needs, on POSIX calls: reading a whole file into one buffer,
/// and writing one atomically and durably.
enum FileIO {
    /// Reads the whole file at `path` into one `ByteBuffer`.
    static func readAll(_ path: String) throws(DICOMParsingError) -> ByteBuffer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(path, errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(path, errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw unreadable(path, EISDIR) }
        let size = Int(status.st_size)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(size)
        var failure: Int32 = 0
        while buffer.readableBytes < size {
            let wanted = size - buffer.readableBytes
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { target in
                let result = read(descriptor, target.baseAddress, min(wanted, target.count))
                if result < 0 { failure = errno; return 0 }
                return result
            }
            if failure == EINTR { failure = 0; continue }
            if failure != 0 { throw unreadable(path, failure) }
            if count == 0 { break }  // the file shrank while being read
        }
        return buffer
    }

    private static func unreadable(_ path: String, _ code: Int32) -> DICOMParsingError {
        DICOMParsingError(.fileUnreadable, offset: 0, tag: nil, "\(path): \(String(cString: strerror(code)))")
    }

    /// Writes what `produce` hands out into a temporary file beside `path`, then (if `durable`)
    /// fsyncs it, renames it over `path` and fsyncs the directory, so that `path` holds either
    /// the old content or the whole new one, even across a crash or power loss.
    static func writeAtomically(
        to path: String,
        durable: Bool,
        _ produce: (_ handleChunk: (ByteBuffer) throws -> Void) throws(DICOMEncodingError) -> Void
    ) throws(DICOMEncodingError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failed("cannot create a temporary file in \(directory)", errno) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            try produce { chunk in try writeFully(descriptor, chunk) }
            if durable, fsync(descriptor) != 0 { throw failed("fsync \(temporary)", errno) }
        }
        guard rename(temporary, path) == 0 else { throw failed("rename to \(path)", errno) }
        finished = true
        if durable {
            let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directoryDescriptor >= 0 {
                defer { close(directoryDescriptor) }
                guard fsync(directoryDescriptor) == 0 else { throw failed("fsync \(directory)", errno) }
            }
        }
    }

    /// Writes all of `chunk` to `descriptor`, retrying short writes and EINTR.
    static func writeFully(_ descriptor: Int32, _ chunk: ByteBuffer) throws(DICOMEncodingError) {
        var failure: Int32 = 0
        chunk.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure != 0 { throw failed("write", failure) }
    }

    private static func failed(_ what: String, _ code: Int32) -> DICOMEncodingError {
        DICOMEncodingError(.outputFailed, tag: nil, "\(what): \(String(cString: strerror(code)))")
    }
}
