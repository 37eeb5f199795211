import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import Synchronization
import Testing

/// Modality Worklist, MPPS and Instance Availability Notification ours ↔ ours on loopback, each
/// AE's contexts added a service class at a time from the catalogue: the requests reach the
/// find and N-service handlers on the right SOP classes, and the answers come back.
@Suite("Worklist, MPPS and IAN on loopback, ours ↔ ours")
struct ServiceClassLoopbackTests {
    // MARK: - Modality Worklist

    /// A scheduled procedure step for `modality` on `date`, as a worklist SCP answers it.
    static func worklistItem(patient: String, modality: String, date: String, accession: String) -> DataSet {
        var step = DataSet()
        step.setString(modality, for: .modality, vr: .CS)
        step.setString(date, for: .scheduledProcedureStepStartDate, vr: .DA)
        step.setString("CT-ROOM-1", for: .scheduledStationAETitle, vr: .AE)
        var item = DataSet()
        item.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        item.setString(patient, for: .patientName, vr: .PN)
        item.setString(accession, for: .accessionNumber, vr: .SH)
        item.setSequence([step], for: .scheduledProcedureStepSequence)
        return item
    }

    /// The worklist query: CT steps of one date, asking for name and accession number.
    static var worklistQuery: DataSet {
        var step = DataSet()
        step.setString("CT", for: .modality, vr: .CS)
        step.setString("20260315", for: .scheduledProcedureStepStartDate, vr: .DA)
        step.setString("", for: .scheduledStationAETitle, vr: .AE)
        var query = DataSet()
        query.setString("", for: .patientName, vr: .PN)
        query.setString("", for: .accessionNumber, vr: .SH)
        query.setSequence([step], for: .scheduledProcedureStepSequence)
        return query
    }

    /// A worklist SCP's find handler over `items`: matches Modality and the step's start date
    /// inside the Scheduled Procedure Step Sequence (PS3.4 K.6.1.2), refuses other models.
    static func worklistHandler(_ items: [DataSet], seen: Recorder<[QueryRequest]>) -> @Sendable (QueryRequest) async throws -> AsyncThrowingStream<DataSet, any Error> {
        { request in
            seen.update { $0.append(request) }
            guard request.model == .modalityWorklist else { throw QueryFailure(.sopClassNotSupported) }
            let wanted = request.identifier.sequence(.scheduledProcedureStepSequence)?.first
            let matches = items.filter { item in
                let step = item.sequence(.scheduledProcedureStepSequence)?.first
                return [Tag.modality, .scheduledProcedureStepStartDate].allSatisfy { key in
                    guard let value = wanted?.string(key), !value.isEmpty else { return true }
                    return step?.string(key) == value
                }
            }
            return AsyncThrowingStream { continuation in
                for match in matches { continuation.yield(match) }
                continuation.finish()
            }
        }
    }

    @Test("Modality Worklist: the find handler is told the model and its matches come back; the SCU proposed only the worklist")
    func modalityWorklist() async throws {
        let items = [
            Self.worklistItem(patient: "DOE^JANE", modality: "CT", date: "20260315", accession: "A1"),
            Self.worklistItem(patient: "ROE^RICHARD", modality: "MR", date: "20260315", accession: "A2"),
            Self.worklistItem(patient: "POE^EDGAR", modality: "CT", date: "20260316", accession: "A3"),
            Self.worklistItem(patient: "LOE^ANNA", modality: "CT", date: "20260315", accession: "A4"),
        ]
        let seen = Recorder<[QueryRequest]>([])
        var scp = try Entities.scp()
        try scp.addSupportedContexts(for: .modalityWorklist)
        try scp.addSupportedContexts(for: .queryRetrieve)
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .modalityWorklist)
        let handlers = ServiceHandlers(find: Self.worklistHandler(items, seen: seen))
        try await withLoopbackAssociation(acceptor: scp, handlers: handlers, requestor: scu) { (association: Association) async throws in
            #expect(association.acceptedContexts.map(\.abstractSyntax) == [.verification, .modalityWorklistInformationModelFind])
            var responses: [QueryResponse] = []
            for try await response in association.find(Self.worklistQuery, model: .modalityWorklist) { responses.append(response) }
            #expect(responses.map(\.status) == [.pending, .pending, .success])
            #expect(responses.compactMap { $0.identifier?.string(.accessionNumber) } == ["A1", "A4"])
            let step = responses.first?.identifier?.sequence(.scheduledProcedureStepSequence)?.first
            #expect(step?.string(.scheduledStationAETitle) == "CT-ROOM-1")

            // Study Root was not proposed: the find fails before anything is sent.
            await #expect(throws: AssociationError.self) {
                for try await _ in association.find(Self.worklistQuery, model: .studyRoot) {}
            }
        }
        let request = try #require(seen.value.first)
        #expect(seen.value.count == 1)
        #expect(request.sopClassUID == .modalityWorklistInformationModelFind)
        #expect(request.model == .modalityWorklist)
        #expect(request.identifier.sequence(.scheduledProcedureStepSequence)?.first?.string(.modality) == "CT")
        #expect(!request.identifier.contains(.queryRetrieveLevel))
    }

    // MARK: - MPPS

    /// An MPPS SCP's N-service handler keeping the steps in memory: N-CREATE makes a step IN
    /// PROGRESS, N-SET changes it (not once it is COMPLETED or DISCONTINUED, PS3.4 F.7.2.2.2),
    /// N-GET on the Retrieve SOP class reads it.
    final class ProcedureSteps: Sendable {
        let steps = Mutex<[UID: DataSet]>([:])
        let requests = Mutex<[(CommandField, UID)]>([])

        func handle(_ request: NServiceRequest) -> NServiceResult {
            switch request.message {
            case .nCreateRequest(let create):
                requests.withLock { $0.append((.nCreateRequest, create.sopClassUID)) }
                guard create.sopClassUID == .modalityPerformedProcedureStep, let uid = create.affectedSOPInstanceUID,
                      let attributes = request.dataSet, attributes.string(.performedProcedureStepStatus) == "IN PROGRESS" else {
                    return NServiceResult(.invalidAttributeValue)
                }
                let created = steps.withLock { steps in
                    guard steps[uid] == nil else { return false }
                    steps[uid] = attributes
                    return true
                }
                return created ? NServiceResult(.success, dataSet: attributes) : NServiceResult(.duplicateSOPInstance)
            case .nSetRequest(let set):
                requests.withLock { $0.append((.nSetRequest, set.sopClassUID)) }
                return steps.withLock { steps in
                    guard let uid = set.sopInstanceUID, var step = steps[uid] else { return NServiceResult(.noSuchSOPInstance) }
                    guard step.string(.performedProcedureStepStatus) == "IN PROGRESS" else { return NServiceResult(.processingFailure) }
                    for element in request.dataSet ?? DataSet() { step[element.tag] = element }
                    steps[uid] = step
                    return NServiceResult(.success, dataSet: step)
                }
            case .nGetRequest(let get):
                requests.withLock { $0.append((.nGetRequest, get.sopClassUID)) }
                guard get.sopClassUID == .modalityPerformedProcedureStepRetrieve else { return NServiceResult(.noSuchSOPClass) }
                return steps.withLock { steps in
                    guard let uid = get.sopInstanceUID, let step = steps[uid] else { return NServiceResult(.noSuchSOPInstance) }
                    return NServiceResult(.success, dataSet: step)
                }
            default:
                return NServiceResult(.unrecognizedOperation)
            }
        }
    }

    @Test("MPPS: N-CREATE, N-SET and N-GET reach the handler on the catalogue's MPPS SOP classes; a completed step cannot be changed")
    func modalityPerformedProcedureStep() async throws {
        let steps = ProcedureSteps()
        var scp = try Entities.scp()
        try scp.addSupportedContexts(for: .modalityPerformedProcedureStep)
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .modalityPerformedProcedureStep)
        let step = UID.generate()
        try await withLoopbackAssociation(acceptor: scp, handlers: ServiceHandlers(nService: steps.handle), requestor: scu) { (association: Association) async throws in
            #expect(Set(association.acceptedContexts.map(\.abstractSyntax)) == Set([.verification] + ServiceClass.modalityPerformedProcedureStep.sopClassUIDs))

            var attributes = DataSet()
            attributes.setString("IN PROGRESS", for: .performedProcedureStepStatus, vr: .CS)
            attributes.setString("CT-ROOM-1", for: .performedStationAETitle, vr: .AE)
            let create = try await association.nCreate(sopClass: .modalityPerformedProcedureStep, sopInstance: step, attributes: attributes)
            #expect(create.status == .success)
            #expect(create.dataSet?.string(.performedStationAETitle) == "CT-ROOM-1")
            #expect(try await association.nCreate(sopClass: .modalityPerformedProcedureStep, sopInstance: step, attributes: attributes).status == .duplicateSOPInstance)

            var completed = DataSet()
            completed.setString("COMPLETED", for: .performedProcedureStepStatus, vr: .CS)
            #expect(try await association.nSet(sopClass: .modalityPerformedProcedureStep, sopInstance: step, modifications: completed).status == .success)
            #expect(try await association.nSet(sopClass: .modalityPerformedProcedureStep, sopInstance: step, modifications: attributes).status == .processingFailure)

            let read = try await association.nGet(sopClass: .modalityPerformedProcedureStepRetrieve, sopInstance: step, attributes: [.performedProcedureStepStatus])
            #expect(read.status == .success)
            #expect(read.dataSet?.string(.performedProcedureStepStatus) == "COMPLETED")
            #expect(read.dataSet?.string(.performedStationAETitle) == "CT-ROOM-1")
        }
        let requests = steps.requests.withLock { $0 }
        #expect(requests.map(\.0) == [.nCreateRequest, .nCreateRequest, .nSetRequest, .nSetRequest, .nGetRequest])
        #expect(requests.map(\.1) == Array(repeating: .modalityPerformedProcedureStep, count: 4) + [.modalityPerformedProcedureStepRetrieve])
    }

    // MARK: - Instance Availability Notification

    @Test("IAN: an N-CREATE with the study's instances reaches the handler, which gives the notification its UID")
    func instanceAvailabilityNotification() async throws {
        let received = Recorder<[NServiceRequest]>([])
        let assigned = UID.generate()
        var scp = try Entities.scp()
        try scp.addSupportedContexts(for: .instanceAvailabilityNotification)
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .instanceAvailabilityNotification)
        let handlers = ServiceHandlers(nService: { request in
            received.update { $0.append(request) }
            guard case .nCreateRequest(let create) = request.message, create.sopClassUID == .instanceAvailabilityNotification else {
                return NServiceResult(.noSuchSOPClass)
            }
            let series = request.dataSet?.sequence(.referencedSeriesSequence) ?? []
            let instances = series.flatMap { $0.sequence(.referencedSOPSequence) ?? [] }
            guard request.dataSet?.uid(.studyInstanceUID) != nil, !instances.isEmpty,
                  instances.allSatisfy({ $0.string(.instanceAvailability) == "ONLINE" }) else {
                return NServiceResult(.missingAttributeValue)
            }
            return NServiceResult(.success, affectedSOPInstanceUID: create.sopInstanceUID ?? assigned)
        })
        let study = UID.generate()
        let uids = [UID.generate(), UID.generate()]
        try await withLoopbackAssociation(acceptor: scp, handlers: handlers, requestor: scu) { (association: Association) async throws in
            var notification = DataSet()
            notification.setString(study.string, for: .studyInstanceUID, vr: .UI)
            notification.setSequence([], for: .referencedPerformedProcedureStepSequence)
            var series = DataSet()
            series.setString(UID.generate().string, for: .seriesInstanceUID, vr: .UI)
            series.setSequence(uids.map { uid in
                var instance = DataSet()
                instance.setString(UID.ctImageStorage.string, for: .referencedSOPClassUID, vr: .UI)
                instance.setString(uid.string, for: .referencedSOPInstanceUID, vr: .UI)
                instance.setString("ONLINE", for: .instanceAvailability, vr: .CS)
                instance.setString("ARCHIVE", for: .retrieveAETitle, vr: .AE)
                return instance
            }, for: .referencedSOPSequence)
            notification.setSequence([series], for: .referencedSeriesSequence)
            let response = try await association.nCreate(sopClass: .instanceAvailabilityNotification, attributes: notification)
            #expect(response.status == .success)
            #expect(response.commandSet.uid(.affectedSOPInstanceUID) == assigned)

            #expect(try await association.nCreate(sopClass: .instanceAvailabilityNotification, attributes: DataSet()).status == .missingAttributeValue)
        }
        let first = try #require(received.value.first)
        #expect(received.value.count == 2)
        #expect(first.dataSet?.uid(.studyInstanceUID) == study)
        let listed = first.dataSet?.sequence(.referencedSeriesSequence)?.first?.sequence(.referencedSOPSequence)?.compactMap { $0.uid(.referencedSOPInstanceUID) }
        #expect(listed == uids)
    }
}
