public import DICOMCore
import DICOMNetworkCore

extension Association {
    /// N-GET (PS3.7 §10.1.2): the values of `attributes` (all, when empty) of an instance.
    public func nGet(sopClass: UID, sopInstance: UID, attributes: [Tag] = []) async throws(AssociationError) -> NServiceResponse {
        let request = NGetRequest(
            messageID: endpoint.nextMessageID(), requestedSOPClassUID: sopClass, requestedSOPInstanceUID: sopInstance,
            attributeIdentifierList: attributes.isEmpty ? nil : attributes)
        return try await endpoint.nService(request.commandSet, messageID: request.messageID, sopClass: sopClass, dataSet: nil)
    }

    /// N-SET (PS3.7 §10.1.3): changes an instance's attributes to those of `modifications`.
    public func nSet(sopClass: UID, sopInstance: UID, modifications: DataSet) async throws(AssociationError) -> NServiceResponse {
        let request = NSetRequest(messageID: endpoint.nextMessageID(), requestedSOPClassUID: sopClass, requestedSOPInstanceUID: sopInstance)
        return try await endpoint.nService(request.commandSet, messageID: request.messageID, sopClass: sopClass, dataSet: modifications)
    }

    /// N-ACTION (PS3.7 §10.1.4): asks the peer to perform action `actionTypeID` (a Storage
    /// Commitment request is action 1 of the Storage Commitment Push Model instance).
    public func nAction(sopClass: UID, sopInstance: UID, actionTypeID: UInt16, information: DataSet? = nil) async throws(AssociationError) -> NServiceResponse {
        let request = NActionRequest(
            messageID: endpoint.nextMessageID(), requestedSOPClassUID: sopClass, requestedSOPInstanceUID: sopInstance,
            actionTypeID: actionTypeID, hasDataSet: information != nil)
        return try await endpoint.nService(request.commandSet, messageID: request.messageID, sopClass: sopClass, dataSet: information)
    }

    /// N-CREATE (PS3.7 §10.1.5): creates an instance (nil `sopInstance` leaves the UID to the peer,
    /// which answers it in the response's Affected SOP Instance UID).
    public func nCreate(sopClass: UID, sopInstance: UID? = nil, attributes: DataSet? = nil) async throws(AssociationError) -> NServiceResponse {
        let request = NCreateRequest(
            messageID: endpoint.nextMessageID(), affectedSOPClassUID: sopClass, affectedSOPInstanceUID: sopInstance,
            hasDataSet: attributes != nil)
        return try await endpoint.nService(request.commandSet, messageID: request.messageID, sopClass: sopClass, dataSet: attributes)
    }

    /// N-DELETE (PS3.7 §10.1.6): deletes an instance.
    public func nDelete(sopClass: UID, sopInstance: UID) async throws(AssociationError) -> NServiceResponse {
        let request = NDeleteRequest(messageID: endpoint.nextMessageID(), requestedSOPClassUID: sopClass, requestedSOPInstanceUID: sopInstance)
        return try await endpoint.nService(request.commandSet, messageID: request.messageID, sopClass: sopClass, dataSet: nil)
    }

    /// N-EVENT-REPORT (PS3.7 §10.1.1): reports event `eventTypeID` of an instance.
    public func nEventReport(sopClass: UID, sopInstance: UID, eventTypeID: UInt16, information: DataSet? = nil) async throws(AssociationError) -> NServiceResponse {
        let request = NEventReportRequest(
            messageID: endpoint.nextMessageID(), affectedSOPClassUID: sopClass, affectedSOPInstanceUID: sopInstance,
            eventTypeID: eventTypeID, hasDataSet: information != nil)
        return try await endpoint.nService(request.commandSet, messageID: request.messageID, sopClass: sopClass, dataSet: information)
    }
}
