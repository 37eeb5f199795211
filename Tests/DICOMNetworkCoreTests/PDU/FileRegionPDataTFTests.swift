import DICOMCore
import DICOMNetworkCore
import Foundation
import NIOCore
import NIOEmbedded
import Testing

/// Data sets sent from their files: the P-DATA-TF header written before a file region, the
/// fragmenter's file regions, and the channel handler writing them as P-DATA requests.
@Suite("P-DATA-TF from a file (PS3.8 §9.3.5, sendfile)")
struct FileRegionPDataTFTests {
    /// A temporary file of `length` bytes counting up (mod 251, so no fragment repeats another).
    static func file(length: Int) throws -> (path: String, bytes: [UInt8]) {
        let bytes = (0..<length).map { UInt8($0 % 251) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-region-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return (path, bytes)
    }

    /// Runs `body` with a temporary file of `length` bytes (``file(length:)``), its bytes, and a
    /// handle open on it; closes and removes the file after.
    static func withFile<T>(length: Int, _ body: (_ bytes: [UInt8], _ handle: NIOFileHandle) throws -> T) throws -> T {
        let (path, bytes) = try file(length: length)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try NIOFileHandle(_deprecatedPath: path)
        defer { try? handle.close() }
        return try body(bytes, handle)
    }

    /// An acceptor's channel handler in an embedded channel whose transport is up (Sta2).
    static func acceptorChannel() -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: AssociationChannelHandler(role: .acceptor, artimTimeout: .seconds(30)))
        channel.pipeline.fireChannelActive()
        return channel
    }

    /// An acceptor's embedded channel with an association established (Sta6): the
    /// A-ASSOCIATE-RQ read, the -AC written and taken from the outbound side.
    static func establishedAcceptorChannel() throws -> EmbeddedChannel {
        let channel = acceptorChannel()
        try channel.writeInbound(PDUTest.associateRQ(userInformation: [.maximumLength(0)]))
        guard case .associateRequested = try channel.readInbound(as: UpperLayerIndication.self),
              case .associateAC(let accept) = AssociateACTests.pdu else {
            throw PDUTestFailure("no A-ASSOCIATE indication")
        }
        try channel.writeOutbound(UpperLayerRequest.accept(accept))
        _ = try channel.readOutbound(as: IOData.self)  // the A-ASSOCIATE-AC
        return channel
    }

    /// What a PDU sent from a file puts on the wire: its header, then the region's bytes.
    static func wireBytes(_ pdu: PDU.FileRegionPDataTF, file bytes: [UInt8]) throws -> [UInt8] {
        let header = try pdu.encodedHeader(allocator: ByteBufferAllocator())
        return Array(header.readableBytesView) + Array(bytes[pdu.fragment.readerIndex..<pdu.fragment.endIndex])
    }

    @Test("header and region are the bytes writePDU writes for the same PDV", arguments: [
        (2, PDU.MessageControlHeader.lastFragment), (4096, PDU.MessageControlHeader()),
        (131_066, PDU.MessageControlHeader.lastFragment), (1 << 20, PDU.MessageControlHeader()),
    ])
    func sameBytesAsWritePDU(length: Int, header: PDU.MessageControlHeader) throws {
        try Self.withFile(length: length + 10) { bytes, handle in
            let pdu = PDU.FileRegionPDataTF(
                presentationContextID: 5, messageControlHeader: header, fragment: FileRegion(fileHandle: handle, readerIndex: 10, endIndex: 10 + length))

            var expected = ByteBuffer()
            try expected.writePDU(.pDataTF(PDU.PDataTF(presentationDataValueItems: [
                PDU.PresentationDataValueItem(presentationContextID: 5, messageControlHeader: header, fragment: ByteBuffer(bytes: bytes[10..<(10 + length)])),
            ])))
            #expect(try Self.wireBytes(pdu, file: bytes) == Array(expected.readableBytesView))
        }
    }

    @Test("a data set sent from its file in batches makes the PDUs a data set stream of its bytes makes", arguments: [
        (16384 as UInt32, 2), (16384, 16378), (16384, 16380), (131_072, 1_000_000), (0, 3 << 20), (131_072, 9 << 20),
    ])
    func sameAsStream(maximumPDULength: UInt32, length: Int) throws {
        try Self.withFile(length: length + 100) { bytes, handle in
            let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)

            // Batches of whole fragments, as AssociationLink sends them.
            let batch = 4 * fragmenter.maximumFragmentLength
            var fromFile: [UInt8] = []
            var lastFlags: [Bool] = []
            var start = 100
            while start < 100 + length {
                let end = min(start + batch, 100 + length)
                try fragmenter.fileFragments(of: handle, range: start..<end, endsDataSet: end == 100 + length, presentationContextID: 3) { pdu in
                    #expect(pdu.fragment.readableBytes <= fragmenter.maximumFragmentLength)
                    lastFlags.append(pdu.messageControlHeader.contains(.lastFragment))
                    fromFile += try Self.wireBytes(pdu, file: bytes)
                }
                start = end
        }

        var stream = fragmenter.dataSetStream(presentationContextID: 3)
        var expected = ByteBuffer()
        for pdu in stream.append(ByteBuffer(bytes: bytes[100...]), isLast: true) { try expected.writePDU(.pDataTF(pdu)) }
        #expect(fromFile == Array(expected.readableBytesView))
        #expect(lastFlags.last == true)
        #expect(lastFlags.dropLast().allSatisfy { !$0 }, "only the data set's last PDV is marked last")
        }
    }

    @Test("the channel handler writes a P-DATA request from a file as its header, then the file region")
    func channelHandlerWritesRegion() throws {
        try Self.withFile(length: 1000) { bytes, handle in
            let channel = try Self.establishedAcceptorChannel()
            defer { _ = try? channel.finish() }
            let region = FileRegion(fileHandle: handle, readerIndex: 200, endIndex: 1000)
            let pdu = PDU.FileRegionPDataTF(presentationContextID: 1, messageControlHeader: .lastFragment, fragment: region)
            let written = channel.write(UpperLayerRequest.pDataFromFile(pdu))
            channel.flush()
            try written.wait()
            guard case .byteBuffer(let header) = try #require(try channel.readOutbound(as: IOData.self)),
                  case .fileRegion(let sent) = try #require(try channel.readOutbound(as: IOData.self))
            else {
                Issue.record("expected a header buffer, then a file region")
                return
            }
            #expect(Array(header.readableBytesView) == [0x04, 0x00, 0x00, 0x00, 0x03, 0x26, 0x00, 0x00, 0x03, 0x22, 0x01, 0x02])
            #expect(sent.readerIndex == 200 && sent.endIndex == 1000)
            #expect(try Self.wireBytes(pdu, file: bytes).count == 12 + 800)
        }
    }

    @Test("a P-DATA request from a file before the association is established is refused (Sta2, Evt9)")
    func refusedBeforeAssociation() throws {
        try Self.withFile(length: 10) { _, handle throws in
            let channel = Self.acceptorChannel()
            defer { _ = try? channel.finish() }
            let pdu = PDU.FileRegionPDataTF(
                presentationContextID: 1, messageControlHeader: .lastFragment, fragment: FileRegion(fileHandle: handle, readerIndex: 0, endIndex: 10))
            let written = channel.writeAndFlush(UpperLayerRequest.pDataFromFile(pdu))
            #expect(throws: AssociationStateError.self) { try written.wait() }
            #expect(try channel.readOutbound(as: IOData.self) == nil, "nothing is sent")
        }
    }

    /// A set-up step that did not go as a test expects.
    struct PDUTestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
