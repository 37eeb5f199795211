import DICOMNetwork
import DICOMNetworkCore

/// Which known C-MOVE destination a requestor may name (dcmqrscp's --move-unrestricted, -ZA,
/// -ZH, -ZV): any, only its own AE title, only an AE on its own host, or only an AE of its own
/// vendor. A destination the restriction forbids is answered as an unknown one (A801H), with a
/// comment saying why.
public enum MoveRestriction: Sendable, Hashable {
    /// Any known destination (the default).
    case unrestricted
    /// Only the requestor's own AE title (its Calling AE Title).
    case callingAETitle
    /// Only a destination whose host is the requestor's: one of the destination host's
    /// addresses is the address the association came from.
    case callingHost
    /// Only a destination in a group of AE titles (a vendor, in dcmqrscp's VendorTable) that
    /// also holds the requestor's Calling AE Title; a requestor in no group may name none.
    case sameVendor([Set<String>])

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
            guard await HostAddresses.resolve(address.host).contains(HostAddresses.normalized(peer)) else {
                throw QueryFailure(.moveDestinationUnknown, comment: "\(destination) is not on the requestor's host")
            }
        case .sameVendor(let vendors):
            let calling = request.association.callingAETitle.trimmingSpaces
            guard vendors.contains(where: { $0.contains(calling) && $0.contains(destination) }) else {
                throw QueryFailure(.moveDestinationUnknown, comment: "\(destination) is of no vendor of the requestor \(calling)")
            }
        }
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
