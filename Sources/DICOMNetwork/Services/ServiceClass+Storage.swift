import DICOMCore

extension ServiceClass {
    /// The Storage Service Class (PS3.4 Annex B): every Storage SOP class of the registry, each
    /// made of C-STORE. The common classes come first (CT, MR, CR, DX, US, SC, PET, RT, SR,
    /// presentation states…), then the rest not retired in UID order, then the retired ones: an
    /// A-ASSOCIATE-RQ holds 128 contexts at most (PS3.8 §9.3.2.2) and there are more Storage
    /// classes than that, so a requestor proposing them in this order gets the ones archives
    /// hold (see ``ApplicationEntity/addRequestedContexts(for:transferSyntaxes:scuRole:scpRole:)``).
    ///
    /// Media Storage Directory Storage (the DICOMDIR) is left out: it belongs to the Media
    /// Storage Service Class (PS3.4 Annex I) and is never sent over the network.
    public static let storage: ServiceClass = {
        let excluded: Set<UID> = [.mediaStorageDirectoryStorage]
        let common = commonStorageSOPClasses
        let chosen = Set(common).union(excluded)
        let rest = UIDRegistry.storageSOPClasses.filter { !chosen.contains($0) }
        let retired = UIDRegistry.retiredStorageSOPClasses.filter { !chosen.contains($0) }
        return ServiceClass(name: "Storage", sopClasses: (common + rest + retired).map { SOPClass($0, invokedBySCU: [.cStore]) })
    }()

    /// The Storage SOP classes proposed first, the ones archives commonly hold.
    static let commonStorageSOPClasses: [UID] = [
        .ctImageStorage, .enhancedCTImageStorage, .legacyConvertedEnhancedCTImageStorage,
        .mrImageStorage, .enhancedMRImageStorage, .enhancedMRColorImageStorage, .legacyConvertedEnhancedMRImageStorage,
        .mrSpectroscopyStorage,
        .computedRadiographyImageStorage,
        .digitalXRayImageStorageForPresentation, .digitalXRayImageStorageForProcessing,
        .digitalMammographyXRayImageStorageForPresentation, .digitalMammographyXRayImageStorageForProcessing,
        .digitalIntraOralXRayImageStorageForPresentation, .digitalIntraOralXRayImageStorageForProcessing,
        .breastTomosynthesisImageStorage,
        .breastProjectionXRayImageStorageForPresentation, .breastProjectionXRayImageStorageForProcessing,
        .ultrasoundImageStorage, .ultrasoundMultiFrameImageStorage, .enhancedUSVolumeStorage,
        .secondaryCaptureImageStorage,
        .multiFrameSingleBitSecondaryCaptureImageStorage, .multiFrameGrayscaleByteSecondaryCaptureImageStorage,
        .multiFrameGrayscaleWordSecondaryCaptureImageStorage, .multiFrameTrueColorSecondaryCaptureImageStorage,
        .xRayAngiographicImageStorage, .enhancedXAImageStorage,
        .xRayRadiofluoroscopicImageStorage, .enhancedXRFImageStorage,
        .xRay3DAngiographicImageStorage, .xRay3DCraniofacialImageStorage,
        .nuclearMedicineImageStorage,
        .positronEmissionTomographyImageStorage, .enhancedPETImageStorage, .legacyConvertedEnhancedPETImageStorage,
        .rtImageStorage, .rtDoseStorage, .rtStructureSetStorage, .rtPlanStorage, .rtIonPlanStorage,
        .rtBeamsTreatmentRecordStorage, .rtBrachyTreatmentRecordStorage, .rtTreatmentSummaryRecordStorage,
        .rtIonBeamsTreatmentRecordStorage,
        .spatialRegistrationStorage, .deformableSpatialRegistrationStorage, .spatialFiducialsStorage,
        .segmentationStorage, .surfaceSegmentationStorage, .parametricMapStorage, .realWorldValueMappingStorage,
        .rawDataStorage,
        .grayscaleSoftcopyPresentationStateStorage, .colorSoftcopyPresentationStateStorage,
        .pseudoColorSoftcopyPresentationStateStorage, .blendingSoftcopyPresentationStateStorage,
        .xaxrfGrayscaleSoftcopyPresentationStateStorage,
        .keyObjectSelectionDocumentStorage,
        .basicTextSRStorage, .enhancedSRStorage, .comprehensiveSRStorage, .comprehensive3DSRStorage, .extensibleSRStorage,
        .mammographyCADSRStorage, .chestCADSRStorage, .colonCADSRStorage, .procedureLogStorage,
        .xRayRadiationDoseSRStorage, .enhancedXRayRadiationDoseSRStorage, .radiopharmaceuticalRadiationDoseSRStorage,
        .patientRadiationDoseSRStorage, .acquisitionContextSRStorage, .simplifiedAdultEchoSRStorage,
        .encapsulatedPDFStorage, .encapsulatedCDAStorage, .encapsulatedSTLStorage,
        .vlEndoscopicImageStorage, .videoEndoscopicImageStorage, .vlMicroscopicImageStorage, .videoMicroscopicImageStorage,
        .vlSlideCoordinatesMicroscopicImageStorage, .vlPhotographicImageStorage, .videoPhotographicImageStorage,
        .vlWholeSlideMicroscopyImageStorage, .dermoscopicPhotographyImageStorage,
        .ophthalmicPhotography8BitImageStorage, .ophthalmicPhotography16BitImageStorage,
        .ophthalmicTomographyImageStorage, .ophthalmicOpticalCoherenceTomographyEnFaceImageStorage,
        .ophthalmicOpticalCoherenceTomographyBscanVolumeAnalysisStorage,
        .intravascularOpticalCoherenceTomographyImageStorageForPresentation,
        .intravascularOpticalCoherenceTomographyImageStorageForProcessing,
        .twelveLeadECGWaveformStorage, .generalECGWaveformStorage, .ambulatoryECGWaveformStorage,
        .hemodynamicWaveformStorage, .cardiacElectrophysiologyWaveformStorage, .basicVoiceAudioWaveformStorage,
        .generalAudioWaveformStorage, .arterialPulseWaveformStorage, .respiratoryWaveformStorage,
        .hangingProtocolStorage, .colorPaletteStorage, .basicStructuredDisplayStorage,
    ]
}
