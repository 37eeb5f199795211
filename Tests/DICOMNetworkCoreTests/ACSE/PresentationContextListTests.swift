import DICOMCore
import DICOMNetworkCore
import Testing

@Suite("PresentationContextList: pynetdicom's add/remove rules")
struct PresentationContextListTests {
    typealias T = ACSETest

    // MARK: Requested

    @Test("a requested context gets the default transfer syntaxes and IDs by position")
    func requestedDefaults() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.verification)
        try list.addRequestedContext(T.ct, transferSyntaxes: [T.explicit])
        let contexts = list.requestedContexts
        #expect(contexts.map(\.contextID) == [1, 3])
        #expect(contexts[0].abstractSyntax == T.verification)
        #expect(contexts[0].transferSyntaxes == [T.implicit, T.explicit, T.deflated, T.bigEndian])
        #expect(contexts[1].transferSyntaxes == [T.explicit])
        #expect(contexts.allSatisfy { $0.result == nil && $0.scuRole == nil && $0.scpRole == nil })
    }

    @Test("the same abstract syntax may be requested several times")
    func sameAbstractSyntaxTwice() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.ct, transferSyntaxes: [T.jpegBaseline])
        try list.addRequestedContext(T.ct, transferSyntaxes: [T.explicit])
        #expect(list.requestedContexts.map(\.abstractSyntax) == [T.ct, T.ct])
        #expect(list.requestedContexts.map(\.transferSyntaxes) == [[T.jpegBaseline], [T.explicit]])
        #expect(list.requestedContexts.map(\.contextID) == [1, 3])
    }

    @Test("128 requested contexts fit; the 129th throws and changes nothing")
    func limitOf128() throws {
        var list = PresentationContextList()
        for index in 0..<128 {
            try list.addRequestedContext(UID("1.2.3.\(index)"))
        }
        #expect(list.requestedContexts.count == 128)
        #expect(list.requestedContexts.last?.contextID == 255)
        expectACSEError(.tooManyRequestedContexts) { try list.addRequestedContext(T.verification) }
        expectACSEError(.tooManyRequestedContexts) {
            try list.addRequestedContext(PresentationContext(abstractSyntax: T.verification))
        }
        #expect(list.requestedContexts.count == 128)
        list.removeRequestedContext(UID("1.2.3.0"))
        try list.addRequestedContext(T.verification)
        #expect(list.requestedContexts.count == 128)
        #expect(list.requestedContexts.last?.abstractSyntax == T.verification)
    }

    @Test("invalid requested contexts are refused")
    func invalidRequested() {
        var list = PresentationContextList()
        expectACSEError(.noTransferSyntax) { try list.addRequestedContext(T.verification, transferSyntaxes: []) }
        expectACSEError(.invalidUID) { try list.addRequestedContext(UID(String(repeating: "9", count: 65))) }
        expectACSEError(.invalidUID) { try list.addRequestedContext(T.verification, transferSyntaxes: [""]) }
        #expect(list.requestedContexts.isEmpty)
    }

    @Test("duplicate transfer syntaxes are kept once, in first order")
    func duplicateTransferSyntaxes() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.verification, transferSyntaxes: [T.explicit, T.implicit, T.explicit])
        #expect(list.requestedContexts[0].transferSyntaxes == [T.explicit, T.implicit])
    }

    @Test("adding a context value drops its ID, result and negotiated roles but keeps the role proposal")
    func addRequestedContextValue() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.verification)
        try list.addRequestedContext(PresentationContext(
            contextID: 99, abstractSyntax: T.ct, transferSyntaxes: [T.explicit],
            scuRole: false, scpRole: true, result: .acceptance, asSCU: true, asSCP: true
        ))
        let context = list.requestedContexts[1]
        #expect(context.contextID == 3)
        #expect(context.result == nil && context.asSCU == nil && context.asSCP == nil)
        #expect(context.scuRole == false && context.scpRole == true)
    }

    @Test("removing an abstract syntax removes all its requested contexts; IDs close up")
    func removeRequestedWhole() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.ct, transferSyntaxes: [T.jpegBaseline])
        try list.addRequestedContext(T.verification)
        try list.addRequestedContext(T.ct, transferSyntaxes: [T.explicit])
        list.removeRequestedContext(T.ct)
        #expect(list.requestedContexts.map(\.abstractSyntax) == [T.verification])
        #expect(list.requestedContexts.map(\.contextID) == [1])
        list.removeRequestedContext(T.mr)
        #expect(list.requestedContexts.count == 1)
    }

    @Test("partial removal takes only the named transfer syntaxes, from every matching context")
    func removeRequestedPartial() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.verification)
        try list.addRequestedContext(T.verification, transferSyntaxes: [T.implicit, T.jpegBaseline])
        try list.addRequestedContext(T.ct, transferSyntaxes: [T.implicit, T.explicit])
        list.removeRequestedContext(T.verification, transferSyntaxes: [T.implicit, T.explicit])
        #expect(list.requestedContexts.map(\.transferSyntaxes) == [
            [T.deflated, T.bigEndian], [T.jpegBaseline], [T.implicit, T.explicit],
        ])
    }

    @Test("a requested context left without transfer syntaxes is removed")
    func removeRequestedEmptied() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.verification, transferSyntaxes: [T.implicit])
        try list.addRequestedContext(T.verification, transferSyntaxes: [T.implicit, T.explicit])
        list.removeRequestedContext(T.verification, transferSyntaxes: [T.implicit])
        #expect(list.requestedContexts.map(\.transferSyntaxes) == [[T.explicit]])
        list.removeRequestedContext(T.verification, transferSyntaxes: [])
        #expect(list.requestedContexts.map(\.transferSyntaxes) == [[T.explicit]])
        list.removeRequestedContext(T.verification, transferSyntaxes: [T.explicit, T.jpegBaseline])
        #expect(list.requestedContexts.isEmpty)
    }

    @Test("setRequestedContexts replaces all, or nothing on error")
    func setRequested() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.mr)
        try list.setRequestedContexts([PresentationContext(abstractSyntax: T.verification), PresentationContext(abstractSyntax: T.ct)])
        #expect(list.requestedContexts.map(\.abstractSyntax) == [T.verification, T.ct])
        let tooMany = (0..<129).map { PresentationContext(abstractSyntax: UID("1.2.\($0)")) }
        expectACSEError(.tooManyRequestedContexts) { try list.setRequestedContexts(tooMany) }
        #expect(list.requestedContexts.map(\.abstractSyntax) == [T.verification, T.ct])
    }

    // MARK: Supported

    @Test("a supported context gets the default transfer syntaxes, no ID and no roles")
    func supportedDefaults() throws {
        var list = PresentationContextList()
        try list.addSupportedContext(T.verification)
        let context = try #require(list.supportedContext(for: T.verification))
        #expect(context.transferSyntaxes == PresentationContext.defaultTransferSyntaxes)
        #expect(context.contextID == nil && context.scuRole == nil && context.scpRole == nil)
        #expect(list.supportedContext(for: T.ct) == nil)
    }

    @Test("adding a supported abstract syntax again merges transfer syntaxes after its own")
    func supportedMerge() throws {
        var list = PresentationContextList()
        try list.addSupportedContext(T.verification, transferSyntaxes: [T.implicit, T.bigEndian])
        try list.addSupportedContext(T.ct)
        try list.addSupportedContext(T.verification, transferSyntaxes: [T.explicit, T.implicit])
        #expect(list.supportedContexts.map(\.abstractSyntax) == [T.verification, T.ct])
        #expect(list.supportedContexts[0].transferSyntaxes == [T.implicit, T.bigEndian, T.explicit])
    }

    @Test("adding a supported abstract syntax again replaces its roles")
    func supportedRoles() throws {
        var list = PresentationContextList()
        try list.addSupportedContext(T.ct, scuRole: true, scpRole: true)
        #expect(list.supportedContext(for: T.ct)?.scuRole == true)
        #expect(list.supportedContext(for: T.ct)?.scpRole == true)
        try list.addSupportedContext(T.ct, transferSyntaxes: [T.explicit], scuRole: false, scpRole: nil)
        #expect(list.supportedContext(for: T.ct)?.scuRole == false)
        #expect(list.supportedContext(for: T.ct)?.scpRole == nil)
        try list.addSupportedContext(T.ct)
        #expect(list.supportedContext(for: T.ct)?.scuRole == nil)
    }

    @Test("a new supported context needs a transfer syntax; merging none into one is fine")
    func supportedEmpty() throws {
        var list = PresentationContextList()
        expectACSEError(.noTransferSyntax) { try list.addSupportedContext(T.verification, transferSyntaxes: []) }
        #expect(list.supportedContexts.isEmpty)
        try list.addSupportedContext(T.verification, transferSyntaxes: [T.implicit])
        try list.addSupportedContext(T.verification, transferSyntaxes: [], scuRole: true, scpRole: false)
        #expect(list.supportedContexts[0].transferSyntaxes == [T.implicit])
        #expect(list.supportedContexts[0].scuRole == true)
    }

    @Test("removing a supported context, whole or partly; emptied ones go")
    func removeSupported() throws {
        var list = PresentationContextList()
        try list.addSupportedContext(T.verification)
        try list.addSupportedContext(T.ct, transferSyntaxes: [T.implicit, T.explicit])
        list.removeSupportedContext(T.verification, transferSyntaxes: [T.implicit, T.explicit])
        #expect(list.supportedContext(for: T.verification)?.transferSyntaxes == [T.deflated, T.bigEndian])
        list.removeSupportedContext(T.ct, transferSyntaxes: [T.explicit, T.implicit])
        #expect(list.supportedContext(for: T.ct) == nil)
        list.removeSupportedContext(T.verification)
        #expect(list.supportedContexts.isEmpty)
        list.removeSupportedContext(T.mr)
        #expect(list.supportedContexts.isEmpty)
    }

    @Test("setSupportedContexts replaces and merges duplicates")
    func setSupported() throws {
        var list = PresentationContextList()
        try list.addSupportedContext(T.mr)
        try list.setSupportedContexts([
            T.supported(T.verification, [T.implicit]),
            T.supported(T.verification, [T.explicit], scu: true, scp: false),
        ])
        #expect(list.supportedContexts == [T.supported(T.verification, [T.implicit, T.explicit], scu: true, scp: false)])
        expectACSEError(.noTransferSyntax) { try list.setSupportedContexts([T.supported(T.ct, [])]) }
        #expect(list.supportedContexts.count == 1)
    }

    @Test("requested and supported lists are independent")
    func independent() throws {
        var list = PresentationContextList()
        try list.addRequestedContext(T.verification)
        try list.addSupportedContext(T.ct)
        list.removeRequestedContext(T.ct)
        list.removeSupportedContext(T.verification)
        #expect(list.requestedContexts.map(\.abstractSyntax) == [T.verification])
        #expect(list.supportedContexts.map(\.abstractSyntax) == [T.ct])
    }
}
