public import DICOMCore
import NIOCore

/// Synthetic CT images (CT Image Storage, PS3.3 A.3): every module a CT IOD requires, with
/// plausible values, and pixel data that looks like a chest slice rather than noise.
public enum CTInstance {
    /// The slice spacing of a synthetic series, in millimetres.
    public static let sliceSpacing = 2.5
    /// The reconstruction field of view, in millimetres.
    public static let fieldOfView = 350.0

    /// Slice `instanceNumber` (1-based) of `study`'s series: `rows` × `columns`, 16 bits
    /// allocated, 12 stored, unsigned, stored values = HU + 1024 (Rescale Intercept −1024).
    public static func make(study: SyntheticStudy, instanceNumber: Int, rows: Int = 512, columns: Int = 512) -> DataSet {
        var dataSet = DataSet()
        // SOP Common (C.12.1).
        dataSet.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        dataSet.setStrings(["ORIGINAL", "PRIMARY", "AXIAL"], for: .imageType, vr: .CS)
        dataSet.setDate(study.studyDate, for: .instanceCreationDate)
        dataSet.setTime(study.studyTime, for: .instanceCreationTime)
        dataSet.setString(UID.ctImageStorage.string, for: .sopClassUID, vr: .UI)
        dataSet.setString(UID.generate().string, for: .sopInstanceUID, vr: .UI)

        study.addPatientAndStudy(to: &dataSet)
        study.addSeries(to: &dataSet, modality: "CT", number: 2, description: "Thorax 2.5mm")
        study.addEquipment(to: &dataSet)
        dataSet.setString("CHEST", for: .bodyPartExamined, vr: .CS)
        dataSet.setString("HFS", for: .patientPosition, vr: .CS)
        dataSet.setSequence([procedureCode()], for: .procedureCodeSequence)

        // General Image (C.7.6.1) and General Acquisition (C.7.10.1).
        try! dataSet.setIntegers([instanceNumber], for: .instanceNumber, vr: .IS)
        try! dataSet.setIntegers([1], for: .acquisitionNumber, vr: .IS)
        dataSet.setDate(study.studyDate, for: .acquisitionDate)
        dataSet.setTime(DICOMTime(hour: 9, minute: 43, second: 5, microsecond: instanceNumber * 1_250 % 1_000_000, fractionDigits: 6)!, for: .acquisitionTime)
        dataSet.setDate(study.studyDate, for: .contentDate)
        dataSet.setTime(DICOMTime(hour: 9, minute: 44, second: 12)!, for: .contentTime)
        dataSet.setString("00", for: .lossyImageCompression, vr: .CS)

        // Frame of Reference (C.7.4.1) and Image Plane (C.7.6.2).
        dataSet.setString(study.frameOfReferenceUID.string, for: .frameOfReferenceUID, vr: .UI)
        dataSet.setString("SN", for: .positionReferenceIndicator, vr: .LO)
        let spacing = fieldOfView / Double(columns)
        let z = Double(1 - instanceNumber) * sliceSpacing
        try! dataSet.setDoubles([spacing, spacing], for: .pixelSpacing, vr: .DS)
        try! dataSet.setDoubles([1, 0, 0, 0, 1, 0], for: .imageOrientationPatient, vr: .DS)
        try! dataSet.setDoubles([-fieldOfView / 2 + spacing / 2, -fieldOfView / 2 + 12.5, z], for: .imagePositionPatient, vr: .DS)
        try! dataSet.setDoubles([sliceSpacing], for: .sliceThickness, vr: .DS)
        try! dataSet.setDoubles([z], for: .sliceLocation, vr: .DS)

        // CT Image (C.8.2.1).
        try! dataSet.setDoubles([120], for: .kvp, vr: .DS)
        try! dataSet.setDoubles([500], for: .dataCollectionDiameter, vr: .DS)
        try! dataSet.setDoubles([fieldOfView], for: .reconstructionDiameter, vr: .DS)
        try! dataSet.setDoubles([0], for: .gantryDetectorTilt, vr: .DS)
        try! dataSet.setDoubles([152.5], for: .tableHeight, vr: .DS)
        dataSet.setString("CW", for: .rotationDirection, vr: .CS)
        try! dataSet.setIntegers([500], for: .exposureTime, vr: .IS)
        try! dataSet.setIntegers([240], for: .xRayTubeCurrent, vr: .IS)
        try! dataSet.setIntegers([120], for: .exposure, vr: .IS)
        dataSet.setString("BODY FILTER", for: .filterType, vr: .SH)
        try! dataSet.setIntegers([60], for: .generatorPower, vr: .IS)
        try! dataSet.setDoubles([0.7, 1.2], for: .focalSpots, vr: .DS)
        dataSet.setString("STANDARD", for: .convolutionKernel, vr: .SH)
        try! dataSet.setDoubles([-1024], for: .rescaleIntercept, vr: .DS)
        try! dataSet.setDoubles([1], for: .rescaleSlope, vr: .DS)
        dataSet.setString("HU", for: .rescaleType, vr: .LO)

        // VOI LUT (C.11.2): a mediastinum and a lung window.
        try! dataSet.setDoubles([40, -600], for: .windowCenter, vr: .DS)
        try! dataSet.setDoubles([400, 1500], for: .windowWidth, vr: .DS)
        dataSet.setStrings(["MEDIASTINUM", "LUNG"], for: .windowCenterWidthExplanation, vr: .LO)

        // Image Pixel (C.7.6.3).
        try! dataSet.setIntegers([1], for: .samplesPerPixel, vr: .US)
        dataSet.setString("MONOCHROME2", for: .photometricInterpretation, vr: .CS)
        try! dataSet.setIntegers([rows], for: .rows, vr: .US)
        try! dataSet.setIntegers([columns], for: .columns, vr: .US)
        try! dataSet.setIntegers([16], for: .bitsAllocated, vr: .US)
        try! dataSet.setIntegers([12], for: .bitsStored, vr: .US)
        try! dataSet.setIntegers([11], for: .highBit, vr: .US)
        try! dataSet.setIntegers([0], for: .pixelRepresentation, vr: .US)
        let pixels = Phantom.chestSlice(rows: rows, columns: columns, slice: instanceNumber)
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: pixels)
        return dataSet
    }

    private static func procedureCode() -> DataSet {
        var item = DataSet()
        item.setString("24627-2", for: .codeValue, vr: .SH)
        item.setString("LN", for: .codingSchemeDesignator, vr: .SH)
        item.setString("CT Chest", for: .codeMeaning, vr: .LO)
        return item
    }
}
