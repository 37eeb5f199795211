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

    @Test(
        "named statuses carry the codes of PS3.7 Annex C and PS3.4",
        arguments: [
            (DIMSEStatus.success, UInt16(0x0000)),
            (.pending, 0xFF00),
            (.pendingWithUnsupportedOptionalKeys, 0xFF01),
            (.cancel, 0xFE00),
            (.requestedOptionalAttributesNotSupported, 0x0001),
            (.attributeListError, 0x0107),
            (.attributeValueOutOfRange, 0x0116),
            (.noSuchAttribute, 0x0105),
            (.invalidAttributeValue, 0x0106),
            (.processingFailure, 0x0110),
            (.duplicateSOPInstance, 0x0111),
            (.noSuchSOPInstance, 0x0112),
            (.noSuchEventType, 0x0113),
            (.noSuchArgument, 0x0114),
            (.invalidArgumentValue, 0x0115),
            (.invalidObjectInstance, 0x0117),
            (.noSuchSOPClass, 0x0118),
            (.classInstanceConflict, 0x0119),
            (.missingAttribute, 0x0120),
            (.missingAttributeValue, 0x0121),
            (.sopClassNotSupported, 0x0122),
            (.noSuchAction, 0x0123),
            (.notAuthorized, 0x0124),
            (.duplicateInvocation, 0x0210),
            (.unrecognizedOperation, 0x0211),
            (.mistypedArgument, 0x0212),
            (.resourceLimitation, 0x0213),
            (.outOfResources, 0xA700),
            (.dataSetDoesNotMatchSOPClass, 0xA900),
            (.cannotUnderstand, 0xC000),
            (.coercionOfDataElements, 0xB000),
            (.dataSetDoesNotMatchSOPClassWarning, 0xB007),
            (.elementsDiscarded, 0xB006),
            (.identifierDoesNotMatchSOPClass, 0xA900),
            (.unableToProcess, 0xC000),
            (.outOfResourcesUnableToCalculateNumberOfMatches, 0xA701),
            (.outOfResourcesUnableToPerformSubOperations, 0xA702),
            (.moveDestinationUnknown, 0xA801),
            (.subOperationsCompleteWithFailures, 0xB000),
            (.noneOfTheFramesFound, 0xAA00),
            (.unableToCreateNewObject, 0xAA01),
            (.unableToExtractFrames, 0xAA02),
            (.timeBasedRequestForNonTimeBasedInstance, 0xAA03),
            (.invalidRequest, 0xAA04),
        ]
    )
    func namedCodes(_ status: DIMSEStatus, _ code: UInt16) {
        #expect(status.code == code)
        #expect(status == DIMSEStatus(code: code))
        #expect(status.isInStatusClass)
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
}
