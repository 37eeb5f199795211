extension PresentationNegotiation {
    /// Who plays which role on a presentation context after SCP/SCU Role Selection Negotiation
    /// (PS3.7 D.3.3.4).
    ///
    /// The acceptor's roles mirror the requestor's: the acceptor is SCP where the requestor is SCU
    /// and SCU where it is SCP. Without a role selection the requestor is SCU and the acceptor SCP
    /// (``defaultRoles``); a context on which the requestor ends with neither role is useless and
    /// the acceptor rejects it (``isNone``).
    public struct Roles: Hashable, Sendable, CustomStringConvertible {
        /// Whether the requestor may act as SCU (and so the acceptor as SCP).
        public var requestorIsSCU: Bool

        /// Whether the requestor may act as SCP (and so the acceptor as SCU).
        public var requestorIsSCP: Bool

        /// Creates roles from the requestor's side.
        public init(requestorIsSCU: Bool, requestorIsSCP: Bool) {
            self.requestorIsSCU = requestorIsSCU
            self.requestorIsSCP = requestorIsSCP
        }

        /// Whether the acceptor may act as SCU.
        public var acceptorIsSCU: Bool { requestorIsSCP }

        /// Whether the acceptor may act as SCP.
        public var acceptorIsSCP: Bool { requestorIsSCU }

        /// Requestor SCU, acceptor SCP: the roles when no role selection is negotiated.
        public static let defaultRoles = Roles(requestorIsSCU: true, requestorIsSCP: false)

        /// Whether neither side may do anything on the context.
        public var isNone: Bool {
            !requestorIsSCU && !requestorIsSCP
        }

        /// "requestor SCU, acceptor SCP", "requestor SCU/SCP, acceptor SCU/SCP", … or "none".
        public var description: String {
            func roles(scu: Bool, scp: Bool) -> String {
                [scu ? "SCU" : nil, scp ? "SCP" : nil].compactMap { $0 }.joined(separator: "/")
            }
            guard !isNone else { return "none" }
            return "requestor \(roles(scu: requestorIsSCU, scp: requestorIsSCP)), acceptor \(roles(scu: acceptorIsSCU, scp: acceptorIsSCP))"
        }
    }

    /// The SCP/SCU Role Selection the acceptor returns for one SOP class (PS3.7 D.3.3.4), or `nil`
    /// when it returns none.
    ///
    /// - Parameters:
    ///   - proposal: The requestor's role selection for the SOP class, if it sent one.
    ///   - scuRole: Whether the acceptor accepts a proposed SCU role (its supported context's
    ///     ``PresentationContext/scuRole``).
    ///   - scpRole: Whether it accepts a proposed SCP role.
    /// - Returns: `nil` when the requestor proposed nothing (a reply "shall be omitted", D.3.3.4)
    ///   or when either of `scuRole` and `scpRole` is `nil` (the acceptor ignores role selection,
    ///   as pynetdicom's `add_supported_context` documents); otherwise each proposed role the
    ///   acceptor accepts, and never a role that was not proposed ("shall not return the value
    ///   (1) if the Association-requestor has not proposed the role").
    public static func roleReply(to proposal: RoleSelection?, scuRole: Bool?, scpRole: Bool?) -> RoleSelection? {
        guard let proposal, let scuRole, let scpRole else { return nil }
        return RoleSelection(
            sopClassUID: proposal.sopClassUID,
            scuRole: proposal.scuRole && scuRole,
            scpRole: proposal.scpRole && scpRole
        )
    }

    /// The roles both sides arrive at for one SOP class (PS3.7 D.3.3.4).
    ///
    /// Without a proposal or without a reply, the default roles hold. Otherwise the requestor
    /// plays each role it proposed and the acceptor accepted; a reply accepting a role that was
    /// not proposed is ignored, as the requestor "shall ignore the response if it has not proposed
    /// the role".
    public static func roles(proposal: RoleSelection?, reply: RoleSelection?) -> Roles {
        guard let proposal, let reply else { return .defaultRoles }
        return Roles(
            requestorIsSCU: proposal.scuRole && reply.scuRole,
            requestorIsSCP: proposal.scpRole && reply.scpRole
        )
    }
}
