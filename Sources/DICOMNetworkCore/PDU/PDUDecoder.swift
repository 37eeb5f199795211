public import NIOCore

/// Cuts a byte stream into ``PDU``s (PS3.8 §9.3), for a `ByteToMessageHandler` or a
/// `NIOSingleStepByteToMessageProcessor`.
///
/// Reads the 6-byte header first and checks the PDU-length against the limits below before
/// waiting for (and so buffering) the body; a short read rewinds and waits for more bytes. The body
/// is decoded from a slice of the input, and P-DATA-TF fragments stay slices of it: nothing is
/// copied. Any malformed input throws a ``PDUDecodingError``; no input traps.
public struct PDUDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = PDU

    /// The largest PDU-length accepted for a P-DATA-TF.
    ///
    /// This is the Maximum-length-received this side advertised in its Maximum Length Sub-Item
    /// (PS3.8 §D.1, Table D.1-1), which limits "the variable field of the P-DATA-TF PDUs", i.e.
    /// exactly the PDU-length; the whole PDU is at most 6 bytes more.
    public var maximumPDataTFLength: UInt32

    /// The largest PDU-length accepted for an A-ASSOCIATE-RQ or -AC; see
    /// ``defaultMaximumAssociatePDULength``.
    public var maximumAssociatePDULength: UInt32

    /// The default ``maximumAssociatePDULength``, 1 MiB.
    ///
    /// PS3.8 §9.3.2 and §9.3.3 set no bound on these PDUs, and the Maximum Length Sub-Item bounds
    /// P-DATA-TF only. The largest sensible A-ASSOCIATE-RQ has 128 presentation contexts (odd IDs
    /// 1-255, PS3.8 §9.3.2.2), each with a 64-byte abstract syntax and a few dozen 64-byte transfer
    /// syntaxes, plus a role selection and extended negotiation sub-item per SOP class: a few
    /// hundred KiB. 1 MiB admits that with room to spare while bounding what an unauthenticated
    /// peer can make us buffer before the association exists.
    public static let defaultMaximumAssociatePDULength: UInt32 = 1 << 20

    /// Creates a decoder for an association whose local Maximum-length-received is
    /// `maximumLengthReceived`; 0, which PS3.8 §D.1 defines as "no maximum length", accepts
    /// P-DATA-TF PDUs of any length a PDU-length can express.
    public init(
        maximumLengthReceived: UInt32,
        maximumAssociatePDULength: UInt32 = PDUDecoder.defaultMaximumAssociatePDULength
    ) {
        self.maximumPDataTFLength = maximumLengthReceived == 0 ? .max : maximumLengthReceived
        self.maximumAssociatePDULength = maximumAssociatePDULength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> PDU? {
        let start = buffer.readerIndex
        guard let (typeByte, _, length) = buffer.readMultipleIntegers(
            endianness: .big,
            as: (UInt8, UInt8, UInt32).self
        ) else {
            return nil
        }
        let type: PDU.PDUType
        do {
            type = try checkHeader(type: typeByte, length: length)
        } catch {
            buffer.moveReaderIndex(to: start)
            throw error
        }
        guard let body = buffer.readSlice(length: Int(length)) else {
            buffer.moveReaderIndex(to: start)
            return nil
        }
        return try PDU(type: type, body: body)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> PDU? {
        try decode(buffer: &buffer)
    }

    /// The type of a PDU whose 6-byte header holds `type` and `length`, once both are checked
    /// (the length against what the type allows), before the body is awaited.
    func checkHeader(type typeByte: UInt8, length: UInt32) throws(PDUDecodingError) -> PDU.PDUType {
        guard let type = PDU.PDUType(rawValue: typeByte) else {
            throw PDUDecodingError(
                .unrecognizedPDUType,
                pduType: typeByte,
                offset: 0,
                reason: "PDU-type \(PDU.hex(typeByte)) is not one of 01H-07H (PS3.8 §9.3)"
            )
        }
        try checkLength(length, of: type)
        return type
    }

    /// Checks a PDU-length against what its type allows, before the body is awaited.
    private func checkLength(_ length: UInt32, of type: PDU.PDUType) throws(PDUDecodingError) {
        let limit: UInt32
        switch type {
        case .associateRJ, .releaseRQ, .releaseRP, .abort:
            guard length == PDU.fixedPDULength else {
                throw PDUDecodingError(
                    .invalidPDULength,
                    pduType: type.rawValue,
                    offset: 2,
                    reason: "\(type) PDU-length is \(length), PS3.8 §9.3 fixes it at 4"
                )
            }
            return
        case .associateRQ, .associateAC:
            let fixedFields = UInt32(AssociateVariableItems<Never>.fixedFieldsLength)
            guard length >= fixedFields else {
                throw PDUDecodingError(
                    .invalidPDULength,
                    pduType: type.rawValue,
                    offset: 2,
                    reason: "\(type) PDU-length \(length) is shorter than its \(fixedFields) bytes of fixed fields (PS3.8 Tables 9-11, 9-17)"
                )
            }
            limit = maximumAssociatePDULength
        case .pDataTF:
            limit = maximumPDataTFLength
        }
        guard length <= limit else {
            throw PDUDecodingError(
                .pduLengthExceedsLimit,
                pduType: type.rawValue,
                offset: 2,
                reason: "\(type) PDU-length \(length) exceeds the limit of \(limit)"
            )
        }
    }
}

// MARK: - PDU bodies

extension PDU {
    /// Decodes the body of a PDU of `type`: the `PDU-length` bytes after the header.
    init(type: PDUType, body: ByteBuffer) throws(PDUDecodingError) {
        var reader = PDUFieldReader(pduBody: body, pduType: type.rawValue)
        switch type {
        case .associateRQ:
            self = .associateRQ(try AssociateRQ(from: &reader))
        case .associateAC:
            self = .associateAC(try AssociateAC(from: &reader))
        case .associateRJ:
            self = .associateRJ(try AssociateRJ(from: &reader))
        case .pDataTF:
            self = .pDataTF(try PDataTF(from: &reader))
        case .releaseRQ:
            try reader.skipReserved(Int(PDU.fixedPDULength))
            self = .releaseRQ
        case .releaseRP:
            try reader.skipReserved(Int(PDU.fixedPDULength))
            self = .releaseRP
        case .abort:
            self = .abort(try Abort(from: &reader))
        }
    }
}
