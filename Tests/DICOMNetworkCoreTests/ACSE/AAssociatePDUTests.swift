import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("A-ASSOCIATE primitive ⇄ A-ASSOCIATE-RQ/-AC/-RJ PDUs")
struct AAssociatePDUTests {
    typealias T = ACSETest

    static let implementationUID: UID = "1.2.826.0.1.3680043.9.3811.2.1.0"
    static let storageServiceClass: UID = "1.2.840.10008.4.2"
    static let enhancedCT: UID = "1.2.840.10008.5.1.4.1.1.2.1"

    /// A request with every user information item.
    static func fullRequest() -> AAssociate {
        AAssociate(
            callingAETitle: "ECHOSCU",
            calledAETitle: "ANY-SCP",
            userInformation: AAssociate.UserInformation(
                maximumLengthReceived: 32768,
                implementationClassUID: implementationUID,
                implementationVersionName: "NETDICOM_TEST",
                asynchronousOperationsWindow: AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 5, maximumNumberOperationsPerformed: 3),
                roleSelections: [RoleSelection(sopClassUID: T.mr, scuRole: true, scpRole: true)],
                sopClassExtendedNegotiations: [SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1, 0, 1]))],
                sopClassCommonExtendedNegotiations: [
                    SOPClassCommonExtendedNegotiation(sopClassUID: enhancedCT, serviceClassUID: storageServiceClass, relatedGeneralSOPClassUIDs: [T.ct])
                ],
                userIdentityRequest: .username("alice", passcode: "secret", positiveResponseRequested: true),
                userIdentityResponse: UserIdentityResponse(serverResponse: ByteBuffer(string: "not in a request"))
            ),
            callingPresentationAddress: .init(host: "10.0.0.1", port: 50000),
            calledPresentationAddress: .init(host: "10.0.0.2", port: 104),
            presentationContextDefinitionList: [
                T.requested(1, T.verification, [T.implicit, T.explicit]),
                PresentationContext(contextID: 3, abstractSyntax: T.ct, transferSyntaxes: [T.jpegBaseline], scpRole: true),
                T.requested(5, T.mr, [T.explicit]),
            ]
        )
    }

    /// Encodes `pdu` and decodes the bytes again.
    static func throughWire(_ pdu: PDU) throws -> PDU {
        var buffer = ByteBuffer()
        try buffer.writePDU(pdu)
        var decoder = PDUDecoder(maximumLengthReceived: 0)
        return try #require(try decoder.decode(buffer: &buffer))
    }

    // MARK: Request

    @Test("request → A-ASSOCIATE-RQ: every field and every user information sub-item, in type order")
    func requestToPDU() throws {
        let rq = try PDU.AssociateRQ(Self.fullRequest())
        #expect(rq.protocolVersion == 1)
        #expect(rq.callingAETitle == "ECHOSCU")
        #expect(rq.calledAETitle == "ANY-SCP")
        #expect(rq.applicationContextName == "1.2.840.10008.3.1.1.1")
        #expect(rq.presentationContexts == [
            PDU.PresentationContextRQItem(presentationContextID: 1, abstractSyntax: T.verification, transferSyntaxes: [T.implicit, T.explicit]),
            PDU.PresentationContextRQItem(presentationContextID: 3, abstractSyntax: T.ct, transferSyntaxes: [T.jpegBaseline]),
            PDU.PresentationContextRQItem(presentationContextID: 5, abstractSyntax: T.mr, transferSyntaxes: [T.explicit]),
        ])
        #expect(rq.userInformation.subItems == [
            .maximumLength(32768),
            .implementationClassUID(Self.implementationUID),
            .asynchronousOperationsWindow(.init(maximumNumberOperationsInvoked: 5, maximumNumberOperationsPerformed: 3)),
            .scpSCURoleSelection(.init(sopClassUID: T.mr, scuRole: true, scpRole: true)),
            .scpSCURoleSelection(.init(sopClassUID: T.ct, scuRole: false, scpRole: true)),
            .implementationVersionName("NETDICOM_TEST"),
            .sopClassExtendedNegotiation(.init(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1, 0, 1]))),
            .sopClassCommonExtendedNegotiation(.init(sopClassUID: Self.enhancedCT, serviceClassUID: Self.storageServiceClass, relatedGeneralSOPClassUIDs: [T.ct])),
            .userIdentityRQ(.init(
                userIdentityType: .usernameAndPasscode, positiveResponseRequested: true,
                primaryField: ByteBuffer(string: "alice"), secondaryField: ByteBuffer(string: "secret")
            )),
        ])
        #expect(rq.unknownItems.isEmpty)
    }

    @Test("A-ASSOCIATE-RQ from the wire → indication: same parameters, roles in the user information")
    func requestRoundTrip() throws {
        let request = Self.fullRequest()
        guard case .associateRQ(let rq) = try Self.throughWire(.associateRQ(try PDU.AssociateRQ(request))) else {
            Issue.record("not an A-ASSOCIATE-RQ")
            return
        }
        let indication = AAssociate(
            request: rq,
            callingPresentationAddress: request.callingPresentationAddress,
            calledPresentationAddress: request.calledPresentationAddress
        )
        var expected = request
        expected.presentationContextDefinitionList[1].scpRole = nil
        expected.userInformation.roleSelections = request.proposedRoleSelections
        expected.userInformation.userIdentityResponse = nil
        #expect(indication == expected)
        #expect(indication.userInformation.userIdentityRequest?.identityType == .usernameAndPasscode)
        #expect(indication.userInformation.userIdentityRequest?.primaryField == ByteBuffer(string: "alice"))
        #expect(indication.proposedRoleSelections == request.proposedRoleSelections)
    }

    @Test("an indication keeps whatever the peer sent, without judging it")
    func lenientIndication() {
        let rq = PDU.AssociateRQ(
            protocolVersion: 2,
            calledAETitle: "",
            callingAETitle: "X",
            applicationContextName: "1.2.3",
            presentationContexts: [PDU.PresentationContextRQItem(presentationContextID: 2, abstractSyntax: T.ct, transferSyntaxes: [])],
            userInformation: PDU.UserInformationItem(subItems: [.unknown(PDU.RawItem(itemType: 0x70, value: ByteBuffer(bytes: [1])))])
        )
        let indication = AAssociate(request: rq)
        #expect(indication.calledAETitle == "")
        #expect(indication.applicationContextName == "1.2.3")
        #expect(indication.presentationContextDefinitionList == [PresentationContext(contextID: 2, abstractSyntax: T.ct, transferSyntaxes: [])])
        #expect(indication.userInformation == AAssociate.UserInformation())
    }

    @Test("a request PDU is refused for what PS3.8 forbids a sender")
    func requestErrors() {
        func expectRequestError(_ code: ACSEError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ change: (inout AAssociate) -> Void) {
            var request = Self.fullRequest()
            change(&request)
            expectACSEError(code, sourceLocation: sourceLocation) { _ = try PDU.AssociateRQ(request) }
        }
        expectRequestError(.invalidAETitle) { $0.callingAETitle = "" }
        expectRequestError(.invalidAETitle) { $0.calledAETitle = "WAY-TOO-LONG-TITLE" }
        expectRequestError(.invalidAETitle) { $0.calledAETitle = "BACK\\SLASH" }
        expectRequestError(.invalidUID) { $0.applicationContextName = UID(String(repeating: "1", count: 65)) }
        expectRequestError(.invalidPrimitive) { $0.presentationContextDefinitionList = [] }
        expectRequestError(.invalidContextID) { $0.presentationContextDefinitionList[0].contextID = nil }
        expectRequestError(.invalidContextID) { $0.presentationContextDefinitionList[0].contextID = 4 }
        expectRequestError(.duplicateContextID) { $0.presentationContextDefinitionList[2].contextID = 1 }
        expectRequestError(.noTransferSyntax) { $0.presentationContextDefinitionList[0].transferSyntaxes = [] }
        expectRequestError(.noTransferSyntax) {
            $0.presentationContextDefinitionList[0].transferSyntaxes = []
            $0.presentationContextDefinitionList[0].result = .userRejection
        }
        expectRequestError(.tooManyRequestedContexts) {
            $0.presentationContextDefinitionList = (0..<129).map { T.requested(UInt8(truncatingIfNeeded: 2 * $0 + 1), T.ct, [T.implicit]) }
        }
        expectRequestError(.invalidPrimitive) { $0.maximumLengthReceived = nil }
        expectRequestError(.invalidPrimitive) { $0.implementationClassUID = nil }
        expectRequestError(.invalidUID) { $0.implementationClassUID = "" }
        expectRequestError(.invalidUserInformation) { $0.implementationVersionName = "SEVENTEEN_CHARS__" }
        expectRequestError(.invalidUserInformation) { $0.implementationVersionName = "" }
        expectRequestError(.invalidUID) { $0.userInformation.roleSelections = [RoleSelection(sopClassUID: "")] }
        expectRequestError(.invalidUID) {
            $0.userInformation.sopClassCommonExtendedNegotiations[0].relatedGeneralSOPClassUIDs = [UID(String(repeating: "2", count: 70))]
        }
    }

    @Test("128 contexts with IDs 1 … 255 make a valid request")
    func fullRequestOf128() throws {
        var request = Self.fullRequest()
        request.presentationContextDefinitionList = (0..<128).map { T.requested(UInt8(2 * $0 + 1), T.ct, [T.implicit]) }
        let rq = try PDU.AssociateRQ(request)
        #expect(rq.presentationContexts.count == 128)
        #expect(rq.presentationContexts.last?.presentationContextID == 255)
    }

    // MARK: Acceptance

    static func fullAcceptance(for request: AAssociate) -> AAssociate {
        var acceptance = request
        acceptance.result = .accepted
        acceptance.resultSource = .serviceUser
        acceptance.presentationContextDefinitionResultList = [
            PresentationContext(contextID: 5, abstractSyntax: T.mr, transferSyntaxes: [T.explicit], result: .transferSyntaxesNotSupported),
            PresentationContext(contextID: 1, abstractSyntax: T.verification, transferSyntaxes: [T.explicit], result: .acceptance),
            PresentationContext(contextID: 3, abstractSyntax: T.ct, transferSyntaxes: [], result: .abstractSyntaxNotSupported),
        ]
        acceptance.userInformation = AAssociate.UserInformation(
            maximumLengthReceived: 0,
            implementationClassUID: "1.2.3.4",
            implementationVersionName: "ACCEPTOR",
            asynchronousOperationsWindow: AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 2, maximumNumberOperationsPerformed: 1),
            roleSelections: [RoleSelection(sopClassUID: T.mr, scuRole: true, scpRole: false)],
            sopClassExtendedNegotiations: [SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1]))],
            sopClassCommonExtendedNegotiations: [SOPClassCommonExtendedNegotiation(sopClassUID: Self.enhancedCT, serviceClassUID: Self.storageServiceClass)],
            userIdentityRequest: .username("not in an acceptance"),
            userIdentityResponse: UserIdentityResponse(serverResponse: ByteBuffer(string: "token"))
        )
        return acceptance
    }

    @Test("acceptance → A-ASSOCIATE-AC: echoed AE titles, one item per result, acceptance items only")
    func acceptanceToPDU() throws {
        let ac = try PDU.AssociateAC(Self.fullAcceptance(for: Self.fullRequest()))
        #expect(ac.protocolVersion == 1)
        #expect(ac.calledAETitle == "ANY-SCP")
        #expect(ac.callingAETitle == "ECHOSCU")
        #expect(ac.presentationContexts == [
            PDU.PresentationContextACItem(presentationContextID: 5, resultReason: .transferSyntaxesNotSupported, transferSyntax: T.explicit),
            PDU.PresentationContextACItem(presentationContextID: 1, resultReason: .acceptance, transferSyntax: T.explicit),
            PDU.PresentationContextACItem(presentationContextID: 3, resultReason: .abstractSyntaxNotSupported, transferSyntax: nil),
        ])
        #expect(ac.userInformation.subItems == [
            .maximumLength(0),
            .implementationClassUID("1.2.3.4"),
            .asynchronousOperationsWindow(.init(maximumNumberOperationsInvoked: 2, maximumNumberOperationsPerformed: 1)),
            .scpSCURoleSelection(.init(sopClassUID: T.mr, scuRole: true, scpRole: false)),
            .implementationVersionName("ACCEPTOR"),
            .sopClassExtendedNegotiation(.init(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1]))),
            .userIdentityAC(.init(serverResponse: ByteBuffer(string: "token"))),
        ])
    }

    @Test("A-ASSOCIATE-AC from the wire → confirmation, abstract syntaxes from the request")
    func acceptanceRoundTrip() throws {
        let request = Self.fullRequest()
        let acceptance = Self.fullAcceptance(for: request)
        guard case .associateAC(let ac) = try Self.throughWire(.associateAC(try PDU.AssociateAC(acceptance))) else {
            Issue.record("not an A-ASSOCIATE-AC")
            return
        }
        let confirmation = AAssociate(acceptance: ac, request: request)
        #expect(confirmation.result == .accepted)
        #expect(confirmation.resultSource == .serviceUser)
        #expect(confirmation.diagnostic == nil)
        #expect(confirmation.callingAETitle == "ECHOSCU")
        #expect(confirmation.respondingAETitle == "ANY-SCP")
        #expect(confirmation.presentationContextDefinitionList == request.presentationContextDefinitionList)
        #expect(confirmation.calledPresentationAddress == request.calledPresentationAddress)
        #expect(confirmation.presentationContextDefinitionResultList == acceptance.presentationContextDefinitionResultList)
        var expectedUserInformation = acceptance.userInformation
        expectedUserInformation.sopClassCommonExtendedNegotiations = []
        expectedUserInformation.userIdentityRequest = nil
        #expect(confirmation.userInformation == expectedUserInformation)
    }

    @Test("a result for an ID that was not proposed gets an empty abstract syntax")
    func acceptanceForeignID() {
        let ac = PDU.AssociateAC(
            calledAETitle: "ANY-SCP", callingAETitle: "ECHOSCU",
            presentationContexts: [PDU.PresentationContextACItem(presentationContextID: 77, resultReason: .acceptance, transferSyntax: T.implicit)],
            userInformation: PDU.UserInformationItem(subItems: [])
        )
        let confirmation = AAssociate(acceptance: ac, request: Self.fullRequest())
        #expect(confirmation.presentationContextDefinitionResultList == [
            PresentationContext(contextID: 77, abstractSyntax: "", transferSyntaxes: [T.implicit], result: .acceptance)
        ])
    }

    @Test("an acceptance PDU is refused for what PS3.8 forbids")
    func acceptanceErrors() {
        func expectAcceptanceError(_ code: ACSEError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ change: (inout AAssociate) -> Void) {
            var acceptance = Self.fullAcceptance(for: Self.fullRequest())
            change(&acceptance)
            expectACSEError(code, sourceLocation: sourceLocation) { _ = try PDU.AssociateAC(acceptance) }
        }
        expectAcceptanceError(.invalidPrimitive) { $0.result = nil }
        expectAcceptanceError(.invalidPrimitive) { $0.result = .rejectedPermanent }
        expectAcceptanceError(.invalidPrimitive) { $0.presentationContextDefinitionResultList[0].result = nil }
        expectAcceptanceError(.invalidContextID) { $0.presentationContextDefinitionResultList[0].contextID = nil }
        expectAcceptanceError(.invalidContextID) { $0.presentationContextDefinitionResultList[0].contextID = 0 }
        expectAcceptanceError(.duplicateContextID) { $0.presentationContextDefinitionResultList[0].contextID = 1 }
        expectAcceptanceError(.noTransferSyntax) { $0.presentationContextDefinitionResultList[1].transferSyntaxes = [] }
        expectAcceptanceError(.invalidPrimitive) { $0.implementationClassUID = nil }
        expectAcceptanceError(.invalidUserInformation) { $0.implementationVersionName = "TAB\tIN NAME" }
    }

    @Test("an acceptance may have an empty result list")
    func emptyResultList() throws {
        var acceptance = Self.fullAcceptance(for: Self.fullRequest())
        acceptance.presentationContextDefinitionResultList = []
        #expect(try PDU.AssociateAC(acceptance).presentationContexts.isEmpty)
    }

    // MARK: Rejection

    @Test(
        "rejection → A-ASSOCIATE-RJ → confirmation",
        arguments: [
            AAssociate.Rejection.noReasonGiven, .applicationContextNameNotSupported, .callingAETitleNotRecognized,
            .calledAETitleNotRecognized, .protocolVersionNotSupported, .userIdentityNotVerified,
            .temporaryCongestion, .localLimitExceeded,
        ]
    )
    func rejectionRoundTrip(rejection: AAssociate.Rejection) throws {
        let request = Self.fullRequest()
        let response = AAssociate(rejecting: request, with: rejection)
        let rj = try PDU.AssociateRJ(response)
        #expect(rj == rejection.pdu)
        #expect(rj.result.rawValue == rejection.result.rawValue)
        #expect(rj.source.rawValue == rejection.source.rawValue)
        #expect(rj.reason.rawValue == rejection.diagnostic.rawValue)
        guard case .associateRJ(let received) = try Self.throughWire(.associateRJ(rj)) else {
            Issue.record("not an A-ASSOCIATE-RJ")
            return
        }
        let confirmation = AAssociate(rejection: received, request: request)
        #expect(confirmation.rejection == rejection)
        #expect(confirmation.userInformation == AAssociate.UserInformation())
        #expect(confirmation.presentationContextDefinitionResultList.isEmpty)
        #expect(confirmation.presentationContextDefinitionList == request.presentationContextDefinitionList)
        #expect(confirmation.callingAETitle == request.callingAETitle)
    }

    @Test("a rejection PDU needs all three values, from Table 9-21")
    func rejectionErrors() {
        var response = AAssociate(callingAETitle: "A", calledAETitle: "B")
        expectACSEError(.invalidPrimitive) { _ = try PDU.AssociateRJ(response) }
        response.result = .rejectedPermanent
        response.resultSource = .serviceUser
        expectACSEError(.invalidPrimitive) { _ = try PDU.AssociateRJ(response) }
        response.diagnostic = .protocolVersionNotSupported
        #expect(throws: Never.self) { try PDU.AssociateRJ(response) }
        response.diagnostic = .init(rawValue: 4)
        expectACSEError(.invalidRejection) { _ = try PDU.AssociateRJ(response) }
        response.diagnostic = .noReasonGiven
        response.result = .accepted
        expectACSEError(.invalidRejection) { _ = try PDU.AssociateRJ(response) }
    }

    @Test("values outside Table 9-21 from the wire are carried into the confirmation")
    func rejectionOutsideTable() {
        let confirmation = AAssociate(
            rejection: PDU.AssociateRJ(result: .init(rawValue: 9), source: .init(rawValue: 8), reason: .init(rawValue: 7)),
            request: Self.fullRequest()
        )
        #expect(confirmation.result?.rawValue == 9)
        #expect(confirmation.resultSource?.rawValue == 8)
        #expect(confirmation.diagnostic?.rawValue == 7)
        #expect(confirmation.rejection == nil)
    }
}
