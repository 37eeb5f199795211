public import DICOMCore
internal import NIOCore

extension PDU {
    /// The SOP Class Common Extended Negotiation Sub-Item (item-type 57H, PS3.7 §D.3.3.6, Tables
    /// D.3-12 and D.3-13), sent in the A-ASSOCIATE-RQ only: the service class of a SOP class and the
    /// more general SOP classes it is related to.
    public struct SOPClassCommonExtendedNegotiationSubItem: Hashable, Sendable {
        /// The SOP-class-uid described.
        public var sopClassUID: UID

        /// The Service-class-uid of that SOP class (e.g. 1.2.840.10008.4.2, Storage).
        public var serviceClassUID: UID

        /// The Related-general-sop-class-uids of the Related General SOP Class Identification
        /// (Table D.3-13), zero or more.
        public var relatedGeneralSOPClassUIDs: [UID]

        /// Creates the sub-item.
        public init(sopClassUID: UID, serviceClassUID: UID, relatedGeneralSOPClassUIDs: [UID] = []) {
            self.sopClassUID = sopClassUID
            self.serviceClassUID = serviceClassUID
            self.relatedGeneralSOPClassUIDs = relatedGeneralSOPClassUIDs
        }
    }
}

extension PDU.SOPClassCommonExtendedNegotiationSubItem {
    /// The Sub-Item-version byte (byte 2 of Table D.3-12, where other sub-items have a reserved
    /// byte). Sent as 00H; not tested on receipt.
    static let subItemVersion: UInt8 = 0

    /// Decodes the three length-prefixed fields. Bytes after the Related General SOP Class
    /// Identification are ignored, for later versions of the sub-item.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let sopClassUID = try reader.readLengthPrefixedUID("SOP-class-uid")
        let serviceClassUID = try reader.readLengthPrefixedUID("Service-class-uid")
        let identificationLength: UInt16 = try reader.readInteger("Related-general-sop-class-identification-length")
        var identification = try reader.readNested(
            "Related-general-sop-class-identification",
            length: Int(identificationLength)
        )
        var related: [UID] = []
        while !identification.isAtEnd {
            related.append(try identification.readLengthPrefixedUID("Related-general-sop-class-uid"))
        }
        self.init(sopClassUID: sopClassUID, serviceClassUID: serviceClassUID, relatedGeneralSOPClassUIDs: related)
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(
            type: PDU.ItemType.sopClassCommonExtendedNegotiation,
            reserved: Self.subItemVersion
        ) { (buffer) throws(PDUEncodingError) in
            try buffer.writePDULengthPrefixed("SOP-class-uid", sopClassUID.string.utf8)
            try buffer.writePDULengthPrefixed("Service-class-uid", serviceClassUID.string.utf8)
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(UInt16(0), endianness: .big)
            for uid in relatedGeneralSOPClassUIDs {
                try buffer.writePDULengthPrefixed("Related-general-sop-class-uid", uid.string.utf8)
            }
            let length = buffer.writerIndex - lengthIndex - 2
            guard let length16 = UInt16(exactly: length) else {
                throw PDUEncodingError(
                    .lengthOverflow,
                    reason: "Related-general-sop-class-identification of \(length) bytes exceeds its 2-byte length"
                )
            }
            buffer.setInteger(length16, at: lengthIndex, endianness: .big)
        }
    }
}
