internal import NIOCore

extension PDU {
    /// A P-DATA-TF PDU (type 04H, PS3.8 §9.3.5, Table 9-22): one or more presentation data values.
    public struct PDataTF: Hashable, Sendable {
        /// The Presentation-data-value Items, in wire order; PS3.8 asks for at least one.
        public var presentationDataValueItems: [PresentationDataValueItem]

        /// Creates a P-DATA-TF carrying `presentationDataValueItems`.
        public init(presentationDataValueItems: [PresentationDataValueItem]) {
            self.presentationDataValueItems = presentationDataValueItems
        }
    }
}

extension PDU.PDataTF {
    /// Decodes the body: Presentation-data-value Items until the end of the PDU. Each fragment is
    /// a slice of the received bytes, not a copy.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        guard !reader.isAtEnd else {
            throw reader.error(
                .missingItem,
                "a P-DATA-TF PDU shall contain one or more Presentation-data-value Items (PS3.8 §9.3.5)"
            )
        }
        var items: [PDU.PresentationDataValueItem] = []
        while !reader.isAtEnd {
            var item = try reader.readPresentationDataValueItem()
            items.append(try PDU.PresentationDataValueItem(from: &item))
        }
        self.init(presentationDataValueItems: items)
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        for item in presentationDataValueItems {
            try item.write(to: &buffer)
        }
    }
}
