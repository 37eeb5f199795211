public import DICOMCore

/// A DIMSE message that could not be encoded, decoded or reassembled: a malformed or oversized
/// command set, a required field that is missing, or P-DATA fragments that break the rules of
/// PS3.8 Annex E.
///
/// Check ``code`` to react to a specific failure; ``tag``, ``presentationContextID`` and
/// ``reason`` say where and why, for logs. Equality and hashing consider the ``code`` only (as for
/// ``PDUDecodingError``), so a test can compare against `DIMSEError.Code` values directly.
///
/// Errors from ``DIMSEAssembler`` are protocol violations by the peer: the association is to be
/// aborted (PS3.8 §9.2, Evt19 treats an invalid PDU the same way). Errors from a message type's
/// `init(commandSet:)` concern one message and may be answered with a failure status instead.
public struct DIMSEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let code: Code

    /// The command element at fault, when there is one.
    public let tag: Tag?

    /// The presentation context the offending fragment arrived on, for assembly errors.
    public let presentationContextID: UInt8?

    /// A human-readable explanation, citing the standard where it helps.
    public let reason: String

    /// The source file that raised the error.
    public let file: String

    /// The line in ``file`` that raised the error.
    public let line: UInt

    init(
        _ code: Code,
        tag: Tag? = nil,
        presentationContextID: UInt8? = nil,
        _ reason: String,
        file: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.tag = tag
        self.presentationContextID = presentationContextID
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "DIMSEError.\(code)"
        if let tag { text += " at \(tag)" }
        if let presentationContextID { text += " on presentation context \(presentationContextID)" }
        return text + ": \(reason) (\(file):\(line))"
    }

    public static func == (lhs: DIMSEError, rhs: DIMSEError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension DIMSEError {
    /// The kind of a ``DIMSEError``; new kinds may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case commandSetTooLarge
            case malformedCommandSet
            case missingField
            case invalidField
            case commandFieldMismatch
            case unrecognizedCommandField
            case dataSetWithoutCommand
            case dataSetDuringCommand
            case commandDuringDataSet
            case presentationContextMismatch
            case dataSetTooLarge
            case maximumPDULengthTooSmall
            case encodingFailed
        }

        let base: Base

        init(_ base: Base) {
            self.base = base
        }

        /// A command set is longer than the limit (``CommandSet/maximumLength`` unless configured).
        public static let commandSetTooLarge = Code(.commandSetTooLarge)

        /// The command bytes are not a valid Implicit VR Little Endian encoding of group 0000
        /// elements with a correct Command Group Length (PS3.7 §6.3.1).
        public static let malformedCommandSet = Code(.malformedCommandSet)

        /// A field the message requires (PS3.7 §9.3, §10.3) is absent.
        public static let missingField = Code(.missingField)

        /// A field is present but unusable: the wrong length for its VR, an empty required value,
        /// or a Command Data Set Type that contradicts the message (a C-ECHO with a data set).
        public static let invalidField = Code(.invalidField)

        /// A message type was asked to decode a command set of another command (a C-STORE-RSP given
        /// to `CEchoResponse(commandSet:)`).
        public static let commandFieldMismatch = Code(.commandFieldMismatch)

        /// The Command Field (0000,0100) holds a value PS3.7 §E.1 does not define, or one this
        /// library does not decode.
        public static let unrecognizedCommandField = Code(.unrecognizedCommandField)

        /// A data set fragment arrived when no command announcing a data set was waiting for one
        /// (PS3.7 §6.3.1: the command comes first; PS3.8 §E.1).
        public static let dataSetWithoutCommand = Code(.dataSetWithoutCommand)

        /// A data set fragment arrived before the last fragment of its command (PS3.8 §E.1).
        public static let dataSetDuringCommand = Code(.dataSetDuringCommand)

        /// A command fragment arrived while the data set its previous command announced was still
        /// incomplete: fragments of two messages interleaved (PS3.8 §E.1).
        public static let commandDuringDataSet = Code(.commandDuringDataSet)

        /// A fragment arrived on another presentation context than the earlier fragments of its
        /// message (PS3.8 §E.1: every fragment of a message uses the same presentation context).
        public static let presentationContextMismatch = Code(.presentationContextMismatch)

        /// A data set being collected whole exceeds the collector's limit.
        public static let dataSetTooLarge = Code(.dataSetTooLarge)

        /// The peer's maximum PDU length leaves no room for an even, non-empty fragment
        /// (see ``DIMSEFragmenter/minimumMaximumPDULength``).
        public static let maximumPDULengthTooSmall = Code(.maximumPDULengthTooSmall)

        /// A command set could not be encoded (an element outside group 0000, a sequence).
        public static let encodingFailed = Code(.encodingFailed)

        public var description: String { base.rawValue }
    }
}
