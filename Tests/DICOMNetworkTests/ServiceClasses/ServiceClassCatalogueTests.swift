import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing

/// The service class catalogue: its SOP classes come from the generated registry, each with the
/// DIMSE services PS3.4 gives it, and an AE adds a whole service class's contexts at once.
@Suite("Service class catalogue")
struct ServiceClassCatalogueTests {
    @Test("every SOP class of the catalogue is a registered SOP class with a keyword, in one service class only")
    func registered() {
        var seen: [UID: String] = [:]
        for serviceClass in ServiceClass.all {
            #expect(!serviceClass.sopClasses.isEmpty, "\(serviceClass.name)")
            for sopClass in serviceClass.sopClasses {
                let entry = UIDRegistry.entry(for: sopClass.uid)
                #expect(entry?.type == .sopClass, "\(sopClass.uid) in \(serviceClass.name)")
                #expect(entry?.keyword != nil, "\(sopClass.uid) in \(serviceClass.name)")
                #expect(!(sopClass.invokedBySCU + sopClass.invokedBySCP).isEmpty, "\(sopClass.name) uses no DIMSE service")
                #expect(seen.updateValue(serviceClass.name, forKey: sopClass.uid) == nil, "\(sopClass.name) is in \(seen[sopClass.uid] ?? "") and \(serviceClass.name)")
            }
        }
    }

    @Test("Storage: every Storage SOP class of the registry but the DICOMDIR, common ones first, current before retired, each C-STORE")
    func storage() {
        let storage = ServiceClass.storage
        let uids = storage.sopClassUIDs
        let registry = Set(UIDRegistry.storageSOPClasses + UIDRegistry.retiredStorageSOPClasses)
        #expect(Set(uids) == registry.subtracting([.mediaStorageDirectoryStorage]))
        #expect(Set(uids).count == uids.count, "a SOP class is listed twice")
        #expect(uids.count > PresentationContextList.maximumRequestedContexts)
        #expect(Array(uids.prefix(3)) == [.ctImageStorage, .enhancedCTImageStorage, .legacyConvertedEnhancedCTImageStorage])
        #expect(storage.sopClasses.allSatisfy { $0.invokedBySCU == [.cStore] && $0.invokedBySCP.isEmpty })
        #expect(storage.dimseServices == [.cStore])
        // Retired ones only after every current one.
        let firstRetired = storage.sopClasses.firstIndex(where: \.isRetired) ?? uids.endIndex
        #expect(storage.sopClasses[firstRetired...].allSatisfy { $0.isRetired })
        #expect(uids.count - firstRetired == UIDRegistry.retiredStorageSOPClasses.count)
        // The common classes the first 127 contexts carry include the everyday modalities.
        let first127 = Set(uids.prefix(127))
        for common: UID in [.mrImageStorage, .computedRadiographyImageStorage, .digitalXRayImageStorageForPresentation, .ultrasoundImageStorage,
                            .secondaryCaptureImageStorage, .positronEmissionTomographyImageStorage, .rtDoseStorage, .comprehensiveSRStorage,
                            .encapsulatedPDFStorage, .grayscaleSoftcopyPresentationStateStorage, .segmentationStorage] {
            #expect(first127.contains(common), "\(common.name ?? common.string)")
        }
    }

    @Test("Query/Retrieve: Patient Root, Study Root and Patient/Study Only, each FIND, MOVE and GET with its DIMSE services")
    func queryRetrieve() {
        let queryRetrieve = ServiceClass.queryRetrieve
        #expect(queryRetrieve.sopClassUIDs == [
            .patientRootQueryRetrieveInformationModelFind, .patientRootQueryRetrieveInformationModelMove, .patientRootQueryRetrieveInformationModelGet,
            .studyRootQueryRetrieveInformationModelFind, .studyRootQueryRetrieveInformationModelMove, .studyRootQueryRetrieveInformationModelGet,
            .patientStudyOnlyQueryRetrieveInformationModelFind, .patientStudyOnlyQueryRetrieveInformationModelMove, .patientStudyOnlyQueryRetrieveInformationModelGet,
        ])
        #expect(queryRetrieve.sopClass(.studyRootQueryRetrieveInformationModelFind)?.invokedBySCU == [.cFind, .cCancel])
        #expect(queryRetrieve.sopClass(.studyRootQueryRetrieveInformationModelMove)?.invokedBySCU == [.cMove, .cCancel])
        let get = queryRetrieve.sopClass(.patientRootQueryRetrieveInformationModelGet)
        #expect(get?.invokedBySCU == [.cGet, .cCancel])
        #expect(get?.invokedBySCP == [.cStore])
        #expect(queryRetrieve.sopClasses.filter(\.isRetired).count == 3)
        #expect(queryRetrieve.dimseServices == [.cStore, .cFind, .cGet, .cMove, .cCancel])
    }

    @Test("the worklist, commitment, MPPS and IAN service classes and the DIMSE services each role invokes")
    func normalizedAndWorklist() {
        #expect(ServiceClass.verification.sopClasses == [.init(.verification, invokedBySCU: [.cEcho])])
        #expect(ServiceClass.modalityWorklist.sopClasses == [.init(.modalityWorklistInformationModelFind, invokedBySCU: [.cFind, .cCancel])])
        #expect(ServiceClass.storageCommitment.sopClasses == [.init(.storageCommitmentPushModel, invokedBySCU: [.nAction], invokedBySCP: [.nEventReport])])
        #expect(ServiceClass.modalityPerformedProcedureStep.sopClasses == [
            .init(.modalityPerformedProcedureStep, invokedBySCU: [.nCreate, .nSet]),
            .init(.modalityPerformedProcedureStepRetrieve, invokedBySCU: [.nGet]),
            .init(.modalityPerformedProcedureStepNotification, invokedBySCU: [], invokedBySCP: [.nEventReport]),
        ])
        #expect(ServiceClass.instanceAvailabilityNotification.sopClasses == [.init(.instanceAvailabilityNotification, invokedBySCU: [.nCreate])])
        for serviceClass in [ServiceClass.storageCommitment, .modalityPerformedProcedureStep, .instanceAvailabilityNotification] {
            #expect(serviceClass.dimseServices.allSatisfy { $0.isNormalized }, "\(serviceClass)")
        }
        #expect(DIMSEService.allCases.map(\.requestCommandField).allSatisfy { !$0.isResponse })
        #expect(DIMSEService.nEventReport.requestCommandField == .nEventReportRequest)
    }

    @Test("a service class is found by any of its SOP classes; a SOP class outside the catalogue finds none")
    func containing() {
        #expect(ServiceClass.containing(.ctImageStorage)?.name == "Storage")
        #expect(ServiceClass.containing(.modalityWorklistInformationModelFind)?.name == "Modality Worklist")
        #expect(ServiceClass.containing(.modalityPerformedProcedureStepNotification)?.name == "Modality Performed Procedure Step")
        #expect(ServiceClass.containing(.patientStudyOnlyQueryRetrieveInformationModelGet)?.name == "Query/Retrieve")
        #expect(ServiceClass.containing(.mediaStorageDirectoryStorage) == nil)
        #expect(ServiceClass.containing(UID("1.2.826.0.1.3680043.10.999.1")) == nil)
    }

    @Test("any other N-service: a service class of its SOP classes and their services")
    func genericNormalized() {
        let ups = ServiceClass.normalized(
            "Unified Procedure Step", sopClasses: [.unifiedProcedureStepPush, .unifiedProcedureStepWatch],
            invokedBySCU: [.nCreate, .nAction, .nGet], invokedBySCP: [.nEventReport])
        #expect(ups.sopClassUIDs == [.unifiedProcedureStepPush, .unifiedProcedureStepWatch])
        #expect(ups.dimseServices == [.nEventReport, .nGet, .nAction, .nCreate])
        #expect(ups.description == "Unified Procedure Step (2 SOP classes)")
    }

    @Test("QueryRetrieveModel knows the model of each of its SOP classes")
    func queryRetrieveModels() {
        for model in QueryRetrieveModel.allCases {
            for sopClass in model.sopClasses {
                #expect(QueryRetrieveModel(sopClass: sopClass) == model)
            }
        }
        #expect(QueryRetrieveModel.modalityWorklist.sopClasses == [.modalityWorklistInformationModelFind])
        #expect(QueryRetrieveModel(sopClass: .ctImageStorage) == nil)
    }

    // MARK: - ApplicationEntity

    @Test("an acceptor supports a whole service class; adding it again merges transfer syntaxes")
    func supported() throws {
        var entity = ApplicationEntity(aeTitle: "SCP")
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: [.explicitVRLittleEndian])
        try entity.addSupportedContexts(for: .queryRetrieve)
        #expect(entity.supportedContexts.map(\.abstractSyntax) == ServiceClass.storage.sopClassUIDs + ServiceClass.queryRetrieve.sopClassUIDs)
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: [.implicitVRLittleEndian], scuRole: true, scpRole: true)
        let ct = try #require(entity.contexts.supportedContext(for: .ctImageStorage))
        #expect(ct.transferSyntaxes == [.explicitVRLittleEndian, .implicitVRLittleEndian])
        #expect(ct.scpRole == true)

        // An empty transfer syntax list is refused, and nothing is half added.
        var other = ApplicationEntity(aeTitle: "SCP")
        #expect(throws: ACSEError.self) { try other.addSupportedContexts(for: .modalityPerformedProcedureStep, transferSyntaxes: []) }
        #expect(other.supportedContexts.isEmpty)
    }

    @Test("a requestor gets the service class's SOP classes up to 128 contexts in all; the ones left out are returned")
    func requested() throws {
        var entity = ApplicationEntity(aeTitle: "SCU")
        try entity.addRequestedContext(.studyRootQueryRetrieveInformationModelGet)
        let leftOut = try entity.addRequestedContexts(for: .storage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: false, scpRole: true)
        let storage = ServiceClass.storage.sopClassUIDs
        #expect(entity.requestedContexts.count == 128)
        #expect(entity.requestedContexts.dropFirst().map(\.abstractSyntax) == Array(storage.prefix(127)))
        #expect(leftOut == Array(storage.dropFirst(127)))
        #expect(entity.requestedContexts.dropFirst().allSatisfy { $0.scpRole == true && $0.scuRole == false })
        #expect(entity.requestedContexts.map(\.contextID).last == 255)

        // With the list full, nothing more fits: everything comes back.
        #expect(try entity.addRequestedContexts(for: .verification) == [.verification])
        #expect(entity.requestedContexts.count == 128)

        var small = ApplicationEntity(aeTitle: "SCU")
        #expect(try small.addRequestedContexts(for: .modalityPerformedProcedureStep).isEmpty)
        #expect(small.requestedContexts.map(\.abstractSyntax) == ServiceClass.modalityPerformedProcedureStep.sopClassUIDs)
    }
}
