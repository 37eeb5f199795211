public import DICOMCore

extension ServiceClass {
    /// The Verification Service Class (PS3.4 Annex A): C-ECHO.
    public static let verification = ServiceClass(name: "Verification", sopClasses: [
        SOPClass(.verification, invokedBySCU: [.cEcho]),
    ])

    /// The Query/Retrieve Service Class (PS3.4 Annex C): the Patient Root, Study Root and
    /// (retired) Patient/Study Only information models, each with its FIND, MOVE and GET SOP
    /// classes. A C-GET's instances come back as C-STORE sub-operations on the same association,
    /// on Storage contexts the SCU proposed with the SCP role; a C-MOVE's go over an association
    /// of their own to the move destination.
    public static let queryRetrieve = ServiceClass(
        name: "Query/Retrieve",
        sopClasses: [QueryRetrieveModel.patientRoot, .studyRoot, .patientStudyOnly].flatMap { model in
            [
                SOPClass(model.find, invokedBySCU: [.cFind, .cCancel]),
                model.move.map { SOPClass($0, invokedBySCU: [.cMove, .cCancel]) },
                model.get.map { SOPClass($0, invokedBySCU: [.cGet, .cCancel], invokedBySCP: [.cStore]) },
            ].compactMap { $0 }
        })

    /// Modality Worklist, of the Basic Worklist Management Service Class (PS3.4 Annex K):
    /// C-FIND on the Modality Worklist Information Model.
    public static let modalityWorklist = ServiceClass(name: "Modality Worklist", sopClasses: [
        SOPClass(QueryRetrieveModel.modalityWorklist.find, invokedBySCU: [.cFind, .cCancel]),
    ])

    /// Storage Commitment Push Model (PS3.4 Annex J): the SCU asks with N-ACTION, the SCP
    /// answers the commitment result with N-EVENT-REPORT, on that association or a later one.
    public static let storageCommitment = ServiceClass(name: "Storage Commitment", sopClasses: [
        SOPClass(.storageCommitmentPushModel, invokedBySCU: [.nAction], invokedBySCP: [.nEventReport]),
    ])

    /// Modality Performed Procedure Step, of the Procedure Step Service Class (PS3.4 Annex F):
    /// the step is created with N-CREATE and updated with N-SET; the Retrieve SOP class reads it
    /// with N-GET, the Notification SOP class reports its changes with N-EVENT-REPORT.
    public static let modalityPerformedProcedureStep = ServiceClass(name: "Modality Performed Procedure Step", sopClasses: [
        SOPClass(.modalityPerformedProcedureStep, invokedBySCU: [.nCreate, .nSet]),
        SOPClass(.modalityPerformedProcedureStepRetrieve, invokedBySCU: [.nGet]),
        SOPClass(.modalityPerformedProcedureStepNotification, invokedBySCU: [], invokedBySCP: [.nEventReport]),
    ])

    /// The Instance Availability Notification Service Class (PS3.4 Annex R): N-CREATE.
    public static let instanceAvailabilityNotification = ServiceClass(name: "Instance Availability Notification", sopClasses: [
        SOPClass(.instanceAvailabilityNotification, invokedBySCU: [.nCreate]),
    ])

    /// Any other normalized service (UPS, print management, display system…): its SOP classes,
    /// each with the same DIMSE-N services. Their requests reach ``ServiceHandlers/nService``,
    /// and ``Association``'s `nGet`, `nSet`, `nAction`, `nCreate`, `nDelete` and `nEventReport`
    /// send them, as for the catalogue's.
    public static func normalized(
        _ name: String,
        sopClasses: [UID],
        invokedBySCU: [DIMSEService],
        invokedBySCP: [DIMSEService] = []
    ) -> ServiceClass {
        ServiceClass(name: name, sopClasses: sopClasses.map { SOPClass($0, invokedBySCU: invokedBySCU, invokedBySCP: invokedBySCP) })
    }

    /// The catalogue's service classes.
    public static let all: [ServiceClass] = [
        .verification, .storage, .queryRetrieve, .modalityWorklist, .storageCommitment,
        .modalityPerformedProcedureStep, .instanceAvailabilityNotification,
    ]

    /// The catalogue's service class that has the SOP class `uid`; nil for one it does not list.
    public static func containing(_ uid: UID) -> ServiceClass? {
        all.first { $0.contains(uid) }
    }
}
