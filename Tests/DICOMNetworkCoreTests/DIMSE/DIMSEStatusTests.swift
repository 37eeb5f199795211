import DICOMNetworkCore
import Testing

@Suite("DIMSE status (PS3.7 Annex C)")
struct DIMSEStatusTests {
    /// Every boundary of the status classes: "Success 0000; Warning 0001 or Bxxx or 0107 or 0116;
    /// Failure Axxx or Cxxx or 01xx (except 0107 and 0116) or 02xx; Cancel FE00; Pending FF00 and
    /// FF01", and the codes either side of each range.
    static let boundaries: [(UInt16, DIMSEStatus.Kind, Bool)] = [
        (0x0000, .success, true),
        (0x0001, .warning, true),
        (0x0002, .failure, false),
        (0x00FF, .failure, false),
        (0x0100, .failure, true),
        (0x0105, .failure, true),
        (0x0106, .failure, true),
        (0x0107, .warning, true),
        (0x0108, .failure, true),
        (0x0110, .failure, true),
        (0x0115, .failure, true),
        (0x0116, .warning, true),
        (0x0117, .failure, true),
        (0x0124, .failure, true),
        (0x01FF, .failure, true),
        (0x0200, .failure, true),
        (0x0210, .failure, true),
        (0x0213, .failure, true),
        (0x02FF, .failure, true),
        (0x0300, .failure, false),
        (0x9FFF, .failure, false),
        (0xA000, .failure, true),
        (0xA700, .failure, true),
        (0xA7FF, .failure, true),
        (0xA801, .failure, true),
        (0xA900, .failure, true),
        (0xAFFF, .failure, true),
        (0xB000, .warning, true),
        (0xB006, .warning, true),
        (0xB007, .warning, true),
        (0xBFFF, .warning, true),
        (0xC000, .failure, true),
        (0xCFFF, .failure, true),
        (0xD000, .failure, false),
        (0xFDFF, .failure, false),
        (0xFE00, .cancel, true),
        (0xFE01, .failure, false),
        (0xFEFF, .failure, false),
        (0xFF00, .pending, true),
        (0xFF01, .pending, true),
        (0xFF02, .failure, false),
        (0xFFFF, .failure, false),
    ]

    @Test("each code falls in its status class", arguments: boundaries)
    func kind(_ code: UInt16, _ kind: DIMSEStatus.Kind, _ inStatusClass: Bool) {
        let status = DIMSEStatus(code: code)
        #expect(status.kind == kind)
        #expect(status.isInStatusClass == inStatusClass)
        #expect(status.isFinal == (kind != .pending))
    }

    /// Every named status with its code and the status class PS3.7 Annex C puts that code in:
    /// written out rather than computed, so that a wrong code or a wrong class both show.
    @Test(
        "named statuses carry the codes of PS3.7 Annex C and PS3.4, in the right status class",
        arguments: [
            (DIMSEStatus.success, UInt16(0x0000), DIMSEStatus.Kind.success),
            (.pending, 0xFF00, .pending),
            (.pendingWithUnsupportedOptionalKeys, 0xFF01, .pending),
            (.cancel, 0xFE00, .cancel),
            (.requestedOptionalAttributesNotSupported, 0x0001, .warning),
            (.attributeListError, 0x0107, .warning),
            (.attributeValueOutOfRange, 0x0116, .warning),
            (.noSuchAttribute, 0x0105, .failure),
            (.invalidAttributeValue, 0x0106, .failure),
            (.processingFailure, 0x0110, .failure),
            (.duplicateSOPInstance, 0x0111, .failure),
            (.noSuchSOPInstance, 0x0112, .failure),
            (.noSuchEventType, 0x0113, .failure),
            (.noSuchArgument, 0x0114, .failure),
            (.invalidArgumentValue, 0x0115, .failure),
            (.invalidObjectInstance, 0x0117, .failure),
            (.noSuchSOPClass, 0x0118, .failure),
            (.classInstanceConflict, 0x0119, .failure),
            (.missingAttribute, 0x0120, .failure),
            (.missingAttributeValue, 0x0121, .failure),
            (.sopClassNotSupported, 0x0122, .failure),
            (.noSuchAction, 0x0123, .failure),
            (.notAuthorized, 0x0124, .failure),
            (.duplicateInvocation, 0x0210, .failure),
            (.unrecognizedOperation, 0x0211, .failure),
            (.mistypedArgument, 0x0212, .failure),
            (.resourceLimitation, 0x0213, .failure),
            (.outOfResources, 0xA700, .failure),
            (.dataSetDoesNotMatchSOPClass, 0xA900, .failure),
            (.cannotUnderstand, 0xC000, .failure),
            (.coercionOfDataElements, 0xB000, .warning),
            (.dataSetDoesNotMatchSOPClassWarning, 0xB007, .warning),
            (.elementsDiscarded, 0xB006, .warning),
            (.identifierDoesNotMatchSOPClass, 0xA900, .failure),
            (.unableToProcess, 0xC000, .failure),
            (.outOfResourcesUnableToCalculateNumberOfMatches, 0xA701, .failure),
            (.outOfResourcesUnableToPerformSubOperations, 0xA702, .failure),
            (.moveDestinationUnknown, 0xA801, .failure),
            (.subOperationsCompleteWithFailures, 0xB000, .warning),
            (.noneOfTheFramesFound, 0xAA00, .failure),
            (.unableToCreateNewObject, 0xAA01, .failure),
            (.unableToExtractFrames, 0xAA02, .failure),
            (.timeBasedRequestForNonTimeBasedInstance, 0xAA03, .failure),
            (.invalidRequest, 0xAA04, .failure),
        ]
    )
    func namedCodes(_ status: DIMSEStatus, _ code: UInt16, _ kind: DIMSEStatus.Kind) {
        #expect(status.code == code)
        #expect(status == DIMSEStatus(code: code))
        #expect(status.isInStatusClass)
        #expect(status.kind == kind)
        #expect(status.isFinal == (kind != .pending))
    }

    @Test("statuses compare by code; integer literals make statuses")
    func equality() {
        let literal: DIMSEStatus = 0xB000
        #expect(literal == .coercionOfDataElements)
        #expect(DIMSEStatus.coercionOfDataElements == .subOperationsCompleteWithFailures)
        #expect(DIMSEStatus.outOfResources != .outOfResourcesUnableToCalculateNumberOfMatches)
        #expect(Set([DIMSEStatus.dataSetDoesNotMatchSOPClass, .identifierDoesNotMatchSOPClass]).count == 1)
    }

    @Test(
        "descriptions give the code, the class and the meaning in words",
        arguments: [
            (DIMSEStatus.success, "0000H (success): Success"),
            (.outOfResources, "A700H (failure): Refused: out of resources"),
            (DIMSEStatus(code: 0xA7F3), "A7F3H (failure): Refused: out of resources"),
            (.moveDestinationUnknown, "A801H (failure): Refused: move destination unknown"),
            (.pending, "FF00H (pending): Pending: matches or sub-operations are continuing"),
            (.cancel, "FE00H (cancel): Cancel: matching or sub-operations terminated by C-CANCEL"),
            (.elementsDiscarded, "B006H (warning): Elements discarded"),
            (DIMSEStatus(code: 0xC123), "C123H (failure): Cannot understand or unable to process"),
            (DIMSEStatus(code: 0xB123), "B123H (warning)"),
            (DIMSEStatus(code: 0xD000), "D000H (failure)"),
            (.sopClassNotSupported, "0122H (failure): Refused: SOP Class not supported"),
        ]
    )
    func descriptions(_ status: DIMSEStatus, _ text: String) {
        #expect(status.description == text)
    }

    @Test("the code alone is four uppercase hex digits and H, as the standard writes it")
    func hexCode() {
        #expect(DIMSEStatus.subOperationsCompleteWithFailures.hexCode == "B000H")
        #expect(DIMSEStatus(code: 0x0122).hexCode == "0122H")
        #expect(DIMSEStatus(code: 0xA7F3).hexCode == "A7F3H")
    }
}
