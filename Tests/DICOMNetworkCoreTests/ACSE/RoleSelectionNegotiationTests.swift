import DICOMCore
import DICOMNetworkCore
import Testing

/// One row of the SCP/SCU role selection table (PS3.7 D.3.3.4; pynetdicom's `SCP_SCU_ROLES`):
/// what the requestor proposes, how the acceptor is configured, the reply it computes and who
/// ends up playing what.
struct RoleRow: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// Requestor SCU, acceptor SCP.
        case defaultRoles
        /// Both SCU and SCP on both sides.
        case both
        /// Requestor SCP, acceptor SCU.
        case inverted
        /// No role left: the context is rejected (user-rejection).
        case rejected
    }

    let proposal: (scu: Bool, scp: Bool)?
    let acceptor: (scu: Bool?, scp: Bool?)
    let reply: (scu: Bool, scp: Bool)?
    let outcome: Outcome

    init(_ proposal: (Bool, Bool)?, _ acceptor: (Bool?, Bool?), reply: (Bool, Bool)?, _ outcome: Outcome) {
        self.proposal = proposal.map { (scu: $0.0, scp: $0.1) }
        self.acceptor = (scu: acceptor.0, scp: acceptor.1)
        self.reply = reply.map { (scu: $0.0, scp: $0.1) }
        self.outcome = outcome
    }

    var testDescription: String {
        func flag(_ value: Bool?) -> String { value.map { $0 ? "1" : "0" } ?? "-" }
        let proposed = proposal.map { "proposes SCU \(flag($0.scu)) SCP \(flag($0.scp))" } ?? "proposes nothing"
        return "requestor \(proposed); acceptor SCU \(flag(acceptor.scu)) SCP \(flag(acceptor.scp)) → \(outcome)"
    }

    var roles: PresentationNegotiation.Roles? {
        switch outcome {
        case .defaultRoles: PresentationNegotiation.Roles(requestorIsSCU: true, requestorIsSCP: false)
        case .both: PresentationNegotiation.Roles(requestorIsSCU: true, requestorIsSCP: true)
        case .inverted: PresentationNegotiation.Roles(requestorIsSCU: false, requestorIsSCP: true)
        case .rejected: nil
        }
    }

    /// Every combination: no proposal or one of the four, against the nine acceptor settings.
    static let all: [RoleRow] = [
        // No role selection proposed: the default roles whatever the acceptor's setting.
        RoleRow(nil, (nil, nil), reply: nil, .defaultRoles),
        RoleRow(nil, (nil, true), reply: nil, .defaultRoles),
        RoleRow(nil, (nil, false), reply: nil, .defaultRoles),
        RoleRow(nil, (true, nil), reply: nil, .defaultRoles),
        RoleRow(nil, (false, nil), reply: nil, .defaultRoles),
        RoleRow(nil, (true, true), reply: nil, .defaultRoles),
        RoleRow(nil, (true, false), reply: nil, .defaultRoles),
        RoleRow(nil, (false, false), reply: nil, .defaultRoles),
        RoleRow(nil, (false, true), reply: nil, .defaultRoles),
        // Requestor proposes SCU and SCP.
        RoleRow((true, true), (nil, nil), reply: nil, .defaultRoles),
        RoleRow((true, true), (nil, true), reply: nil, .defaultRoles),
        RoleRow((true, true), (nil, false), reply: nil, .defaultRoles),
        RoleRow((true, true), (true, nil), reply: nil, .defaultRoles),
        RoleRow((true, true), (false, nil), reply: nil, .defaultRoles),
        RoleRow((true, true), (true, true), reply: (true, true), .both),
        RoleRow((true, true), (true, false), reply: (true, false), .defaultRoles),
        RoleRow((true, true), (false, false), reply: (false, false), .rejected),
        RoleRow((true, true), (false, true), reply: (false, true), .inverted),
        // Requestor proposes SCU only.
        RoleRow((true, false), (nil, nil), reply: nil, .defaultRoles),
        RoleRow((true, false), (nil, true), reply: nil, .defaultRoles),
        RoleRow((true, false), (nil, false), reply: nil, .defaultRoles),
        RoleRow((true, false), (true, nil), reply: nil, .defaultRoles),
        RoleRow((true, false), (false, nil), reply: nil, .defaultRoles),
        RoleRow((true, false), (true, true), reply: (true, false), .defaultRoles),
        RoleRow((true, false), (true, false), reply: (true, false), .defaultRoles),
        RoleRow((true, false), (false, false), reply: (false, false), .rejected),
        RoleRow((true, false), (false, true), reply: (false, false), .rejected),
        // Requestor proposes SCP only (a C-GET SCU's storage contexts).
        RoleRow((false, true), (nil, nil), reply: nil, .defaultRoles),
        RoleRow((false, true), (nil, true), reply: nil, .defaultRoles),
        RoleRow((false, true), (nil, false), reply: nil, .defaultRoles),
        RoleRow((false, true), (true, nil), reply: nil, .defaultRoles),
        RoleRow((false, true), (false, nil), reply: nil, .defaultRoles),
        RoleRow((false, true), (true, true), reply: (false, true), .inverted),
        RoleRow((false, true), (true, false), reply: (false, false), .rejected),
        RoleRow((false, true), (false, false), reply: (false, false), .rejected),
        RoleRow((false, true), (false, true), reply: (false, true), .inverted),
        // Requestor proposes neither role.
        RoleRow((false, false), (nil, nil), reply: nil, .defaultRoles),
        RoleRow((false, false), (nil, true), reply: nil, .defaultRoles),
        RoleRow((false, false), (nil, false), reply: nil, .defaultRoles),
        RoleRow((false, false), (true, nil), reply: nil, .defaultRoles),
        RoleRow((false, false), (false, nil), reply: nil, .defaultRoles),
        RoleRow((false, false), (true, true), reply: (false, false), .rejected),
        RoleRow((false, false), (true, false), reply: (false, false), .rejected),
        RoleRow((false, false), (false, false), reply: (false, false), .rejected),
        RoleRow((false, false), (false, true), reply: (false, false), .rejected),
    ]
}

@Suite("SCP/SCU role selection (PS3.7 D.3.3.4)")
struct RoleSelectionNegotiationTests {
    typealias T = ACSETest

    @Test("the table has every combination once")
    func tableIsComplete() {
        #expect(RoleRow.all.count == 45)
    }

    @Test("acceptor's reply", arguments: RoleRow.all)
    func reply(row: RoleRow) {
        let proposal = row.proposal.map { RoleSelection(sopClassUID: T.ct, scuRole: $0.scu, scpRole: $0.scp) }
        let reply = PresentationNegotiation.roleReply(to: proposal, scuRole: row.acceptor.scu, scpRole: row.acceptor.scp)
        #expect(reply == row.reply.map { RoleSelection(sopClassUID: T.ct, scuRole: $0.scu, scpRole: $0.scp) })
    }

    @Test("acceptor and requestor negotiate the row's outcome", arguments: RoleRow.all)
    func bothSides(row: RoleRow) {
        let proposals = row.proposal.map { [RoleSelection(sopClassUID: T.ct, scuRole: $0.scu, scpRole: $0.scp)] } ?? []
        let requested = [T.requested(1, T.ct, [T.explicit])]
        let acceptor = PresentationNegotiation.negotiateAsAcceptor(
            requested: requested,
            roleProposals: proposals,
            supported: [T.supported(T.ct, [T.explicit], scu: row.acceptor.scu, scp: row.acceptor.scp)]
        )
        let answer = acceptor.contexts[0]
        let requestor = PresentationNegotiation.negotiateAsRequestor(
            requested: requested,
            roleProposals: proposals,
            results: acceptor.contexts,
            roleReplies: acceptor.roleSelections
        )[0]
        if let roles = row.roles {
            #expect(answer.result == .acceptance)
            #expect(answer.asSCU == roles.acceptorIsSCU)
            #expect(answer.asSCP == roles.acceptorIsSCP)
            #expect(acceptor.roleSelections == (row.reply.map { [RoleSelection(sopClassUID: T.ct, scuRole: $0.scu, scpRole: $0.scp)] } ?? []))
            #expect(requestor.result == .acceptance)
            #expect(requestor.asSCU == roles.requestorIsSCU)
            #expect(requestor.asSCP == roles.requestorIsSCP)
        } else {
            #expect(answer.result == .userRejection)
            #expect(answer.asSCU == false && answer.asSCP == false)
            #expect(acceptor.roleSelections.isEmpty)
            #expect(requestor.result == .userRejection)
            #expect(requestor.asSCU == false && requestor.asSCP == false)
        }
    }

    @Test(
        "the requestor ignores an accepted role it did not propose, and a reply without a proposal",
        arguments: [
            ((true, false), (true, true), true, false),
            ((false, true), (true, true), false, true),
            ((true, false), (false, true), false, false),
            ((false, true), (true, false), false, false),
            ((true, true), (true, true), true, true),
        ] as [((Bool, Bool), (Bool, Bool), Bool, Bool)]
    )
    func requestorIgnoresUnproposed(proposal: (Bool, Bool), reply: (Bool, Bool), scu: Bool, scp: Bool) {
        let roles = PresentationNegotiation.roles(
            proposal: RoleSelection(sopClassUID: T.ct, scuRole: proposal.0, scpRole: proposal.1),
            reply: RoleSelection(sopClassUID: T.ct, scuRole: reply.0, scpRole: reply.1)
        )
        #expect(roles.requestorIsSCU == scu)
        #expect(roles.requestorIsSCP == scp)
        #expect(roles.acceptorIsSCU == scp)
        #expect(roles.acceptorIsSCP == scu)
        #expect(PresentationNegotiation.roles(proposal: nil, reply: RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true)) == .defaultRoles)
        #expect(PresentationNegotiation.roles(proposal: RoleSelection(sopClassUID: T.ct, scpRole: true), reply: nil) == .defaultRoles)
    }

    @Test("roles in words")
    func rolesDescription() {
        #expect(PresentationNegotiation.Roles.defaultRoles.description == "requestor SCU, acceptor SCP")
        #expect(PresentationNegotiation.Roles(requestorIsSCU: true, requestorIsSCP: true).description == "requestor SCU/SCP, acceptor SCU/SCP")
        #expect(PresentationNegotiation.Roles(requestorIsSCU: false, requestorIsSCP: true).description == "requestor SCP, acceptor SCU")
        #expect(PresentationNegotiation.Roles(requestorIsSCU: false, requestorIsSCP: false).description == "none")
    }

    @Test("one reply per SOP class, even for several contexts; none for rejected contexts")
    func oneReplyPerSOPClass() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [
                T.requested(1, T.ct, [T.explicit]),
                T.requested(3, T.ct, [T.implicit]),
                T.requested(5, T.mr, [T.jpegBaseline]),
            ],
            roleProposals: [
                RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true),
                RoleSelection(sopClassUID: T.mr, scuRole: false, scpRole: true),
                RoleSelection(sopClassUID: T.ct, scuRole: true, scpRole: true),
            ],
            supported: [T.supported(T.ct, [T.explicit, T.implicit], scu: true, scp: true), T.supported(T.mr, [T.explicit], scu: true, scp: true)]
        )
        #expect(result.roleSelections == [RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true)])
        #expect(result.contexts.map(\.result) == [.acceptance, .acceptance, .transferSyntaxesNotSupported])
        #expect(result.contexts.map(\.asSCU) == [true, true, false])
        #expect(result.contexts.map(\.asSCP) == [false, false, false])
    }

    @Test("proposals come from requested contexts that set a role, first per abstract syntax, unset as false")
    func proposalsFromContexts() {
        let proposals = RoleSelection.proposals(for: [
            PresentationContext(contextID: 1, abstractSyntax: T.verification),
            PresentationContext(contextID: 3, abstractSyntax: T.ct, scpRole: true),
            PresentationContext(contextID: 5, abstractSyntax: T.ct, scuRole: true, scpRole: true),
            PresentationContext(contextID: 7, abstractSyntax: T.mr, scuRole: true),
        ])
        #expect(proposals == [
            RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true),
            RoleSelection(sopClassUID: T.mr, scuRole: true, scpRole: false),
        ])
    }
}
