public import DICOMCore
public import NIOCore

extension PDU {
    /// The SOP Class Extended Negotiation Sub-Item (item-type 56H, PS3.7 §D.3.3.5, Table D.3-11):
    /// service-class-specific application information for one SOP class.
    public struct SOPClassExtendedNegotiationSubItem: Hashable, Sendable {
        /// The SOP-class-uid the information applies to.
        public var sopClassUID: UID

        /// The Service-class-application-information, whose layout each service class defines
        /// (e.g. PS3.4 Table B.3-1 for Storage); a slice of the received PDU.
        public var serviceClassApplicationInformation: ByteBuffer

        /// Creates the sub-item.
        public init(sopClassUID: UID, serviceClassApplicationInformation: ByteBuffer) {
            self.sopClassUID = sopClassUID
            self.serviceClassApplicationInformation = serviceClassApplicationInformation
        }
    }
}

extension PDU.SOPClassExtendedNegotiationSubItem {
    /// Decodes SOP-class-uid-length and SOP-class-uid; the rest of the sub-item is the information.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let uid = try reader.readLengthPrefixedUID("SOP-class-uid")
        self.init(sopClassUID: uid, serviceClassApplicationInformation: reader.readRemainingSlice())
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.sopClassExtendedNegotiation) { (buffer) throws(PDUEncodingError) in
            try buffer.writePDULengthPrefixed("SOP-class-uid", sopClassUID.string.utf8)
            buffer.writeImmutableBuffer(serviceClassApplicationInformation)
        }
    }
}
