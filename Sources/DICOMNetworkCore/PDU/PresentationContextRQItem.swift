public import DICOMCore
internal import NIOCore

extension PDU {
    /// A Presentation Context Item of an A-ASSOCIATE-RQ (item-type 20H, PS3.8 §9.3.2.2, Table
    /// 9-13): one abstract syntax offered with one or more transfer syntaxes.
    ///
    /// Sub-items of types other than 30H and 40H are skipped, as PS3.8 §9.3.1 allows.
    public struct PresentationContextRQItem: Hashable, Sendable {
        /// The Presentation-context-ID; PS3.8 asks for an odd number from 1 to 255 (not checked
        /// here: the ACSE layer rejects bad ones).
        public var presentationContextID: UInt8

        /// The Abstract-syntax-name of the Abstract Syntax Sub-Item (30H, PS3.8 Table 9-14).
        public var abstractSyntax: UID

        /// The Transfer-syntax-names of the Transfer Syntax Sub-Items (40H, PS3.8 Table 9-15), in
        /// the order offered.
        public var transferSyntaxes: [UID]

        /// Creates a presentation context offering `abstractSyntax` with `transferSyntaxes`.
        public init(presentationContextID: UInt8, abstractSyntax: UID, transferSyntaxes: [UID]) {
            self.presentationContextID = presentationContextID
            self.abstractSyntax = abstractSyntax
            self.transferSyntaxes = transferSyntaxes
        }
    }
}

extension PDU.PresentationContextRQItem {
    /// Decodes the value of a 20H item: context ID, three reserved bytes, then sub-items.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let itemOffset = reader.offset - 4
        let id: UInt8 = try reader.readInteger("Presentation-context-ID")
        // PS3.8 Table 9-13, bytes 6-8: reserved, not tested (DCMTK sends FFH in byte 7).
        try reader.skipReserved(3)
        var abstractSyntax: UID?
        var transferSyntaxes: [UID] = []
        while !reader.isAtEnd {
            let subItemOffset = reader.offset
            var (type, value) = try reader.readItem()
            switch type {
            case PDU.ItemType.abstractSyntax:
                guard abstractSyntax == nil else {
                    throw reader.error(
                        .duplicateItem,
                        at: subItemOffset,
                        "presentation context \(id) has a second Abstract Syntax Sub-Item (PS3.8 §9.3.2.2 allows one)"
                    )
                }
                abstractSyntax = try value.readUID("Abstract-syntax-name", length: value.readableBytes)
            case PDU.ItemType.transferSyntax:
                transferSyntaxes.append(try value.readUID("Transfer-syntax-name", length: value.readableBytes))
            default:
                continue
            }
        }
        guard let abstractSyntax else {
            throw reader.error(
                .missingItem,
                at: itemOffset,
                "presentation context \(id) has no Abstract Syntax Sub-Item (PS3.8 §9.3.2.2)"
            )
        }
        self.init(presentationContextID: id, abstractSyntax: abstractSyntax, transferSyntaxes: transferSyntaxes)
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.presentationContextRQ) { (buffer) throws(PDUEncodingError) in
            buffer.writeMultipleIntegers(presentationContextID, UInt8(0), UInt8(0), UInt8(0), endianness: .big)
            try buffer.writePDUItem(type: PDU.ItemType.abstractSyntax) { (buffer) throws(PDUEncodingError) in
                buffer.writePDUUID(abstractSyntax)
            }
            for transferSyntax in transferSyntaxes {
                try buffer.writePDUItem(type: PDU.ItemType.transferSyntax) { (buffer) throws(PDUEncodingError) in
                    buffer.writePDUUID(transferSyntax)
                }
            }
        }
    }
}
