#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Why a socket could not connect or listen, in words for a person: "connection refused", "no
/// connection within 30 s", "address already in use", "host not found", rather than NIO's error
/// types as Swift prints them.
public enum NetworkFailure {
    /// The reason `error`, thrown by a connect or a bind, gives; its description when it is none
    /// of the known kinds.
    public static func reason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            let reasons = error.connectionErrors.map { reason($0.error) }
            if let first = reasons.first {
                // Every address tried failed: one reason when they agree (refused on IPv6 and IPv4).
                return Set(reasons).count == 1 ? first : reasons.joined(separator: "; ")
            }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "host not found" : "no address to connect to"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case ChannelError.connectTimeout(let amount):
            return "no connection within \(Double(amount.nanoseconds) / 1e9) s"
        default:
            return "\(error)"
        }
    }
}
