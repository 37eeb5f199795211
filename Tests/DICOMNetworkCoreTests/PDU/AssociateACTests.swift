import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("A-ASSOCIATE-AC PDU (PS3.8 §9.3.3)")
struct AssociateACTests {
    /// PS3.8 Table 9-17 answering two contexts: ID 1 accepted with Implicit VR Little Endian, ID 3
    /// rejected (abstract-syntax-not-supported) with an empty Transfer Syntax Sub-Item.
    /// Lengths: 68 fixed + 25 application context + 29 + 12 presentation contexts + 37 user
    /// information = 171 (ABH).
    static let golden: [UInt8] =
        [0x02, 0x00, 0x00, 0x00, 0x00, 0xAB]  // PDU-type 02H, reserved, PDU-length 171
        + [0x00, 0x01, 0x00, 0x00]  // Protocol-version, reserved
        + PDUTest.ascii("ANY-SCP") + [0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]  // echoes Called-AE-title
        + PDUTest.ascii("ECHOSCU") + [0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]  // echoes Calling-AE-title
        + [UInt8](repeating: 0x00, count: 32)
        + [0x10, 0x00, 0x00, 0x15] + PDUTest.ascii("1.2.840.10008.3.1.1.1")
        // Presentation Context Item (Table 9-18): 21H, length 25, ID 1, reserved, result 0, reserved
        + [0x21, 0x00, 0x00, 0x19, 0x01, 0x00, 0x00, 0x00]
        + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")  // Transfer Syntax (9-19)
        // 21H, length 8, ID 3, reserved, result 3, reserved, empty Transfer Syntax Sub-Item
        + [0x21, 0x00, 0x00, 0x08, 0x03, 0x00, 0x03, 0x00]
        + [0x40, 0x00, 0x00, 0x00]
        + [0x50, 0x00, 0x00, 0x21]
        + [0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00]
        + [0x52, 0x00, 0x00, 0x07] + PDUTest.ascii("1.2.3.4")
        + [0x55, 0x00, 0x00, 0x0A] + PDUTest.ascii("NETDICOM_1")

    static let pdu = PDU.associateAC(
        PDU.AssociateAC(
            calledAETitle: "ANY-SCP",
            callingAETitle: "ECHOSCU",
            presentationContexts: [
                PDU.PresentationContextACItem(
                    presentationContextID: 1,
                    resultReason: .acceptance,
                    transferSyntax: "1.2.840.10008.1.2"
                ),
                PDU.PresentationContextACItem(
                    presentationContextID: 3,
                    resultReason: .abstractSyntaxNotSupported,
                    transferSyntax: nil
                ),
            ],
            userInformation: PDU.UserInformationItem(subItems: [
                .maximumLength(16384),
                .implementationClassUID("1.2.3.4"),
                .implementationVersionName("NETDICOM_1"),
            ])
        )
    )

    @Test("encodes to the bytes of PS3.8 Table 9-17")
    func encodes() throws {
        #expect(Self.golden.count == 177)
        #expect(try PDUTest.encode(Self.pdu) == Self.golden)
    }

    @Test("decodes the bytes of PS3.8 Table 9-17")
    func decodes() throws {
        let pdu = try PDUTest.decode(Self.golden)
        #expect(pdu == Self.pdu)
        guard case .associateAC(let ac) = pdu else {
            Issue.record("expected an A-ASSOCIATE-AC, got \(pdu)")
            return
        }
        #expect(ac.presentationContexts.map(\.resultReason) == [.acceptance, .abstractSyntaxNotSupported])
        #expect(ac.presentationContexts.first?.transferSyntax == "1.2.840.10008.1.2")
    }

    @Test(
        "Result/Reason values of PS3.8 Table 9-18",
        arguments: [
            (UInt8(0), PDU.PresentationContextACItem.ResultReason.acceptance),
            (1, .userRejection),
            (2, .noReason),
            (3, .abstractSyntaxNotSupported),
            (4, .transferSyntaxesNotSupported),
        ]
    )
    func resultReasons(byte: UInt8, expected: PDU.PresentationContextACItem.ResultReason) throws {
        var bytes = Self.golden
        bytes[105] = byte  // first context's Result/Reason
        guard case .associateAC(let ac) = try PDUTest.decode(bytes) else {
            Issue.record("expected an A-ASSOCIATE-AC")
            return
        }
        #expect(ac.presentationContexts[0].resultReason == expected)
        #expect(ac.presentationContexts[0].transferSyntax == "1.2.840.10008.1.2")
    }

    @Test("a rejected context's transfer syntax is not tested, even when malformed (PS3.8 Table 9-18)")
    func rejectedContextNotTested() throws {
        var bytes = Self.golden
        // Context 3's sub-item claims 0x10 bytes inside a 4-byte remainder of its item.
        bytes[139] = 0x10
        guard case .associateAC(let ac) = try PDUTest.decode(bytes) else {
            Issue.record("expected an A-ASSOCIATE-AC")
            return
        }
        #expect(ac.presentationContexts[1].resultReason == .abstractSyntaxNotSupported)
        #expect(ac.presentationContexts[1].transferSyntax == nil)
    }

    @Test("the request's bytes 11-74 as received go back in the acceptance's reserved bytes 11-74, in place of its titles and zeros (PS3.8 Table 9-17); they are no part of either PDU's value")
    func echoesRequestFields() throws {
        // Titles with a leading space and NUL padding, reserved bytes that are not zero.
        let fields = PDUTest.ascii(" ANY-SCP") + [UInt8](repeating: 0x20, count: 8) + PDUTest.ascii("ECHOSCU") + [UInt8](repeating: 0, count: 9)
            + (1...32).map(UInt8.init)
        var requestBytes = AssociateRQTests.golden
        requestBytes.replaceSubrange(10..<74, with: fields)
        guard case .associateRQ(let request) = try PDUTest.decode(requestBytes) else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(request.receivedFields?.bytes == fields)
        #expect(PDU.associateRQ(request) == AssociateRQTests.pdu, "the titles read the same; the fields are not tested")

        guard case .associateAC(var acceptance) = Self.pdu else { return }
        acceptance.echoedRequestFields = request.receivedFields
        let encoded = try PDUTest.encode(.associateAC(acceptance))
        #expect(Array(encoded[10..<74]) == fields)
        #expect(Array(encoded[0..<10]) == Array(Self.golden[0..<10]) && Array(encoded[74...]) == Array(Self.golden[74...]))
        // Decoded, the acceptance keeps them, and equals one that has none.
        guard case .associateAC(let decoded) = try PDUTest.decode(encoded) else { return }
        #expect(decoded.echoedRequestFields?.bytes == fields)
        #expect(PDU.associateAC(decoded) == Self.pdu)
        #expect(PDU.EchoedRequestFields(Array(fields.dropLast())) == nil, "exactly 64 bytes")
    }

    @Test("an absent transfer syntax of a rejected context encodes as an empty sub-item")
    func nilTransferSyntaxEncodesEmpty() throws {
        // Context 3 without its sub-item on the wire: 21H, length 4.
        var bytes = Self.golden
        bytes.replaceSubrange(128..<140, with: [0x21, 0x00, 0x00, 0x04, 0x03, 0x00, 0x03, 0x00])
        bytes[5] = 0xA7
        let pdu = try PDUTest.decode(bytes)
        #expect(pdu == Self.pdu)
        #expect(try PDUTest.encode(pdu) == Self.golden)
    }
}
