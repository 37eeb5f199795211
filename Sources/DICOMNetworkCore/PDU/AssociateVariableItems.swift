internal import DICOMCore
internal import NIOCore

/// The part the A-ASSOCIATE-RQ and -AC share (PS3.8 Tables 9-11 and 9-17): the fixed fields, and
/// the variable field of one Application Context Item, presentation context items and one User
/// Information Item. Only the presentation context item type differs (20H or 21H).
struct AssociateVariableItems<PresentationContext> {
    var protocolVersion: UInt16
    var calledAETitle: String
    var callingAETitle: String
    var applicationContextName: UID
    var presentationContexts: [PresentationContext]
    var userInformation: PDU.UserInformationItem
    var unknownItems: [PDU.RawItem]
    /// Bytes 11-74 as received (decoding), or to write instead of the titles and zeros
    /// (an A-ASSOCIATE-AC's echo of its request).
    var echoedFields: PDU.EchoedRequestFields?

    /// Bytes 7-74 of the PDU: Protocol-version (2), reserved (2), Called-AE-title (16),
    /// Calling-AE-title (16), reserved (32).
    static var fixedFieldsLength: Int { 2 + 2 + PDU.aeTitleLength + PDU.aeTitleLength + 32 }

    init(
        protocolVersion: UInt16,
        calledAETitle: String,
        callingAETitle: String,
        applicationContextName: UID,
        presentationContexts: [PresentationContext],
        userInformation: PDU.UserInformationItem,
        unknownItems: [PDU.RawItem],
        echoedFields: PDU.EchoedRequestFields? = nil
    ) {
        self.echoedFields = echoedFields
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContextName = applicationContextName
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
        self.unknownItems = unknownItems
    }

    /// Decodes a whole A-ASSOCIATE-RQ/-AC body. Items are accepted in any order although PS3.8
    /// §9.3.1 asks senders for increasing item types; unrecognised item types are kept, in
    /// increasing type order (those of one type as received), the order they are written in, so
    /// that a PDU decoded and encoded again decodes the same (found by scripts/fuzz).
    init(
        from reader: inout PDUFieldReader,
        presentationContextItemType: UInt8,
        presentationContext: (inout PDUFieldReader) throws(PDUDecodingError) -> PresentationContext
    ) throws(PDUDecodingError) {
        guard reader.readableBytes >= Self.fixedFieldsLength else {
            throw reader.error(
                .invalidPDULength,
                at: 2,
                "PDU-length \(reader.readableBytes) is shorter than the \(Self.fixedFieldsLength) bytes of fixed fields (PS3.8 Table 9-11)"
            )
        }
        // The Protocol-version is kept as sent: PS3.8 Table 9-11 has the receiver test bit 0 only,
        // and answering a version it does not support is the ACSE layer's job (A-ASSOCIATE-RJ).
        protocolVersion = try reader.readInteger("Protocol-version")
        try reader.skipReserved(2)
        echoedFields = reader.peekBytes(PDU.EchoedRequestFields.length).flatMap(PDU.EchoedRequestFields.init)
        calledAETitle = try reader.readAETitle("Called-AE-title")
        callingAETitle = try reader.readAETitle("Calling-AE-title")
        try reader.skipReserved(32)

        var applicationContextName: UID?
        var userInformation: PDU.UserInformationItem?
        presentationContexts = []
        unknownItems = []
        while !reader.isAtEnd {
            let itemOffset = reader.offset
            var (type, value) = try reader.readItem()
            switch type {
            case PDU.ItemType.applicationContext:
                guard applicationContextName == nil else {
                    throw reader.error(.duplicateItem, at: itemOffset, "a second Application Context Item (PS3.8 §9.3.2 allows one)")
                }
                applicationContextName = try value.readUID("Application-context-name", length: value.readableBytes)
            case presentationContextItemType:
                presentationContexts.append(try presentationContext(&value))
            case PDU.ItemType.userInformation:
                guard userInformation == nil else {
                    throw reader.error(.duplicateItem, at: itemOffset, "a second User Information Item (PS3.8 §9.3.2 allows one)")
                }
                userInformation = try PDU.UserInformationItem(from: &value)
            default:
                unknownItems.append(PDU.RawItem(itemType: type, from: &value))
            }
        }
        guard let applicationContextName else {
            throw reader.error(.missingItem, at: 0, "no Application Context Item (PS3.8 §9.3.2 requires one)")
        }
        guard let userInformation else {
            throw reader.error(.missingItem, at: 0, "no User Information Item (PS3.8 §9.3.2 requires one)")
        }
        self.applicationContextName = applicationContextName
        self.userInformation = userInformation
        unknownItems = Self.inTypeOrder(unknownItems)
    }

    /// `items` in increasing item-type order, those of one type in their given order.
    static func inTypeOrder(_ items: [PDU.RawItem]) -> [PDU.RawItem] {
        items.enumerated()
            .sorted { ($0.element.itemType, $0.offset) < ($1.element.itemType, $1.offset) }
            .map(\.element)
    }

    /// Writes the body in increasing item-type order (PS3.8 §9.3.1); unknown items go where their
    /// type puts them, in the order given.
    func write(
        to buffer: inout ByteBuffer,
        presentationContextItemType: UInt8,
        presentationContext: (PresentationContext, inout ByteBuffer) throws(PDUEncodingError) -> Void
    ) throws(PDUEncodingError) {
        buffer.writeInteger(protocolVersion, endianness: .big)
        buffer.writeInteger(UInt16(0))
        if let echoedFields {
            buffer.writeBytes(echoedFields.bytes)
        } else {
            try buffer.writePDUAETitle(calledAETitle)
            try buffer.writePDUAETitle(callingAETitle)
            buffer.writeRepeatingByte(0, count: 32)
        }

        let unknown = Self.inTypeOrder(unknownItems)
        var next = unknown.startIndex
        func writeUnknownItems(below type: UInt8, to buffer: inout ByteBuffer) throws(PDUEncodingError) {
            while next < unknown.endIndex, unknown[next].itemType < type {
                try unknown[next].write(to: &buffer)
                next += 1
            }
        }

        try writeUnknownItems(below: PDU.ItemType.applicationContext, to: &buffer)
        try buffer.writePDUItem(type: PDU.ItemType.applicationContext) { (buffer) throws(PDUEncodingError) in
            buffer.writePDUUID(applicationContextName)
        }
        try writeUnknownItems(below: presentationContextItemType, to: &buffer)
        for context in presentationContexts {
            try presentationContext(context, &buffer)
        }
        try writeUnknownItems(below: PDU.ItemType.userInformation, to: &buffer)
        try userInformation.write(to: &buffer)
        while next < unknown.endIndex {
            try unknown[next].write(to: &buffer)
            next += 1
        }
    }
}
