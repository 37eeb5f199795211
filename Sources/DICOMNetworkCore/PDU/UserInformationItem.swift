public import DICOMCore
internal import NIOCore

extension PDU {
    /// The User Information Item (item-type 50H, PS3.8 §9.3.2.3, Table 9-16) of an A-ASSOCIATE-RQ
    /// or -AC: the user-data sub-items of PS3.8 Annex D and PS3.7 Annex D.3.3.
    ///
    /// The sub-items are kept in wire order, duplicates and unrecognised ones included, so that a
    /// decoded item encodes back to the same bytes; PS3.8 Table 9-16 notes that their order carries
    /// no meaning. Deciding which ones count (the first Maximum Length, one role selection per SOP
    /// class, …) is the ACSE layer's job; the accessors below return the first of each kind.
    public struct UserInformationItem: Hashable, Sendable {
        /// The user-data sub-items, in wire order.
        public var subItems: [SubItem]

        /// Creates the item from its sub-items, written in the order given.
        public init(subItems: [SubItem]) {
            self.subItems = subItems
        }
    }
}

extension PDU.UserInformationItem {
    /// One user-data sub-item.
    public enum SubItem: Hashable, Sendable {
        /// Maximum Length Sub-Item (51H, PS3.8 §D.1, Table D.1-1): the Maximum-length-received,
        /// the longest P-DATA-TF variable field the sender accepts; 0 means no limit.
        case maximumLength(UInt32)
        /// Implementation Class UID Sub-Item (52H, PS3.7 §D.3.3.2, Tables D.3-1 and D.3-2).
        case implementationClassUID(UID)
        /// Asynchronous Operations Window Sub-Item (53H, PS3.7 §D.3.3.3).
        case asynchronousOperationsWindow(PDU.AsynchronousOperationsWindowSubItem)
        /// SCP/SCU Role Selection Sub-Item (54H, PS3.7 §D.3.3.4).
        case scpSCURoleSelection(PDU.SCPSCURoleSelectionSubItem)
        /// Implementation Version Name Sub-Item (55H, PS3.7 §D.3.3.2, Tables D.3-3 and D.3-4): 1 to
        /// 16 characters, kept as sent.
        case implementationVersionName(String)
        /// SOP Class Extended Negotiation Sub-Item (56H, PS3.7 §D.3.3.5).
        case sopClassExtendedNegotiation(PDU.SOPClassExtendedNegotiationSubItem)
        /// SOP Class Common Extended Negotiation Sub-Item (57H, PS3.7 §D.3.3.6).
        case sopClassCommonExtendedNegotiation(PDU.SOPClassCommonExtendedNegotiationSubItem)
        /// User Identity Sub-Item of the A-ASSOCIATE-RQ (58H, PS3.7 §D.3.3.7.1).
        case userIdentityRQ(PDU.UserIdentityRQSubItem)
        /// User Identity Sub-Item of the A-ASSOCIATE-AC (59H, PS3.7 §D.3.3.7.2).
        case userIdentityAC(PDU.UserIdentityACSubItem)
        /// A sub-item of a type not listed above, kept as found (PS3.8 §D.2 asks acceptors to
        /// ignore such sub-items, not to reject the association).
        case unknown(PDU.RawItem)
    }
}

// MARK: - Accessors

extension PDU.UserInformationItem {
    /// The first Maximum-length-received, if any.
    public var maximumLength: UInt32? {
        subItems.lazy.compactMap { if case .maximumLength(let value) = $0 { value } else { nil } }.first
    }

    /// The first Implementation-class-uid, if any.
    public var implementationClassUID: UID? {
        subItems.lazy.compactMap { if case .implementationClassUID(let value) = $0 { value } else { nil } }.first
    }

    /// The first Implementation-version-name, if any.
    public var implementationVersionName: String? {
        subItems.lazy.compactMap { if case .implementationVersionName(let value) = $0 { value } else { nil } }.first
    }

    /// The first Asynchronous Operations Window Sub-Item, if any.
    public var asynchronousOperationsWindow: PDU.AsynchronousOperationsWindowSubItem? {
        subItems.lazy.compactMap { if case .asynchronousOperationsWindow(let value) = $0 { value } else { nil } }.first
    }

    /// Every SCP/SCU Role Selection Sub-Item, in wire order.
    public var scpSCURoleSelections: [PDU.SCPSCURoleSelectionSubItem] {
        subItems.compactMap { if case .scpSCURoleSelection(let value) = $0 { value } else { nil } }
    }

    /// Every SOP Class Extended Negotiation Sub-Item, in wire order.
    public var sopClassExtendedNegotiations: [PDU.SOPClassExtendedNegotiationSubItem] {
        subItems.compactMap { if case .sopClassExtendedNegotiation(let value) = $0 { value } else { nil } }
    }

    /// Every SOP Class Common Extended Negotiation Sub-Item, in wire order.
    public var sopClassCommonExtendedNegotiations: [PDU.SOPClassCommonExtendedNegotiationSubItem] {
        subItems.compactMap { if case .sopClassCommonExtendedNegotiation(let value) = $0 { value } else { nil } }
    }

    /// The first A-ASSOCIATE-RQ User Identity Sub-Item, if any.
    public var userIdentityRQ: PDU.UserIdentityRQSubItem? {
        subItems.lazy.compactMap { if case .userIdentityRQ(let value) = $0 { value } else { nil } }.first
    }

    /// The first A-ASSOCIATE-AC User Identity Sub-Item, if any.
    public var userIdentityAC: PDU.UserIdentityACSubItem? {
        subItems.lazy.compactMap { if case .userIdentityAC(let value) = $0 { value } else { nil } }.first
    }
}

// MARK: - Wire format

extension PDU.UserInformationItem {
    /// Decodes the value of a 50H item: a run of sub-items, each type, reserved, 2-byte length.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        var subItems: [SubItem] = []
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem()
            subItems.append(try SubItem(type: type, from: &value))
        }
        self.init(subItems: subItems)
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.userInformation) { (buffer) throws(PDUEncodingError) in
            for subItem in subItems {
                try subItem.write(to: &buffer)
            }
        }
    }
}

extension PDU.UserInformationItem.SubItem {
    init(type: UInt8, from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        switch type {
        case PDU.ItemType.maximumLength:
            let value: UInt32 = try reader.readInteger("Maximum-length-received")
            try reader.expectEnd("Maximum Length Sub-Item")
            self = .maximumLength(value)
        case PDU.ItemType.implementationClassUID:
            self = .implementationClassUID(try reader.readUID("Implementation-class-uid", length: reader.readableBytes))
        case PDU.ItemType.asynchronousOperationsWindow:
            self = .asynchronousOperationsWindow(try PDU.AsynchronousOperationsWindowSubItem(from: &reader))
        case PDU.ItemType.roleSelection:
            self = .scpSCURoleSelection(try PDU.SCPSCURoleSelectionSubItem(from: &reader))
        case PDU.ItemType.implementationVersionName:
            self = .implementationVersionName(
                try reader.readString("Implementation-version-name", length: reader.readableBytes)
            )
        case PDU.ItemType.sopClassExtendedNegotiation:
            self = .sopClassExtendedNegotiation(try PDU.SOPClassExtendedNegotiationSubItem(from: &reader))
        case PDU.ItemType.sopClassCommonExtendedNegotiation:
            self = .sopClassCommonExtendedNegotiation(try PDU.SOPClassCommonExtendedNegotiationSubItem(from: &reader))
        case PDU.ItemType.userIdentityRQ:
            self = .userIdentityRQ(try PDU.UserIdentityRQSubItem(from: &reader))
        case PDU.ItemType.userIdentityAC:
            self = .userIdentityAC(try PDU.UserIdentityACSubItem(from: &reader))
        default:
            self = .unknown(PDU.RawItem(itemType: type, from: &reader))
        }
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        switch self {
        case .maximumLength(let value):
            try buffer.writePDUItem(type: PDU.ItemType.maximumLength) { (buffer) throws(PDUEncodingError) in
                buffer.writeInteger(value, endianness: .big)
            }
        case .implementationClassUID(let uid):
            try buffer.writePDUItem(type: PDU.ItemType.implementationClassUID) { (buffer) throws(PDUEncodingError) in
                buffer.writePDUUID(uid)
            }
        case .asynchronousOperationsWindow(let subItem):
            try subItem.write(to: &buffer)
        case .scpSCURoleSelection(let subItem):
            try subItem.write(to: &buffer)
        case .implementationVersionName(let name):
            try buffer.writePDUItem(type: PDU.ItemType.implementationVersionName) { (buffer) throws(PDUEncodingError) in
                buffer.writeString(name)
            }
        case .sopClassExtendedNegotiation(let subItem):
            try subItem.write(to: &buffer)
        case .sopClassCommonExtendedNegotiation(let subItem):
            try subItem.write(to: &buffer)
        case .userIdentityRQ(let subItem):
            try subItem.write(to: &buffer)
        case .userIdentityAC(let subItem):
            try subItem.write(to: &buffer)
        case .unknown(let item):
            try item.write(to: &buffer)
        }
    }
}
