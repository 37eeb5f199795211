import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client that connects and then says nothing, to watch an acceptor's ARTIM timer.
struct SilentPeer {
    let descriptor: Int32

    init(port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw PeerError(description: "connect failed: \(errno)") }
    }

    /// Blocks until the peer closes the connection; returns how long that took.
    func secondsUntilClosed(timeout: Double) throws -> Double {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let start = Date()
        var byte: UInt8 = 0
        var count = recv(descriptor, &byte, 1, 0)
        while count < 0 && errno == EINTR { count = recv(descriptor, &byte, 1, 0) }
        close(descriptor)
        guard count == 0 || (count < 0 && errno == ECONNRESET) else {
            throw PeerError(description: "expected the acceptor to close the connection; recv returned \(count), errno \(errno)")
        }
        return Date().timeIntervalSince(start)
    }
}

/// A listener that accepts connections (through the kernel's backlog) and never answers. With a
/// `backlog` of 0, once one connection waits in it, Linux drops further SYNs: a connect then
/// hangs until its own timeout.
final class SilentListener: @unchecked Sendable {
    let descriptor: Int32
    let port: Int

    init(backlog: Int32 = 8) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(descriptor, backlog)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
