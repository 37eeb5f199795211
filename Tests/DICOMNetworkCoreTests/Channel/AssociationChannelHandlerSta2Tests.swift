import NIOCore
import NIOEmbedded
import Testing

@testable import DICOMNetworkCore

/// The acceptor's channel handler in Sta2 (transport open, no A-ASSOCIATE-RQ yet): any other
/// PDU is AA-1, an A-ABORT on the wire at once (PS3.8 Table 9-10), not a wait for ARTIM.
@Suite("AssociationChannelHandler in Sta2")
struct AssociationChannelHandlerSta2Tests {
    /// A-ABORT, service-user source, reason 0 (PS3.8 §9.3.8).
    static let abortBytes: [UInt8] = [0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00]

    static let unexpected: [(String, PDU)] = [
        ("P-DATA-TF", .pDataTF(PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: 1, messageControlHeader: [.command, .lastFragment], fragment: ByteBuffer(bytes: [0, 0])),
        ]))),
        ("A-RELEASE-RQ", .releaseRQ),
        ("A-RELEASE-RP", .releaseRP),
        ("A-ASSOCIATE-AC", AssociateACTests.pdu),
        ("A-ASSOCIATE-RJ", .associateRJ(PDU.AssociateRJ(result: .rejectedPermanent, source: .serviceUser, reason: .noReasonGiven))),
    ]

    @Test("a first PDU other than an A-ASSOCIATE-RQ gets an A-ABORT at once, and only an A-P-ABORT naming it goes up (for the acceptor's log)",
          arguments: unexpected.map(\.0))
    func abortsAtOnce(_ name: String) throws {
        let pdu = try #require(Self.unexpected.first { $0.0 == name }?.1)
        let channel = FileRegionPDataTFTests.acceptorChannel()
        defer { _ = try? channel.finish() }
        try channel.writeInbound(pdu)
        guard case .byteBuffer(let sent) = try #require(try channel.readOutbound(as: IOData.self)) else {
            Issue.record("expected the A-ABORT's bytes")
            return
        }
        #expect(Array(sent.readableBytesView) == Self.abortBytes)
        let indication = try channel.readInbound(as: UpperLayerIndication.self)
        guard case .providerAborted(let reason, let detail)? = indication else {
            Issue.record("expected an A-P-ABORT indication, got \(String(describing: indication))")
            return
        }
        #expect(reason == .unexpectedPDU)
        #expect(detail == "\(name) before any A-ASSOCIATE-RQ")
        #expect(try channel.readInbound(as: UpperLayerIndication.self) == nil)
    }
}
