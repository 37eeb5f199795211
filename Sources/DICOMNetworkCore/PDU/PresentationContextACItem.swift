public import DICOMCore
internal import NIOCore

extension PDU {
    /// A Presentation Context Item of an A-ASSOCIATE-AC (item-type 21H, PS3.8 §9.3.3.2, Table
    /// 9-18): the acceptor's answer to one proposed presentation context.
    public struct PresentationContextACItem: Hashable, Sendable {
        /// The Presentation-context-ID of the proposal this answers.
        public var presentationContextID: UInt8

        /// The Result/Reason field.
        public var resultReason: ResultReason

        /// The Transfer-syntax-name of the Transfer Syntax Sub-Item (40H, PS3.8 Table 9-19); `nil`
        /// when the sub-item is absent or empty.
        ///
        /// PS3.8 Table 9-18 says the sub-item "shall not be significant and its value shall not be
        /// tested" unless the context is accepted, so for other results a malformed sub-item is
        /// ignored and decodes as `nil`. The encoder always writes the one sub-item the table asks
        /// for, empty when this is `nil`.
        public var transferSyntax: UID?

        /// Creates an answer for presentation context `presentationContextID`.
        public init(presentationContextID: UInt8, resultReason: ResultReason, transferSyntax: UID?) {
            self.presentationContextID = presentationContextID
            self.resultReason = resultReason
            self.transferSyntax = transferSyntax
        }
    }
}

extension PDU.PresentationContextACItem {
    /// The Result/Reason field of PS3.8 Table 9-18; values outside the table are carried as they are.
    public struct ResultReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 0: acceptance.
        public static let acceptance = ResultReason(rawValue: 0)
        /// 1: user-rejection.
        public static let userRejection = ResultReason(rawValue: 1)
        /// 2: no-reason (provider rejection).
        public static let noReason = ResultReason(rawValue: 2)
        /// 3: abstract-syntax-not-supported (provider rejection).
        public static let abstractSyntaxNotSupported = ResultReason(rawValue: 3)
        /// 4: transfer-syntaxes-not-supported (provider rejection).
        public static let transferSyntaxesNotSupported = ResultReason(rawValue: 4)

        public var description: String {
            switch rawValue {
            case 0: "acceptance"
            case 1: "user-rejection"
            case 2: "no-reason (provider rejection)"
            case 3: "abstract-syntax-not-supported (provider rejection)"
            case 4: "transfer-syntaxes-not-supported (provider rejection)"
            default: "unknown result/reason \(rawValue)"
            }
        }
    }
}

extension PDU.PresentationContextACItem {
    /// Decodes the value of a 21H item: context ID, reserved, Result/Reason, reserved, sub-item.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let itemOffset = reader.offset - 4
        let id: UInt8 = try reader.readInteger("Presentation-context-ID")
        try reader.skipReserved(1)
        let resultReason = ResultReason(rawValue: try reader.readInteger("Result/Reason"))
        try reader.skipReserved(1)
        guard resultReason == .acceptance else {
            // Not significant and not tested (PS3.8 Table 9-18): keep it only if it is well formed.
            self.init(
                presentationContextID: id,
                resultReason: resultReason,
                transferSyntax: try? Self.readTransferSyntax(from: &reader, id: id, itemOffset: itemOffset)
            )
            return
        }
        let transferSyntax = try Self.readTransferSyntax(from: &reader, id: id, itemOffset: itemOffset)
        guard transferSyntax != nil else {
            throw reader.error(
                .missingItem,
                at: itemOffset,
                "accepted presentation context \(id) names no transfer syntax (PS3.8 Table 9-18)"
            )
        }
        self.init(presentationContextID: id, resultReason: resultReason, transferSyntax: transferSyntax)
    }

    private static func readTransferSyntax(
        from reader: inout PDUFieldReader,
        id: UInt8,
        itemOffset: Int
    ) throws(PDUDecodingError) -> UID? {
        var transferSyntax: UID?
        var seen = false
        while !reader.isAtEnd {
            let subItemOffset = reader.offset
            var (type, value) = try reader.readItem()
            guard type == PDU.ItemType.transferSyntax else { continue }
            guard !seen else {
                throw reader.error(
                    .duplicateItem,
                    at: subItemOffset,
                    "presentation context \(id) has a second Transfer Syntax Sub-Item (PS3.8 Table 9-18 allows one)"
                )
            }
            seen = true
            let uid = try value.readUID("Transfer-syntax-name", length: value.readableBytes)
            transferSyntax = uid.string.isEmpty ? nil : uid
        }
        return transferSyntax
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.presentationContextAC) { (buffer) throws(PDUEncodingError) in
            buffer.writeMultipleIntegers(presentationContextID, UInt8(0), resultReason.rawValue, UInt8(0), endianness: .big)
            try buffer.writePDUItem(type: PDU.ItemType.transferSyntax) { (buffer) throws(PDUEncodingError) in
                if let transferSyntax {
                    buffer.writePDUUID(transferSyntax)
                }
            }
        }
    }
}
