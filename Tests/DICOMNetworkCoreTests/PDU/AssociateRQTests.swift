import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2)")
struct AssociateRQTests {
    /// PS3.8 Table 9-11 with one Verification context and a three-sub-item User Information Item.
    /// Lengths: 68 fixed + 25 application context + 50 presentation context + 37 user information
    /// = 180 (B4H).
    static let golden: [UInt8] =
        [0x01, 0x00, 0x00, 0x00, 0x00, 0xB4]  // PDU-type 01H, reserved, PDU-length 180
        + [0x00, 0x01]  // Protocol-version: bit 0
        + [0x00, 0x00]  // reserved
        + PDUTest.ascii("ANY-SCP") + [0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]  // Called-AE-title
        + PDUTest.ascii("ECHOSCU") + [0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]  // Calling-AE-title
        + [UInt8](repeating: 0x00, count: 32)  // reserved, bytes 43-74
        // Application Context Item (Table 9-12): 10H, reserved, length 21
        + [0x10, 0x00, 0x00, 0x15] + PDUTest.ascii("1.2.840.10008.3.1.1.1")
        // Presentation Context Item (Table 9-13): 20H, reserved, length 46, ID 1, reserved ×3
        + [0x20, 0x00, 0x00, 0x2E, 0x01, 0x00, 0x00, 0x00]
        + [0x30, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1")  // Abstract Syntax (9-14)
        + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")  // Transfer Syntax (9-15)
        // User Information Item (Table 9-16): 50H, reserved, length 33
        + [0x50, 0x00, 0x00, 0x21]
        + [0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00]  // Maximum Length 16384 (D.1-1)
        + [0x52, 0x00, 0x00, 0x07] + PDUTest.ascii("1.2.3.4")  // Implementation Class UID
        + [0x55, 0x00, 0x00, 0x0A] + PDUTest.ascii("NETDICOM_1")  // Implementation Version Name

    static let pdu = PDU.associateRQ(
        PDU.AssociateRQ(
            calledAETitle: "ANY-SCP",
            callingAETitle: "ECHOSCU",
            presentationContexts: [
                PDU.PresentationContextRQItem(
                    presentationContextID: 1,
                    abstractSyntax: "1.2.840.10008.1.1",
                    transferSyntaxes: ["1.2.840.10008.1.2"]
                )
            ],
            userInformation: PDU.UserInformationItem(subItems: [
                .maximumLength(16384),
                .implementationClassUID("1.2.3.4"),
                .implementationVersionName("NETDICOM_1"),
            ])
        )
    )

    @Test("encodes to the bytes of PS3.8 Table 9-11")
    func encodes() throws {
        #expect(Self.golden.count == 186)
        #expect(try PDUTest.encode(Self.pdu) == Self.golden)
    }

    @Test("decodes the bytes of PS3.8 Table 9-11")
    func decodes() throws {
        let pdu = try PDUTest.decode(Self.golden)
        #expect(pdu == Self.pdu)
        guard case .associateRQ(let rq) = pdu else {
            Issue.record("expected an A-ASSOCIATE-RQ, got \(pdu)")
            return
        }
        #expect(rq.protocolVersion == 1)
        #expect(rq.calledAETitle == "ANY-SCP")
        #expect(rq.callingAETitle == "ECHOSCU")
        #expect(rq.applicationContextName == "1.2.840.10008.3.1.1.1")
        #expect(rq.userInformation.maximumLength == 16384)
        #expect(rq.userInformation.implementationClassUID == "1.2.3.4")
        #expect(rq.userInformation.implementationVersionName == "NETDICOM_1")
        #expect(pdu.pduType == .associateRQ)
    }

    @Test("a presentation context with several transfer syntaxes keeps their order")
    func severalTransferSyntaxes() throws {
        // Item 20H, length 4 + 21 + 3 × 23 = 94 (5EH), ID 3.
        let context: [UInt8] =
            [0x20, 0x00, 0x00, 0x5E, 0x03, 0x00, 0x00, 0x00]
            + [0x30, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1")
            + [0x40, 0x00, 0x00, 0x13] + PDUTest.ascii("1.2.840.10008.1.2.1")
            + [0x40, 0x00, 0x00, 0x13] + PDUTest.ascii("1.2.840.10008.1.2.2")
            + [0x40, 0x00, 0x00, 0x13] + PDUTest.ascii("1.2.840.10008.1.2.5")
        let expected = PDU.PresentationContextRQItem(
            presentationContextID: 3,
            abstractSyntax: "1.2.840.10008.1.1",
            transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5"]
        )
        let bytes = Self.replacingPresentationContexts(with: context)
        let pdu = try PDUTest.decode(bytes)
        guard case .associateRQ(var rq) = pdu else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.presentationContexts == [expected])
        rq.presentationContexts = [expected]
        #expect(try PDUTest.encode(.associateRQ(rq)) == bytes)
    }

    @Test("non-zero reserved fields are not tested (PS3.8 Table 9-11, Table 9-13)")
    func reservedFieldsIgnored() throws {
        var bytes = Self.golden
        bytes[1] = 0xAA  // PDU reserved
        bytes[8] = 0xBB  // bytes 9-10 reserved
        bytes[9] = 0xCC
        for index in 42..<74 { bytes[index] = 0xDD }  // bytes 43-74
        bytes[75] = 0x01  // Application Context Item reserved
        bytes[100] = 0x7F  // Presentation Context Item reserved
        bytes[104] = 0xFF  // Presentation Context Item bytes 6-8 reserved
        bytes[105] = 0xFF
        bytes[106] = 0xFF
        bytes[108] = 0x11  // Abstract Syntax Sub-Item reserved
        bytes[150] = 0x22  // User Information Item reserved
        bytes[154] = 0x33  // Maximum Length Sub-Item reserved
        #expect(bytes != Self.golden)
        #expect(try PDUTest.decode(bytes) == Self.pdu)
    }

    @Test("unrecognised items are kept and written back in item-type order (PS3.8 §9.3.1)")
    func unknownItemsRoundTrip() throws {
        // The golden body with an item of type 60H (3 bytes) after the User Information Item.
        let unknown: [UInt8] = [0x60, 0x00, 0x00, 0x03, 0x0A, 0x0B, 0x0C]
        var bytes = Self.golden + unknown
        bytes[5] = 0xB4 + 7  // PDU-length 187
        let pdu = try PDUTest.decode(bytes)
        guard case .associateRQ(var rq) = pdu else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.unknownItems == [PDU.RawItem(itemType: 0x60, value: ByteBuffer(bytes: [0x0A, 0x0B, 0x0C]))])
        #expect(try PDUTest.encode(pdu) == bytes)

        // An unknown item typed below the Application Context Item is written first.
        rq.unknownItems = [PDU.RawItem(itemType: 0x60, value: ByteBuffer(bytes: [0x0A, 0x0B, 0x0C])),
                           PDU.RawItem(itemType: 0x05, value: ByteBuffer())]
        let encoded = try PDUTest.encode(.associateRQ(rq))
        #expect(Array(encoded[74..<78]) == [0x05, 0x00, 0x00, 0x00])
        #expect(Array(encoded.suffix(7)) == unknown)

        // Received out of order, they decode in the order they are written back, so that the
        // PDU decoded again is the same (scripts/fuzz found the difference).
        let outOfOrder = Self.golden + unknown + [0x01, 0x00, 0x00, 0x00]
        var lengthFixed = outOfOrder
        lengthFixed[5] = 0xB4 + 11
        guard case .associateRQ(let received) = try PDUTest.decode(lengthFixed) else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(received.unknownItems.map(\.itemType) == [0x01, 0x60])
        #expect(try PDUTest.decode(PDUTest.encode(.associateRQ(received))) == .associateRQ(received))
    }

    @Test("unrecognised presentation context sub-items are skipped")
    func unknownPresentationContextSubItemSkipped() throws {
        // The Verification context with a 2-byte sub-item of type 31H between the two syntaxes.
        let context: [UInt8] =
            [0x20, 0x00, 0x00, 0x34, 0x01, 0x00, 0x00, 0x00]  // length 46 + 6 = 52 (34H)
            + [0x30, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1")
            + [0x31, 0x00, 0x00, 0x02, 0xEE, 0xEE]
            + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")
        #expect(try PDUTest.decode(Self.replacingPresentationContexts(with: context)) == Self.pdu)
    }

    @Test("UIDs padded with a trailing NUL and AE titles with stray padding decode trimmed")
    func paddingTrimmed() throws {
        var bytes = Self.golden
        // Called-AE-title "  ANY-SCP" with two leading spaces; Calling-AE-title NUL-padded.
        bytes.replaceSubrange(10..<26, with: PDUTest.aeTitle("  ANY-SCP"))
        bytes.replaceSubrange(26..<42, with: PDUTest.ascii("ECHOSCU") + [UInt8](repeating: 0, count: 9))
        // Abstract syntax "1.2.840.10008.1.1" + NUL: sub-item 18 bytes, item 47, PDU 181.
        let context: [UInt8] =
            [0x20, 0x00, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x00]
            + [0x30, 0x00, 0x00, 0x12] + PDUTest.ascii("1.2.840.10008.1.1") + [0x00]
            + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")
        bytes.replaceSubrange(99..<149, with: context)
        bytes[5] = 0xB5
        #expect(try PDUTest.decode(bytes) == Self.pdu)
    }

    @Test("an AE title longer than 16 bytes is an encoding error and writes nothing")
    func aeTitleTooLong() throws {
        guard case .associateRQ(var rq) = Self.pdu else { return }
        rq.callingAETitle = "SEVENTEEN_CHARS_X"
        var buffer = ByteBuffer(bytes: [0xAB])
        let error = #expect(throws: PDUEncodingError.self) {
            try buffer.writePDU(.associateRQ(rq))
        }
        #expect(error?.code == .aeTitleTooLong)
        #expect(Array(buffer.readableBytesView) == [0xAB])
    }

    @Test("a UID longer than an item-length can say is an encoding error")
    func itemTooLong() throws {
        guard case .associateRQ(var rq) = Self.pdu else { return }
        rq.applicationContextName = UID(String(repeating: "1", count: 65536))
        var buffer = ByteBuffer()
        let error = #expect(throws: PDUEncodingError.self) {
            try buffer.writePDU(.associateRQ(rq))
        }
        #expect(error?.code == .lengthOverflow)
        #expect(buffer.readableBytes == 0)
    }

    /// The golden PDU with its 50-byte presentation context (bytes 99-148) replaced.
    static func replacingPresentationContexts(with context: [UInt8]) -> [UInt8] {
        var bytes = golden
        bytes.replaceSubrange(99..<149, with: context)
        let length = bytes.count - 6
        bytes.replaceSubrange(2..<6, with: PDUTest.bigEndian32(length))
        return bytes
    }
}
