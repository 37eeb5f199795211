import DICOMCore
import DICOMNetworkCore
import Testing

@Suite("PresentationContext (PS3.8 §7.1.1.13-14)")
struct PresentationContextTests {
    @Test("default transfer syntaxes are pynetdicom's DEFAULT_TRANSFER_SYNTAXES, in its order")
    func defaultTransferSyntaxes() {
        #expect(PresentationContext.defaultTransferSyntaxes.map(\.string) == [
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
        ])
        #expect(PresentationContext(abstractSyntax: .verification).transferSyntaxes == PresentationContext.defaultTransferSyntaxes)
    }

    @Test("context IDs: odd 1-255 only", arguments: Array(UInt8.min...UInt8.max))
    func contextIDs(id: UInt8) throws {
        let context = PresentationContext(contextID: id, abstractSyntax: .verification)
        if id % 2 == 1 {
            #expect(PresentationContext.isValidContextID(id))
            try context.validate()
        } else {
            #expect(!PresentationContext.isValidContextID(id))
            expectACSEError(.invalidContextID) { try context.validate() }
        }
    }

    @Test("IDs by position: 1, 3 … 255, none past 128")
    func idsByPosition() {
        #expect(PresentationContext.contextID(forIndex: 0) == 1)
        #expect(PresentationContext.contextID(forIndex: 1) == 3)
        #expect(PresentationContext.contextID(forIndex: 127) == 255)
        #expect(PresentationContext.contextID(forIndex: 128) == nil)
        #expect(PresentationContext.contextID(forIndex: -1) == nil)
    }

    @Test(
        "UIDs must be 1 to 64 characters",
        arguments: [
            (UID(String(repeating: "1", count: 64)), true),
            (UID(String(repeating: "1", count: 65)), false),
            (UID(""), false),
            (UID("1.2.840.10008.1.1"), true),
        ]
    )
    func uidLength(uid: UID, valid: Bool) throws {
        let asAbstract = PresentationContext(abstractSyntax: uid)
        let asTransfer = PresentationContext(abstractSyntax: .verification, transferSyntaxes: [uid])
        if valid {
            try asAbstract.validate()
            try asTransfer.validate()
        } else {
            expectACSEError(.invalidUID) { try asAbstract.validate() }
            expectACSEError(.invalidUID) { try asTransfer.validate() }
        }
    }

    @Test("transfer syntaxes: required when proposed or accepted, optional when rejected")
    func transferSyntaxRequirement() throws {
        expectACSEError(.noTransferSyntax) {
            try PresentationContext(abstractSyntax: .verification, transferSyntaxes: []).validate()
        }
        expectACSEError(.noTransferSyntax) {
            try PresentationContext(contextID: 1, abstractSyntax: .verification, transferSyntaxes: [], result: .acceptance).validate()
        }
        try PresentationContext(contextID: 1, abstractSyntax: .verification, transferSyntaxes: [], result: .abstractSyntaxNotSupported).validate()
    }

    @Test("an answer is not held to its abstract syntax, which the A-ASSOCIATE-AC does not carry; a proposal is")
    func answerAbstractSyntax() throws {
        let oversized = UID(String(repeating: "1.2", count: 30))
        expectACSEError(.invalidUID) { try PresentationContext(contextID: 1, abstractSyntax: oversized, transferSyntaxes: [.implicitVRLittleEndian]).validate() }
        let answer = PresentationContext(contextID: 1, abstractSyntax: oversized, transferSyntaxes: [], result: .abstractSyntaxNotSupported)
        try answer.validate()
    }

    @Test("the transfer syntax shows only when accepted")
    func acceptedTransferSyntax() {
        var context = PresentationContext(contextID: 1, abstractSyntax: .verification, transferSyntaxes: [.explicitVRLittleEndian])
        #expect(context.transferSyntax == nil)
        #expect(!context.isAccepted)
        context.result = .acceptance
        #expect(context.transferSyntax == .explicitVRLittleEndian)
        #expect(context.isAccepted)
        context.result = .transferSyntaxesNotSupported
        #expect(context.transferSyntax == nil)
    }

    @Test(
        "results in words (PS3.8 Table 9-18)",
        arguments: [
            (PresentationContext.Result.acceptance, 0, "accepted"),
            (.userRejection, 1, "rejected by the user"),
            (.noReason, 2, "rejected by the provider, no reason given"),
            (.abstractSyntaxNotSupported, 3, "rejected by the provider, abstract syntax not supported"),
            (.transferSyntaxesNotSupported, 4, "rejected by the provider, transfer syntaxes not supported"),
            (.init(rawValue: 9), 9, "unknown result 9"),
        ]
    )
    func resultDescriptions(result: PresentationContext.Result, raw: UInt8, words: String) {
        #expect(result.rawValue == raw)
        #expect(result.description == words)
    }

    @Test("description lists ID, names, result and role")
    func description() {
        let context = PresentationContext(
            contextID: 3,
            abstractSyntax: .verification,
            transferSyntaxes: [.implicitVRLittleEndian],
            result: .acceptance,
            asSCU: false,
            asSCP: true
        )
        #expect(context.description == """
            ID: 3
            Abstract Syntax: Verification SOP Class (1.2.840.10008.1.1)
            Transfer Syntax(es):
                =Implicit VR Little Endian (1.2.840.10008.1.2)
            Result: accepted
            Role: SCP only
            """)
        #expect(PresentationContext(abstractSyntax: "1.2.3", transferSyntaxes: []).description == """
            Abstract Syntax: 1.2.3
            Transfer Syntax(es):
                (none)
            """)
    }
}
