import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("Association acceptance checks (PS3.8 Table 9-21)")
struct AssociationAcceptancePolicyTests {
    static func context(_ id: UInt8) -> PDU.PresentationContextRQItem {
        PDU.PresentationContextRQItem(presentationContextID: id, abstractSyntax: .verification, transferSyntaxes: [.implicitVRLittleEndian])
    }

    static func request(
        protocolVersion: UInt16 = 1,
        called: String = "STORESCP",
        calling: String = "MODALITY",
        applicationContext: UID = "1.2.840.10008.3.1.1.1",
        contexts: [PDU.PresentationContextRQItem] = [
            PDU.PresentationContextRQItem(presentationContextID: 1, abstractSyntax: .verification, transferSyntaxes: [.implicitVRLittleEndian]),
        ]
    ) -> PDU.AssociateRQ {
        PDU.AssociateRQ(
            protocolVersion: protocolVersion,
            calledAETitle: called,
            callingAETitle: calling,
            applicationContextName: applicationContext,
            presentationContexts: contexts,
            userInformation: PDU.UserInformationItem(subItems: [.maximumLength(16382), .implementationClassUID("1.2.3")])
        )
    }

    static let strict = AssociationAcceptancePolicy(
        aeTitle: "STORESCP",
        requireCalledAETitle: true,
        requiredCallingAETitles: ["MODALITY", " CT01 "],
        maximumAssociations: 2
    )

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let request: PDU.AssociateRQ
        let current: Int
        let rejection: AAssociate.Rejection
        let bytes: (result: UInt8, source: UInt8, reason: UInt8)
        let words: (result: String, source: String, reason: String)
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "wrong called AE title", request: request(called: "OTHER"), current: 0,
            rejection: .calledAETitleNotRecognized, bytes: (1, 1, 7),
            words: ("rejected (permanent)", "DICOM UL service-user", "called AE title not recognized")),
        Row(name: "calling AE title not allowed", request: request(calling: "INTRUDER"), current: 0,
            rejection: .callingAETitleNotRecognized, bytes: (1, 1, 3),
            words: ("rejected (permanent)", "DICOM UL service-user", "calling AE title not recognized")),
        Row(name: "too many associations", request: request(), current: 2,
            rejection: .localLimitExceeded, bytes: (2, 3, 2),
            words: ("rejected (transient)", "DICOM UL service-provider (Presentation related function)", "local limit exceeded")),
        Row(name: "unsupported application context", request: request(applicationContext: "1.2.3.4"), current: 0,
            rejection: .applicationContextNameNotSupported, bytes: (1, 1, 2),
            words: ("rejected (permanent)", "DICOM UL service-user", "application context name not supported")),
        Row(name: "protocol version bit 0 not set", request: request(protocolVersion: 2), current: 0,
            rejection: .protocolVersionNotSupported, bytes: (1, 2, 2),
            words: ("rejected (permanent)", "DICOM UL service-provider (ACSE related function)", "protocol version not supported")),
        Row(name: "protocol version 0", request: request(protocolVersion: 0), current: 0,
            rejection: .protocolVersionNotSupported, bytes: (1, 2, 2),
            words: ("rejected (permanent)", "DICOM UL service-provider (ACSE related function)", "protocol version not supported")),
        Row(name: "no presentation context", request: request(contexts: []), current: 0,
            rejection: .noPresentationContext, bytes: (1, 2, 1),
            words: ("rejected (permanent)", "DICOM UL service-provider (ACSE related function)", "no reason given")),
        Row(name: "called AE title all spaces", request: request(called: "                "), current: 0,
            rejection: .calledAETitleNotRecognized, bytes: (1, 1, 7),
            words: ("rejected (permanent)", "DICOM UL service-user", "called AE title not recognized")),
        Row(name: "calling AE title all spaces", request: request(calling: " "), current: 0,
            rejection: .callingAETitleNotRecognized, bytes: (1, 1, 3),
            words: ("rejected (permanent)", "DICOM UL service-user", "calling AE title not recognized")),
    ]

    @Test("each check rejects with the exact result, source and reason", arguments: rows)
    func rejections(row: Row) throws {
        #expect(Self.strict.decide(row.request, currentAssociations: row.current) == .reject(row.rejection))
        let rj = row.rejection.pdu
        #expect(rj.result.rawValue == row.bytes.result)
        #expect(rj.source.rawValue == row.bytes.source)
        #expect(rj.reason.rawValue == row.bytes.reason)
        let confirmation = AAssociate(rejection: rj, request: AAssociate(request: row.request))
        #expect(confirmation.resultDescription == row.words.result)
        #expect(confirmation.sourceDescription == row.words.source)
        #expect(confirmation.reasonDescription == row.words.reason)
    }

    @Test(
        "requests that pass",
        arguments: [
            (request(), 0),
            (request(), 1),
            (request(protocolVersion: 3), 0),          // bit 0 is what counts
            (request(protocolVersion: 0xFFFF), 0),
            (request(called: " STORESCP"), 0),         // spaces are not significant
            (request(calling: "CT01"), 1),
        ] as [(PDU.AssociateRQ, Int)]
    )
    func accepted(request: PDU.AssociateRQ, current: Int) {
        #expect(Self.strict.decide(request, currentAssociations: current) == .accept)
    }

    @Test("pynetdicom's defaults accept any AE titles while fewer than 10 associations run")
    func defaults() {
        let policy = AssociationAcceptancePolicy(aeTitle: "ANY")
        #expect(!policy.requireCalledAETitle)
        #expect(policy.requiredCallingAETitles.isEmpty)
        #expect(policy.maximumAssociations == 10)
        #expect(policy.supportedApplicationContextNames == [AAssociate.dicomApplicationContextName])
        #expect(policy.decide(Self.request(called: "X", calling: "Y"), currentAssociations: 9) == .accept)
        #expect(policy.decide(Self.request(), currentAssociations: 10) == .reject(.localLimitExceeded))
    }

    @Test("a request PS3.8 forbids is rejected under the lenient defaults too, whatever the load; the defect says why")
    func defects() {
        let policy = AssociationAcceptancePolicy(aeTitle: "ANY")
        let cases: [(PDU.AssociateRQ, AssociationAcceptancePolicy.Defect, AAssociate.Rejection)] = [
            (Self.request(contexts: []), .noPresentationContext, .noPresentationContext),
            (Self.request(called: "   "), .blankCalledAETitle, .calledAETitleNotRecognized),
            (Self.request(called: "", calling: ""), .blankCalledAETitle, .calledAETitleNotRecognized),
            (Self.request(calling: "                "), .blankCallingAETitle, .callingAETitleNotRecognized),
            // Found by scripts/fuzz: the answer to an even ID could not be encoded, and the
            // acceptor aborted instead of rejecting.
            (Self.request(contexts: [Self.context(1), Self.context(10)]), .evenPresentationContextID(10), .noPresentationContext),
            (Self.request(contexts: [Self.context(3), Self.context(5), Self.context(3)]), .duplicatePresentationContextID(3), .noPresentationContext),
        ]
        for (request, defect, rejection) in cases {
            #expect(AssociationAcceptancePolicy.Defect(of: request) == defect)
            #expect(policy.decide(request, currentAssociations: 0) == .reject(rejection))
            #expect(policy.decide(request, currentAssociations: 10) == .reject(rejection))
        }
        #expect(AssociationAcceptancePolicy.Defect(of: Self.request(called: " A", calling: "B ")) == nil)
    }

    @Test(
        "first failure wins: provider before user, called before calling",
        arguments: [
            (request(protocolVersion: 2, called: "X", calling: "Y", applicationContext: "1.2"), 5, AAssociate.Rejection.protocolVersionNotSupported),
            (request(called: "X", calling: "Y", applicationContext: "1.2"), 5, .localLimitExceeded),
            (request(called: "X", calling: "Y", applicationContext: "1.2"), 0, .applicationContextNameNotSupported),
            (request(called: "X", calling: "Y"), 0, .calledAETitleNotRecognized),
        ] as [(PDU.AssociateRQ, Int, AAssociate.Rejection)]
    )
    func precedence(request: PDU.AssociateRQ, current: Int, rejection: AAssociate.Rejection) {
        #expect(Self.strict.decide(request, currentAssociations: current) == .reject(rejection))
    }

    @Test("the called AE title is checked only when required; case matters")
    func calledTitleCase() {
        var policy = Self.strict
        #expect(policy.decide(Self.request(called: "storescp"), currentAssociations: 0) == .reject(.calledAETitleNotRecognized))
        policy.requireCalledAETitle = false
        #expect(policy.decide(Self.request(called: "storescp"), currentAssociations: 0) == .accept)
    }
}
