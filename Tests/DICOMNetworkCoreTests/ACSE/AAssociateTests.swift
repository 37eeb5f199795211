import DICOMCore
import DICOMNetworkCore
import Testing

@Suite("A-ASSOCIATE primitive (PS3.8 §7.1.1)")
struct AAssociateTests {
    @Test("fixed parameters and defaults")
    func defaults() {
        let request = AAssociate(callingAETitle: "SCU", calledAETitle: "SCP")
        #expect(request.applicationContextName.string == "1.2.840.10008.3.1.1.1")
        #expect(request.mode == "normal")
        #expect(request.presentationRequirements == "Presentation Kernel")
        #expect(request.sessionRequirements == "")
        #expect(request.result == nil && request.resultSource == nil && request.diagnostic == nil)
        #expect(request.rejection == nil)
        #expect(request.maximumLengthReceived == 16382)
        #expect(request.implementationClassUID == FileMetaInformation.implementationClassUID)
        #expect(request.implementationVersionName == FileMetaInformation.implementationVersionName)
        #expect(request.userInformation.asynchronousOperationsWindow == nil)
        #expect(request.resultDescription == "(none)")
        #expect(request.sourceDescription == "(none)")
        #expect(request.reasonDescription == "(none)")
    }

    @Test("responding AE title and address are the called ones")
    func responding() {
        var primitive = AAssociate(
            callingAETitle: "SCU",
            calledAETitle: "STORESCP",
            calledPresentationAddress: .init(host: "10.0.0.2", port: 104)
        )
        #expect(primitive.respondingAETitle == "STORESCP")
        #expect(primitive.respondingPresentationAddress == .init(host: "10.0.0.2", port: 104))
        primitive.calledAETitle = "OTHER"
        #expect(primitive.respondingAETitle == "OTHER")
    }

    @Test("presentation addresses in words")
    func addresses() {
        #expect(AAssociate.PresentationAddress(host: "127.0.0.1", port: 11112).description == "127.0.0.1:11112")
        #expect(AAssociate.PresentationAddress(host: "::1", port: 104).description == "[::1]:104")
    }

    @Test("derived user information parameters read and write the user information")
    func derived() {
        var primitive = AAssociate(callingAETitle: "A", calledAETitle: "B", userInformation: .init())
        #expect(primitive.maximumLengthReceived == nil)
        primitive.maximumLengthReceived = 0
        primitive.implementationClassUID = "1.2.3"
        primitive.implementationVersionName = "X"
        #expect(primitive.userInformation.maximumLengthReceived == 0)
        #expect(primitive.userInformation.implementationClassUID == "1.2.3")
        #expect(primitive.userInformation.implementationVersionName == "X")
    }

    @Test(
        "result, source and reason in words",
        arguments: [
            (AAssociate.Rejection.noReasonGiven, "rejected (permanent)", "DICOM UL service-user", "no reason given", 1, 1, 1),
            (.applicationContextNameNotSupported, "rejected (permanent)", "DICOM UL service-user", "application context name not supported", 1, 1, 2),
            (.callingAETitleNotRecognized, "rejected (permanent)", "DICOM UL service-user", "calling AE title not recognized", 1, 1, 3),
            (.calledAETitleNotRecognized, "rejected (permanent)", "DICOM UL service-user", "called AE title not recognized", 1, 1, 7),
            (.protocolVersionNotSupported, "rejected (permanent)", "DICOM UL service-provider (ACSE related function)", "protocol version not supported", 1, 2, 2),
            (.userIdentityNotVerified, "rejected (transient)", "DICOM UL service-provider (ACSE related function)", "no reason given", 2, 2, 1),
            (.temporaryCongestion, "rejected (transient)", "DICOM UL service-provider (Presentation related function)", "temporary congestion", 2, 3, 1),
            (.localLimitExceeded, "rejected (transient)", "DICOM UL service-provider (Presentation related function)", "local limit exceeded", 2, 3, 2),
        ] as [(AAssociate.Rejection, String, String, String, UInt8, UInt8, UInt8)]
    )
    func words(rejection: AAssociate.Rejection, result: String, source: String, reason: String, r: UInt8, s: UInt8, d: UInt8) {
        #expect(rejection.result.rawValue == r)
        #expect(rejection.source.rawValue == s)
        #expect(rejection.diagnostic.rawValue == d)
        let primitive = AAssociate(rejecting: AAssociate(callingAETitle: "A", calledAETitle: "B"), with: rejection)
        #expect(primitive.resultDescription == result)
        #expect(primitive.sourceDescription == source)
        #expect(primitive.reasonDescription == reason)
        #expect(primitive.rejection == rejection)
        #expect(rejection.description == "\(result) by the \(source): \(reason)")
    }

    @Test("Table 9-21 defines exactly these combinations")
    func table921() throws {
        var defined: [[UInt8]] = []
        for result in UInt8(0)...3 {
            for source in UInt8(0)...4 {
                for diagnostic in UInt8(0)...8 {
                    do {
                        _ = try AAssociate.Rejection(
                            result: .init(rawValue: result), source: .init(rawValue: source), diagnostic: .init(rawValue: diagnostic)
                        )
                        defined.append([result, source, diagnostic])
                    } catch {
                        #expect(error.code == .invalidRejection)
                    }
                }
            }
        }
        let oneResult: [[UInt8]] = [[1, 1], [1, 2], [1, 3], [1, 7], [2, 1], [2, 2], [3, 1], [3, 2]]
        #expect(defined == [1, 2].flatMap { result in oneResult.map { [result] + $0 } })
    }

    @Test(
        "values outside the table are carried and described",
        arguments: [
            (UInt8(3), UInt8(1), UInt8(4), "unknown result 3", "DICOM UL service-user", "reserved diagnostic 4 for source 1"),
            (0, 4, 1, "accepted", "unknown source 4", "reserved diagnostic 1 for source 4"),
            (2, 3, 0, "rejected (transient)", "DICOM UL service-provider (Presentation related function)", "reserved diagnostic 0 for source 3"),
        ]
    )
    func outsideTable(result: UInt8, source: UInt8, diagnostic: UInt8, resultWords: String, sourceWords: String, reasonWords: String) {
        let primitive = AAssociate(
            callingAETitle: "A", calledAETitle: "B",
            result: .init(rawValue: result), resultSource: .init(rawValue: source), diagnostic: .init(rawValue: diagnostic)
        )
        #expect(primitive.resultDescription == resultWords)
        #expect(primitive.sourceDescription == sourceWords)
        #expect(primitive.reasonDescription == reasonWords)
        #expect(primitive.rejection == nil)
    }

    @Test("a diagnostic without a source")
    func diagnosticWithoutSource() {
        #expect(AAssociate.Diagnostic.calledAETitleNotRecognized.description(for: nil) == "diagnostic 7")
        #expect(AAssociate.Diagnostic.calledAETitleNotRecognized.description == "diagnostic 7")
    }

    @Test("proposed role selections: user information first, then contexts for other SOP classes")
    func proposedRoleSelections() {
        let primitive = AAssociate(
            callingAETitle: "A", calledAETitle: "B",
            userInformation: .init(roleSelections: [RoleSelection(sopClassUID: .ctImageStorage, scuRole: true, scpRole: true)]),
            presentationContextDefinitionList: [
                PresentationContext(contextID: 1, abstractSyntax: .ctImageStorage, scpRole: true),
                PresentationContext(contextID: 3, abstractSyntax: .mrImageStorage, scpRole: true),
            ]
        )
        #expect(primitive.proposedRoleSelections == [
            RoleSelection(sopClassUID: .ctImageStorage, scuRole: true, scpRole: true),
            RoleSelection(sopClassUID: .mrImageStorage, scuRole: false, scpRole: true),
        ])
    }
}

@Suite("A-ABORT and A-P-ABORT primitives (PS3.8 §7.3-7.4)")
struct AbortPrimitiveTests {
    @Test("a service-user A-ABORT PDU is an A-ABORT indication, not an A-P-ABORT")
    func userAbort() {
        let pdu = PDU.Abort(source: .serviceUser, reason: .init(rawValue: 5))
        #expect(AAbort(pdu) == AAbort(source: .serviceUser, reason: nil))
        #expect(APAbort(pdu) == nil)
        #expect(AAbort().pdu == PDU.Abort(source: .serviceUser, reason: .reasonNotSpecified))
        #expect(AAbort().description == "aborted by the DICOM UL service-user")
    }

    @Test(
        "a service-provider A-ABORT PDU is an A-P-ABORT with its reason",
        arguments: [
            (UInt8(0), UpperLayerStateMachine.ProviderAbortReason.reasonNotSpecified),
            (1, .unrecognizedPDU), (2, .unexpectedPDU), (3, .reasonNotSpecified),
            (4, .unrecognizedPDUParameter), (5, .unexpectedPDUParameter), (6, .invalidPDUParameterValue),
            (200, .reasonNotSpecified),
        ]
    )
    func providerAbort(raw: UInt8, reason: UpperLayerStateMachine.ProviderAbortReason) {
        let pdu = PDU.Abort(source: .serviceProvider, reason: .init(rawValue: raw))
        #expect(APAbort(pdu) == APAbort(reason: reason))
        #expect(AAbort(pdu) == AAbort(source: .serviceProvider, reason: reason))
        #expect(AAbort(source: .serviceProvider, reason: reason).pdu.reason.rawValue == reason.rawValue)
    }

    @Test("descriptions")
    func descriptions() {
        #expect(APAbort(reason: .unexpectedPDU).description == "provider abort: unexpected-PDU")
        #expect(AAbort(source: .serviceProvider, reason: .invalidPDUParameterValue).description
            == "aborted by the DICOM UL service-provider: invalid-PDU-parameter value")
        #expect(AAbort.Source(rawValue: 1).description == "reserved source 1")
    }
}
