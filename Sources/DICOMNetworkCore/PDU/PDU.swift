/// A protocol data unit of the DICOM upper layer: one of the seven PDUs of PS3.8 §9.3.
///
/// These are wire types: they carry the fields of PS3.8 Tables 9-11 to 9-26 as found on the wire,
/// without judging them (an even presentation context ID or an unsupported protocol version decodes
/// fine; the ACSE layer rejects it). Decode them from a byte stream with ``PDUDecoder``; encode them
/// with `ByteBuffer.writePDU(_:)` or ``PDUEncoder``.
public enum PDU: Hashable, Sendable {
    /// An A-ASSOCIATE-RQ PDU (type 01H, PS3.8 §9.3.2).
    case associateRQ(AssociateRQ)
    /// An A-ASSOCIATE-AC PDU (type 02H, PS3.8 §9.3.3).
    case associateAC(AssociateAC)
    /// An A-ASSOCIATE-RJ PDU (type 03H, PS3.8 §9.3.4).
    case associateRJ(AssociateRJ)
    /// A P-DATA-TF PDU (type 04H, PS3.8 §9.3.5).
    case pDataTF(PDataTF)
    /// An A-RELEASE-RQ PDU (type 05H, PS3.8 §9.3.6): four reserved bytes, no parameters.
    case releaseRQ
    /// An A-RELEASE-RP PDU (type 06H, PS3.8 §9.3.7): four reserved bytes, no parameters.
    case releaseRP
    /// An A-ABORT PDU (type 07H, PS3.8 §9.3.8).
    case abort(Abort)

    /// The PDU-type of this PDU.
    public var pduType: PDUType {
        switch self {
        case .associateRQ: .associateRQ
        case .associateAC: .associateAC
        case .associateRJ: .associateRJ
        case .pDataTF: .pDataTF
        case .releaseRQ: .releaseRQ
        case .releaseRP: .releaseRP
        case .abort: .abort
        }
    }
}

extension PDU {
    /// The PDU-type field, the first byte of every PDU (PS3.8 §9.3.1, Figure 9-1).
    public enum PDUType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// A-ASSOCIATE-RQ, 01H.
        case associateRQ = 0x01
        /// A-ASSOCIATE-AC, 02H.
        case associateAC = 0x02
        /// A-ASSOCIATE-RJ, 03H.
        case associateRJ = 0x03
        /// P-DATA-TF, 04H.
        case pDataTF = 0x04
        /// A-RELEASE-RQ, 05H.
        case releaseRQ = 0x05
        /// A-RELEASE-RP, 06H.
        case releaseRP = 0x06
        /// A-ABORT, 07H.
        case abort = 0x07

        public var description: String {
            switch self {
            case .associateRQ: "A-ASSOCIATE-RQ"
            case .associateAC: "A-ASSOCIATE-AC"
            case .associateRJ: "A-ASSOCIATE-RJ"
            case .pDataTF: "P-DATA-TF"
            case .releaseRQ: "A-RELEASE-RQ"
            case .releaseRP: "A-RELEASE-RP"
            case .abort: "A-ABORT"
            }
        }
    }

    /// The bytes before every PDU's body: PDU-type (1), reserved (1) and PDU-length (4)
    /// (PS3.8 §9.3.1). The PDU-length counts the bytes after these six.
    public static let headerLength = 6

    /// The PDU-length of A-ASSOCIATE-RJ, A-RELEASE-RQ, A-RELEASE-RP and A-ABORT, a fixed value of
    /// 00000004H (PS3.8 Tables 9-21, 9-24, 9-25 and 9-26).
    public static let fixedPDULength: UInt32 = 4

    /// The length of the Called-AE-title and Calling-AE-title fields (PS3.8 Table 9-11, bytes
    /// 11-26 and 27-42).
    public static let aeTitleLength = 16

    /// "0x1F"-style text for diagnostics.
    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }
}
