import NIOCore

/// Re-encoding a file in another native transfer syntax (PS3.5 §10, Annex A).
extension DICOMFile {
    /// This file to be written in `target`: the data set with the VR choices and group lengths
    /// `target` calls for, and meta information naming `target` and NetDICOM as the writer.
    ///
    /// The values themselves do not change: byte order is the writer's business (values are kept
    /// little endian), and the items of UN sequences stay Implicit VR Little Endian (PS3.5 §6.2.2).
    /// What changes:
    /// - From implicit to explicit VR, Pixel Data (7FE0,0010), which is OW in implicit VR (PS3.5
    ///   §A.1), becomes OB when Bits Allocated (0028,0100) is 8 or less, as PS3.5 §A.2 allows.
    /// - Group lengths (gggg,0000) still present are recomputed for `target` (PS3.5 §7.2).
    /// - Meta information gets `target`'s Transfer Syntax UID and NetDICOM's Implementation Class
    ///   UID and Version Name (PS3.10 §7.1: they identify the writer); a bare data set gets meta
    ///   information made from its SOP Class and Instance UIDs.
    ///
    /// - Throws: ``DICOMEncodingError/Code/unsupportedConversion`` when the pixel data would have
    ///   to move between encapsulated and native form, or between two encapsulated syntaxes: that
    ///   takes a codec. (Encapsulated pixel data under a native syntax's name is refused too.)
    public func transcoded(to target: TransferSyntax) throws(DICOMEncodingError) -> DICOMFile {
        // Only pixel data tells native from encapsulated syntaxes (PS3.5 §A.4): a file without
        // any (an SR, a plan) converts between them freely.
        let pixelData = dataSet[DataSetReader.pixelData]
        let encapsulated = pixelData?.fragments != nil
        if encapsulated && (target != transferSyntax || !target.isEncapsulated) || pixelData?.bytes != nil && target.isEncapsulated {
            throw DICOMEncodingError(.unsupportedConversion, tag: DataSetReader.pixelData, "pixel data in \(transferSyntax) to \(target) needs a codec")
        }
        let toExplicit = !transferSyntax.isExplicitVR && target.isExplicitVR
        let dataSet = DICOMFile.transcode(self.dataSet, to: target, resolvingPixelDataVR: toExplicit)
        var meta: DataSet
        if fileMetaInformation.isEmpty {
            meta = FileMetaInformation.make(
                sopClassUID: dataSet.uid(.sopClassUID) ?? "", sopInstanceUID: dataSet.uid(.sopInstanceUID) ?? "",
                transferSyntax: target)
        } else {
            meta = fileMetaInformation
            meta.setString(target.uid.string, for: .transferSyntaxUID, vr: .UI)
            meta.setString(FileMetaInformation.implementationClassUID.string, for: .implementationClassUID, vr: .UI)
            meta.setString(FileMetaInformation.implementationVersionName, for: .implementationVersionName, vr: .SH)
            FileMetaInformation.updateGroupLength(&meta)
        }
        var file = DICOMFile(fileMetaInformation: meta, dataSet: dataSet, transferSyntax: target)
        file.preamble = preamble ?? file.preamble
        return file
    }

    static func transcode(_ dataSet: DataSet, to target: TransferSyntax, resolvingPixelDataVR: Bool) -> DataSet {
        var result = dataSet
        for element in dataSet {
            if let items = element.items {
                // The items of a UN sequence stay Implicit VR Little Endian (PS3.5 §6.2.2).
                let unknown = element.vr == .UN
                var converted = element
                converted.value = .sequence(items.map {
                    transcode($0, to: unknown ? .implicitVRLittleEndian : target, resolvingPixelDataVR: resolvingPixelDataVR && !unknown)
                })
                result[element.tag] = converted
            }
        }
        if resolvingPixelDataVR, var pixelData = result[DataSetReader.pixelData], pixelData.vr == .OW, pixelData.bytes != nil,
           let bitsAllocated = result.integer(.bitsAllocated), bitsAllocated <= 8 {
            pixelData.vr = .OB
            result[DataSetReader.pixelData] = pixelData
        }
        for element in result where element.tag.isGroupLength && element.tag.group != 0x0002 && element.vr == .UL {
            let group = result.filter { $0.tag.group == element.tag.group && !$0.tag.isGroupLength }
            var length = ByteBuffer()
            length.writeInteger(UInt32(DataSetWriter.encodedLength(of: DataSet(group), transferSyntax: target)), endianness: .little)
            result[element.tag] = DataElement(tag: element.tag, vr: .UL, bytes: length)
        }
        return result
    }
}
