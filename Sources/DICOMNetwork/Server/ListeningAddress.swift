public import NIOCore

/// Where a server listens, and how its peers' addresses read.
public enum ListeningAddress {
    /// The IPv6 wildcard: a server bound to it takes IPv4 peers too (IPV6_V6ONLY is turned off,
    /// whatever the system's default), so that it listens on every address of both families.
    public static let everyAddress = "::"

    /// Whether a server bound to `host` is opened to IPv4 peers as well (``everyAddress``).
    static func isDualStack(_ host: String) -> Bool { host == everyAddress }

    /// `host:port`, an IPv6 host in brackets (`[::]:11112`).
    public static func display(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A peer's IP address as text. An IPv4 peer of a dual-stack server comes as an IPv4-mapped
    /// IPv6 address (`::ffff:127.0.0.1`); it reads as the IPv4 address it is, so that logs,
    /// configured hosts and commands see the same address whatever the server was bound to.
    public static func host(of address: SocketAddress) -> String? {
        guard let text = address.ipAddress else { return nil }
        let prefix = "::ffff:"
        if text.lowercased().hasPrefix(prefix) {
            let mapped = text.dropFirst(prefix.count)
            if mapped.contains("."), !mapped.contains(":") { return String(mapped) }
        }
        return text
    }
}
