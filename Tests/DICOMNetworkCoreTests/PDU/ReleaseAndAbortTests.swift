import DICOMNetworkCore
import Testing

@Suite("A-RELEASE-RQ, A-RELEASE-RP and A-ABORT PDUs (PS3.8 §9.3.6–§9.3.8)")
struct ReleaseAndAbortTests {
    @Test(
        "golden bytes of PS3.8 Tables 9-24, 9-25 and 9-26",
        arguments: [
            // PDU-type, reserved, PDU-length 4, four reserved bytes (Table 9-24).
            ([0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00] as [UInt8], PDU.releaseRQ),
            // Table 9-25.
            ([0x06, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00], .releaseRP),
            // Table 9-26: reserved, reserved, Source 0 (service-user), Reason/Diag. 0.
            ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00],
             .abort(PDU.Abort(source: .serviceUser))),
            // Source 2 (service-provider), every reason of Table 9-26.
            ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x01],
             .abort(PDU.Abort(source: .serviceProvider, reason: .unrecognizedPDU))),
            ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x02],
             .abort(PDU.Abort(source: .serviceProvider, reason: .unexpectedPDU))),
            ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x04],
             .abort(PDU.Abort(source: .serviceProvider, reason: .unrecognizedPDUParameter))),
            ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x05],
             .abort(PDU.Abort(source: .serviceProvider, reason: .unexpectedPDUParameter))),
            ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x06],
             .abort(PDU.Abort(source: .serviceProvider, reason: .invalidPDUParameterValue))),
        ]
    )
    func golden(bytes: [UInt8], pdu: PDU) throws {
        #expect(try PDUTest.encode(pdu) == bytes)
        #expect(try PDUTest.decode(bytes) == pdu)
    }

    @Test(
        "non-zero reserved bytes are not tested",
        arguments: [
            ([0x05, 0x01, 0x00, 0x00, 0x00, 0x04, 0xFF, 0xFF, 0xFF, 0xFF] as [UInt8], PDU.releaseRQ),
            ([0x06, 0x01, 0x00, 0x00, 0x00, 0x04, 0x12, 0x34, 0x56, 0x78], .releaseRP),
            ([0x07, 0x01, 0x00, 0x00, 0x00, 0x04, 0xAA, 0xBB, 0x02, 0x02],
             .abort(PDU.Abort(source: .serviceProvider, reason: .unexpectedPDU))),
        ]
    )
    func reservedIgnored(bytes: [UInt8], pdu: PDU) throws {
        #expect(try PDUTest.decode(bytes) == pdu)
    }
}
