/// Why the archive could not store, index or find something.
public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case missingAttribute
            case unsafeUID
            case unreadableInstance
            case fileSystem
            case database
            case invalidConfiguration
            case duplicate
            case identityMismatch
        }

        let base: Base

        /// The instance lacks an attribute the archive needs (a UID of the hierarchy).
        public static let missingAttribute = Code(base: .missingAttribute)
        /// A UID that is not safe as a file name (see `UIDFileName`): never used as a path.
        public static let unsafeUID = Code(base: .unsafeUID)
        /// A stored file that cannot be read as a DICOM instance.
        public static let unreadableInstance = Code(base: .unreadableInstance)
        /// A file system call failed.
        public static let fileSystem = Code(base: .fileSystem)
        /// The index database failed.
        public static let database = Code(base: .database)
        /// A configuration that cannot work: a malformed database URL or move destination.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// The instance is stored already and the duplicate policy refuses another copy.
        public static let duplicate = Code(base: .duplicate)
        /// The data set names another SOP instance or class than the C-STORE request that brought it.
        public static let identityMismatch = Code(base: .identityMismatch)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Details for a person.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The code and the detail.
    public var description: String { "\(code): \(detail)" }
}
