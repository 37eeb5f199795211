/// A value the association control service element cannot use: a presentation context, an AE
/// title or an A-ASSOCIATE parameter that breaks a rule of PS3.8 or PS3.7 Annex D.
///
/// These errors come from local configuration and local primitives (adding a 129th requested
/// context, an even context ID, a 17-character AE title, a rejection Table 9-21 does not define);
/// what a peer sends is never thrown at, it is answered (a rejected context, an A-ASSOCIATE-RJ).
/// Equality and hashing consider the ``code`` only.
public struct ACSEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let code: Code

    /// A human-readable explanation naming the value and the rule.
    public let reason: String

    /// The source file that raised the error.
    public let file: String

    /// The line in ``file`` that raised the error.
    public let line: UInt

    init(_ code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// "ACSEError.code: reason (file:line)".
    public var description: String {
        "ACSEError.\(code): \(reason) (\(file):\(line))"
    }

    /// Whether two errors have the same ``code``; the reason and location do not count.
    public static func == (lhs: ACSEError, rhs: ACSEError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the ``code`` only, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension ACSEError {
    /// The kind of an ``ACSEError``; new kinds may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case invalidContextID
            case duplicateContextID
            case invalidUID
            case noTransferSyntax
            case tooManyRequestedContexts
            case invalidAETitle
            case invalidRejection
            case invalidUserInformation
            case invalidPrimitive
        }

        let base: Base

        init(_ base: Base) {
            self.base = base
        }

        /// A presentation context ID that is not an odd number from 1 to 255 (PS3.8 §9.3.2.2,
        /// Table 9-13), or a context without an ID where the A-ASSOCIATE-RQ needs one.
        public static let invalidContextID = Code(.invalidContextID)

        /// Two presentation contexts of one A-ASSOCIATE with the same ID (PS3.8 §7.1.1.13 asks for
        /// a distinct identifier per proposed context).
        public static let duplicateContextID = Code(.duplicateContextID)

        /// A UID that is empty or longer than 64 characters (PS3.5 §9.1).
        public static let invalidUID = Code(.invalidUID)

        /// A proposed presentation context without a transfer syntax (PS3.8 §7.1.1.13 asks for
        /// one or more), or an accepted one without the one it agreed to (PS3.8 §7.1.1.14).
        public static let noTransferSyntax = Code(.noTransferSyntax)

        /// A 129th requested presentation context: IDs are odd numbers from 1 to 255, so an
        /// A-ASSOCIATE-RQ holds at most 128 (PS3.8 §9.3.2.2).
        public static let tooManyRequestedContexts = Code(.tooManyRequestedContexts)

        /// An AE title that is empty, all spaces, longer than 16 characters, or holds a backslash,
        /// a control character or a non-ASCII character (PS3.5 §6.2, AE value representation).
        public static let invalidAETitle = Code(.invalidAETitle)

        /// A Result, Result Source and Diagnostic that PS3.8 Table 9-21 does not define together.
        public static let invalidRejection = Code(.invalidRejection)

        /// A user information value outside PS3.7 Annex D.3.3, such as an Implementation Version
        /// Name of more than 16 characters (D.3.3.2).
        public static let invalidUserInformation = Code(.invalidUserInformation)

        /// An A-ASSOCIATE primitive that cannot become the PDU asked of it: a parameter that PDU
        /// requires is missing (no presentation context in a request, no Implementation Class UID,
        /// no Result Source for a rejection) or contradicts it (a rejected Result for an -AC).
        public static let invalidPrimitive = Code(.invalidPrimitive)

        /// The name of the code, as written in Swift.
        public var description: String {
            switch base {
            case .invalidContextID: "invalidContextID"
            case .duplicateContextID: "duplicateContextID"
            case .invalidUID: "invalidUID"
            case .noTransferSyntax: "noTransferSyntax"
            case .tooManyRequestedContexts: "tooManyRequestedContexts"
            case .invalidAETitle: "invalidAETitle"
            case .invalidRejection: "invalidRejection"
            case .invalidUserInformation: "invalidUserInformation"
            case .invalidPrimitive: "invalidPrimitive"
            }
        }
    }
}
