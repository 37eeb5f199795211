/// Why a data set could not be encoded.
public struct DICOMEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case valueTooLong
            case invalidValueForVR
            case deflateFailed
            case outputFailed
            case unsupportedConversion
        }

        let base: Base

        /// A value longer than its length field can say: 65,534 bytes for explicit VR elements
        /// with a 16-bit length (PS3.5 §7.1.2), 2³²−2 bytes otherwise.
        public static let valueTooLong = Code(base: .valueTooLong)
        /// A value shape the VR cannot take (a sequence under a VR other than SQ or UN, fragments
        /// under a VR other than OB or OW).
        public static let invalidValueForVR = Code(base: .invalidValueForVR)
        /// The deflate compressor failed (PS3.5 §A.5).
        public static let deflateFailed = Code(base: .deflateFailed)
        /// The destination did not take the bytes (a full disk, a closed file).
        public static let outputFailed = Code(base: .outputFailed)
        /// A transcoding NetDICOM cannot do: between encapsulated (compressed) and native pixel
        /// data, or between two encapsulated syntaxes, which needs a codec.
        public static let unsupportedConversion = Code(base: .unsupportedConversion)

        public var description: String { base.rawValue }
    }

    /// What was wrong.
    public var code: Code
    /// The element being written, when known.
    public var tag: Tag?
    /// Details for a person.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, tag: Tag? = nil, _ detail: String = "") {
        self.code = code
        self.tag = tag
        self.detail = detail
    }

    public var description: String {
        var text = code.description
        if let tag { text += " in \(tag)" }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }
}
