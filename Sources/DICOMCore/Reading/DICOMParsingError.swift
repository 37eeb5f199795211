/// Why an encoded data set, file meta information or Part 10 file could not be read.
///
/// Every malformed input ends in one of these, never in a trap. It names what was wrong
/// (``code``), where (``offset``, counted from the start of the buffer handed to the reader, or of
/// the file), and the tag of the element being read when one is known.
public struct DICOMParsingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case truncatedElementHeader
            case valueLengthExceedsInput
            case undefinedLengthNotAllowed
            case unknownVR
            case nestingTooDeep
            case unexpectedDelimiter
            case missingDelimiter
            case itemExpected
            case trailingBytes
            case notPart10
            case invalidFileMetaInformation
            case missingTransferSyntax
            case deflateFailed
            case fileUnreadable
            case missingSOPIdentity
        }

        let base: Base

        /// Fewer bytes remain than an element header needs (PS3.5 §7.1.2, §7.1.3).
        public static let truncatedElementHeader = Code(base: .truncatedElementHeader)
        /// A value length runs past the end of the input or its enclosing item.
        public static let valueLengthExceedsInput = Code(base: .valueLengthExceedsInput)
        /// Undefined length (FFFFFFFFH) on an element that is neither a sequence nor encapsulated
        /// pixel data (PS3.5 §7.1.1).
        public static let undefinedLengthNotAllowed = Code(base: .undefinedLengthNotAllowed)
        /// Explicit VR bytes that name no VR of PS3.5 Table 6.2-1.
        public static let unknownVR = Code(base: .unknownVR)
        /// Sequences nested deeper than ``DataSetReader/Limits/maximumNestingDepth``.
        public static let nestingTooDeep = Code(base: .nestingTooDeep)
        /// A delimitation item where an element was expected (PS3.5 §7.5).
        public static let unexpectedDelimiter = Code(base: .unexpectedDelimiter)
        /// A sequence, item or pixel data of undefined length that the input ends inside.
        public static let missingDelimiter = Code(base: .missingDelimiter)
        /// Something other than an item tag (FFFE,E000) inside a sequence (PS3.5 §7.5.1).
        public static let itemExpected = Code(base: .itemExpected)
        /// Bytes after the data set that cannot form another element.
        public static let trailingBytes = Code(base: .trailingBytes)
        /// No "DICM" prefix where PS3.10 §7.1 puts it, and no data set could be detected instead.
        public static let notPart10 = Code(base: .notPart10)
        /// File meta information that is not the Explicit VR Little Endian group 0002 PS3.10 §7.1 asks for.
        public static let invalidFileMetaInformation = Code(base: .invalidFileMetaInformation)
        /// File meta information without a Transfer Syntax UID (0002,0010).
        public static let missingTransferSyntax = Code(base: .missingTransferSyntax)
        /// The deflated data set does not inflate (PS3.5 §A.5).
        public static let deflateFailed = Code(base: .deflateFailed)
        /// The file could not be opened or read.
        public static let fileUnreadable = Code(base: .fileUnreadable)
        /// A data set without the SOP Class UID (0008,0016) or SOP Instance UID (0008,0018) of
        /// its SOP Common Module (PS3.3 C.12.1, both Type 1): no instance to send or file.
        public static let missingSOPIdentity = Code(base: .missingSOPIdentity)

        public var description: String { base.rawValue }
    }

    /// What was wrong.
    public var code: Code
    /// The byte offset at which the problem was found.
    public var offset: Int
    /// The tag of the element being read, when known.
    public var tag: Tag?
    /// Details for a person: lengths, bytes seen, limits.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, offset: Int, tag: Tag? = nil, _ detail: String = "") {
        self.code = code
        self.offset = offset
        self.tag = tag
        self.detail = detail
    }

    public var description: String {
        var text = "\(code) at offset \(offset)"
        if let tag { text += " in \(tag)" }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }
}
