public import DICOMCore

/// SOP Class Common Extended Negotiation (PS3.7 D.3.3.6): the service class of a SOP class and
/// the more general SOP classes it specializes, sent by the requestor only (the acceptor never
/// answers it).
public struct SOPClassCommonExtendedNegotiation: Hashable, Sendable {
    /// The SOP Class UID described.
    public var sopClassUID: UID

    /// The Service Class UID of that SOP class (e.g. 1.2.840.10008.4.2, Storage).
    public var serviceClassUID: UID

    /// The Related General SOP Class UIDs, zero or more.
    public var relatedGeneralSOPClassUIDs: [UID]

    /// Creates the negotiation item.
    public init(sopClassUID: UID, serviceClassUID: UID, relatedGeneralSOPClassUIDs: [UID] = []) {
        self.sopClassUID = sopClassUID
        self.serviceClassUID = serviceClassUID
        self.relatedGeneralSOPClassUIDs = relatedGeneralSOPClassUIDs
    }
}

// MARK: - Wire value

extension SOPClassCommonExtendedNegotiation {
    /// The value of a SOP Class Common Extended Negotiation Sub-Item (57H).
    init(_ wire: PDU.SOPClassCommonExtendedNegotiationSubItem) {
        self.init(
            sopClassUID: wire.sopClassUID,
            serviceClassUID: wire.serviceClassUID,
            relatedGeneralSOPClassUIDs: wire.relatedGeneralSOPClassUIDs
        )
    }

    var wireValue: PDU.SOPClassCommonExtendedNegotiationSubItem {
        PDU.SOPClassCommonExtendedNegotiationSubItem(
            sopClassUID: sopClassUID,
            serviceClassUID: serviceClassUID,
            relatedGeneralSOPClassUIDs: relatedGeneralSOPClassUIDs
        )
    }
}
