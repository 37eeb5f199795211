public import DICOMCore
internal import NIOCore

extension PDU {
    /// An A-ASSOCIATE-RQ PDU (type 01H, PS3.8 §9.3.2, Table 9-11): a request to establish an
    /// association.
    public struct AssociateRQ: Hashable, Sendable {
        /// The Protocol-version, one bit per version; version 1 is bit 0 (0001H).
        public var protocolVersion: UInt16

        /// The Called-AE-title, without its space padding.
        public var calledAETitle: String

        /// The Calling-AE-title, without its space padding.
        public var callingAETitle: String

        /// The Application-context-name of the Application Context Item (10H, PS3.8 §9.3.2.1).
        public var applicationContextName: UID

        /// The Presentation Context Items (20H), in wire order.
        public var presentationContexts: [PresentationContextRQItem]

        /// The User Information Item (50H).
        public var userInformation: UserInformationItem

        /// Items of types PS3.8 §9.3.2 does not define for this PDU, kept to round-trip (§9.3.1).
        public var unknownItems: [RawItem]

        /// Bytes 11-74 as received, for the A-ASSOCIATE-AC to send back
        /// (``AssociateAC/echoedRequestFields``); nil on a request built here, which is written
        /// from its titles with zeros.
        public var receivedFields: EchoedRequestFields? {
            get { _receivedFields.value }
            set { _receivedFields.value = newValue }
        }

        /// No part of the PDU's value (PS3.8: not tested when received).
        private var _receivedFields = NotCompared<EchoedRequestFields?>(value: nil)

        /// Creates a request; the defaults are protocol version 1 and the DICOM application context.
        public init(
            protocolVersion: UInt16 = PDU.protocolVersion1,
            calledAETitle: String,
            callingAETitle: String,
            applicationContextName: UID = PDU.dicomApplicationContextName,
            presentationContexts: [PresentationContextRQItem],
            userInformation: UserInformationItem,
            unknownItems: [RawItem] = []
        ) {
            self.protocolVersion = protocolVersion
            self.calledAETitle = calledAETitle
            self.callingAETitle = callingAETitle
            self.applicationContextName = applicationContextName
            self.presentationContexts = presentationContexts
            self.userInformation = userInformation
            self.unknownItems = unknownItems
        }
    }

    /// Protocol-version 1, the only version of the DICOM UL: bit 0 set (PS3.8 Table 9-11).
    public static let protocolVersion1: UInt16 = 0x0001

    /// The DICOM Application Context Name, 1.2.840.10008.3.1.1.1 (PS3.7 §A.2.1).
    public static let dicomApplicationContextName: UID = "1.2.840.10008.3.1.1.1"
}

extension PDU.AssociateRQ {
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let fields = try AssociateVariableItems(
            from: &reader,
            presentationContextItemType: PDU.ItemType.presentationContextRQ
        ) { (item) throws(PDUDecodingError) in try PDU.PresentationContextRQItem(from: &item) }
        self.init(
            protocolVersion: fields.protocolVersion,
            calledAETitle: fields.calledAETitle,
            callingAETitle: fields.callingAETitle,
            applicationContextName: fields.applicationContextName,
            presentationContexts: fields.presentationContexts,
            userInformation: fields.userInformation,
            unknownItems: fields.unknownItems
        )
        receivedFields = fields.echoedFields
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        let fields = AssociateVariableItems(
            protocolVersion: protocolVersion,
            calledAETitle: calledAETitle,
            callingAETitle: callingAETitle,
            applicationContextName: applicationContextName,
            presentationContexts: presentationContexts,
            userInformation: userInformation,
            unknownItems: unknownItems
        )
        try fields.write(to: &buffer, presentationContextItemType: PDU.ItemType.presentationContextRQ) {
            (context, buffer) throws(PDUEncodingError) in try context.write(to: &buffer)
        }
    }
}
