import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore

/// The transfer syntax getscu prefers for the instances it receives: DCMTK getscu's "preferred
/// storage transfer syntaxes" (+x=, +xe, +xb, +xi, +xd and the compressed +xs, +xy, +xx, +xv,
/// +xw, +xt, +xu, +xr, and the video +xm, +xh, +xn, +xl, +x2, +x3, +xo, +x4, +x5), under the long
/// names DCMTK gives them.
enum StorageTransferSyntaxPreference: String, EnumerableFlag {
    case uncompressed, little, big, implicit, deflated
    case lossless, jpeg8, jpeg12, j2kLossless, j2kLossy, jlsLossless, jlsLossy, rle
    case mpeg2, mpeg2High, mpeg4, mpeg4BD, mpeg4For2D, mpeg4For3D, mpeg4Stereo, hevc, hevc10

    static func name(for value: Self) -> NameSpecification {
        switch value {
        case .uncompressed: .customLong("prefer-uncompr")
        case .little: .customLong("prefer-little")
        case .big: .customLong("prefer-big")
        case .implicit: .customLong("implicit")
        case .deflated: .customLong("prefer-deflated")
        case .lossless: .customLong("prefer-lossless")
        case .jpeg8: .customLong("prefer-jpeg8")
        case .jpeg12: .customLong("prefer-jpeg12")
        case .j2kLossless: .customLong("prefer-j2k-lossless")
        case .j2kLossy: .customLong("prefer-j2k-lossy")
        case .jlsLossless: .customLong("prefer-jls-lossless")
        case .jlsLossy: .customLong("prefer-jls-lossy")
        case .rle: .customLong("prefer-rle")
        case .mpeg2: .customLong("prefer-mpeg2")
        case .mpeg2High: .customLong("prefer-mpeg2-high")
        case .mpeg4: .customLong("prefer-mpeg4")
        case .mpeg4BD: .customLong("prefer-mpeg4-bd")
        case .mpeg4For2D: .customLong("prefer-mpeg4-2-2d")
        case .mpeg4For3D: .customLong("prefer-mpeg4-2-3d")
        case .mpeg4Stereo: .customLong("prefer-mpeg4-2-st")
        case .hevc: .customLong("prefer-hevc")
        case .hevc10: .customLong("prefer-hevc10")
        }
    }

    static func help(for value: Self) -> ArgumentHelp? {
        switch value {
        case .uncompressed: "Uncompressed, Explicit VR Little Endian first (DCMTK's +x=)."
        case .little: "Uncompressed, Explicit VR Little Endian first (+xe)."
        case .big: "Uncompressed, Explicit VR Big Endian first (+xb)."
        case .implicit: "Implicit VR Little Endian only (+xi)."
        case .deflated: "Uncompressed, Deflated Explicit VR Little Endian first (+xd)."
        case .lossless: "JPEG Lossless, First-Order Prediction (+xs)."
        case .jpeg8: "JPEG Baseline, for 8-bit data (+xy)."
        case .jpeg12: "JPEG Extended, for 12-bit data (+xx)."
        case .j2kLossless: "JPEG 2000 Lossless Only (+xv)."
        case .j2kLossy: "JPEG 2000 (+xw)."
        case .jlsLossless: "JPEG-LS Lossless (+xt)."
        case .jlsLossy: "JPEG-LS Near-Lossless (+xu)."
        case .rle: "RLE Lossless (+xr)."
        case .mpeg2: "MPEG2 Main Profile / Main Level, for the video classes (+xm)."
        case .mpeg2High: "MPEG2 Main Profile / High Level, for the video classes (+xh)."
        case .mpeg4: "MPEG-4 AVC/H.264 High Profile / Level 4.1, for the video classes (+xn)."
        case .mpeg4BD: "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1, for the video classes (+xl)."
        case .mpeg4For2D: "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video, for the video classes (+x2)."
        case .mpeg4For3D: "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video, for the video classes (+x3)."
        case .mpeg4Stereo: "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2, for the video classes (+xo)."
        case .hevc: "HEVC/H.265 Main Profile / Level 5.1, for the video classes (+x4)."
        case .hevc10: "HEVC/H.265 Main 10 Profile / Level 5.1, for the video classes (+x5)."
        }
    }

    /// DCMTK's "+" spellings, for ``DCMTKPlusFlags/renamed``.
    static let dcmtkSpellings: [String: String] = [
        "+x=": "--prefer-uncompr", "+xe": "--prefer-little", "+xb": "--prefer-big", "+xi": "--implicit",
        "+xd": "--prefer-deflated", "+xs": "--prefer-lossless", "+xy": "--prefer-jpeg8", "+xx": "--prefer-jpeg12",
        "+xv": "--prefer-j2k-lossless", "+xw": "--prefer-j2k-lossy", "+xt": "--prefer-jls-lossless",
        "+xu": "--prefer-jls-lossy", "+xr": "--prefer-rle",
        "+xm": "--prefer-mpeg2", "+xh": "--prefer-mpeg2-high", "+xn": "--prefer-mpeg4", "+xl": "--prefer-mpeg4-bd",
        "+x2": "--prefer-mpeg4-2-2d", "+x3": "--prefer-mpeg4-2-3d", "+xo": "--prefer-mpeg4-2-st",
        "+x4": "--prefer-hevc", "+x5": "--prefer-hevc10",
    ]

    /// pynetdicom's spellings (its storescp's and echoscp's -x=, -xe, -xb, -xi).
    static let pynetdicomSpellings: [String: String] = [
        "-x=": "--prefer-uncompr", "-xe": "--prefer-little", "-xb": "--prefer-big", "-xi": "--implicit",
    ]

    /// The uncompressed syntaxes proposed in each Storage class's context, preferred first.
    var uncompressed: [UID] {
        let first: TransferSyntax
        switch self {
        case .implicit: return [TransferSyntax.implicitVRLittleEndian.uid]
        case .big: first = .explicitVRBigEndian
        case .deflated: first = .deflatedExplicitVRLittleEndian
        default: first = .explicitVRLittleEndian
        }
        return ([first] + TransferSyntax.uncompressed.filter { $0 != first }).map(\.uid)
    }

    /// The compressed syntax preferred, proposed in a context of its own for
    /// ``compressedClasses``.
    var compressed: TransferSyntax? {
        switch self {
        case .uncompressed, .little, .big, .implicit, .deflated: nil
        case .lossless: .jpegLosslessSV1
        case .jpeg8: .jpegBaseline8Bit
        case .jpeg12: .jpegExtended12Bit
        case .j2kLossless: .jpeg2000Lossless
        case .j2kLossy: .jpeg2000
        case .jlsLossless: .jpegLSLossless
        case .jlsLossy: .jpegLSNearLossless
        case .rle: .rleLossless
        case .mpeg2: .mpeg2MPML
        case .mpeg2High: TransferSyntax(uid: "1.2.840.10008.1.2.4.101")
        case .mpeg4: .mpeg4HP41
        case .mpeg4BD: TransferSyntax(uid: "1.2.840.10008.1.2.4.103")
        case .mpeg4For2D: TransferSyntax(uid: "1.2.840.10008.1.2.4.104")
        case .mpeg4For3D: TransferSyntax(uid: "1.2.840.10008.1.2.4.105")
        case .mpeg4Stereo: TransferSyntax(uid: "1.2.840.10008.1.2.4.106")
        case .hevc: .hevcMP51
        case .hevc10: TransferSyntax(uid: "1.2.840.10008.1.2.4.108")
        }
    }

    /// The classes proposed in ``compressed``: the video classes for a video syntax, else
    /// ``compressedImageClasses``.
    var compressedClasses: [UID] {
        switch self {
        case .mpeg2, .mpeg2High, .mpeg4, .mpeg4BD, .mpeg4For2D, .mpeg4For3D, .mpeg4Stereo, .hevc, .hevc10:
            PresentationNegotiation.videoStorageClasses.sorted { $0.string < $1.string }
        default:
            Self.compressedImageClasses
        }
    }

    /// The image Storage classes that are stored compressed often enough to get a context of
    /// their own in the compressed syntax: with one transfer syntax accepted per context, a
    /// context that lists the compressed syntax first and the uncompressed ones after it would
    /// serve one kind of instance only.
    static let compressedImageClasses: [UID] = [
        .ctImageStorage, .enhancedCTImageStorage, .mrImageStorage, .enhancedMRImageStorage,
        .computedRadiographyImageStorage, .digitalXRayImageStorageForPresentation, .digitalXRayImageStorageForProcessing,
        .digitalMammographyXRayImageStorageForPresentation, .digitalMammographyXRayImageStorageForProcessing,
        .digitalIntraOralXRayImageStorageForPresentation, .breastTomosynthesisImageStorage,
        .ultrasoundImageStorage, .ultrasoundMultiFrameImageStorage,
        .secondaryCaptureImageStorage, .multiFrameGrayscaleByteSecondaryCaptureImageStorage,
        .multiFrameGrayscaleWordSecondaryCaptureImageStorage, .multiFrameTrueColorSecondaryCaptureImageStorage,
        .xRayAngiographicImageStorage, .enhancedXAImageStorage, .xRayRadiofluoroscopicImageStorage,
        .nuclearMedicineImageStorage, .positronEmissionTomographyImageStorage, .enhancedPETImageStorage,
        .rtImageStorage, .vlPhotographicImageStorage, .vlEndoscopicImageStorage, .vlMicroscopicImageStorage,
        .vlWholeSlideMicroscopyImageStorage, .ophthalmicPhotography8BitImageStorage, .ophthalmicTomographyImageStorage,
    ]
}

extension StorageTransferSyntaxPreference {
    /// What an acceptor that prefers this accepts, in its order of preference: the preferred
    /// compressed syntax, the uncompressed ones in this preference's order, then every other
    /// syntax NetDICOM knows (as DCMTK's +xa); Implicit VR Little Endian alone for +xi.
    var acceptedSyntaxes: [UID] {
        if self == .implicit { return [TransferSyntax.implicitVRLittleEndian.uid] }
        let preferred = (compressed.map { [$0.uid] } ?? []) + uncompressed
        return preferred + TransferSyntax.allKnown.map(\.uid).filter { !preferred.contains($0) }
    }
}

/// An acceptor's transfer syntax preference (DCMTK storescp's and dcmqrscp's +x options). None,
/// the default, takes the requestor's first choice in each context, so that an instance is
/// stored as it was sent.
struct AcceptorTransferSyntaxOptions: ParsableArguments {
    @Flag(help: "The transfer syntax to prefer in each context (DCMTK's +x options; default: the requestor's first choice, so that an instance is stored as sent):")
    var preference: StorageTransferSyntaxPreference?

    /// Sets whose order `entity` follows, and returns the syntaxes it accepts in order: for the
    /// Storage classes, and for the others (the uncompressed among them).
    func configure(_ entity: inout ApplicationEntity) -> (storage: [UID], other: [UID]) {
        guard let preference else {
            entity.transferSyntaxPreference = .requestor
            return (TransferSyntax.allKnown.map(\.uid), TransferSyntax.uncompressed.map(\.uid))
        }
        entity.transferSyntaxPreference = .acceptor
        let storage = preference.acceptedSyntaxes
        return (storage, storage.filter { TransferSyntax(uid: $0).isUncompressed })
    }
}

/// getscu's storage transfer syntax options.
struct StorageTransferSyntaxOptions: ParsableArguments {
    @Flag(help: "The transfer syntax to receive instances in (DCMTK's +x options; default: --prefer-uncompr):")
    var preference: StorageTransferSyntaxPreference = .uncompressed

    /// Requests the Storage classes with the SCP role, after the contexts already requested:
    /// with a compressed preference, first a context in it for each of
    /// ``StorageTransferSyntaxPreference/compressedClasses``; then one context per class in
    /// the uncompressed syntaxes, the common classes first, as far as room is left. Returns the
    /// classes left out.
    ///
    /// The compressed contexts come first because that is what the preference asks for of a
    /// peer that sends every instance of a class in the first context accepted for it, as
    /// dcmqrscp does: it then sends the class in the preferred syntax, as it would to DCMTK's
    /// getscu with the same option. Peers that pick the context by the instance's own syntax
    /// (netdicom qrscp, pynetdicom) send both kinds.
    func addStorageContexts(to entity: inout ApplicationEntity) throws -> [UID] {
        if let compressed = preference.compressed {
            for sopClass in preference.compressedClasses {
                try entity.addRequestedContext(sopClass, transferSyntaxes: [compressed.uid], scuRole: false, scpRole: true)
            }
        }
        return try entity.addRequestedContexts(for: .storage, transferSyntaxes: preference.uncompressed, scuRole: false, scpRole: true)
    }
}
