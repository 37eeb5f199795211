import DICOMNetworkCore
import NIOCore
import Testing

@Suite("PDUDecoder: framing, limits and drip-feeding")
struct PDUDecoderTests {
    /// Every golden PDU of the other suites, in one stream.
    static let stream: [([UInt8], PDU)] = [
        (AssociateRQTests.golden, AssociateRQTests.pdu),
        (AssociateACTests.golden, AssociateACTests.pdu),
        ([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, 0x07],
         .associateRJ(PDU.AssociateRJ(result: .rejectedPermanent, source: .serviceUser, reason: .calledAETitleNotRecognized))),
        (PDataTFTests.golden, PDataTFTests.pdu),
        ([0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00], .releaseRQ),
        ([0x06, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00], .releaseRP),
        ([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x01],
         .abort(PDU.Abort(source: .serviceProvider, reason: .unrecognizedPDU))),
        (PDUTest.associateRQBytes(userInformation: UserInformationSubItemTests.cases.flatMap(\.bytes)),
         PDUTest.associateRQ(userInformation: UserInformationSubItemTests.cases.map(\.subItem))),
    ]

    @Test("the stream fed in chunks gives the same PDUs", arguments: [1, 2, 3, 5, 7, 64, 100_000])
    func dripFeed(chunkSize: Int) throws {
        let bytes = Self.stream.flatMap(\.0)
        let pdus = try PDUTest.decodeStream(bytes, chunkSize: chunkSize)
        #expect(pdus == Self.stream.map(\.1))
    }

    @Test("a short input returns nil and leaves the reader index where it was")
    func rewindsOnShortInput() throws {
        var decoder = PDUDecoder(maximumLengthReceived: 16384)
        for length in [0, 1, 5, 6, 20, AssociateRQTests.golden.count - 1] {
            var buffer = ByteBuffer(bytes: [0xEE, 0xEE])
            buffer.moveReaderIndex(forwardBy: 2)
            buffer.writeBytes(AssociateRQTests.golden.prefix(length))
            #expect(try decoder.decode(buffer: &buffer) == nil)
            #expect(buffer.readerIndex == 2, "after \(length) bytes")
            #expect(buffer.readableBytes == length)
        }
    }

    @Test("two PDUs in one buffer come out one per call")
    func twoPDUsInOneBuffer() throws {
        var decoder = PDUDecoder(maximumLengthReceived: 16384)
        var buffer = ByteBuffer(bytes: PDataTFTests.golden + [0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x07])
        #expect(try decoder.decode(buffer: &buffer) == PDataTFTests.pdu)
        #expect(try decoder.decode(buffer: &buffer) == .releaseRQ)
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 1)
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
    }

    // MARK: Limits

    /// A P-DATA-TF header declaring `length`, and no body.
    static func pDataHeader(length: UInt32) -> [UInt8] {
        [0x04, 0x00] + PDUTest.bigEndian32(Int(length))
    }

    @Test("a P-DATA-TF longer than the Maximum-length-received is refused from its header alone")
    func pDataOverLimit() throws {
        let error = try #require(PDUTest.decodingError(
            Self.pDataHeader(length: 16385),
            decoder: PDUDecoder(maximumLengthReceived: 16384)
        ))
        #expect(error.code == .pduLengthExceedsLimit)
        #expect(error.pduType == 0x04)
        #expect(error.offset == 2)
    }

    @Test("a P-DATA-TF of exactly the Maximum-length-received is accepted")
    func pDataAtLimit() throws {
        // One PDV item: item-length 16380 (context ID, header, 16378 bytes) → PDU-length 16384.
        let bytes = Self.pDataHeader(length: 16384) + [0x00, 0x00, 0x3F, 0xFC, 0x01, 0x02]
            + [UInt8](repeating: 0x5A, count: 16378)
        let pdu = try PDUTest.decode(bytes, decoder: PDUDecoder(maximumLengthReceived: 16384))
        guard case .pDataTF(let pData) = pdu else {
            Issue.record("expected a P-DATA-TF")
            return
        }
        #expect(pData.presentationDataValueItems.first?.fragment.readableBytes == 16378)
    }

    @Test("Maximum-length-received 0 means no limit (PS3.8 §D.1): a 4 GiB P-DATA-TF header waits for its body")
    func pDataUnlimited() throws {
        var decoder = PDUDecoder(maximumLengthReceived: 0)
        #expect(decoder.maximumPDataTFLength == .max)
        var buffer = ByteBuffer(bytes: Self.pDataHeader(length: .max))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 6)
    }

    @Test("the P-DATA-TF limit does not apply to A-ASSOCIATE PDUs")
    func associateUsesItsOwnLimit() throws {
        let decoder = PDUDecoder(maximumLengthReceived: 100)
        #expect(try PDUTest.decode(AssociateRQTests.golden, decoder: decoder) == AssociateRQTests.pdu)
    }

    @Test(
        "an A-ASSOCIATE-RQ/-AC over 1 MiB is refused from its header alone",
        arguments: [UInt8(0x01), 0x02]
    )
    func associateOverLimit(type: UInt8) throws {
        #expect(PDUDecoder.defaultMaximumAssociatePDULength == 1_048_576)
        let header = [type, 0x00] + PDUTest.bigEndian32(1_048_577)
        let error = try #require(PDUTest.decodingError(header))
        #expect(error.code == .pduLengthExceedsLimit)
        #expect(error.pduType == type)

        var decoder = PDUDecoder(maximumLengthReceived: 0)
        var atLimit = ByteBuffer(bytes: [type, 0x00] + PDUTest.bigEndian32(1_048_576))
        #expect(try decoder.decode(buffer: &atLimit) == nil, "at the limit it waits for the body")
    }

    @Test("the A-ASSOCIATE limit is configurable")
    func associateLimitConfigurable() throws {
        let decoder = PDUDecoder(maximumLengthReceived: 0, maximumAssociatePDULength: 179)
        let error = try #require(PDUTest.decodingError(AssociateRQTests.golden, decoder: decoder))
        #expect(error.code == .pduLengthExceedsLimit)
        let roomy = PDUDecoder(maximumLengthReceived: 0, maximumAssociatePDULength: 180)
        #expect(try PDUTest.decode(AssociateRQTests.golden, decoder: roomy) == AssociateRQTests.pdu)
    }

    @Test("an unrecognised PDU-type is refused from its header alone, before its body arrives")
    func unknownTypeFromHeader() throws {
        let error = try #require(PDUTest.decodingError([0x09, 0x00, 0x00, 0x01, 0x00, 0x00]))
        #expect(error.code == .unrecognizedPDUType)
        #expect(error.pduType == 0x09)
        #expect(error.description.contains("0x09"))
    }

    @Test("PDUEncoder writes what writePDU writes")
    func encoderMatchesWritePDU() throws {
        let encoder = PDUEncoder()
        for (bytes, pdu) in Self.stream {
            var out = ByteBuffer()
            try encoder.encode(data: pdu, out: &out)
            #expect(Array(out.readableBytesView) == bytes)
        }
    }
}
