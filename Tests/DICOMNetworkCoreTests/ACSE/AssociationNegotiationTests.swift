import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("User information negotiation and the acceptor's response (PS3.7 D.3.3)")
struct AssociationNegotiationTests {
    typealias T = ACSETest
    typealias Window = AsynchronousOperationsWindow

    static func window(_ invoked: UInt16, _ performed: UInt16) -> Window {
        Window(maximumNumberOperationsInvoked: invoked, maximumNumberOperationsPerformed: performed)
    }

    // MARK: Asynchronous operations window

    @Test(
        "the acceptor's window answer",
        arguments: [
            (nil, window(10, 10), nil),                   // nothing proposed
            (window(1, 1), window(10, 10), nil),          // synchronous proposed: absence says it
            (window(5, 3), nil, nil),                     // acceptor grants nothing (pynetdicom's default)
            (window(5, 3), window(10, 10), window(5, 3)), // the proposal is within the acceptor's window
            (window(5, 3), window(2, 8), window(2, 3)),   // each number the smaller
            (window(0, 0), window(4, 0), window(4, 0)),   // 0 is unlimited
            (window(0, 7), window(0, 0), window(0, 7)),
            (window(6, 0), window(1, 1), window(1, 1)),
        ] as [(Window?, Window?, Window?)]
    )
    func windowAnswer(proposal: Window?, acceptor: Window?, answer: Window?) {
        #expect(AssociationNegotiation.asynchronousOperationsWindowAnswer(to: proposal, acceptorWindow: acceptor) == answer)
    }

    @Test(
        "the window in force",
        arguments: [
            (nil, nil, window(1, 1)),
            (window(5, 3), nil, window(1, 1)),
            (nil, window(5, 3), window(1, 1)),
            (window(5, 3), window(2, 3), window(2, 3)),
            (window(5, 3), window(9, 0), window(5, 3)),   // an answer above the proposal is capped
            (window(0, 0), window(0, 0), window(0, 0)),
        ] as [(Window?, Window?, Window)]
    )
    func windowInForce(proposed: Window?, answered: Window?, negotiated: Window) {
        #expect(AssociationNegotiation.negotiatedAsynchronousOperationsWindow(proposed: proposed, answered: answered) == negotiated)
    }

    @Test("window descriptions and the synchronous default")
    func windowWords() {
        #expect(Window.synchronous == Self.window(1, 1))
        #expect(Window.synchronous.isSynchronous)
        #expect(!Self.window(0, 1).isSynchronous)
        #expect(Self.window(0, 4).description == "invoked unlimited, performed 4")
    }

    // MARK: User identity

    @Test(
        "the user identity response",
        arguments: [
            // (type, positive response requested, verdict, response)
            (UInt8(1), true, AssociationNegotiation.UserIdentityVerdict.accepted(serverResponse: nil), ""),
            (2, true, .accepted(serverResponse: ByteBuffer(string: "ignored")), ""),
            (3, true, .accepted(serverResponse: ByteBuffer(string: "kerberos")), "kerberos"),
            (4, true, .accepted(serverResponse: ByteBuffer(string: "saml")), "saml"),
            (5, true, .accepted(serverResponse: ByteBuffer(string: "jwt")), "jwt"),
        ] as [(UInt8, Bool, AssociationNegotiation.UserIdentityVerdict, String)]
    )
    func userIdentityResponse(type: UInt8, positive: Bool, verdict: AssociationNegotiation.UserIdentityVerdict, response: String) {
        let request = UserIdentityRequest(
            identityType: .init(rawValue: type), positiveResponseRequested: positive, primaryField: ByteBuffer(string: "who")
        )
        #expect(AssociationNegotiation.userIdentityResponse(to: request, verdict: verdict) == UserIdentityResponse(serverResponse: ByteBuffer(string: response)))
    }

    @Test("no user identity response without a request, a positive-response request, a verdict, an acceptance or a token")
    func noUserIdentityResponse() {
        let wantsResponse = UserIdentityRequest(identityType: .jsonWebToken, positiveResponseRequested: true, primaryField: ByteBuffer(string: "jwt"))
        var noResponse = wantsResponse
        noResponse.positiveResponseRequested = false
        let accepted = AssociationNegotiation.UserIdentityVerdict.accepted(serverResponse: ByteBuffer(string: "token"))
        #expect(AssociationNegotiation.userIdentityResponse(to: nil, verdict: accepted) == nil)
        #expect(AssociationNegotiation.userIdentityResponse(to: noResponse, verdict: accepted) == nil)
        #expect(AssociationNegotiation.userIdentityResponse(to: wantsResponse, verdict: nil) == nil)
        #expect(AssociationNegotiation.userIdentityResponse(to: wantsResponse, verdict: .rejected) == nil)
        #expect(AssociationNegotiation.userIdentityResponse(to: wantsResponse, verdict: .accepted(serverResponse: nil)) == nil)
    }

    @Test("user identity requests from a username")
    func usernameRequests() {
        let username = UserIdentityRequest.username("bob")
        #expect(username.identityType == .username)
        #expect(username.primaryField == ByteBuffer(string: "bob"))
        #expect(username.secondaryField.readableBytes == 0)
        #expect(!username.positiveResponseRequested)
        let withPasscode = UserIdentityRequest.username("bob", passcode: "pw", positiveResponseRequested: true)
        #expect(withPasscode.identityType == .usernameAndPasscode)
        #expect(withPasscode.secondaryField == ByteBuffer(string: "pw"))
        #expect(UserIdentityRequest.IdentityType.samlAssertion.description == "SAML assertion")
        #expect(UserIdentityRequest.IdentityType(rawValue: 6).description == "unknown user identity type 6")
    }

    // MARK: SOP class extended negotiation

    @Test("SOP class extended answers only for proposed SOP classes, the first per class")
    func sopClassExtendedAnswers() {
        let proposals = [
            SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1, 1, 1])),
            SOPClassExtendedNegotiation(sopClassUID: T.mr, serviceClassApplicationInformation: ByteBuffer(bytes: [1])),
        ]
        let answers = [
            SOPClassExtendedNegotiation(sopClassUID: T.verification, serviceClassApplicationInformation: ByteBuffer(bytes: [9])),
            SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1, 0, 1])),
            SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [0])),
        ]
        #expect(AssociationNegotiation.sopClassExtendedNegotiationAnswers(to: proposals, answers: answers) == [answers[1]])
        #expect(AssociationNegotiation.sopClassExtendedNegotiationAnswers(to: [], answers: answers).isEmpty)
    }

    @Test("no SOP class extended answer for a class without an accepted context: refused, or never proposed")
    func sopClassExtendedAnswersNeedAContext() {
        let proposals = [T.ct, T.mr, T.verification].map {
            SOPClassExtendedNegotiation(sopClassUID: $0, serviceClassApplicationInformation: ByteBuffer(bytes: [1]))
        }
        let contexts = [
            PresentationContext(contextID: 1, abstractSyntax: T.ct, transferSyntaxes: [T.explicit], result: .acceptance),
            PresentationContext(contextID: 3, abstractSyntax: T.mr, transferSyntaxes: [T.explicit], result: .abstractSyntaxNotSupported),
        ]
        let answered = AssociationNegotiation.sopClassExtendedNegotiationAnswers(to: proposals, answers: proposals, acceptedContexts: contexts)
        #expect(answered.map(\.sopClassUID) == [T.ct])
        // In the response too: MR is not supported here, so its answer goes.
        var request = Self.request()
        request.userInformation.sopClassExtendedNegotiations = proposals
        let response = AssociationNegotiation.response(to: request, supportedContexts: Self.supported, sopClassExtendedAnswers: proposals)
        #expect(response.userInformation.sopClassExtendedNegotiations.map(\.sopClassUID) == [T.ct])
    }

    // MARK: The response

    static func request() -> AAssociate {
        AAssociate(
            callingAETitle: "GETSCU",
            calledAETitle: "QRSCP",
            userInformation: AAssociate.UserInformation(
                maximumLengthReceived: 65536,
                implementationClassUID: "1.2.3",
                asynchronousOperationsWindow: window(8, 2),
                roleSelections: [RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true)],
                sopClassExtendedNegotiations: [SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [1]))],
                userIdentityRequest: .username("carol", positiveResponseRequested: true)
            ),
            presentationContextDefinitionList: [
                T.requested(1, UID.patientRootQueryRetrieveInformationModelGet, [T.explicit, T.implicit]),
                T.requested(3, T.ct, [T.jpegLossless, T.explicit]),
                T.requested(5, T.mr, [T.explicit]),
            ]
        )
    }

    static let supported = [
        T.supported(UID.patientRootQueryRetrieveInformationModelGet, [T.implicit, T.explicit]),
        T.supported(T.ct, [T.explicit, T.jpegLossless], scu: true, scp: true),
    ]

    @Test("the acceptance: results, roles and every user information answer")
    func acceptance() throws {
        let request = Self.request()
        let configuration = AssociationNegotiation.AcceptorConfiguration(
            maximumLengthReceived: 0,
            implementationClassUID: "1.2.3.4.5",
            implementationVersionName: "QRSCP_1",
            asynchronousOperationsWindow: Self.window(4, 4)
        )
        let response = AssociationNegotiation.response(
            to: request,
            supportedContexts: Self.supported,
            configuration: configuration,
            userIdentity: .accepted(serverResponse: nil),
            sopClassExtendedAnswers: [SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [0]))]
        )
        #expect(response.result == .accepted)
        #expect(response.resultSource == .serviceUser)
        #expect(response.diagnostic == nil)
        #expect(response.callingAETitle == "GETSCU")
        #expect(response.calledAETitle == "QRSCP")
        #expect(response.presentationContextDefinitionResultList == [
            PresentationContext(contextID: 1, abstractSyntax: UID.patientRootQueryRetrieveInformationModelGet, transferSyntaxes: [T.implicit], result: .acceptance, asSCU: false, asSCP: true),
            PresentationContext(contextID: 3, abstractSyntax: T.ct, transferSyntaxes: [T.explicit], result: .acceptance, asSCU: true, asSCP: false),
            PresentationContext(contextID: 5, abstractSyntax: T.mr, transferSyntaxes: [T.explicit], result: .abstractSyntaxNotSupported, asSCU: false, asSCP: false),
        ])
        #expect(response.userInformation == AAssociate.UserInformation(
            maximumLengthReceived: 0,
            implementationClassUID: "1.2.3.4.5",
            implementationVersionName: "QRSCP_1",
            asynchronousOperationsWindow: Self.window(4, 2),
            roleSelections: [RoleSelection(sopClassUID: T.ct, scuRole: false, scpRole: true)],
            sopClassExtendedNegotiations: [SOPClassExtendedNegotiation(sopClassUID: T.ct, serviceClassApplicationInformation: ByteBuffer(bytes: [0]))],
            userIdentityResponse: UserIdentityResponse()
        ))
        // And it makes a valid A-ASSOCIATE-AC.
        let ac = try PDU.AssociateAC(response)
        #expect(ac.presentationContexts.map(\.resultReason) == [.acceptance, .acceptance, .abstractSyntaxNotSupported])
    }

    @Test("defaults: pynetdicom's maximum length, NetDICOM's implementation, no window answer")
    func defaultConfiguration() {
        let response = AssociationNegotiation.response(to: Self.request(), supportedContexts: Self.supported)
        #expect(response.maximumLengthReceived == 16382)
        #expect(response.implementationClassUID == FileMetaInformation.implementationClassUID)
        #expect(response.implementationVersionName == FileMetaInformation.implementationVersionName)
        #expect(response.userInformation.asynchronousOperationsWindow == nil)
        #expect(response.userInformation.userIdentityResponse == nil)
        #expect(response.userInformation.sopClassExtendedNegotiations.isEmpty)
        #expect(response.result == .accepted)
    }

    @Test("a rejected user identity rejects the association: transient, ACSE, no reason given")
    func userIdentityRejected() {
        let response = AssociationNegotiation.response(to: Self.request(), supportedContexts: Self.supported, userIdentity: .rejected)
        #expect(response.rejection == .userIdentityNotVerified)
        #expect(response.result == .rejectedTransient)
        #expect(response.resultSource == .serviceProviderACSE)
        #expect(response.diagnostic == .noReasonGiven)
        #expect(response.presentationContextDefinitionResultList.isEmpty)
        var withoutIdentity = Self.request()
        withoutIdentity.userInformation.userIdentityRequest = nil
        #expect(AssociationNegotiation.response(to: withoutIdentity, supportedContexts: Self.supported, userIdentity: .rejected).result == .accepted)
    }

    // MARK: Outcome

    @Test("both sides read the same outcome, each from its own side")
    func outcomes() {
        let request = Self.request()
        let acceptance = AssociationNegotiation.response(
            to: request,
            supportedContexts: Self.supported,
            configuration: .init(maximumLengthReceived: 32000, asynchronousOperationsWindow: Self.window(4, 4))
        )
        let requestor = AssociationNegotiation.Outcome.requestor(request: request, acceptance: acceptance)
        let acceptor = AssociationNegotiation.Outcome.acceptor(request: request, acceptance: acceptance)

        #expect(requestor.acceptedContexts.map(\.contextID) == [1, 3])
        #expect(requestor.rejectedContexts.map(\.contextID) == [5])
        #expect(requestor.context(withID: 1)?.asSCU == true)
        #expect(requestor.context(withID: 1)?.asSCP == false)
        #expect(requestor.context(withID: 3)?.asSCU == false)
        #expect(requestor.context(withID: 3)?.asSCP == true)
        #expect(requestor.context(withID: 7) == nil)
        #expect(requestor.asynchronousOperationsWindow == Self.window(4, 2))
        #expect(requestor.peerMaximumLengthReceived == 32000)

        #expect(acceptor.acceptedContexts.map(\.contextID) == [1, 3])
        #expect(acceptor.context(withID: 1)?.asSCP == true)
        #expect(acceptor.context(withID: 3)?.asSCU == true)
        #expect(acceptor.asynchronousOperationsWindow == Self.window(2, 4))
        #expect(acceptor.peerMaximumLengthReceived == 65536)

        for id: UInt8 in [1, 3, 5] {
            #expect(requestor.context(withID: id)?.result == acceptor.context(withID: id)?.result)
            #expect(requestor.context(withID: id)?.transferSyntax == acceptor.context(withID: id)?.transferSyntax)
        }
    }
}
