public import DICOMCore

/// An SCP/SCU Role Selection (PS3.7 D.3.3.4): in an A-ASSOCIATE request, the roles the requestor
/// proposes to play for a SOP class; in the response, which of those proposals the acceptor
/// accepts.
///
/// Without one, the requestor is SCU and the acceptor SCP. A requestor that wants to act as SCP
/// (a C-GET SCU receiving C-STOREs, a Storage Commitment SCU receiving N-EVENT-REPORTs) must
/// propose it; ``PresentationNegotiation`` works out the outcome.
public struct RoleSelection: Hashable, Sendable, CustomStringConvertible {
    /// The SOP Class or Meta SOP Class UID, the abstract syntax the roles apply to.
    public var sopClassUID: UID

    /// Request: the requestor proposes to be SCU. Response: the acceptor accepts that proposal.
    public var scuRole: Bool

    /// Request: the requestor proposes to be SCP. Response: the acceptor accepts that proposal.
    public var scpRole: Bool

    /// Creates a role selection; the defaults are pynetdicom's `build_role` defaults (`false`).
    public init(sopClassUID: UID, scuRole: Bool = false, scpRole: Bool = false) {
        self.sopClassUID = sopClassUID
        self.scuRole = scuRole
        self.scpRole = scpRole
    }

    /// The role selections a requestor sends for `requestedContexts`: one per abstract syntax
    /// whose context sets ``PresentationContext/scuRole`` or ``PresentationContext/scpRole``
    /// (the first such context of each abstract syntax counts; an unset role is proposed as
    /// `false`, like pynetdicom's `build_role`), in the order of the contexts.
    public static func proposals(for requestedContexts: [PresentationContext]) -> [RoleSelection] {
        var seen = Set<UID>()
        var proposals: [RoleSelection] = []
        for context in requestedContexts where context.scuRole != nil || context.scpRole != nil {
            guard seen.insert(context.abstractSyntax).inserted else { continue }
            proposals.append(RoleSelection(
                sopClassUID: context.abstractSyntax,
                scuRole: context.scuRole ?? false,
                scpRole: context.scpRole ?? false
            ))
        }
        return proposals
    }

    /// "CT Image Storage (1.2.840.10008.5.1.4.1.1.2): SCU role 0, SCP role 1".
    public var description: String {
        "\(sopClassUID.nameAndValue): SCU role \(scuRole ? 1 : 0), SCP role \(scpRole ? 1 : 0)"
    }
}

// MARK: - Wire value

extension RoleSelection {
    /// The value of an SCP/SCU Role Selection Sub-Item (54H).
    init(_ wire: PDU.SCPSCURoleSelectionSubItem) {
        self.init(sopClassUID: wire.sopClassUID, scuRole: wire.scuRole, scpRole: wire.scpRole)
    }

    var wireValue: PDU.SCPSCURoleSelectionSubItem {
        PDU.SCPSCURoleSelectionSubItem(sopClassUID: sopClassUID, scuRole: scuRole, scpRole: scpRole)
    }
}
