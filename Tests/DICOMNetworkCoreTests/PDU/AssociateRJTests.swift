import DICOMNetworkCore
import Testing

@Suite("A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4)")
struct AssociateRJTests {
    @Test(
        "golden bytes of PS3.8 Table 9-21",
        arguments: [
            // PDU-type 03H, reserved, PDU-length 4, reserved, Result, Source, Reason/Diag.
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, 0x07] as [UInt8],
             PDU.AssociateRJ(result: .rejectedPermanent, source: .serviceUser, reason: .calledAETitleNotRecognized),
             "called-AE-title-not-recognized"),
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, 0x03],
             PDU.AssociateRJ(result: .rejectedPermanent, source: .serviceUser, reason: .callingAETitleNotRecognized),
             "calling-AE-title-not-recognized"),
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, 0x02],
             PDU.AssociateRJ(result: .rejectedPermanent, source: .serviceUser, reason: .applicationContextNameNotSupported),
             "application-context-name-not-supported"),
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x02, 0x02],
             PDU.AssociateRJ(result: .rejectedPermanent, source: .serviceProviderACSE, reason: .protocolVersionNotSupported),
             "protocol-version-not-supported"),
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x03, 0x01],
             PDU.AssociateRJ(result: .rejectedTransient, source: .serviceProviderPresentation, reason: .temporaryCongestion),
             "temporary-congestion"),
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x03, 0x02],
             PDU.AssociateRJ(result: .rejectedTransient, source: .serviceProviderPresentation, reason: .localLimitExceeded),
             "local-limit-exceeded"),
        ]
    )
    func golden(bytes: [UInt8], rj: PDU.AssociateRJ, reason: String) throws {
        #expect(try PDUTest.encode(.associateRJ(rj)) == bytes)
        #expect(try PDUTest.decode(bytes) == .associateRJ(rj))
        #expect(rj.reasonDescription == reason)
    }

    @Test("values outside Table 9-21 and a non-zero reserved byte are carried, not rejected")
    func unknownValuesCarried() throws {
        let bytes: [UInt8] = [0x03, 0xFF, 0x00, 0x00, 0x00, 0x04, 0xEE, 0x09, 0x08, 0x07]
        let pdu = try PDUTest.decode(bytes)
        #expect(pdu == .associateRJ(PDU.AssociateRJ(
            result: .init(rawValue: 9), source: .init(rawValue: 8), reason: .init(rawValue: 7)
        )))
    }
}
