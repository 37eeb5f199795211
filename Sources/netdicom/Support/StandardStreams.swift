#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard output and error, written with write(2). Foundation's `FileHandle.write` traps
/// when the reader has gone (`netdicom findscu … | head`: SIGPIPE is ignored once SwiftNIO runs),
/// which printed a crash and a stack trace; a pipeline expects the writer to end quietly.
enum StandardStreams {
    /// Writes `text` to the standard output; when its reader has gone, ends the process with
    /// status 141, as SIGPIPE would have.
    static func output(_ text: String) {
        var text = text
        text.withUTF8 { output($0) }
    }

    /// Writes `bytes` to the standard output, as the text above.
    static func output(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !writeAll(bytes, to: STDOUT_FILENO) { exit(128 + SIGPIPE) }
    }

    /// Writes `text` to the standard error; nothing more when it is closed.
    static func error(_ text: String) {
        var text = text
        text.withUTF8 { _ = writeAll($0, to: STDERR_FILENO) }
    }

    /// Writes all of `bytes` to `descriptor`; false when it cannot (a closed pipe).
    private static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
        guard var next = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            next += written
            left -= written
        }
        return true
    }
}
