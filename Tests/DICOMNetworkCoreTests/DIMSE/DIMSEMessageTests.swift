import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("DIMSE messages (PS3.7 §9.3, §10.3)")
struct DIMSEMessageTests {
    static let ctImageStorage: UID = "1.2.840.10008.5.1.4.1.1.2"
    static let studyRootFind: UID = "1.2.840.10008.5.1.4.1.2.2.1"
    static let studyRootGet: UID = "1.2.840.10008.5.1.4.1.2.2.3"
    static let studyRootMove: UID = "1.2.840.10008.5.1.4.1.2.2.2"
    static let storageCommitment: UID = "1.2.840.10008.1.20.1"
    static let storageCommitmentInstance: UID = "1.2.840.10008.1.20.1.1"
    static let mpps: UID = "1.2.840.10008.3.1.2.3.3"

    /// One message of each type (some twice), with the optional fields set in at least one.
    static let samples: [DIMSEMessage] = [
        .cEchoRequest(CEchoRequest(messageID: 1)),
        .cEchoResponse(CEchoResponse(messageIDBeingRespondedTo: 1, status: .sopClassNotSupported, errorComment: "not here", errorID: 5)),
        .cStoreRequest(CStoreRequest(
            messageID: 0xFFFF, affectedSOPClassUID: ctImageStorage, affectedSOPInstanceUID: "1.2.826.0.1.3680043.2.1125.1",
            priority: .high, moveOriginatorApplicationEntityTitle: "SIXTEEN_CHAR_AE_", moveOriginatorMessageID: 12
        )),
        .cStoreRequest(CStoreRequest(messageID: 2, affectedSOPClassUID: ctImageStorage, affectedSOPInstanceUID: "1.2.3")),
        .cStoreResponse(CStoreResponse(
            messageIDBeingRespondedTo: 2, affectedSOPClassUID: ctImageStorage, affectedSOPInstanceUID: "1.2.3",
            status: .cannotUnderstand, offendingElements: [.patientName, .patientID], errorComment: "bad name", errorID: 9
        )),
        .cFindRequest(CFindRequest(messageID: 3, affectedSOPClassUID: studyRootFind, priority: .low)),
        .cFindResponse(CFindResponse(messageIDBeingRespondedTo: 3, affectedSOPClassUID: studyRootFind, status: .pending)),
        .cFindResponse(CFindResponse(
            messageIDBeingRespondedTo: 3, affectedSOPClassUID: nil, status: .identifierDoesNotMatchSOPClass,
            offendingElements: [.studyDate], errorComment: "no such key", errorID: 1
        )),
        .cGetRequest(CGetRequest(messageID: 4, affectedSOPClassUID: studyRootGet)),
        .cGetResponse(CGetResponse(
            messageIDBeingRespondedTo: 4, affectedSOPClassUID: studyRootGet, status: .pending,
            numberOfRemainingSuboperations: 10, numberOfCompletedSuboperations: 2, numberOfFailedSuboperations: 1,
            numberOfWarningSuboperations: 0
        )),
        .cGetResponse(CGetResponse(
            messageIDBeingRespondedTo: 4, affectedSOPClassUID: studyRootGet, status: .subOperationsCompleteWithFailures,
            hasIdentifier: true, numberOfCompletedSuboperations: 12, numberOfFailedSuboperations: 1,
            numberOfWarningSuboperations: 0, errorComment: "one failed"
        )),
        .cMoveRequest(CMoveRequest(messageID: 5, affectedSOPClassUID: studyRootMove, moveDestination: "STORESCP", priority: .medium)),
        .cMoveResponse(CMoveResponse(
            messageIDBeingRespondedTo: 5, affectedSOPClassUID: studyRootMove, status: .pending,
            numberOfRemainingSuboperations: 0, numberOfCompletedSuboperations: 65535, numberOfFailedSuboperations: 0,
            numberOfWarningSuboperations: 3
        )),
        .cMoveResponse(CMoveResponse(
            messageIDBeingRespondedTo: 5, affectedSOPClassUID: nil, status: .moveDestinationUnknown,
            offendingElements: [DICOMCore.Tag(0x0000_0600)], errorComment: "who is STORESCP?", errorID: 2
        )),
        .cCancelRequest(CCancelRequest(messageIDBeingRespondedTo: 3)),
        // 15…: DIMSE-N (PS3.7 §10.3)
        .nEventReportRequest(NEventReportRequest(
            messageID: 10, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance, eventTypeID: 1
        )),
        .nEventReportResponse(NEventReportResponse(
            messageIDBeingRespondedTo: 10, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance,
            eventTypeID: 1, status: .success
        )),
        .nGetRequest(NGetRequest(
            messageID: 11, requestedSOPClassUID: "1.2.840.10008.5.1.1.16", requestedSOPInstanceUID: "1.2.840.10008.5.1.1.17",
            attributeIdentifierList: [DICOMCore.Tag(0x2110_0010), DICOMCore.Tag(0x2110_0020)]
        )),
        .nGetResponse(NGetResponse(
            messageIDBeingRespondedTo: 11, affectedSOPClassUID: "1.2.840.10008.5.1.1.16", affectedSOPInstanceUID: "1.2.840.10008.5.1.1.17",
            attributeIdentifierList: [DICOMCore.Tag(0x2110_0030)], status: .attributeListError, hasDataSet: true,
            errorComment: "unknown attribute", errorID: 4
        )),
        .nSetRequest(NSetRequest(messageID: 12, requestedSOPClassUID: mpps, requestedSOPInstanceUID: "1.2.3.9")),
        .nSetResponse(NSetResponse(messageIDBeingRespondedTo: 12, affectedSOPClassUID: mpps, affectedSOPInstanceUID: "1.2.3.9", status: .success)),
        .nActionRequest(NActionRequest(
            messageID: 13, requestedSOPClassUID: storageCommitment, requestedSOPInstanceUID: storageCommitmentInstance, actionTypeID: 1
        )),
        .nActionResponse(NActionResponse(
            messageIDBeingRespondedTo: 13, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance,
            actionTypeID: 1, status: .success
        )),
        .nCreateRequest(NCreateRequest(messageID: 14, affectedSOPClassUID: mpps)),
        .nCreateResponse(NCreateResponse(
            messageIDBeingRespondedTo: 14, affectedSOPClassUID: mpps, affectedSOPInstanceUID: "1.2.3.10", status: .success, hasDataSet: true
        )),
        .nDeleteRequest(NDeleteRequest(messageID: 15, requestedSOPClassUID: "1.2.840.10008.5.1.1.1", requestedSOPInstanceUID: "1.2.3.11")),
        .nDeleteResponse(NDeleteResponse(
            messageIDBeingRespondedTo: 15, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil, status: .noSuchSOPInstance,
            errorComment: "gone", errorID: 3
        )),
    ]

    @Test("every message survives encoding and decoding unchanged", arguments: samples)
    func roundTrip(_ message: DIMSEMessage) throws {
        let commandSet = try DIMSETest.roundTrip(message.commandSet)
        let decoded = try DIMSEMessage(commandSet: commandSet)
        #expect(decoded == message)
        #expect(try CommandSet.commandField(of: commandSet) == message.commandField)
        #expect(try CommandSet.dataSetType(of: commandSet).isPresent == message.hasDataSet)
        #expect(message.commandSet[.commandGroupLength] == nil)
        #expect((message.messageID == nil) == message.commandField.isResponse || message.commandField == .cCancelRequest)
        #expect((message.status != nil) == message.commandField.isResponse)
    }

    @Test("every message type decodes through its own initializer", arguments: samples)
    func typedInitializers(_ message: DIMSEMessage) throws {
        let commandSet = try DIMSETest.roundTrip(message.commandSet)
        switch message {
        case .cEchoRequest(let m): #expect(try CEchoRequest(commandSet: commandSet) == m)
        case .cEchoResponse(let m): #expect(try CEchoResponse(commandSet: commandSet) == m)
        case .cStoreRequest(let m): #expect(try CStoreRequest(commandSet: commandSet) == m)
        case .cStoreResponse(let m): #expect(try CStoreResponse(commandSet: commandSet) == m)
        case .cFindRequest(let m): #expect(try CFindRequest(commandSet: commandSet) == m)
        case .cFindResponse(let m): #expect(try CFindResponse(commandSet: commandSet) == m)
        case .cGetRequest(let m): #expect(try CGetRequest(commandSet: commandSet) == m)
        case .cGetResponse(let m): #expect(try CGetResponse(commandSet: commandSet) == m)
        case .cMoveRequest(let m): #expect(try CMoveRequest(commandSet: commandSet) == m)
        case .cMoveResponse(let m): #expect(try CMoveResponse(commandSet: commandSet) == m)
        case .cCancelRequest(let m): #expect(try CCancelRequest(commandSet: commandSet) == m)
        case .nEventReportRequest(let m): #expect(try NEventReportRequest(commandSet: commandSet) == m)
        case .nEventReportResponse(let m): #expect(try NEventReportResponse(commandSet: commandSet) == m)
        case .nGetRequest(let m): #expect(try NGetRequest(commandSet: commandSet) == m)
        case .nGetResponse(let m): #expect(try NGetResponse(commandSet: commandSet) == m)
        case .nSetRequest(let m): #expect(try NSetRequest(commandSet: commandSet) == m)
        case .nSetResponse(let m): #expect(try NSetResponse(commandSet: commandSet) == m)
        case .nActionRequest(let m): #expect(try NActionRequest(commandSet: commandSet) == m)
        case .nActionResponse(let m): #expect(try NActionResponse(commandSet: commandSet) == m)
        case .nCreateRequest(let m): #expect(try NCreateRequest(commandSet: commandSet) == m)
        case .nCreateResponse(let m): #expect(try NCreateResponse(commandSet: commandSet) == m)
        case .nDeleteRequest(let m): #expect(try NDeleteRequest(commandSet: commandSet) == m)
        case .nDeleteResponse(let m): #expect(try NDeleteResponse(commandSet: commandSet) == m)
        }
    }

    @Test("a peer's Move Destination with bytes beyond ASCII decodes as Latin-1 and encodes back to the same bytes (scripts/fuzz found them going out as UTF-8)")
    func latin1MoveDestination() throws {
        var commandSet = Self.samples[11].commandSet
        commandSet[.moveDestination] = DataElement(tag: .moveDestination, vr: .AE, bytes: ByteBuffer(bytes: Array("NOWHER".utf8) + [0xB2, 0x20]))
        let decoded = try CMoveRequest(commandSet: commandSet)
        #expect(decoded.moveDestination == "NOWHER\u{B2}")
        let again = try CMoveRequest(commandSet: DIMSETest.roundTrip(decoded.commandSet))
        #expect(again == decoded)
        #expect(decoded.commandSet[.moveDestination]?.bytes == ByteBuffer(bytes: Array("NOWHER".utf8) + [0xB2, 0x20]))
        // Text no single byte can carry still goes as UTF-8.
        let wide = CMoveRequest(messageID: 1, affectedSOPClassUID: "1.2.3", moveDestination: "東京")
        #expect(wide.commandSet[.moveDestination]?.bytes == ByteBuffer(bytes: Array("東京".utf8)))
    }

    // MARK: Required fields
    // Each mandatory field of each message is removed from its golden command set in
    // DIMSEGoldenBytesTests; conditional ones are in DIMSEConditionalFieldTests.

    @Test("a required field present with an empty value counts as missing")
    func emptyRequiredField() throws {
        var commandSet = Self.samples[11].commandSet
        commandSet.setString("", for: .moveDestination, vr: .AE)
        let error = DIMSETest.error { () throws(DIMSEError) in try CMoveRequest(commandSet: commandSet) }
        #expect(error?.code == .missingField)
        #expect(error?.tag == .moveDestination)
    }

    // MARK: Command Data Set Type

    /// Messages whose Command Data Set Type is fixed by PS3.7 §9.3 and §10.3, flipped.
    static let fixedDataSetTypes: [(DIMSEMessage, Bool)] = [
        (samples[0], false), (samples[1], false), (samples[2], true), (samples[4], false), (samples[5], true),
        (samples[8], true), (samples[11], true), (samples[14], false), (samples[17], false), (samples[19], true),
        (samples[25], false), (samples[26], false),
    ]

    @Test("a Command Data Set Type that contradicts the message is invalid", arguments: fixedDataSetTypes)
    func contradictoryDataSetType(_ message: DIMSEMessage, _ hasDataSet: Bool) throws {
        #expect(message.hasDataSet == hasDataSet)
        var commandSet = message.commandSet
        commandSet.insert(DIMSETest.us(.commandDataSetType, hasDataSet ? 0x0101 : 0x0102))
        let error = DIMSETest.error { () throws(DIMSEError) in try DIMSEMessage(commandSet: commandSet) }
        #expect(error?.code == .invalidField)
        #expect(error?.tag == .commandDataSetType)
    }

    @Test("C-FIND responses default to an identifier exactly when pending")
    func findIdentifierDefault() throws {
        let request = CFindRequest(messageID: 9, affectedSOPClassUID: Self.studyRootFind)
        #expect(CFindResponse(respondingTo: request, status: .pending).hasIdentifier)
        #expect(CFindResponse(respondingTo: request, status: .pendingWithUnsupportedOptionalKeys).hasIdentifier)
        #expect(!CFindResponse(respondingTo: request, status: .success).hasIdentifier)
        #expect(CFindResponse(respondingTo: request, status: .success, hasIdentifier: true).hasIdentifier)
        let decoded = try CFindResponse(commandSet: DIMSETest.roundTrip(CFindResponse(respondingTo: request, status: .pending).commandSet))
        #expect(decoded.hasIdentifier)
        #expect(decoded.messageIDBeingRespondedTo == 9)
    }

    @Test("responses built from requests echo their identifiers")
    func respondingTo() {
        let echo = CEchoResponse(respondingTo: CEchoRequest(messageID: 41))
        #expect(echo.messageIDBeingRespondedTo == 41)
        #expect(echo.affectedSOPClassUID == .verification)
        #expect(echo.status == .success)
        let request = CStoreRequest(messageID: 42, affectedSOPClassUID: Self.ctImageStorage, affectedSOPInstanceUID: "1.2.3")
        let store = CStoreResponse(respondingTo: request, status: .outOfResources, errorComment: "disk full")
        #expect(store.messageIDBeingRespondedTo == 42)
        #expect(store.affectedSOPClassUID == Self.ctImageStorage)
        #expect(store.affectedSOPInstanceUID == "1.2.3")
        #expect(store.errorComment == "disk full")
    }

    // MARK: Wrong command

    @Test("a message type rejects another command's command set")
    func commandFieldMismatch() throws {
        let response = Self.samples[1].commandSet
        let error = DIMSETest.error { () throws(DIMSEError) in try CEchoRequest(commandSet: response) }
        #expect(error?.code == .commandFieldMismatch)
        #expect(error?.tag == .commandField)
        let store = Self.samples[2].commandSet
        #expect(DIMSETest.error { () throws(DIMSEError) in try CStoreResponse(commandSet: store) }?.code == .commandFieldMismatch)
        #expect(DIMSETest.error { () throws(DIMSEError) in try CCancelRequest(commandSet: store) }?.code == .commandFieldMismatch)
    }

    @Test(
        "DIMSEMessage rejects Command Fields PS3.7 Table E.1-1 does not define",
        arguments: [CommandField(rawValue: 0x0000), CommandField(rawValue: 0x0031), CommandField(rawValue: 0x8FFF), CommandField(rawValue: 0xFFFF)]
    )
    func unrecognizedCommandField(_ field: CommandField) {
        var commandSet = CEchoRequest(messageID: 1).commandSet
        commandSet.insert(DIMSETest.us(.commandField, field.rawValue))
        let error = DIMSETest.error { () throws(DIMSEError) in try DIMSEMessage(commandSet: commandSet) }
        #expect(error?.code == .unrecognizedCommandField)
    }

    @Test("a malformed Offending Element list is invalid")
    func malformedOffendingElement() {
        var commandSet = Self.samples[4].commandSet
        commandSet[.offendingElement] = DataElement(tag: .offendingElement, vr: .AT, bytes: ByteBuffer(bytes: [0x10, 0x00, 0x10]))
        let error = DIMSETest.error { () throws(DIMSEError) in try CStoreResponse(commandSet: commandSet) }
        #expect(error?.code == .invalidField)
        #expect(error?.tag == .offendingElement)
    }

    @Test("errors describe themselves and compare by code")
    func errorDescription() {
        let error = DIMSETest.error { () throws(DIMSEError) in try CEchoRequest(commandSet: DataSet()) }
        #expect(error?.code == .missingField)
        #expect(error?.description.contains("DIMSEError.missingField at (0000,0100)") == true)
        #expect(error == DIMSETest.error { () throws(DIMSEError) in try CStoreRequest(commandSet: DataSet()) })
    }
}
