@testable import DICOMNetwork
import Testing

/// The largest P-DATA-TF an AE sends: the peer's Maximum Length Received, narrowed by
/// `maximumSendPDUSize`; 0 (PS3.8 D.1's "no maximum") from either side sets no limit.
@Suite("The sent PDU length")
struct SentPDULengthTests {
    @Test("peer's maximum, our limit → the PDU length sent", arguments: [
        (UInt32?.none, UInt32?.none, UInt32(0)),
        (0, nil, 0),
        (16384, nil, 16384),
        (0, 8192, 8192),
        (nil, 8192, 8192),
        (16384, 8192, 8192),
        (4096, 8192, 4096),
    ])
    func sentLength(peer: UInt32?, limit: UInt32?, expected: UInt32) {
        var entity = ApplicationEntity(aeTitle: "SENDER")
        entity.maximumSendPDUSize = limit
        #expect(entity.sentPDULength(toPeerReceiving: peer) == expected)
    }
}
