/// A PDU value that cannot be put on the wire: a field longer than its PS3.8 length field can say.
///
/// The public layer validates AE titles and UIDs before they reach a PDU, so this surfaces only for
/// values built by hand. Equality and hashing consider the ``code`` only.
public struct PDUEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let code: Code

    /// A human-readable explanation naming the field.
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

    public var description: String {
        "PDUEncodingError.\(code): \(reason) (\(file):\(line))"
    }

    public static func == (lhs: PDUEncodingError, rhs: PDUEncodingError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension PDUEncodingError {
    /// The kind of a ``PDUEncodingError``; new kinds may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case aeTitleTooLong
            case lengthOverflow
        }

        let base: Base

        init(_ base: Base) {
            self.base = base
        }

        /// An AE title is longer than the 16 bytes of its field (PS3.8 Table 9-11).
        public static let aeTitleTooLong = Code(.aeTitleTooLong)

        /// A value is longer than its length field can express: 65535 bytes for items and
        /// sub-items (2-byte lengths), 4294967295 bytes for PDUs and Presentation-data-value Items.
        public static let lengthOverflow = Code(.lengthOverflow)

        public var description: String {
            switch base {
            case .aeTitleTooLong: "aeTitleTooLong"
            case .lengthOverflow: "lengthOverflow"
            }
        }
    }
}
