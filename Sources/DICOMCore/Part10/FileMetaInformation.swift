import NIOCore

/// Building file meta information (PS3.10 §7.1, PS3.7 Annex D.3.3.2 for the implementation
/// identification).
public enum FileMetaInformation {
    /// NetDICOM's Implementation Class UID, under the UUID-derived root 2.25 (PS3.5 §B.2).
    public static let implementationClassUID: UID = "2.25.183028515442375325803293220768142348168"
    /// NetDICOM's Implementation Version Name (at most 16 characters, PS3.7 D.3.3.2.3).
    public static let implementationVersionName = "NETDICOM_0.1"

    /// Meta information for an instance: version 00 01, SOP class and instance, transfer syntax,
    /// NetDICOM's implementation class UID and version name, the group length computed.
    public static func make(
        sopClassUID: UID, sopInstanceUID: UID, transferSyntax: TransferSyntax, sourceAETitle: String? = nil
    ) -> DataSet {
        var meta = DataSet()
        var version = ByteBuffer()
        version.writeBytes([0x00, 0x01])
        meta[.fileMetaInformationVersion] = DataElement(tag: .fileMetaInformationVersion, vr: .OB, bytes: version)
        meta.setString(sopClassUID.string, for: .mediaStorageSOPClassUID, vr: .UI)
        meta.setString(sopInstanceUID.string, for: .mediaStorageSOPInstanceUID, vr: .UI)
        meta.setString(transferSyntax.uid.string, for: .transferSyntaxUID, vr: .UI)
        meta.setString(implementationClassUID.string, for: .implementationClassUID, vr: .UI)
        meta.setString(implementationVersionName, for: .implementationVersionName, vr: .SH)
        if let sourceAETitle {
            meta.setString(sourceAETitle, for: .sourceApplicationEntityTitle, vr: .AE)
        }
        meta[.fileMetaInformationGroupLength] = DataElement(tag: .fileMetaInformationGroupLength, vr: .UL, bytes: ByteBuffer())
        updateGroupLength(&meta)
        return meta
    }

    /// Sets (0002,0000), if present, to the encoded length of the rest of the group.
    static func updateGroupLength(_ meta: inout DataSet) {
        guard meta.contains(.fileMetaInformationGroupLength) else { return }
        var rest = meta
        rest.remove(.fileMetaInformationGroupLength)
        let length = DataSetWriter.encodedLength(of: rest, transferSyntax: .explicitVRLittleEndian)
        var value = ByteBuffer()
        value.writeInteger(UInt32(length), endianness: .little)
        meta[.fileMetaInformationGroupLength] = DataElement(tag: .fileMetaInformationGroupLength, vr: .UL, bytes: value)
    }
}
