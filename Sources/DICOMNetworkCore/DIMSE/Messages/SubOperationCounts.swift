internal import DICOMCore
internal import NIOCore

/// The four counts of C-STORE sub-operations a C-GET-RSP or C-MOVE-RSP reports: Number of
/// Remaining, Completed, Failed and Warning Sub-operations (0000,1020) to (0000,1023), PS3.7
/// Tables 9.3-7 and 9.3-10.
///
/// Each count "may be included in any response and shall be included if the status is Pending"
/// (PS3.7 §9.1.3.1.7–10, §9.1.4.1.8–11), so each is optional here; PS3.4 Tables C.4-2 and C.4-3
/// list which of them each final status carries (the completed, failed and warning counts after
/// sub-operations ran, none for a refusal such as A701H).
public struct SubOperationCounts: Hashable, Sendable {
    /// Number of Remaining Sub-operations (0000,1020): C-STORE sub-operations still to be invoked.
    public var remaining: UInt16?

    /// Number of Completed Sub-operations (0000,1021): sub-operations that succeeded.
    public var completed: UInt16?

    /// Number of Failed Sub-operations (0000,1022): sub-operations that failed.
    public var failed: UInt16?

    /// Number of Warning Sub-operations (0000,1023): sub-operations answered with a warning.
    public var warning: UInt16?

    /// Counts for a response; omitted counts are left out of the command set.
    public init(remaining: UInt16? = nil, completed: UInt16? = nil, failed: UInt16? = nil, warning: UInt16? = nil) {
        self.remaining = remaining
        self.completed = completed
        self.failed = failed
        self.warning = warning
    }

    /// Whether all four counts are present, as a pending response requires.
    public var isComplete: Bool {
        remaining != nil && completed != nil && failed != nil && warning != nil
    }

    /// Whether no count is present.
    public var isEmpty: Bool {
        remaining == nil && completed == nil && failed == nil && warning == nil
    }
}

// MARK: - Command set

extension SubOperationCounts {
    /// The counts of a decoded response. With `required` (a pending status) each one must be
    /// present: PS3.7 §9.1.3.1.7–10 and §9.1.4.1.8–11.
    init(_ fields: CommandSetFields, required: Bool) throws(DIMSEError) {
        func count(_ tag: Tag) throws(DIMSEError) -> UInt16? {
            required ? try fields.requiredUInt16(tag) : try fields.uint16(tag)
        }
        self.init(
            remaining: try count(.numberOfRemainingSuboperations),
            completed: try count(.numberOfCompletedSuboperations),
            failed: try count(.numberOfFailedSuboperations),
            warning: try count(.numberOfWarningSuboperations)
        )
    }

    /// Writes the counts that are present.
    func write(into commandSet: inout CommandSetBuilder) {
        commandSet.setCommandUInt16(remaining, for: .numberOfRemainingSuboperations)
        commandSet.setCommandUInt16(completed, for: .numberOfCompletedSuboperations)
        commandSet.setCommandUInt16(failed, for: .numberOfFailedSuboperations)
        commandSet.setCommandUInt16(warning, for: .numberOfWarningSuboperations)
    }
}
