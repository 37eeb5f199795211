import DICOMCore
import DICOMNetworkCore
import Testing

@Suite("StorageContextProposal: a context per SOP class and transfer syntax to send")
struct StorageContextProposalTests {
    typealias T = ACSETest

    @Test("each syntax of a SOP class leads its own context; uncompressed ones list the little-endian ones after it")
    func contextPerSyntax() {
        let proposal = StorageContextProposal([
            (T.ct, T.jpegBaseline), (T.ct, T.explicit), (T.mr, T.implicit), (T.ct, T.jpegBaseline), (T.ct, T.deflated),
        ])
        #expect(proposal.contexts.map(\.abstractSyntax) == [T.ct, T.mr, T.ct, T.ct])
        #expect(proposal.contexts.map(\.transferSyntaxes) == [
            [T.jpegBaseline],
            [T.implicit, T.explicit],
            [T.explicit, T.implicit],
            [T.deflated, T.explicit, T.implicit],
        ])
        #expect(proposal.unproposed.isEmpty)
        #expect(proposal.contexts.allSatisfy { $0.contextID == nil && $0.scuRole == nil && $0.scpRole == nil })
    }

    @Test("an unknown transfer syntax is proposed alone, as it cannot be converted")
    func unknownSyntaxAlone() {
        let privateSyntax = UID("1.2.3.4.5.6")
        let proposal = StorageContextProposal([(T.ct, privateSyntax)])
        #expect(proposal.contexts.map(\.transferSyntaxes) == [[privateSyntax]])
    }

    @Test("at the limit every SOP class gets its first syntax before any gets a second")
    func firstSyntaxesFirst() {
        let proposal = StorageContextProposal(
            [(T.ct, T.jpegBaseline), (T.ct, T.jpegLossless), (T.mr, T.explicit), (T.verification, T.implicit)], limit: 3)
        #expect(proposal.contexts.map(\.abstractSyntax) == [T.ct, T.mr, T.verification])
        #expect(proposal.contexts.map { $0.transferSyntaxes[0] } == [T.jpegBaseline, T.explicit, T.implicit])
        #expect(proposal.unproposed.isEmpty)
    }

    @Test("SOP classes past the limit are named, in order")
    func pastTheLimit() {
        let classes = (1...130).map { UID("1.2.840.10008.5.1.4.1.1.\($0)") }
        let proposal = StorageContextProposal(classes.map { ($0, T.explicit) })
        #expect(proposal.contexts.count == PresentationContextList.maximumRequestedContexts)
        #expect(proposal.contexts.map(\.abstractSyntax) == Array(classes.prefix(128)))
        #expect(proposal.unproposed == Array(classes.suffix(2)))
    }

    @Test("uncompressedSyntaxes (storescu -xi): one context per SOP class for all its uncompressed syntaxes, proposing those alone; encapsulated ones as before")
    func uncompressedSyntaxesReplaced() {
        let proposal = StorageContextProposal(
            [(T.ct, T.explicit), (T.ct, T.jpegBaseline), (T.ct, T.implicit), (T.mr, T.deflated), (T.ct, T.explicit)],
            uncompressedSyntaxes: [T.implicit])
        #expect(proposal.contexts.map(\.abstractSyntax) == [T.ct, T.mr, T.ct])
        #expect(proposal.contexts.map(\.transferSyntaxes) == [[T.implicit], [T.implicit], [T.jpegBaseline]])
    }

    @Test("no instances, no contexts")
    func empty() {
        let proposal = StorageContextProposal([])
        #expect(proposal.contexts.isEmpty && proposal.unproposed.isEmpty)
    }
}
