public import DICOMCore

/// The patient, study, series and equipment that a run of synthetic instances shares: one
/// patient, one study, one series, one frame of reference, with fresh UIDs (PS3.5 §B.2).
///
/// Dates and names are fixed and plausible rather than taken from the clock, so that two runs
/// differ only in their UIDs.
public struct SyntheticStudy: Sendable {
    /// Patient's Name (0010,0010).
    public var patientName = PersonName(familyName: "SYNTHETIC", givenName: "CT PHANTOM")
    /// Patient ID (0010,0020).
    public var patientID = "NETDICOM-0001"
    /// Study Instance UID (0020,000D), fresh for each study.
    public var studyInstanceUID = UID.generate()
    /// Series Instance UID (0020,000E), fresh for each study.
    public var seriesInstanceUID = UID.generate()
    /// Frame of Reference UID (0020,0052), fresh for each study.
    public var frameOfReferenceUID = UID.generate()
    /// Study Date (0008,0020), also the series, acquisition and content date.
    public var studyDate = DICOMDate(year: 2024, month: 3, day: 15)!
    /// Study Time (0008,0030), also the series time.
    public var studyTime = DICOMTime(hour: 9, minute: 41, second: 27)!

    /// A new study with fresh UIDs.
    public init() {}

    /// Patient (PS3.3 C.7.1.1), General Study (C.7.2.1) and Patient Study (C.7.2.2).
    func addPatientAndStudy(to dataSet: inout DataSet) {
        dataSet.setPersonName(patientName, for: .patientName)
        dataSet.setString(patientID, for: .patientID, vr: .LO)
        dataSet.setDate(DICOMDate(year: 1961, month: 7, day: 4)!, for: .patientBirthDate)
        dataSet.setString("O", for: .patientSex, vr: .CS)
        dataSet.setAge(AgeString(count: 62, unit: .years)!, for: .patientAge)
        try! dataSet.setDoubles([72.5], for: .patientWeight, vr: .DS)
        dataSet.setString(studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
        dataSet.setDate(studyDate, for: .studyDate)
        dataSet.setTime(studyTime, for: .studyTime)
        dataSet.setPersonName(PersonName(familyName: "REFERRER", givenName: "ANNA"), for: .referringPhysicianName)
        dataSet.setString("1", for: .studyID, vr: .SH)
        dataSet.setString("ACC20240315001", for: .accessionNumber, vr: .SH)
        dataSet.setString("CT CHEST WITHOUT CONTRAST", for: .studyDescription, vr: .LO)
    }

    /// General Series (PS3.3 C.7.3.1) for `modality`.
    func addSeries(to dataSet: inout DataSet, modality: String, number: Int, description: String) {
        dataSet.setString(modality, for: .modality, vr: .CS)
        dataSet.setString(seriesInstanceUID.string, for: .seriesInstanceUID, vr: .UI)
        try! dataSet.setIntegers([number], for: .seriesNumber, vr: .IS)
        dataSet.setString(description, for: .seriesDescription, vr: .LO)
        dataSet.setDate(studyDate, for: .seriesDate)
        dataSet.setTime(studyTime, for: .seriesTime)
    }

    /// General Equipment (PS3.3 C.7.5.1).
    func addEquipment(to dataSet: inout DataSet) {
        dataSet.setString("NETDICOM", for: .manufacturer, vr: .LO)
        dataSet.setString("SYNTHETIC GENERAL HOSPITAL", for: .institutionName, vr: .LO)
        dataSet.setString("CTSIM01", for: .stationName, vr: .SH)
        dataSet.setString("Phantom Scanner 64", for: .manufacturerModelName, vr: .LO)
        dataSet.setString("SN0042", for: .deviceSerialNumber, vr: .LO)
        dataSet.setStrings(["NETDICOM 0.1", "GENERATOR 1"], for: .softwareVersions, vr: .LO)
    }
}
