public import DICOMCore
internal import NIOCore

extension PDU {
    /// An A-ASSOCIATE-AC PDU (type 02H, PS3.8 §9.3.3, Table 9-17): the acceptance of an
    /// association, with the answer to each proposed presentation context.
    public struct AssociateAC: Hashable, Sendable {
        /// The Protocol-version, one bit per version; version 1 is bit 0 (0001H).
        public var protocolVersion: UInt16

        /// Bytes 11-26, reserved in the -AC but "sent with a value identical to the value
        /// received" in the -RQ's Called-AE-title (PS3.8 Table 9-17); not tested on receipt.
        public var calledAETitle: String

        /// Bytes 27-42, echoing the -RQ's Calling-AE-title in the same way.
        public var callingAETitle: String

        /// The Application-context-name of the Application Context Item (10H, PS3.8 §9.3.3.1).
        public var applicationContextName: UID

        /// The Presentation Context Items (21H), in wire order (which PS3.8 §7.1.1.14 says need
        /// not follow the proposal's).
        public var presentationContexts: [PresentationContextACItem]

        /// The User Information Item (50H).
        public var userInformation: UserInformationItem

        /// Items of types PS3.8 §9.3.3 does not define for this PDU, kept to round-trip (§9.3.1).
        public var unknownItems: [RawItem]

        /// The request's bytes 11-74, sent in this PDU's reserved bytes 11-74 in place of
        /// ``calledAETitle``, ``callingAETitle`` and zeros (PS3.8 Table 9-17); as received, on a
        /// decoded acceptance. An acceptor sets it from the request's
        /// ``AssociateRQ/receivedFields``.
        public var echoedRequestFields: EchoedRequestFields? {
            get { _echoedRequestFields.value }
            set { _echoedRequestFields.value = newValue }
        }

        /// No part of the PDU's value (PS3.8: not tested when received).
        private var _echoedRequestFields = NotCompared<EchoedRequestFields?>(value: nil)

        /// Creates an acceptance; the defaults are protocol version 1 and the DICOM application
        /// context.
        public init(
            protocolVersion: UInt16 = PDU.protocolVersion1,
            calledAETitle: String,
            callingAETitle: String,
            applicationContextName: UID = PDU.dicomApplicationContextName,
            presentationContexts: [PresentationContextACItem],
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
}

extension PDU.AssociateAC {
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let fields = try AssociateVariableItems(
            from: &reader,
            presentationContextItemType: PDU.ItemType.presentationContextAC
        ) { (item) throws(PDUDecodingError) in try PDU.PresentationContextACItem(from: &item) }
        self.init(
            protocolVersion: fields.protocolVersion,
            calledAETitle: fields.calledAETitle,
            callingAETitle: fields.callingAETitle,
            applicationContextName: fields.applicationContextName,
            presentationContexts: fields.presentationContexts,
            userInformation: fields.userInformation,
            unknownItems: fields.unknownItems
        )
        echoedRequestFields = fields.echoedFields
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        let fields = AssociateVariableItems(
            protocolVersion: protocolVersion,
            calledAETitle: calledAETitle,
            callingAETitle: callingAETitle,
            applicationContextName: applicationContextName,
            presentationContexts: presentationContexts,
            userInformation: userInformation,
            unknownItems: unknownItems,
            echoedFields: echoedRequestFields
        )
        try fields.write(to: &buffer, presentationContextItemType: PDU.ItemType.presentationContextAC) {
            (context, buffer) throws(PDUEncodingError) in try context.write(to: &buffer)
        }
    }
}
