import DICOMNetwork
import DICOMNetworkCore

/// Who may associate with the archive under a dcmqrscp configuration's AETable, as dcmqrscp
/// decides it (always, whatever its options): the Called AE Title must be an entry of the table,
/// and, unless that entry's peers are `ANY`, the Calling AE Title and the host the association
/// comes from must be one of its peers. Anything else is rejected as dcmqrscp rejects it:
/// permanent, by the service user, reason 7 (called AE title not recognized).
///
/// One difference, on purpose: dcmqrscp compares a peer's host name with the name a reverse
/// look-up of the caller's address gives, so a peer listed by address (127.0.0.1) or by a name
/// other than the canonical one is refused. Here a peer's host matches when it resolves to the
/// caller's address, whichever way it is written.
struct DCMQRSCPPeerAccess: Sendable {
    /// One AE title's peers: nil for anyone; else each peer's AE title with the addresses its
    /// host resolved to.
    private let peers: [String: [(aeTitle: String, addresses: Set<String>)]?]

    /// The access rules of `configuration`'s AETable, its hosts resolved now (a name that does
    /// not resolve matches only a caller whose address is that text). `aeTitle` is the archive's:
    /// a title the table does not name (given with --ae-title) has the first entry's peers.
    /// Blocks while it resolves.
    init(_ configuration: DCMQRSCPConfiguration, aeTitle: String) {
        var resolved: [String: Set<String>] = [:]
        func addresses(_ host: String) -> Set<String> {
            if let known = resolved[host] { return known }
            let found = HostAddresses.addresses(of: host)
            resolved[host] = found
            return found
        }
        var peers: [String: [(aeTitle: String, addresses: Set<String>)]?] = [:]
        for entry in configuration.entries.reversed() {
            switch entry.peers {
            case .any: peers[entry.aeTitle] = .some(nil)
            case .listed(let listed): peers[entry.aeTitle] = listed.map { ($0.aeTitle, addresses($0.host)) }
            }
        }
        if peers[aeTitle] == nil, let first = configuration.entries.first {
            peers[aeTitle] = peers[first.aeTitle]
        }
        self.peers = peers
    }

    /// Whether the AETable holds any entry to enforce.
    var isEmpty: Bool { peers.isEmpty }

    /// Why an association calling `calledAETitle` from `callingAETitle` at `address` (numeric)
    /// is refused; nil when the AETable lets it in.
    func refusal(calledAETitle: String, callingAETitle: String, address: String) -> String? {
        let called = calledAETitle.trimmed(of: " ")
        let calling = callingAETitle.trimmed(of: " ")
        guard let entry = peers[called] else {
            return "the called AE title \(called) is not in the AETable of the dcmqrscp configuration"
        }
        guard let listed = entry else { return nil }
        let address = HostAddresses.normalized(address)
        if listed.contains(where: { $0.aeTitle == calling && $0.addresses.contains(address) }) { return nil }
        return "\(calling) at \(address) is not a peer of \(called) in the AETable of the dcmqrscp configuration"
    }

    /// ``refusal(calledAETitle:callingAETitle:address:)`` of `info`'s request, as a screening:
    /// the rejection dcmqrscp sends; `log` gets the reason.
    func screening(_ info: AssociationInfo, log: (String) -> Void) -> AssociationScreening? {
        let address = info.request.callingPresentationAddress?.host ?? ""
        guard let reason = refusal(calledAETitle: info.request.calledAETitle, callingAETitle: info.request.callingAETitle, address: address) else {
            return nil
        }
        log(reason)
        return .reject(.calledAETitleNotRecognized)
    }
}
