/// A PDU that could not be decoded: malformed, oversized, or of a type PS3.8 §9.3 does not define.
///
/// Check ``code`` to react to a specific failure; ``pduType``, ``offset`` and ``reason`` say where
/// and why, for logs. Like swift-asn1's errors, equality and hashing consider the ``code`` only, so
/// a test can compare against `PDUDecodingError.Code` values directly.
///
/// The upper layer state machine answers every one of these with an A-ABORT (PS3.8 §9.2, Table
/// 9-10, event Evt19 "unrecognized or invalid PDU received").
public struct PDUDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let code: Code

    /// The PDU-type byte of the PDU being decoded, when the header had been read.
    public let pduType: UInt8?

    /// The offset in bytes from the first byte of the PDU (its PDU-type field) to the field at fault.
    public let offset: Int

    /// A human-readable explanation, citing the standard where it helps.
    public let reason: String

    /// The source file that raised the error.
    public let file: String

    /// The line in ``file`` that raised the error.
    public let line: UInt

    /// Creates an error; the decoder is the only producer, tests build expectations from ``Code``.
    init(
        _ code: Code,
        pduType: UInt8?,
        offset: Int,
        reason: String,
        file: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.pduType = pduType
        self.offset = offset
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String {
        let type = pduType.map { " in PDU type \(PDU.hex($0))" } ?? ""
        return "PDUDecodingError.\(code)\(type) at offset \(offset): \(reason) (\(file):\(line))"
    }

    public static func == (lhs: PDUDecodingError, rhs: PDUDecodingError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension PDUDecodingError {
    /// The kind of a ``PDUDecodingError``; new kinds may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case unrecognizedPDUType
            case pduLengthExceedsLimit
            case invalidPDULength
            case itemLengthExceedsParent
            case invalidItemLength
            case missingItem
            case duplicateItem
        }

        let base: Base

        init(_ base: Base) {
            self.base = base
        }

        /// The PDU-type byte is none of the seven of PS3.8 §9.3 (01H–07H).
        public static let unrecognizedPDUType = Code(.unrecognizedPDUType)

        /// The PDU-length is larger than the decoder's limit for that PDU type (see ``PDUDecoder``).
        public static let pduLengthExceedsLimit = Code(.pduLengthExceedsLimit)

        /// The PDU-length cannot be right for the PDU type: not 4 for A-ASSOCIATE-RJ, A-RELEASE-RQ,
        /// A-RELEASE-RP and A-ABORT (PS3.8 Tables 9-21, 9-24, 9-25, 9-26), or shorter than the fixed
        /// fields of an A-ASSOCIATE-RQ/-AC (PS3.8 Tables 9-11, 9-17).
        public static let invalidPDULength = Code(.invalidPDULength)

        /// An item, sub-item or Presentation-data-value Item (or its header) runs past the end of
        /// the PDU or item that contains it.
        public static let itemLengthExceedsParent = Code(.itemLengthExceedsParent)

        /// An item's length does not fit its structure: shorter than its mandatory fields (a
        /// Presentation-data-value Item shorter than 2 bytes, PS3.8 Table 9-23), different from a
        /// fixed length (Maximum Length Sub-Item, PS3.8 Table D.1-1), or inconsistent with a length
        /// field inside it (a UID-length running past its sub-item, PS3.7 Table D.3-9).
        public static let invalidItemLength = Code(.invalidItemLength)

        /// A mandatory item is absent: the Application Context Item or User Information Item of an
        /// A-ASSOCIATE-RQ/-AC, the Abstract Syntax Sub-Item of a Presentation Context Item, or every
        /// Presentation-data-value Item of a P-DATA-TF.
        public static let missingItem = Code(.missingItem)

        /// An item that shall appear once appears again (PS3.8 §9.3.2, §9.3.2.2).
        public static let duplicateItem = Code(.duplicateItem)

        public var description: String {
            switch base {
            case .unrecognizedPDUType: "unrecognizedPDUType"
            case .pduLengthExceedsLimit: "pduLengthExceedsLimit"
            case .invalidPDULength: "invalidPDULength"
            case .itemLengthExceedsParent: "itemLengthExceedsParent"
            case .invalidItemLength: "invalidItemLength"
            case .missingItem: "missingItem"
            case .duplicateItem: "duplicateItem"
            }
        }
    }
}
