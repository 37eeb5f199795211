import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

/// The fields PS3.7 makes conditional (C) on the rest of the message, and the leeway a decoder
/// owes real peers where PS3.7 leaves fields to the user (U) or retires them.
@Suite("DIMSE conditional fields and peer leeway (PS3.7 §9.1, §10.1, Annex C)")
struct DIMSEConditionalFieldTests {
    static let studyRootMove: UID = "1.2.840.10008.5.1.4.1.2.2.2"
    static let storageCommitment: UID = "1.2.840.10008.1.20.1"
    static let storageCommitmentInstance: UID = "1.2.840.10008.1.20.1.1"

    static let countTags: [DICOMCore.Tag] = [
        .numberOfRemainingSuboperations, .numberOfCompletedSuboperations, .numberOfFailedSuboperations, .numberOfWarningSuboperations,
    ]

    // MARK: Sub-operation counts (PS3.7 §9.1.3.1.7–10, §9.1.4.1.8–11)

    @Test("a pending C-MOVE-RSP needs each of the four counts", arguments: countTags)
    func pendingMoveNeedsCounts(_ tag: DICOMCore.Tag) throws {
        let response = CMoveResponse(
            messageIDBeingRespondedTo: 5, affectedSOPClassUID: Self.studyRootMove, status: .pending,
            subOperations: SubOperationCounts(remaining: 3, completed: 1, failed: 0, warning: 0)
        )
        let commandSet = try DIMSETest.roundTrip(DIMSETest.removing(tag, from: response.commandSet))
        let error = DIMSETest.error { () throws(DIMSEError) in try CMoveResponse(commandSet: commandSet) }
        #expect(error?.code == .missingField)
        #expect(error?.tag == tag)
    }

    @Test(
        "final C-GET and C-MOVE responses decode with any subset of the counts",
        arguments: [DIMSEStatus.success, .cancel, .subOperationsCompleteWithFailures, .outOfResourcesUnableToCalculateNumberOfMatches]
    )
    func finalCountsAreOptional(_ status: DIMSEStatus) throws {
        for counts in [SubOperationCounts(), SubOperationCounts(completed: 4, failed: 0, warning: 1), SubOperationCounts(remaining: 2)] {
            let get = CGetResponse(messageIDBeingRespondedTo: 1, affectedSOPClassUID: nil, status: status, subOperations: counts)
            #expect(try CGetResponse(commandSet: DIMSETest.roundTrip(get.commandSet)) == get)
            let move = CMoveResponse(messageIDBeingRespondedTo: 1, affectedSOPClassUID: nil, status: status, subOperations: counts)
            #expect(try CMoveResponse(commandSet: DIMSETest.roundTrip(move.commandSet)) == move)
        }
    }

    @Test("the counts read the same one by one and together")
    func countsOneByOne() {
        var response = CGetResponse(
            messageIDBeingRespondedTo: 1, affectedSOPClassUID: nil, status: .pending,
            numberOfRemainingSuboperations: 9, numberOfCompletedSuboperations: 1, numberOfFailedSuboperations: 2,
            numberOfWarningSuboperations: 3
        )
        #expect(response.subOperations == SubOperationCounts(remaining: 9, completed: 1, failed: 2, warning: 3))
        #expect(response.subOperations.isComplete)
        response.numberOfRemainingSuboperations = nil
        #expect(response.subOperations.remaining == nil)
        #expect(!response.subOperations.isComplete)
        #expect(!response.subOperations.isEmpty)
        #expect(SubOperationCounts().isEmpty)
    }

    @Test("retrieve responses built from requests echo the Message ID and SOP Class")
    func retrieveRespondingTo() {
        let move = CMoveRequest(messageID: 21, affectedSOPClassUID: Self.studyRootMove, moveDestination: "DEST")
        let counts = SubOperationCounts(remaining: 0, completed: 5, failed: 0, warning: 0)
        let response = CMoveResponse(respondingTo: move, status: .success, subOperations: counts)
        #expect(response.messageIDBeingRespondedTo == 21)
        #expect(response.affectedSOPClassUID == Self.studyRootMove)
        #expect(response.subOperations == counts)
        #expect(!response.hasIdentifier)
        #expect(CGetResponse.commandField == .cGetResponse)
        #expect(CMoveResponse.commandField == .cMoveResponse)
    }

    // MARK: Event and Action Type IDs (PS3.7 §10.1.1.1.5, §10.1.4.1.5)

    static func eventReply(status: DIMSEStatus, hasDataSet: Bool) -> NEventReportResponse {
        NEventReportResponse(
            messageIDBeingRespondedTo: 1, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance,
            eventTypeID: 2, status: status, hasDataSet: hasDataSet
        )
    }

    static func actionReply(status: DIMSEStatus, hasDataSet: Bool) -> NActionResponse {
        NActionResponse(
            messageIDBeingRespondedTo: 1, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance,
            actionTypeID: 1, status: status, hasDataSet: hasDataSet
        )
    }

    @Test("a success that carries an Event or Action Reply needs its type ID")
    func replyNeedsTypeID() throws {
        let event = try DIMSETest.roundTrip(DIMSETest.removing(.eventTypeID, from: Self.eventReply(status: .success, hasDataSet: true).commandSet))
        let eventError = DIMSETest.error { () throws(DIMSEError) in try NEventReportResponse(commandSet: event) }
        #expect(eventError?.code == .missingField)
        #expect(eventError?.tag == .eventTypeID)
        let action = try DIMSETest.roundTrip(DIMSETest.removing(.actionTypeID, from: Self.actionReply(status: .success, hasDataSet: true).commandSet))
        let actionError = DIMSETest.error { () throws(DIMSEError) in try NActionResponse(commandSet: action) }
        #expect(actionError?.code == .missingField)
        #expect(actionError?.tag == .actionTypeID)
    }

    @Test(
        "without a reply, or with a failure's data set (PS3.7 §C.5.10), the type ID may be left out",
        arguments: [(DIMSEStatus.success, false), (.invalidArgumentValue, true), (.processingFailure, false)]
    )
    func typeIDOptionalOtherwise(_ status: DIMSEStatus, _ hasDataSet: Bool) throws {
        let event = try DIMSETest.roundTrip(DIMSETest.removing(.eventTypeID, from: Self.eventReply(status: status, hasDataSet: hasDataSet).commandSet))
        #expect(try NEventReportResponse(commandSet: event).eventTypeID == nil)
        let action = try DIMSETest.roundTrip(DIMSETest.removing(.actionTypeID, from: Self.actionReply(status: status, hasDataSet: hasDataSet).commandSet))
        #expect(try NActionResponse(commandSet: action).actionTypeID == nil)
    }

    @Test("each type ID travels in its own element, and only in its own response")
    func typeIDElements() throws {
        let event = Self.eventReply(status: .success, hasDataSet: true).commandSet
        #expect(event.integer(.eventTypeID) == 2)
        #expect(event[.actionTypeID] == nil)
        let action = Self.actionReply(status: .success, hasDataSet: true).commandSet
        #expect(action.integer(.actionTypeID) == 1)
        #expect(action[.eventTypeID] == nil)
        // An Event Type ID in an N-GET-RSP means nothing there and is not kept.
        var get = NGetResponse(messageIDBeingRespondedTo: 1, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil, status: .success).commandSet
        get.insert(DIMSETest.us(.eventTypeID, 7))
        #expect(try NGetResponse(commandSet: DIMSETest.roundTrip(get)).commandSet[.eventTypeID] == nil)
    }

    @Test("DIMSE-N responses built from requests echo the Message ID, SOP Class, SOP Instance and type ID")
    func nRespondingTo() {
        let report = NEventReportRequest(
            messageID: 30, affectedSOPClassUID: Self.storageCommitment, affectedSOPInstanceUID: Self.storageCommitmentInstance, eventTypeID: 2
        )
        let reportResponse = NEventReportResponse(respondingTo: report, status: .success)
        #expect(reportResponse.messageIDBeingRespondedTo == 30)
        #expect(reportResponse.affectedSOPClassUID == Self.storageCommitment)
        #expect(reportResponse.affectedSOPInstanceUID == Self.storageCommitmentInstance)
        #expect(reportResponse.eventTypeID == 2)
        let action = NActionRequest(
            messageID: 31, requestedSOPClassUID: Self.storageCommitment, requestedSOPInstanceUID: Self.storageCommitmentInstance, actionTypeID: 1
        )
        let actionResponse = NActionResponse(respondingTo: action, status: .success)
        #expect(actionResponse.affectedSOPInstanceUID == Self.storageCommitmentInstance)
        #expect(actionResponse.actionTypeID == 1)
        let create = NCreateResponse(respondingTo: NCreateRequest(messageID: 32, affectedSOPClassUID: "1.2.840.10008.3.1.2.3.3"), status: .success)
        #expect(create.affectedSOPInstanceUID == nil)
        #expect(create.commandSet[.eventTypeID] == nil && create.commandSet[.actionTypeID] == nil)
        let delete = NDeleteResponse(respondingTo: NDeleteRequest(messageID: 33, requestedSOPClassUID: "1.2.3", requestedSOPInstanceUID: "1.2.3.4"), status: .success)
        #expect(delete.affectedSOPClassUID == "1.2.3")
        #expect(delete.affectedSOPInstanceUID == "1.2.3.4")
    }

    // MARK: Command Data Set Type

    @Test("an N-DELETE-RSP never announces a data set (PS3.7 Table 10.3-12)")
    func deleteResponseHasNoDataSet() throws {
        var response = NDeleteResponse(messageIDBeingRespondedTo: 1, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil, status: .success)
        response.hasDataSet = true
        #expect(try CommandSet.dataSetType(of: response.commandSet) == .absent)
        var announced = response.commandSet
        announced.insert(DIMSETest.us(.commandDataSetType, 0x0001))
        let error = DIMSETest.error { () throws(DIMSEError) in try NDeleteResponse(commandSet: announced) }
        #expect(error?.code == .invalidField)
        #expect(error?.tag == .commandDataSetType)
    }

    @Test("0102H, the Identifier value of earlier editions (PS3.7 §9.3.2.1 note), announces a data set")
    func legacyIdentifierValue() throws {
        var commandSet = CFindRequest(messageID: 1, affectedSOPClassUID: "1.2.840.10008.5.1.4.1.2.2.1").commandSet
        commandSet.insert(DIMSETest.us(.commandDataSetType, 0x0102))
        #expect(try CFindRequest(commandSet: DIMSETest.roundTrip(commandSet)).messageID == 1)
    }

    // MARK: Leeway

    @Test("a response may carry the retired Message ID and other group 0000 elements it does not use")
    func retiredAndUnusedElementsIgnored() throws {
        let response = CEchoResponse(messageIDBeingRespondedTo: 4)
        var commandSet = response.commandSet
        commandSet.insert(DIMSETest.us(.messageID, 4))  // allowed, without meaning (PS3.7 §9.1.5.1.1 note 1)
        commandSet.insert(DIMSETest.us(.priority, 0))
        #expect(try CEchoResponse(commandSet: DIMSETest.roundTrip(commandSet)) == response)
    }

    @Test("optional elements present with no value read as absent, as some archives send them")
    func emptyOptionalElements() throws {
        // A final C-MOVE-RSP seen in the wild: an empty Error Comment and an empty remaining count.
        var commandSet = CMoveResponse(
            messageIDBeingRespondedTo: 1, affectedSOPClassUID: Self.studyRootMove, status: .success,
            subOperations: SubOperationCounts(completed: 248, failed: 0, warning: 0)
        ).commandSet
        commandSet.setString("", for: .errorComment, vr: .LO)
        commandSet[.numberOfRemainingSuboperations] = DataElement(tag: .numberOfRemainingSuboperations, vr: .US, bytes: ByteBuffer())
        let decoded = try CMoveResponse(commandSet: DIMSETest.roundTrip(commandSet))
        #expect(decoded.errorComment == nil)
        #expect(decoded.subOperations == SubOperationCounts(completed: 248, failed: 0, warning: 0))
    }

    @Test("DIMSE-N responses carry the Annex C fields of their statuses")
    func annexCFields() throws {
        let create = NCreateResponse(
            messageIDBeingRespondedTo: 2, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil,
            attributeIdentifierList: [.patientID], status: .missingAttribute
        )
        #expect(try NCreateResponse(commandSet: DIMSETest.roundTrip(create.commandSet)).attributeIdentifierList == [.patientID])
        let set = NSetResponse(
            messageIDBeingRespondedTo: 3, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil, status: DIMSEStatus(code: 0xC310),
            offendingElements: [.patientName], errorComment: "not in progress"
        )
        let decoded = try NSetResponse(commandSet: DIMSETest.roundTrip(set.commandSet))
        #expect(decoded.offendingElements == [.patientName])
        #expect(decoded.errorComment == "not in progress")
    }
}

extension DIMSEConditionalFieldTests {
    @Test("an Error Comment longer than an LO value holds is cut to 64 characters, marked \"...\", at a space when one is in its second half")
    func errorCommentLength() throws {
        let long = String(repeating: "abcdefghij", count: 7)
        let response = CStoreResponse(
            messageIDBeingRespondedTo: 1, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil, status: .outOfResources, errorComment: long
        )
        #expect(response.commandSet[.errorComment]?.bytes?.readableBytes == 64)
        #expect(try CStoreResponse(commandSet: DIMSETest.roundTrip(response.commandSet)).errorComment == String(long.prefix(61)) + "...")
        #expect(CommandSet.maximumErrorCommentLength == 64)
        let words = "1.2.840.10008.3.1.2.3.3 is not the SOP class of presentation context 1 (1.2.840.10008.1.1)"
        #expect(CommandSet.fittedErrorComment(words) == "1.2.840.10008.3.1.2.3.3 is not the SOP class of presentation...")
        #expect(CommandSet.fittedErrorComment(String(long.prefix(64))) == String(long.prefix(64)))
    }
}
