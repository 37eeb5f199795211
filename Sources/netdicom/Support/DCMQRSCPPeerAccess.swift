import DICOMCore
import DICOMNetwork
import DICOMNetworkCore

/// Who may associate with the archive under a dcmqrscp configuration's AETable, as dcmqrscp
/// decides it (always, whatever its options): the Called AE Title must be the archive's, and,
/// unless its entry's peers are `ANY`, the Calling AE Title and the host the association comes
/// from must be one of them. Anything else is rejected as dcmqrscp rejects it: permanent, by
/// the service user, reason 7 (called AE title not recognized).
///
/// Each entry's area has rules of its own (qrscp serves each entry with its own handlers). Two
/// differences, on purpose:
/// - When qrscp serves one entry only (--storage or --database name its place), the other
///   entries' AE titles are rejected too, rather than answered from an archive that is not
///   theirs.
/// - dcmqrscp compares a peer's host name with the name a reverse look-up of the caller's
///   address gives, so a peer listed by address (127.0.0.1) or by a name other than the
///   canonical one is refused. Here a peer's host matches when it resolves to the caller's
///   address, whichever way it is written.
struct DCMQRSCPPeerAccess: Sendable {
    /// The archive's AE title.
    private let aeTitle: String
    /// Its peers: nil for anyone; else each peer's AE title with the addresses its host
    /// resolved to.
    private let peers: [(aeTitle: String, addresses: Set<String>)]?
    /// The AE titles of the AETable's other entries, not served.
    private let others: Set<String>
    /// Whether the AETable has an entry.
    let isEmpty: Bool
    /// Whether the archive's entry is read-only (Access R): it takes no C-STORE.
    let isReadOnly: Bool

    /// The access rules of `configuration`'s AETable for the archive's AE title `aeTitle`: its
    /// entry's, or the first entry's when the table does not name it (--ae-title). The peers'
    /// hosts are resolved now (a name that does not resolve matches only a caller whose address
    /// is that text). Blocks while it resolves.
    init(_ configuration: DCMQRSCPConfiguration, aeTitle: String) {
        self.aeTitle = aeTitle
        let entry = configuration.entry(servedAs: aeTitle)
        var resolved: [String: Set<String>] = [:]
        switch entry?.peers {
        case .any?, nil:
            peers = nil
        case .listed(let listed)?:
            peers = listed.map { peer in
                if resolved[peer.host] == nil { resolved[peer.host] = HostAddresses.addresses(of: peer.host) }
                return (peer.aeTitle, resolved[peer.host] ?? [])
            }
        }
        others = Set(configuration.entries.map(\.aeTitle)).subtracting([aeTitle])
        isEmpty = configuration.entries.isEmpty
        isReadOnly = entry?.isReadOnly ?? false
    }

    /// Why an association calling `calledAETitle` from `callingAETitle` at `address` (numeric)
    /// is refused; nil when the AETable lets it in.
    func refusal(calledAETitle: String, callingAETitle: String, address: String) -> String? {
        let called = calledAETitle.trimmed(of: " ")
        let calling = callingAETitle.trimmed(of: " ")
        guard called == aeTitle else {
            if others.contains(called) {
                return "the called AE title \(called) is another storage area of the dcmqrscp configuration's AETable: qrscp serves \(aeTitle) only"
            }
            return "the called AE title \(called) is not in the AETable of the dcmqrscp configuration"
        }
        guard let listed = peers else { return nil }
        let address = HostAddresses.normalized(address)
        if listed.contains(where: { $0.aeTitle == calling && $0.addresses.contains(address) }) { return nil }
        return "\(calling) at \(address) is not a peer of \(called) in the AETable of the dcmqrscp configuration"
    }

    /// The presentation contexts of `request` that a read-only area refuses, as dcmqrscp does
    /// (user-rejection): those that would bring C-STOREs, unless the requestor proposes the SCP
    /// role for their SOP class (a C-GET's sub-operations, which it accepts). Every abstract
    /// syntax but Verification, the Query/Retrieve models, Storage Commitment and DCMTK's
    /// Shutdown would (a private one too, with -pm).
    func refusedContexts(of request: AAssociate) -> Set<UInt8> {
        guard isReadOnly else { return [] }
        let receiving = Set(request.proposedRoleSelections.filter(\.scpRole).map(\.sopClassUID))
        return Set(request.presentationContextDefinitionList.filter { context in
            let uid = context.abstractSyntax
            guard uid != .verification, uid != .storageCommitmentPushModel, uid != DCMQRSCPOptions.shutdownSOPClass,
                  QueryRetrieveModel(sopClass: uid) == nil else { return false }
            return !receiving.contains(uid)
        }.compactMap(\.contextID))
    }

    /// ``refusal(calledAETitle:callingAETitle:address:)`` of `info`'s request, as a screening:
    /// the rejection dcmqrscp sends (`log` gets the reason); else the contexts a read-only area
    /// refuses (``refusedContexts(of:)``).
    func screening(_ info: AssociationInfo, log: (String) -> Void) -> AssociationScreening {
        let address = info.request.callingPresentationAddress?.host ?? ""
        if let reason = refusal(calledAETitle: info.request.calledAETitle, callingAETitle: info.request.callingAETitle, address: address) {
            log(reason)
            return .reject(.calledAETitleNotRecognized)
        }
        return AssociationScreening(refusedContextIDs: refusedContexts(of: info.request))
    }
}
