/// The level of a Query/Retrieve information model a request works at, the value of
/// Query/Retrieve Level (0008,0052) (PS3.4 §C.3 and §C.6).
public enum QueryRetrieveLevel: String, CaseIterable, Hashable, Sendable {
    /// The patient level of the Patient Root model.
    case patient = "PATIENT"
    /// The study level.
    case study = "STUDY"
    /// The series level.
    case series = "SERIES"
    /// The composite object instance level; the standard's value is `IMAGE` for every kind of
    /// instance.
    case image = "IMAGE"
    /// The frame level of the Composite Instance Root retrieve (C-MOVE and C-GET only, PS3.4
    /// §C.6.3).
    case frame = "FRAME"
}
