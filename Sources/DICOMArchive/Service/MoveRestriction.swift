#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DICOMNetwork
import DICOMNetworkCore
import Dispatch

/// Which known C-MOVE destination a requestor may name (dcmqrscp's --move-unrestricted, -ZA,
/// -ZH): any, only its own AE title, or only an AE on its own host. A destination the
/// restriction forbids is answered as an unknown one (A801H), with a comment saying why.
public enum MoveRestriction: String, Sendable, CaseIterable {
    /// Any known destination (the default).
    case unrestricted
    /// Only the requestor's own AE title (its Calling AE Title).
    case callingAETitle
    /// Only a destination whose host is the requestor's: one of the destination host's
    /// addresses is the address the association came from.
    case callingHost

    /// Throws the A801H failure when `request` names a destination this restriction forbids;
    /// `destinations` are the known ones (an unknown one is the endpoint's to answer).
    func check(_ request: QueryRequest, destinations: [String: MoveDestination]) async throws(QueryFailure) {
        guard self != .unrestricted, let name = request.moveDestination else { return }
        let destination = name.trimmingSpaces
        switch self {
        case .unrestricted:
            return
        case .callingAETitle:
            let calling = request.association.callingAETitle.trimmingSpaces
            guard destination == calling else {
                throw QueryFailure(.moveDestinationUnknown, comment: "only the requestor's own AE title \(calling) may be the destination")
            }
        case .callingHost:
            guard let address = destinations[destination] ?? destinations[name] else { return }
            let peer = request.association.request.callingPresentationAddress?.host ?? ""
            guard await Self.resolve(address.host).contains(Self.normalized(peer)) else {
                throw QueryFailure(.moveDestinationUnknown, comment: "\(destination) is not on the requestor's host")
            }
        }
    }

    /// ``addresses(of:)`` on a thread of its own: a name lookup blocks, and handlers run on the
    /// association's event loop.
    static func resolve(_ host: String) async -> Set<String> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: addresses(of: host)) }
        }
    }

    /// Every address `host` resolves to, numeric (a name is looked up: getaddrinfo).
    static func addresses(of host: String) -> Set<String> {
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

    /// An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`, how a dual-stack listener sees an
    /// IPv4 peer) as the IPv4 address.
    static func normalized(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
