public import DICOMCore
import NIOCore

/// A tiny Secondary Capture image (PS3.3 A.8.1): the few hundred bytes that stress per-instance
/// overhead (association round trips, file creation) rather than bandwidth.
public enum TinyInstance {
    /// Instance `instanceNumber` of `study`: an 8-bit grey ramp of `rows` × `columns` (8 × 8 by default).
    public static func make(study: SyntheticStudy, instanceNumber: Int, rows: Int = 8, columns: Int = 8) -> DataSet {
        var dataSet = DataSet()
        dataSet.setString(UID.secondaryCaptureImageStorage.string, for: .sopClassUID, vr: .UI)
        dataSet.setString(UID.generate().string, for: .sopInstanceUID, vr: .UI)
        dataSet.setPersonName(study.patientName, for: .patientName)
        dataSet.setString(study.patientID, for: .patientID, vr: .LO)
        dataSet.setString(study.studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
        dataSet.setDate(study.studyDate, for: .studyDate)
        dataSet.setString("OT", for: .modality, vr: .CS)
        dataSet.setString(study.seriesInstanceUID.string, for: .seriesInstanceUID, vr: .UI)
        try! dataSet.setIntegers([1], for: .seriesNumber, vr: .IS)
        try! dataSet.setIntegers([instanceNumber], for: .instanceNumber, vr: .IS)
        dataSet.setString("WSD", for: .conversionType, vr: .CS)
        try! dataSet.setIntegers([1], for: .samplesPerPixel, vr: .US)
        dataSet.setString("MONOCHROME2", for: .photometricInterpretation, vr: .CS)
        try! dataSet.setIntegers([rows], for: .rows, vr: .US)
        try! dataSet.setIntegers([columns], for: .columns, vr: .US)
        try! dataSet.setIntegers([8], for: .bitsAllocated, vr: .US)
        try! dataSet.setIntegers([8], for: .bitsStored, vr: .US)
        try! dataSet.setIntegers([7], for: .highBit, vr: .US)
        try! dataSet.setIntegers([0], for: .pixelRepresentation, vr: .US)
        var pixels = ByteBuffer()
        let count = rows * columns
        pixels.reserveCapacity(count + 1)
        for index in 0..<count {
            pixels.writeInteger(UInt8(truncatingIfNeeded: (index * 255) / max(1, count - 1) + instanceNumber))
        }
        if count % 2 == 1 { pixels.writeInteger(UInt8(0)) }  // OB pads to even length (PS3.5 §7.1.1)
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OB, bytes: pixels)
        return dataSet
    }
}
