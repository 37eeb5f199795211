public import DICOMCore
public import NIOCore

/// SOP Class Extended Negotiation (PS3.7 D.3.3.5): service-class-specific application
/// information for one SOP class, proposed by the requestor and answered by the acceptor.
///
/// The layout of the information belongs to the service class (PS3.4 Table B.3-1 for Storage,
/// C.3.1-1 for Query/Retrieve …); NetDICOM carries it as bytes and leaves the answer to the
/// acceptor's handler.
public struct SOPClassExtendedNegotiation: Hashable, Sendable {
    /// The SOP Class UID the information applies to.
    public var sopClassUID: UID

    /// The Service-class-application-information.
    public var serviceClassApplicationInformation: ByteBuffer

    /// Creates the negotiation item.
    public init(sopClassUID: UID, serviceClassApplicationInformation: ByteBuffer) {
        self.sopClassUID = sopClassUID
        self.serviceClassApplicationInformation = serviceClassApplicationInformation
    }
}

// MARK: - Wire value

extension SOPClassExtendedNegotiation {
    /// The value of a SOP Class Extended Negotiation Sub-Item (56H).
    init(_ wire: PDU.SOPClassExtendedNegotiationSubItem) {
        self.init(sopClassUID: wire.sopClassUID, serviceClassApplicationInformation: wire.serviceClassApplicationInformation)
    }

    var wireValue: PDU.SOPClassExtendedNegotiationSubItem {
        PDU.SOPClassExtendedNegotiationSubItem(
            sopClassUID: sopClassUID,
            serviceClassApplicationInformation: serviceClassApplicationInformation
        )
    }
}
