import DICOMCore
import DICOMNetworkCore
import Testing

@Suite("Presentation context negotiation (PS3.8 §7.1.1.13-14, PS3.7 D.3.2)")
struct PresentationNegotiationTests {
    typealias T = ACSETest

    /// The example of pynetdicom's "Presentation Context Negotiation" guide: an acceptor of
    /// Verification (Implicit, Explicit), CT (Implicit) and MR (JPEG Baseline).
    static let supported = [
        T.supported(T.verification, [T.implicit, T.explicit]),
        T.supported(T.ct, [T.implicit]),
        T.supported(T.mr, [T.jpegBaseline]),
    ]

    @Test("results 0, 3 and 4, in ID order, with the first proposed syntax echoed for rejections")
    func results() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [
                T.requested(7, UID.computedRadiographyImageStorage, [T.implicit, T.explicit]),
                T.requested(1, T.verification, [T.implicit, T.explicit, T.bigEndian, T.jpegBaseline]),
                T.requested(3, T.ct, [T.implicit, T.explicit, T.bigEndian]),
                T.requested(5, T.mr, [T.explicit, T.implicit]),
            ],
            roleProposals: [],
            supported: Self.supported
        )
        #expect(result.contexts.map(\.contextID) == [1, 3, 5, 7])
        #expect(result.contexts.map(\.result) == [.acceptance, .acceptance, .transferSyntaxesNotSupported, .abstractSyntaxNotSupported])
        #expect(result.contexts.map(\.transferSyntaxes) == [[T.implicit], [T.implicit], [T.explicit], [T.implicit]])
        #expect(result.contexts.map(\.transferSyntax) == [T.implicit, T.implicit, nil, nil])
        #expect(result.contexts.map(\.abstractSyntax) == [T.verification, T.ct, T.mr, UID.computedRadiographyImageStorage])
        #expect(result.contexts.map(\.asSCP) == [true, true, false, false])
        #expect(result.contexts.map(\.asSCU) == [false, false, false, false])
        #expect(result.roleSelections.isEmpty)
    }

    @Test(
        "whose order picks the transfer syntax",
        arguments: [
            (PresentationNegotiation.TransferSyntaxPreference.acceptor, ACSETest.jpegLossless),
            (.requestor, ACSETest.explicit),
        ]
    )
    func transferSyntaxPreference(preference: PresentationNegotiation.TransferSyntaxPreference, chosen: UID) {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.ct, [T.explicit, T.implicit, T.jpegLossless])],
            roleProposals: [],
            supported: [T.supported(T.ct, [T.jpegBaseline, T.jpegLossless, T.implicit, T.explicit])],
            transferSyntaxPreference: preference
        )
        #expect(result.contexts[0].result == .acceptance)
        #expect(result.contexts[0].transferSyntaxes == [chosen])
    }

    /// DCMTK's getscu `+xs`: JPEG Lossless first, then the uncompressed syntaxes, in the one
    /// context per Storage class it proposes with the SCP role.
    @Test(
        "a context the acceptor sends in takes the requestor's first uncompressed syntax",
        arguments: [
            // The SCP role (C-GET): the acceptor sends.
            (RoleSelection(sopClassUID: ACSETest.ct, scuRole: false, scpRole: true) as RoleSelection?, [ACSETest.jpegLossless, ACSETest.bigEndian, ACSETest.explicit], ACSETest.bigEndian),
            (RoleSelection(sopClassUID: ACSETest.ct, scuRole: true, scpRole: true), [ACSETest.jpegLossless, ACSETest.explicit], ACSETest.explicit),
            // Nothing uncompressed to choose: the requestor's first.
            (RoleSelection(sopClassUID: ACSETest.ct, scuRole: false, scpRole: true), [ACSETest.jpegBaseline, ACSETest.jpegLossless], ACSETest.jpegBaseline),
            // The acceptor receives (default roles): the requestor's first, to store as sent.
            (nil, [ACSETest.jpegLossless, ACSETest.explicit], ACSETest.jpegLossless),
            (RoleSelection(sopClassUID: ACSETest.ct, scuRole: true, scpRole: false), [ACSETest.jpegLossless, ACSETest.explicit], ACSETest.jpegLossless),
        ]
    )
    func acceptorSends(proposal: RoleSelection?, proposed: [UID], chosen: UID) {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.ct, proposed)],
            roleProposals: proposal.map { [$0] } ?? [],
            supported: [T.supported(T.ct, [T.explicit, T.implicit, T.bigEndian, T.jpegBaseline, T.jpegLossless], scu: true, scp: true)],
            transferSyntaxPreference: .requestor
        )
        #expect(result.contexts[0].result == .acceptance)
        #expect(result.contexts[0].transferSyntaxes == [chosen])
    }

    @Test("the acceptor's own order is kept when it sends")
    func acceptorOrderWhenSending() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.ct, [T.explicit, T.jpegLossless])],
            roleProposals: [RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true)],
            supported: [T.supported(T.ct, [T.jpegLossless, T.explicit], scu: true, scp: true)]
        )
        #expect(result.contexts[0].transferSyntaxes == [T.jpegLossless])
        #expect(result.contexts[0].asSCU == true)
    }

    @Test(
        "chooseTransferSyntax",
        arguments: [
            ([ACSETest.implicit, ACSETest.explicit], [ACSETest.explicit, ACSETest.implicit], PresentationNegotiation.TransferSyntaxPreference.acceptor, ACSETest.explicit as UID?),
            ([ACSETest.implicit, ACSETest.explicit], [ACSETest.explicit, ACSETest.implicit], .requestor, ACSETest.implicit),
            ([ACSETest.implicit], [ACSETest.explicit], .acceptor, nil),
            ([ACSETest.implicit], [ACSETest.explicit], .requestor, nil),
            ([], [ACSETest.explicit], .acceptor, nil),
        ]
    )
    func choose(proposed: [UID], supported: [UID], preference: PresentationNegotiation.TransferSyntaxPreference, chosen: UID?) {
        #expect(PresentationNegotiation.chooseTransferSyntax(proposed: proposed, supported: supported, preference: preference) == chosen)
    }

    @Test("an acceptor that sends takes the first uncompressed syntax, except for a video class: MPEG-4 first stays first")
    func acceptorSendsVideo() {
        let mpeg4 = UID("1.2.840.10008.1.2.4.104")
        let proposed = [mpeg4, ACSETest.explicit, ACSETest.implicit]
        let supported = [ACSETest.explicit, ACSETest.implicit, mpeg4]
        #expect(PresentationNegotiation.chooseTransferSyntax(
            proposed: proposed, supported: supported, preference: .requestor, acceptorSends: true, abstractSyntax: .videoEndoscopicImageStorage) == mpeg4)
        #expect(PresentationNegotiation.chooseTransferSyntax(
            proposed: proposed, supported: supported, preference: .requestor, acceptorSends: true, abstractSyntax: ACSETest.ct) == ACSETest.explicit)
        #expect(PresentationNegotiation.chooseTransferSyntax(
            proposed: proposed, supported: supported, preference: .requestor, acceptorSends: false, abstractSyntax: ACSETest.ct) == mpeg4)
    }

    @Test("the default preference is the acceptor's, as in pynetdicom")
    func defaultPreference() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.verification, [T.explicit, T.implicit])],
            roleProposals: [],
            supported: [T.supported(T.verification, [T.implicit, T.explicit])]
        )
        #expect(result.contexts[0].transferSyntax == T.implicit)
        #expect(AssociationNegotiation.AcceptorConfiguration().transferSyntaxPreference == .acceptor)
    }

    @Test("with nothing supported every context is abstract-syntax-not-supported")
    func nothingSupported() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.verification, [T.implicit]), T.requested(3, T.ct, [T.explicit])],
            roleProposals: [],
            supported: []
        )
        #expect(result.contexts.map(\.result) == [.abstractSyntaxNotSupported, .abstractSyntaxNotSupported])
    }

    @Test("a proposal without transfer syntaxes is transfer-syntaxes-not-supported and echoes none")
    func noProposedTransferSyntax() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.verification, [])],
            roleProposals: [],
            supported: Self.supported
        )
        #expect(result.contexts[0].result == .transferSyntaxesNotSupported)
        #expect(result.contexts[0].transferSyntaxes.isEmpty)
    }

    @Test("UIDs longer than 64 characters in a proposal: the contexts are answered, and the answers encode")
    func oversizedProposedUIDs() throws {
        let oversized = UID(String(repeating: "1.2", count: 30))
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [
                T.requested(1, UID.computedRadiographyImageStorage, [oversized]), T.requested(3, T.verification, [oversized, T.implicit]),
                T.requested(5, oversized, [T.implicit]),
            ],
            roleProposals: [],
            supported: Self.supported
        )
        #expect(result.contexts.map(\.result) == [.abstractSyntaxNotSupported, .acceptance, .abstractSyntaxNotSupported])
        // The first proposed syntax is echoed for a rejection only when it can go out.
        #expect(result.contexts.map(\.transferSyntaxes) == [[], [T.implicit], [T.implicit]])
        for context in result.contexts { try context.validate() }
    }

    @Test("even IDs get no-reason; repeated or missing IDs get no answer")
    func badIDs() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [
                T.requested(2, T.verification, [T.implicit]),
                T.requested(1, T.verification, [T.implicit]),
                T.requested(1, T.ct, [T.implicit]),
                PresentationContext(abstractSyntax: T.ct, transferSyntaxes: [T.implicit]),
            ],
            roleProposals: [],
            supported: Self.supported
        )
        #expect(result.contexts.map(\.contextID) == [1, 2])
        #expect(result.contexts.map(\.result) == [.acceptance, .noReason])
        #expect(result.contexts[0].abstractSyntax == T.verification)
    }

    @Test("the same abstract syntax on two contexts is negotiated for each")
    func sameAbstractSyntaxTwice() {
        let result = PresentationNegotiation.negotiateAsAcceptor(
            requested: [T.requested(1, T.mr, [T.explicit]), T.requested(3, T.mr, [T.jpegBaseline])],
            roleProposals: [],
            supported: Self.supported
        )
        #expect(result.contexts.map(\.result) == [.transferSyntaxesNotSupported, .acceptance])
        #expect(result.contexts[1].transferSyntax == T.jpegBaseline)
    }

    // MARK: Requestor

    @Test("requestor: results by ID, unanswered contexts are no-reason, foreign IDs ignored")
    func requestorResults() {
        let requested = [
            T.requested(1, T.verification, [T.implicit, T.explicit]),
            T.requested(3, T.ct, [T.explicit]),
            T.requested(5, T.mr, [T.jpegBaseline]),
        ]
        let results = [
            PresentationContext(contextID: 9, abstractSyntax: "", transferSyntaxes: [T.implicit], result: .acceptance),
            PresentationContext(contextID: 3, abstractSyntax: "", transferSyntaxes: [T.explicit], result: .abstractSyntaxNotSupported),
            PresentationContext(contextID: 1, abstractSyntax: "", transferSyntaxes: [T.explicit], result: .acceptance),
        ]
        let negotiated = PresentationNegotiation.negotiateAsRequestor(
            requested: requested, roleProposals: [], results: results, roleReplies: []
        )
        #expect(negotiated.map(\.contextID) == [1, 3, 5])
        #expect(negotiated.map(\.abstractSyntax) == [T.verification, T.ct, T.mr])
        #expect(negotiated.map(\.result) == [.acceptance, .abstractSyntaxNotSupported, .noReason])
        #expect(negotiated.map(\.transferSyntax) == [T.explicit, nil, nil])
        #expect(negotiated.map(\.asSCU) == [true, false, false])
        #expect(negotiated.map(\.asSCP) == [false, false, false])
    }

    @Test("requestor: an accepted transfer syntax that was not proposed counts as no-reason")
    func requestorForeignTransferSyntax() {
        let negotiated = PresentationNegotiation.negotiateAsRequestor(
            requested: [T.requested(1, T.ct, [T.explicit])],
            roleProposals: [],
            results: [PresentationContext(contextID: 1, abstractSyntax: T.ct, transferSyntaxes: [T.jpegBaseline], result: .acceptance)],
            roleReplies: []
        )
        #expect(negotiated[0].result == .noReason)
        #expect(negotiated[0].asSCU == false)
    }

    @Test("the contexts accepted in a transfer syntax not proposed for them are named, with that syntax; rejections and proper acceptances are not")
    func acceptedWithUnproposedSyntax() {
        let requested = [T.requested(1, T.verification, [T.explicit]), T.requested(3, T.ct, [T.explicit, T.implicit]), T.requested(5, T.mr, [T.explicit])]
        let results = [
            PDU.PresentationContextACItem(presentationContextID: 1, resultReason: .init(rawValue: 0), transferSyntax: T.jpegBaseline),
            PDU.PresentationContextACItem(presentationContextID: 3, resultReason: .init(rawValue: 0), transferSyntax: T.implicit),
            PDU.PresentationContextACItem(presentationContextID: 5, resultReason: .init(rawValue: 4), transferSyntax: T.jpegBaseline),
            PDU.PresentationContextACItem(presentationContextID: 7, resultReason: .init(rawValue: 0), transferSyntax: T.jpegBaseline),
        ]
        let named = PresentationNegotiation.acceptedWithUnproposedSyntax(requested: requested, results: results)
        #expect(named.map(\.contextID) == [1])
        #expect(named.map(\.abstractSyntax) == [T.verification])
        #expect(named.map(\.transferSyntax) == [T.jpegBaseline])
        // Accepted without a transfer syntax sub-item: not one that was proposed either.
        let bare = PresentationNegotiation.acceptedWithUnproposedSyntax(
            requested: requested, results: [PDU.PresentationContextACItem(presentationContextID: 5, resultReason: .init(rawValue: 0), transferSyntax: nil)])
        #expect(bare.map(\.contextID) == [5] && bare[0].transferSyntax == nil)
    }

    @Test("requestor and acceptor agree end to end")
    func endToEnd() {
        let requested = [
            T.requested(1, T.verification, [T.explicit, T.implicit]),
            T.requested(3, T.ct, [T.implicit]),
            T.requested(5, UID.computedRadiographyImageStorage, [T.implicit]),
        ]
        let acceptor = PresentationNegotiation.negotiateAsAcceptor(requested: requested, roleProposals: [], supported: Self.supported)
        let requestor = PresentationNegotiation.negotiateAsRequestor(
            requested: requested, roleProposals: [], results: acceptor.contexts.reversed(), roleReplies: acceptor.roleSelections
        )
        #expect(requestor.map(\.result) == acceptor.contexts.map(\.result))
        #expect(requestor.map(\.transferSyntax) == acceptor.contexts.map(\.transferSyntax))
        #expect(requestor.map(\.asSCU) == acceptor.contexts.map(\.asSCP))
        #expect(requestor.map(\.asSCP) == acceptor.contexts.map(\.asSCU))
    }
}
