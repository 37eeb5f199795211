/// The Status (0000,0900) of a DIMSE response: a 16-bit code and the class it belongs to (PS3.7
/// Annex C), shaped like swift-http-types' `HTTPResponse.Status`.
///
/// A status is a value, not an error: a C-STORE answered with ``outOfResources`` is a completed
/// exchange that the caller judges by ``kind``. Equality and hashing consider the ``code`` only.
///
/// Named statuses cover the general codes of PS3.7 Annex C and the PS3.4 service-class codes in
/// common use. PS3.4 reuses some codes with service-specific meanings (B000H is "coercion of data
/// elements" for C-STORE and "sub-operations complete with failures" for C-GET and C-MOVE); those
/// have one name per meaning, and the names compare equal.
public struct DIMSEStatus: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The code on the wire.
    public let code: UInt16

    /// Wraps a code from the wire or a service-specific code.
    public init(code: UInt16) {
        self.code = code
    }

    /// A status from an integer literal: `let status: DIMSEStatus = 0xA700`.
    public init(integerLiteral value: UInt16) {
        self.code = value
    }

    /// The status classes of PS3.7 Annex C.
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// 0000H: the operation completed.
        case success
        /// FF00H and FF01H: more responses follow (C-FIND matches, C-GET/C-MOVE sub-operations).
        case pending
        /// FE00H: the operation ended because of a C-CANCEL.
        case cancel
        /// 0001H, 0107H, 0116H and Bxxx: completed with a warning.
        case warning
        /// Axxx, Cxxx, 01xx (except 0107H and 0116H) and 02xx; also every code outside the
        /// classes of PS3.7 Annex C, which the standard forbids implementations to use and which
        /// therefore cannot be taken for anything but a failure (see ``isInStatusClass``).
        case failure

        public var description: String {
            switch self {
            case .success: "success"
            case .pending: "pending"
            case .cancel: "cancel"
            case .warning: "warning"
            case .failure: "failure"
            }
        }
    }

    /// The status class of ``code`` (PS3.7 Annex C: "Success 0000; Warning 0001 or Bxxx or 0107
    /// or 0116; Failure Axxx or Cxxx or 01xx (except 0107 and 0116) or 02xx; Cancel FE00; Pending
    /// FF00 and FF01").
    public var kind: Kind {
        switch code {
        case 0x0000: .success
        case 0xFF00, 0xFF01: .pending
        case 0xFE00: .cancel
        case 0x0001, 0x0107, 0x0116, 0xB000...0xBFFF: .warning
        default: .failure
        }
    }

    /// Whether ``code`` lies in one of the status classes of PS3.7 Annex C. Codes outside them
    /// ("Implementations shall not use Status Codes with values not listed") have ``kind``
    /// ``Kind/failure``.
    public var isInStatusClass: Bool {
        switch code {
        case 0x0000, 0x0001, 0x0100...0x02FF, 0xA000...0xCFFF, 0xFE00, 0xFF00, 0xFF01: true
        default: false
        }
    }

    /// Whether this is the last response of its operation: every status but pending.
    public var isFinal: Bool { kind != .pending }

    /// "A700H (failure): Refused: out of resources". The meaning is that of the named status
    /// when there is one, of the PS3.4 range (A7xx, A9xx, Cxxx) otherwise.
    public var description: String {
        if let meaning { return "\(hexCode) (\(kind)): \(meaning)" }
        return "\(hexCode) (\(kind))"
    }

    /// The code alone, as the standard writes it: "B000H".
    public var hexCode: String {
        let digits = String(code, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits + "H"
    }
}
