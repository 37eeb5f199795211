#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// fsync(2) of directories, shared by the threads that need one at the same time: a group
/// commit. Each caller needs the entries it made in a directory to be durable; any fsync of
/// that directory started after they were made covers them. So of the callers that arrive
/// while one fsync runs, one starts the next as soon as it ends, and the others wait for that
/// one instead of running their own: a burst of instances landing in one directory costs a
/// few directory syncs rather than one each (on ext4 without a journal, each is a disk write).
public enum DirectorySync {
    private final class Directory {
        /// Callers so far, numbered in order of arrival; a caller's number is its ticket.
        var requested = 0
        /// Every ticket up to this one is covered by a finished fsync.
        var covered = 0
        var running = false
        /// Callers inside ``sync(_:)``: the entry goes when none are left.
        var users = 0
    }

    // Guarded by `condition`.
    nonisolated(unsafe) private static var directories: [String: Directory] = [:]
    private static let condition = NSCondition()

    /// Makes the entries made in `directory` before this call durable. A directory that cannot
    /// be opened cannot be synced, and is not an error.
    public static func sync(_ directory: String) throws(DICOMEncodingError) {
        condition.lock()
        defer { condition.unlock() }
        let entry = directories[directory] ?? Directory()
        directories[directory] = entry
        entry.users += 1
        defer {
            entry.users -= 1
            if entry.users == 0 { directories[directory] = nil }
        }
        entry.requested += 1
        let ticket = entry.requested
        while entry.covered < ticket {
            if entry.running {
                condition.wait()
                continue
            }
            entry.running = true
            let covering = entry.requested
            condition.unlock()
            let failure = fsyncDirectory(directory)
            condition.lock()
            entry.running = false
            // A failed fsync covers nobody: each of its callers tries again.
            if failure == 0 { entry.covered = max(entry.covered, covering) }
            condition.broadcast()
            if failure != 0 { throw FileIO.failed("fsync \(directory)", failure) }
        }
    }

    /// fsync(2) of `directory`: 0, or the errno of the failure.
    private static func fsyncDirectory(_ directory: String) -> Int32 {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 ? 0 : errno
    }
}
