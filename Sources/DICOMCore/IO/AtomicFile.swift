#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

extension FileIO {
    /// A file written unseen, then put at `path` whole by ``commit(durable:)``: a reader of `path`
    /// sees the old file or the whole new one, never a part, and with `durable` that holds across
    /// a crash or a power loss too. ``discard()`` (also run by deinit) drops it.
    ///
    /// On Linux the file is created unnamed in the destination's directory (O_TMPFILE) and linked
    /// at `path` by the commit. It never has a name that a crash could leave behind, and creating
    /// it does not take the directory's lock: receptions into one directory at once used to queue
    /// on that lock, and on ext4 on the inode allocator's scan made under it. Elsewhere, on file
    /// systems without unnamed files, and to replace an existing `path` (link(2) never replaces),
    /// the file has a temporary name, `.NAME.XXXXXX` beside `path`, and is renamed over it:
    /// rename(2) replaces a name atomically within one file system.
    ///
    /// Not thread-safe: one owner at a time (``Part10FileSink`` guards one with a mutex).
    final class AtomicFile {
        /// Where the file goes on commit.
        let path: String
        private let directory: String
        /// `directory` and "/", and "." and the file name: a temporary name's parts.
        private let temporaryPrefix: String
        /// The file's descriptor; -1 once closed.
        private var descriptor: Int32
        /// The temporary name, while the file has one.
        private var temporaryPath: String?
        /// Whether the commit linked the unnamed file at `path` itself.
        private var linkedAtPath = false
        private var state = State.open

        private enum State {
            /// Being written: `descriptor` is open.
            case open
            /// Being put in place.
            case closing
            /// At `path`.
            case committed
            /// Removed.
            case discarded
        }

        /// Creates the file in `path`'s directory, with the mode open(2) gives a new file.
        init(path: String) throws(DICOMEncodingError) {
            // By byte: a Character search cost more than creating the file's name.
            let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
            let directory = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.utf8.index(after: $0)...]) } ?? path
            self.path = path
            self.directory = directory
            self.temporaryPrefix = (directory.hasSuffix("/") ? directory : directory + "/") + "." + name + "."
            #if os(Linux)
            if Self.unnamedFilesCanBeLinked {
                // 0666 less the umask, as for any new file.
                let descriptor = open(directory, Self.unnamedFileFlags, 0o666)
                if descriptor >= 0 {
                    self.descriptor = descriptor
                    return
                }
                // Anything but "this file system has no unnamed files" is the directory's fault.
                guard errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL else {
                    throw failed("cannot create a file in \(directory) for \(path)", errno)
                }
            }
            #endif
            var template = Array((temporaryPrefix + "XXXXXX").utf8CString)
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
            self.descriptor = descriptor
            self.temporaryPath = temporaryPath
        }

        deinit {
            discard()
        }

        /// What errors call the file before it is in place.
        private var description: String { temporaryPath ?? "the new file for \(path)" }

        /// Appends all of `chunk`, retrying short writes and EINTR.
        func write(_ chunk: ByteBuffer) throws(DICOMEncodingError) {
            guard state == .open else {
                throw DICOMEncodingError(.outputFailed, tag: nil, "write \(description): the file is already \(state)")
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
            if failure != 0 { throw failed("write \(description)", failure) }
        }

        /// Puts the file at `path`: after fsync(2) if `durable`, then linked or renamed there, and
        /// if `durable` the directory synced so that the new name itself survives a power loss
        /// (``DirectorySync``). On a failure before the file is in place, it is removed.
        func commit(durable: Bool) throws(DICOMEncodingError) {
            guard state == .open else {
                throw DICOMEncodingError(.outputFailed, tag: nil, "commit \(path): the file is already \(state)")
            }
            do throws(DICOMEncodingError) {
                if durable, fsync(descriptor) != 0 { throw failed("fsync \(description)", errno) }
                if temporaryPath == nil { try linkUnnamedFile() }
                // close(2) reports delayed write errors on some file systems (NFS).
                let closed = close(descriptor)
                descriptor = -1
                state = .closing
                if closed != 0 { throw failed("close \(description)", errno) }
                if let temporaryPath {
                    guard rename(temporaryPath, path) == 0 else { throw failed("rename \(temporaryPath) to \(path)", errno) }
                    self.temporaryPath = nil
                }
            } catch {
                discard()
                throw error
            }
            state = .committed
            if durable { try DirectorySync.sync(directory) }
        }

        /// Closes and removes the file; nothing once committed or discarded.
        func discard() {
            guard state == .open || state == .closing else { return }
            if descriptor >= 0 {
                close(descriptor)
                descriptor = -1
            }
            if let temporaryPath { unlink(temporaryPath) }
            // Linked, then its close failed: what is at `path` may not be what was written.
            if linkedAtPath { unlink(path) }
            state = .discarded
        }

        #if os(Linux)
        /// open(2) flags for an unnamed file in a directory: O_TMPFILE, which Glibc defines as
        /// __O_TMPFILE (020000000 on Linux) with O_DIRECTORY, in a macro Swift does not import.
        private static let unnamedFileFlags: Int32 = 0o20000000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC

        /// Whether /proc/self/fd is there to link an unnamed file by (linkat(2)'s AT_EMPTY_PATH,
        /// the other way, needs a capability).
        private static let unnamedFilesCanBeLinked = access("/proc/self/fd", X_OK) == 0

        /// Gives the unnamed file the name `path`, or, when `path` exists, a temporary name for
        /// the rename to replace it with.
        private func linkUnnamedFile() throws(DICOMEncodingError) {
            let source = "/proc/self/fd/\(descriptor)"
            if linkat(AT_FDCWD, source, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 {
                linkedAtPath = true
                return
            }
            guard errno == EEXIST else { throw failed("link \(path)", errno) }
            while true {
                let candidate = temporaryPrefix + String(UInt32.random(in: 0...UInt32.max), radix: 36)
                if linkat(AT_FDCWD, source, AT_FDCWD, candidate, AT_SYMLINK_FOLLOW) == 0 {
                    temporaryPath = candidate
                    return
                }
                guard errno == EEXIST else { throw failed("link \(candidate)", errno) }
            }
        }
        #else
        private func linkUnnamedFile() throws(DICOMEncodingError) {}
        #endif
    }
}

// write(2), named apart from AtomicFile's `write`.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
