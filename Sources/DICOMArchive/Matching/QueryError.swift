public import DICOMCore

/// Why a C-FIND identifier could not be read as a query.
///
/// An SCP answers such a request with a failure status, typically A900 "Identifier does not match
/// SOP Class" or C000 "Unable to process" (PS3.4 §C.4.1.1.4, Table C.4-1).
public struct QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case invalidQueryRetrieveLevel
            case invalidValue
            case sequenceKeyWithSeveralItems
            case keyAbsent
        }

        let base: Base

        /// Query/Retrieve Level (0008,0052) holds none of the levels of PS3.4 §C.2.2.1 / §C.6.
        public static let invalidQueryRetrieveLevel = Code(base: .invalidQueryRetrieveLevel)
        /// A key value that its matching type cannot read, such as a date range whose bounds are
        /// not dates (PS3.4 §C.2.2.2.5).
        public static let invalidValue = Code(base: .invalidValue)
        /// An SQ key with more than one item; Sequence Matching takes exactly one (PS3.4
        /// §C.2.2.2.6).
        public static let sequenceKeyWithSeveralItems = Code(base: .sequenceKeyWithSeveralItems)
        /// The identifier has no element with the tag a key was asked to be built from.
        public static let keyAbsent = Code(base: .keyAbsent)

        /// The code's name, such as `invalidValue`.
        public var description: String { base.rawValue }
    }

    /// What was wrong.
    public var code: Code
    /// The tag of the offending key, when there is one.
    public var tag: Tag?
    /// Details for a person: the value seen, what was expected.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, tag: Tag? = nil, _ detail: String = "") {
        self.code = code
        self.tag = tag
        self.detail = detail
    }

    /// The code, the tag and the detail in one line.
    public var description: String {
        var text = code.description
        if let tag { text += " \(tag)" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
