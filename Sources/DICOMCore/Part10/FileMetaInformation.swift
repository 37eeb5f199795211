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
        // Values in one buffer and the group length summed (PackedDataSetBuilder): a data set
        // filled field by field, then measured by the writer, was a tenth of a small C-STORE's
        // cost to its SCP.
        var builder = PackedDataSetBuilder(reservingElements: 8, bytes: 256)
        builder.append(.fileMetaInformationVersion, .OB) { $0.writeBytes([0x00, 0x01]) }
        builder.append(.mediaStorageSOPClassUID, .UI) { $0.writeString(sopClassUID.string) }
        builder.append(.mediaStorageSOPInstanceUID, .UI) { $0.writeString(sopInstanceUID.string) }
        builder.append(.transferSyntaxUID, .UI) { $0.writeString(transferSyntax.uid.string) }
        builder.append(.implementationClassUID, .UI) { $0.writeString(implementationClassUID.string) }
        builder.append(.implementationVersionName, .SH) { $0.writeString(implementationVersionName) }
        if let sourceAETitle {
            builder.append(.sourceApplicationEntityTitle, .AE) { $0.writeString(sourceAETitle) }
        }
        let groupLength = UInt32(builder.explicitVRLittleEndianLength)
        builder.append(.fileMetaInformationGroupLength, .UL) { $0.writeInteger(groupLength, endianness: .little) }
        return builder.dataSet
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

extension FileMetaInformation {
    /// Appends `meta` to `buffer` in Explicit VR Little Endian (PS3.10 §7.1), a (0002,0000)
    /// present written with the length of the rest of the group as it is now.
    ///
    /// Meta information is a handful of short plain values, written here directly; anything else
    /// (a sequence, a value of odd length, a short value too long for its 16-bit length) goes
    /// through `DataSetWriter`, which knows every case.
    static func encode(_ meta: DataSet, into buffer: inout ByteBuffer) throws(DICOMEncodingError) {
        // A (0002,0000) of another VR than UL, or a second one (a damaged file read and written
        // again, found by scripts/fuzz), would go out with a UL's length under its own VR: one
        // UL group length is written in their place.
        var groupLengths = meta.lazy.filter { $0.tag == .fileMetaInformationGroupLength }.makeIterator()
        if let first = groupLengths.next(), first.vr != .UL || groupLengths.next() != nil {
            var single = meta
            single.removeAll { $0.tag == .fileMetaInformationGroupLength }
            single.insert(DataElement(tag: .fileMetaInformationGroupLength, vr: .UL, bytes: ByteBuffer(bytes: [0, 0, 0, 0])))
            return try encode(single, into: &buffer)
        }
        var groupLength = 0
        var plain = true
        for element in meta where element.tag != .fileMetaInformationGroupLength {
            guard let bytes = element.bytes, bytes.readableBytes % 2 == 0,
                  element.vr.hasLongExplicitLength || bytes.readableBytes <= Int(UInt16.max) else {
                plain = false
                break
            }
            groupLength += (element.vr.hasLongExplicitLength ? 12 : 8) + bytes.readableBytes
        }
        guard plain else {
            var meta = meta
            updateGroupLength(&meta)
            var bytes = try DataSetWriter.encode(meta, transferSyntax: .explicitVRLittleEndian)
            buffer.writeBuffer(&bytes)
            return
        }
        for element in meta {
            let tag = element.tag
            buffer.writeMultipleIntegers(tag.group, tag.element, endianness: .little)
            buffer.writeString(element.vr.rawValue)
            if tag == .fileMetaInformationGroupLength {
                buffer.writeMultipleIntegers(UInt16(4), UInt32(groupLength), endianness: .little)
                continue
            }
            let value = element.bytes!
            if element.vr.hasLongExplicitLength {
                buffer.writeMultipleIntegers(UInt16(0), UInt32(value.readableBytes), endianness: .little)
            } else {
                buffer.writeInteger(UInt16(value.readableBytes), endianness: .little)
            }
            buffer.writeImmutableBuffer(value)
        }
    }
}
