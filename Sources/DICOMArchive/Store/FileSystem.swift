#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The POSIX calls the store needs to place files durably: a rename is only durable once the
/// directory holding the new name is fsynced, and a new directory once its parent is.
///
/// Every call blocks; the archive runs them on NIO's thread pool.
enum FileSystem {
    /// Creates `path` and its missing parents (mode 0777 less the umask); with `durable`, fsyncs
    /// the parent of each directory it created, so that the directory survives a crash.
    static func makeDirectories(_ path: String, durable: Bool) throws(ArchiveError) {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !isDirectory(current) {
            missing.append(current)
            current = parent(of: current)
        }
        for directory in missing.reversed() {
            if mkdir(directory, 0o777) != 0 {
                let code = errno
                // Another store may have made it meanwhile.
                guard code == EEXIST, isDirectory(directory) else {
                    throw failure("cannot create the directory \(directory)", code)
                }
                continue
            }
            if durable { try syncDirectory(parent(of: directory)) }
        }
    }

    /// Renames `source` to `destination` (replacing it), then, if `durable`, fsyncs the
    /// destination's directory so that the new name survives a crash.
    static func move(_ source: String, to destination: String, durable: Bool) throws(ArchiveError) {
        guard rename(source, destination) == 0 else {
            throw failure("cannot rename \(source) to \(destination)", errno)
        }
        if durable { try syncDirectory(parent(of: destination)) }
    }

    /// What ``addName(_:to:durable:)`` did.
    enum LinkOutcome {
        /// `destination` is now a second name of `source`'s file, durably.
        case linked
        /// Something is at `destination` already; nothing changed.
        case destinationExists
        /// The directory of `destination` (or `source`) is not there; nothing changed.
        case missingDirectory
        /// The file system cannot link the two paths (no hard links, or another device).
        case unsupported
    }

    /// Gives the file at `source` a second name, `destination`, then, if `durable`, fsyncs the
    /// destination's directory so that the new name survives a crash.
    static func addName(_ source: String, to destination: String, durable: Bool) throws(ArchiveError) -> LinkOutcome {
        guard link(source, destination) == 0 else {
            let code = errno
            switch code {
            case EEXIST: return .destinationExists
            case ENOENT: return .missingDirectory
            case EXDEV, EPERM, ENOTSUP, EMLINK: return .unsupported
            default: throw failure("cannot link \(source) to \(destination)", code)
            }
        }
        if durable { try syncDirectory(parent(of: destination)) }
        return .linked
    }

    /// Gives the file at `source` a second name, `destination` (replacing what is there), not
    /// durably. The name is usually free: removing what is there is tried only if it is not.
    static func linkReplacing(_ source: String, at destination: String) throws(ArchiveError) {
        if link(source, destination) == 0 { return }
        guard errno == EEXIST else { throw failure("cannot link \(source) to \(destination)", errno) }
        unlink(destination)
        guard link(source, destination) == 0 else { throw failure("cannot link \(source) to \(destination)", errno) }
    }

    /// The device, inode and link count of the file at `path`; nil when it is not there.
    static func identity(of path: String) -> (device: UInt64, inode: UInt64, links: Int)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino), Int(status.st_nlink))
    }

    /// Copies the file at `source` to `destination` (which must not exist) and fsyncs the copy.
    static func copyDurably(_ source: String, to destination: String) throws(ArchiveError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("cannot open \(source)", errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard output >= 0 else { throw failure("cannot create \(destination)", errno) }
        defer { close(output) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read \(source)", errno)
            }
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = chunk.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write \(destination)", errno)
                }
                written += result
            }
        }
        guard fsync(output) == 0 else { throw failure("cannot fsync \(destination)", errno) }
    }

    /// fsync(2) of the file at `path`, if it is there (false when it is not).
    @discardableResult
    static func syncFile(_ path: String) throws(ArchiveError) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return false }
            throw failure("cannot open \(path)", code)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("cannot fsync \(path)", errno) }
        return true
    }

    /// The modification time of the file at `path` in nanoseconds since 1970; nil when it is
    /// not there.
    static func modificationTime(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
    }

    /// fsync(2) of a directory: makes the names created or renamed in it durable.
    static func syncDirectory(_ path: String) throws(ArchiveError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open the directory \(path)", errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("cannot fsync the directory \(path)", errno) }
    }

    /// Removes the file at `path`; true when it was there.
    @discardableResult
    static func remove(_ path: String) -> Bool {
        unlink(path) == 0
    }

    /// Removes the directory at `path` if it is empty; true when it was removed.
    @discardableResult
    static func removeDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    /// Whether `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of the file at `path`, nil when it is not there.
    static func fileSize(_ path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// The names in the directory at `path` (without `.` and `..`); empty when unreadable.
    static func names(in path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Up to `length` bytes of the file at `path` from `offset` (fewer only at the file's end).
    static func contents(of path: String, offset: Int, length: Int) throws(ArchiveError) -> ByteBuffer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open \(path)", errno) }
        defer { close(descriptor) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(length)
        var done = 0
        while done < length {
            var interrupted = false
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length - done) { pointer in
                let result = pread(descriptor, pointer.baseAddress, length - done, off_t(offset + done))
                if result < 0 { interrupted = errno == EINTR }
                return max(result, 0)
            }
            if interrupted { continue }
            if count == 0 { break }
            done += count
        }
        return buffer
    }

    /// The directory part of `path` ("." when none).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = path[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// A file-system error: what failed, and the system's words for `code` (an errno).
    static func failure(_ what: String, _ code: Int32) -> ArchiveError {
        ArchiveError(.fileSystem, "\(what): \(String(cString: strerror(code)))")
    }
}
