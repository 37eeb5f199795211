/// What the archive does when an instance arrives whose SOP Instance UID it holds already.
///
/// PS3.4 B.4.1 leaves it to the SCP. Whatever the policy, the arrival is logged.
public enum DuplicatePolicy: String, CaseIterable, Hashable, Sendable {
    /// The new copy replaces the stored one (file and index record), and success is answered:
    /// a sender that resends a corrected instance gets what it expects. The default.
    case replace
    /// The stored copy stays; the new one is discarded and success is answered.
    case keep
    /// The new copy is refused with status 0111H (Duplicate SOP Instance), the stored one stays.
    case reject
}
