#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// The numeric addresses a host name stands for, to compare a configured host (a C-MOVE
/// destination's, a peer's of an access list) with the address an association came from.
public enum HostAddresses {
    /// Every address `host` resolves to, numeric and ``normalized(_:)``; `host` itself when
    /// it does not resolve. A name is looked up (getaddrinfo), which blocks.
    public static func addresses(of host: String) -> Set<String> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [normalized(host)] }
        defer { freeaddrinfo(list) }
        var found: Set<String> = []
        var entry = list
        while let current = entry {
            var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &name, socklen_t(name.count), nil, 0, NI_NUMERICHOST) == 0 {
                found.insert(normalized(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
            }
            entry = current.pointee.ai_next
        }
        return found
    }

    /// ``addresses(of:)`` on a thread of its own: a name lookup blocks, and handlers run on an
    /// association's event loop.
    public static func resolve(_ host: String) async -> Set<String> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: addresses(of: host)) }
        }
    }

    /// An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`, how a dual-stack listener sees an
    /// IPv4 peer) as the IPv4 address; any other address as it is.
    public static func normalized(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}
