import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

/// Helpers shared by the PDU tests. Golden bytes are written out in the tests themselves; these
/// only spell ASCII text and run the codec.
enum PDUTest {
    /// The bytes of an ASCII string, for UIDs and AE titles inside hand-written golden arrays.
    static func ascii(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    /// `text` padded with spaces to the 16 bytes of an AE title field.
    static func aeTitle(_ text: String) -> [UInt8] {
        ascii(text) + [UInt8](repeating: 0x20, count: 16 - text.utf8.count)
    }

    /// Parses a hex string ("0100 00cd…"), ignoring whitespace.
    static func bytes(hex: String) -> [UInt8] {
        let digits = hex.filter(\.isHexDigit)
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            result.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    /// Encodes `pdu` with `ByteBuffer.writePDU(_:)`.
    static func encode(_ pdu: PDU) throws -> [UInt8] {
        var buffer = ByteBuffer()
        let written = try buffer.writePDU(pdu)
        #expect(written == buffer.readableBytes)
        return Array(buffer.readableBytesView)
    }

    /// Decodes exactly one PDU that fills `bytes`.
    static func decode(
        _ bytes: [UInt8],
        decoder: PDUDecoder = PDUDecoder(maximumLengthReceived: 0),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> PDU {
        var decoder = decoder
        var buffer = ByteBuffer(bytes: bytes)
        let pdu = try #require(try decoder.decode(buffer: &buffer), sourceLocation: sourceLocation)
        #expect(buffer.readableBytes == 0, "bytes left after the PDU", sourceLocation: sourceLocation)
        return pdu
    }

    /// Feeds `bytes` through a `NIOSingleStepByteToMessageProcessor` in chunks of `chunkSize` and
    /// collects every PDU it yields.
    static func decodeStream(
        _ bytes: [UInt8],
        chunkSize: Int,
        decoder: PDUDecoder = PDUDecoder(maximumLengthReceived: 0)
    ) throws -> [PDU] {
        let processor = NIOSingleStepByteToMessageProcessor(decoder)
        var pdus: [PDU] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            try processor.process(buffer: ByteBuffer(bytes: bytes[start..<end])) { pdus.append($0) }
            start = end
        }
        try processor.finishProcessing(seenEOF: true) { pdus.append($0) }
        return pdus
    }

    /// The error decoding `bytes` throws, or `nil` when it does not throw.
    static func decodingError(
        _ bytes: [UInt8],
        decoder: PDUDecoder = PDUDecoder(maximumLengthReceived: 0)
    ) -> PDUDecodingError? {
        var decoder = decoder
        var buffer = ByteBuffer(bytes: bytes)
        do {
            _ = try decoder.decode(buffer: &buffer)
            return nil
        } catch let error as PDUDecodingError {
            return error
        } catch {
            Issue.record("unexpected error type \(type(of: error)): \(error)")
            return nil
        }
    }

    // MARK: A minimal A-ASSOCIATE-RQ to carry one user-information sub-item

    /// The Verification presentation context of the wrapper below: 50 bytes (PS3.8 Tables 9-13
    /// to 9-15).
    static let verificationContextBytes: [UInt8] =
        [0x20, 0x00, 0x00, 0x2E, 0x01, 0x00, 0x00, 0x00]  // item 20H, length 46, ID 1, 3 reserved
        + [0x30, 0x00, 0x00, 0x11] + ascii("1.2.840.10008.1.1")  // Abstract Syntax, 17 bytes
        + [0x40, 0x00, 0x00, 0x11] + ascii("1.2.840.10008.1.2")  // Transfer Syntax, 17 bytes

    static let verificationContext = PDU.PresentationContextRQItem(
        presentationContextID: 1,
        abstractSyntax: "1.2.840.10008.1.1",
        transferSyntaxes: ["1.2.840.10008.1.2"]
    )

    /// An A-ASSOCIATE-RQ from ECHOSCU to ANY-SCP whose User Information Item holds `subItemBytes`.
    static func associateRQBytes(userInformation subItemBytes: [UInt8]) -> [UInt8] {
        let userInformation = [0x50, 0x00] + bigEndian16(subItemBytes.count) + subItemBytes
        let body =
            [0x00, 0x01, 0x00, 0x00] + aeTitle("ANY-SCP") + aeTitle("ECHOSCU") + [UInt8](repeating: 0, count: 32)
            + [0x10, 0x00, 0x00, 0x15] + ascii("1.2.840.10008.3.1.1.1")
            + verificationContextBytes
            + userInformation
        return [0x01, 0x00] + bigEndian32(body.count) + body
    }

    /// The PDU that ``associateRQBytes(userInformation:)`` spells.
    static func associateRQ(userInformation subItems: [PDU.UserInformationItem.SubItem]) -> PDU {
        .associateRQ(
            PDU.AssociateRQ(
                calledAETitle: "ANY-SCP",
                callingAETitle: "ECHOSCU",
                presentationContexts: [verificationContext],
                userInformation: PDU.UserInformationItem(subItems: subItems)
            )
        )
    }

    /// An A-ASSOCIATE-RQ (type 01H) or -AC (02H) with the fixed fields of PS3.8 Table 9-11 and
    /// `items` as its variable field.
    static func associatePDU(type: UInt8 = 0x01, items: [UInt8]) -> [UInt8] {
        let body = [0x00, 0x01, 0x00, 0x00] + aeTitle("ANY-SCP") + aeTitle("ECHOSCU")
            + [UInt8](repeating: 0, count: 32) + items
        return [type, 0x00] + bigEndian32(body.count) + body
    }

    /// The Application Context Item naming the DICOM application context (PS3.8 Table 9-12).
    static let applicationContextBytes: [UInt8] = [0x10, 0x00, 0x00, 0x15] + ascii("1.2.840.10008.3.1.1.1")

    /// A User Information Item with one Maximum Length Sub-Item (PS3.8 Table 9-16, D.1-1).
    static let userInformationBytes: [UInt8] = [0x50, 0x00, 0x00, 0x08, 0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00]

    static func bigEndian16(_ value: Int) -> [UInt8] {
        [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func bigEndian32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
