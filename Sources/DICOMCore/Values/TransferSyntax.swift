/// How a data set is encoded: VR explicit or implicit, byte order, deflate, and whether pixel data
/// is encapsulated (PS3.5 §10).
public struct TransferSyntax: Hashable, Sendable, CustomStringConvertible {
    /// The transfer syntax UID.
    public let uid: UID
    /// Whether elements carry their VR (PS3.5 §7.1.2) or take it from the dictionary (§7.1.3).
    public let isExplicitVR: Bool
    /// Whether numbers are big endian; only the retired Explicit VR Big Endian (PS3.5 §A.3).
    public let isBigEndian: Bool
    /// Whether the data set after the file meta information is compressed with deflate (PS3.5 §A.5).
    public let isDeflated: Bool
    /// Whether pixel data is encapsulated in fragments (PS3.5 §A.4): every compressed syntax.
    public let isEncapsulated: Bool

    /// Describes a transfer syntax.
    public init(uid: UID, isExplicitVR: Bool, isBigEndian: Bool = false, isDeflated: Bool = false, isEncapsulated: Bool = false) {
        self.uid = uid
        self.isExplicitVR = isExplicitVR
        self.isBigEndian = isBigEndian
        self.isDeflated = isDeflated
        self.isEncapsulated = isEncapsulated
    }

    /// The transfer syntax named by `uid`. A UID NetDICOM does not know is taken as an
    /// encapsulated Explicit VR Little Endian syntax, which is what every compressed syntax
    /// defined since PS3.5 §A.4 is.
    public init(uid: UID) {
        if let known = TransferSyntax.known[uid] {
            self = known
        } else {
            self.init(uid: uid, isExplicitVR: true, isEncapsulated: true)
        }
    }

    /// Whether NetDICOM knows this UID as a transfer syntax.
    public var isKnown: Bool { TransferSyntax.known[uid] != nil }

    /// Whether this is one of the four uncompressed, natively encoded syntaxes NetDICOM converts
    /// between (``uncompressed``). The JPIP syntaxes are not, though their pixel data is not
    /// encapsulated either: it is not in the data set at all (PS3.5 §A.6).
    public var isUncompressed: Bool { TransferSyntax.uncompressed.contains(self) }

    public var description: String {
        (TransferSyntax.names[uid] ?? "Transfer Syntax") + " (" + uid.string + ")"
    }
}

// MARK: - The native syntaxes

extension TransferSyntax {
    /// Implicit VR Little Endian, the default transfer syntax of DICOM (PS3.5 §A.1).
    public static let implicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2", isExplicitVR: false)
    /// Explicit VR Little Endian (PS3.5 §A.2).
    public static let explicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1", isExplicitVR: true)
    /// Deflated Explicit VR Little Endian (PS3.5 §A.5).
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1.99", isExplicitVR: true, isDeflated: true)
    /// Explicit VR Big Endian, retired but still met (PS3.5 §A.3).
    public static let explicitVRBigEndian = TransferSyntax(uid: "1.2.840.10008.1.2.2", isExplicitVR: true, isBigEndian: true)

    /// The four uncompressed syntaxes, in the order NetDICOM proposes them.
    public static let uncompressed: [TransferSyntax] = [
        .explicitVRLittleEndian, .implicitVRLittleEndian, .deflatedExplicitVRLittleEndian, .explicitVRBigEndian,
    ]
}

// MARK: - Encapsulated syntaxes

extension TransferSyntax {
    private static func encapsulated(_ uid: UID) -> TransferSyntax {
        TransferSyntax(uid: uid, isExplicitVR: true, isEncapsulated: true)
    }

    /// JPEG Baseline (Process 1).
    public static let jpegBaseline8Bit = encapsulated("1.2.840.10008.1.2.4.50")
    /// JPEG Extended (Process 2 & 4).
    public static let jpegExtended12Bit = encapsulated("1.2.840.10008.1.2.4.51")
    /// JPEG Lossless, Non-Hierarchical (Process 14).
    public static let jpegLossless = encapsulated("1.2.840.10008.1.2.4.57")
    /// JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1).
    public static let jpegLosslessSV1 = encapsulated("1.2.840.10008.1.2.4.70")
    /// JPEG-LS Lossless.
    public static let jpegLSLossless = encapsulated("1.2.840.10008.1.2.4.80")
    /// JPEG-LS Near-Lossless.
    public static let jpegLSNearLossless = encapsulated("1.2.840.10008.1.2.4.81")
    /// JPEG 2000 (Lossless Only).
    public static let jpeg2000Lossless = encapsulated("1.2.840.10008.1.2.4.90")
    /// JPEG 2000.
    public static let jpeg2000 = encapsulated("1.2.840.10008.1.2.4.91")
    /// High-Throughput JPEG 2000 (Lossless Only).
    public static let htj2kLossless = encapsulated("1.2.840.10008.1.2.4.201")
    /// High-Throughput JPEG 2000 with RPCL Options (Lossless Only).
    public static let htj2kLosslessRPCL = encapsulated("1.2.840.10008.1.2.4.202")
    /// High-Throughput JPEG 2000.
    public static let htj2k = encapsulated("1.2.840.10008.1.2.4.203")
    /// RLE Lossless (PS3.5 §A.4.2).
    public static let rleLossless = encapsulated("1.2.840.10008.1.2.5")
    /// MPEG2 Main Profile / Main Level.
    public static let mpeg2MPML = encapsulated("1.2.840.10008.1.2.4.100")
    /// MPEG-4 AVC/H.264 High Profile / Level 4.1.
    public static let mpeg4HP41 = encapsulated("1.2.840.10008.1.2.4.102")
    /// HEVC/H.265 Main Profile / Level 5.1.
    public static let hevcMP51 = encapsulated("1.2.840.10008.1.2.4.107")

    /// Every transfer syntax NetDICOM knows, uncompressed ones first.
    public static var allKnown: [TransferSyntax] { all.map(\.0) }

    private static let all: [(TransferSyntax, String)] = [
        (.implicitVRLittleEndian, "Implicit VR Little Endian"),
        (.explicitVRLittleEndian, "Explicit VR Little Endian"),
        (.deflatedExplicitVRLittleEndian, "Deflated Explicit VR Little Endian"),
        (.explicitVRBigEndian, "Explicit VR Big Endian"),
        (.jpegBaseline8Bit, "JPEG Baseline (Process 1)"),
        (.jpegExtended12Bit, "JPEG Extended (Process 2 & 4)"),
        (.jpegLossless, "JPEG Lossless, Non-Hierarchical (Process 14)"),
        (.jpegLosslessSV1, "JPEG Lossless, Non-Hierarchical, First-Order Prediction"),
        (.jpegLSLossless, "JPEG-LS Lossless"),
        (.jpegLSNearLossless, "JPEG-LS Lossy (Near-Lossless)"),
        (.jpeg2000Lossless, "JPEG 2000 (Lossless Only)"),
        (.jpeg2000, "JPEG 2000"),
        (.htj2kLossless, "High-Throughput JPEG 2000 (Lossless Only)"),
        (.htj2kLosslessRPCL, "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)"),
        (.htj2k, "High-Throughput JPEG 2000"),
        (.rleLossless, "RLE Lossless"),
        (.mpeg2MPML, "MPEG2 Main Profile / Main Level"),
        (.mpeg4HP41, "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        (.hevcMP51, "HEVC/H.265 Main Profile / Level 5.1"),
    ] + otherEncapsulated.map { (encapsulated(UID($0.0)), $0.1) } + [
        // JPIP: the pixel data is referenced by a URL (Pixel Data Provider URL), not encoded
        // in the data set, which is Explicit VR Little Endian, deflated or not (PS3.5 §A.6, §A.7).
        (TransferSyntax(uid: "1.2.840.10008.1.2.4.94", isExplicitVR: true), "JPIP Referenced"),
        (TransferSyntax(uid: "1.2.840.10008.1.2.4.95", isExplicitVR: true, isDeflated: true), "JPIP Referenced Deflate"),
        (TransferSyntax(uid: "1.2.840.10008.1.2.4.204", isExplicitVR: true), "JPIP HTJ2K Referenced"),
        (TransferSyntax(uid: "1.2.840.10008.1.2.4.205", isExplicitVR: true, isDeflated: true), "JPIP HTJ2K Referenced Deflate"),
    ]

    /// The other encapsulated syntaxes of PS3.5 Annex A that an archive stores and sends as they
    /// are: video, JPEG 2000 Part 2, JPEG XL, and the encapsulated forms of uncompressed and
    /// deflated frames. (The SMPTE ST 2110 syntaxes are for real-time communication, not storage.)
    private static let otherEncapsulated: [(String, String)] = [
        ("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian"),
        ("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)"),
        ("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component"),
        ("1.2.840.10008.1.2.4.100.1", "Fragmentable MPEG2 Main Profile / Main Level"),
        ("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
        ("1.2.840.10008.1.2.4.101.1", "Fragmentable MPEG2 Main Profile / High Level"),
        ("1.2.840.10008.1.2.4.102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        ("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
        ("1.2.840.10008.1.2.4.103.1", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
        ("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
        ("1.2.840.10008.1.2.4.104.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
        ("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
        ("1.2.840.10008.1.2.4.105.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
        ("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
        ("1.2.840.10008.1.2.4.106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
        ("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
        ("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
        ("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
        ("1.2.840.10008.1.2.4.112", "JPEG XL"),
        ("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression"),
    ]

    private static let known: [UID: TransferSyntax] = Dictionary(uniqueKeysWithValues: all.map { ($0.0.uid, $0.0) })
    private static let names: [UID: String] = Dictionary(uniqueKeysWithValues: all.map { ($0.0.uid, $0.1) })
}
