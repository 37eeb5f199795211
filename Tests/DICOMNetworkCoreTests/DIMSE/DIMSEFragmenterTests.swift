import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("PDV fragmentation (PS3.8 Annex E)")
struct DIMSEFragmenterTests {
    /// Maximum PDU lengths: the smallest usable (8), odd ones (the fragment rounds down to even),
    /// the 16 KiB defaults of DCMTK and pynetdicom, and beyond the 1 MiB bound: 16 MiB, and 0 for
    /// no limit.
    static let maximumPDULengths: [UInt32] = [8, 9, 10, 11, 14, 17, 64, 255, 1000, 4096, 16382, 16384, 16385, 65536, 1 << 24, 0]

    /// Data set lengths: none, the shortest, either side of common fragment lengths, and large.
    static let dataSetLengths: [Int?] = [nil, 0, 2, 10, 1000, 16376, 16378, 16380, 100_000]

    static let command = try! CommandSet.encode(
        CStoreRequest(messageID: 7, affectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.2", affectedSOPInstanceUID: "1.2.3.4.5").commandSet
    )

    /// Checks every rule of PS3.8 §E.1 and §E.2 on `pdus`, and returns the command and data set
    /// bytes they carry. Violations are gathered and reported once, so that 50,000 PDUs cost one
    /// expectation, not 300,000.
    static func check(
        _ pdus: [PDU.PDataTF],
        maximumPDULength: UInt32,
        contextID: UInt8,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> (command: [UInt8], dataSet: [UInt8]?) {
        var command: [UInt8] = []
        var dataSet: [UInt8]?
        var commandDone = false
        var dataSetDone = false
        var violations: [String] = []
        func require(_ condition: Bool, _ violation: @autoclosure () -> String) {
            if !condition && violations.count < 10 { violations.append(violation()) }
        }
        for (index, pdu) in pdus.enumerated() {
            require(pdu.presentationDataValueItems.count == 1, "PDU \(index) has \(pdu.presentationDataValueItems.count) PDVs")
            let pdv = pdu.presentationDataValueItems[0]
            let pduLength = 6 + pdv.fragment.readableBytes
            require(maximumPDULength == 0 || pduLength <= Int(maximumPDULength), "PDU \(index) has PDU-length \(pduLength)")
            require(pdv.presentationContextID == contextID, "PDU \(index) is on context \(pdv.presentationContextID)")
            require(pdv.fragment.readableBytes % 2 == 0, "fragment \(index) is odd")
            if pdv.messageControlHeader.isCommand {
                require(!commandDone, "command fragment \(index) after the last one")
                require(dataSet == nil, "command fragment \(index) after data set fragments")
                require(pdv.fragment.readableBytes > 0, "command PDV \(index) is empty")
                command.append(contentsOf: pdv.fragment.readableBytesView)
                commandDone = pdv.messageControlHeader.isLastFragment
            } else {
                require(commandDone, "data set fragment \(index) before the command's last")
                require(!dataSetDone, "data set fragment \(index) after the last one")
                require(
                    pdv.fragment.readableBytes > 0 || (index == pdus.count - 1 && dataSet == nil),
                    "empty PDV \(index) in a non-empty data set"
                )
                dataSet = dataSet ?? []
                dataSet!.append(contentsOf: pdv.fragment.readableBytesView)
                dataSetDone = pdv.messageControlHeader.isLastFragment
            }
        }
        require(commandDone, "no last command fragment")
        require(dataSet == nil || dataSetDone, "no last data set fragment")
        #expect(violations == [], sourceLocation: sourceLocation)
        return (command, dataSet)
    }

    @Test("whole messages: fragments fit, are even, in order, flagged, and add up", arguments: maximumPDULengths, dataSetLengths)
    func wholeMessages(_ maximumPDULength: UInt32, _ dataSetLength: Int?) throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)
        let dataSet = dataSetLength.map { DIMSETest.pattern(count: $0) }
        let pdus = fragmenter.fragment(command: Self.command, dataSet: dataSet, presentationContextID: 3)
        let (command, dataSetBytes) = Self.check(pdus, maximumPDULength: maximumPDULength, contextID: 3)
        #expect(command == DIMSETest.bytes(Self.command))
        #expect(dataSetBytes == dataSet.map(DIMSETest.bytes))

        // Full PDUs: every fragment but each part's last is as long as allowed.
        let full = fragmenter.maximumFragmentLength
        let short = pdus.indices.filter {
            let pdv = pdus[$0].presentationDataValueItems[0]
            return !pdv.messageControlHeader.isLastFragment && pdv.fragment.readableBytes != full
        }
        #expect(short == [])
        let expectedCount = (Self.command.readableBytes + full - 1) / full + (dataSetLength.map { max(1, ($0 + full - 1) / full) } ?? 0)
        #expect(pdus.count == expectedCount)
    }

    @Test("the fragment length is the maximum minus 6, rounded down to even, and at most 1 MiB", arguments: maximumPDULengths)
    func fragmentLength(_ maximumPDULength: UInt32) throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)
        #expect(fragmenter.maximumPDULength == maximumPDULength)
        if maximumPDULength == 0 || maximumPDULength > 1 << 20 {
            #expect(fragmenter.maximumFragmentLength == 1_048_576)
        } else {
            #expect(fragmenter.maximumFragmentLength == Int(maximumPDULength - 6) & ~1)
            #expect(fragmenter.maximumFragmentLength + 6 <= Int(maximumPDULength))
            #expect(fragmenter.maximumFragmentLength + 8 > Int(maximumPDULength))
        }
    }

    @Test("a maximum PDU length too small for a 2-byte fragment is refused", arguments: [UInt32(1), 2, 5, 6, 7])
    func tooSmall(_ maximumPDULength: UInt32) {
        let error = DIMSETest.error { () throws(DIMSEError) in try DIMSEFragmenter(maximumPDULength: maximumPDULength) }
        #expect(error?.code == .maximumPDULengthTooSmall)
        #expect(DIMSEFragmenter.minimumMaximumPDULength == 8)
    }

    @Test("fragments are slices of the input, not copies")
    func zeroCopy() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 1000)
        let dataSet = DIMSETest.pattern(count: 10_000)
        let base = dataSet.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
        let pdus = fragmenter.fragment(command: Self.command, dataSet: dataSet, presentationContextID: 1)
        var expectedAddress = base
        for pdu in pdus.dropFirst() {
            let fragment = pdu.presentationDataValueItems[0].fragment
            #expect(fragment.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) } == expectedAddress)
            expectedAddress += UInt(fragment.readableBytes)
        }
        #expect(expectedAddress == base + 10_000)
    }

    @Test("the PDUs encode within the limit and decode with a decoder enforcing it", arguments: [UInt32(8), 17, 4096, 16384])
    func decoderAcceptsThem(_ maximumPDULength: UInt32) throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)
        let pdus = fragmenter.fragment(command: Self.command, dataSet: DIMSETest.pattern(count: 20_000), presentationContextID: 5)
        var wire = try DIMSETest.wire(pdus)
        #expect(wire.readableBytes == pdus.reduce(0) { $0 + 12 + $1.presentationDataValueItems[0].fragment.readableBytes })
        var decoder = PDUDecoder(maximumLengthReceived: maximumPDULength)
        var decoded: [PDU] = []
        while let pdu = try decoder.decode(buffer: &wire) { decoded.append(pdu) }
        #expect(decoded == pdus.map(PDU.pDataTF))
    }

    // MARK: Streaming

    /// Chunk lengths: aligned to the fragment, misaligned, tiny, odd, and empty chunks between.
    /// Every total is even, as every encoded data set is (PS3.5 §7.1).
    static let chunkings: [[Int]] = [
        [1000],
        [994, 994, 994],
        [1988, 12],
        [500, 500, 500, 500],
        [2, 2, 2, 2, 2],
        [1, 1, 1, 1],
        [3, 5, 7, 991, 2],
        [999, 1001, 0, 0, 2],
        [0, 0, 10],
        [0],
        [3000, 0],
        [7, 3000, 13, 2000, 2],
    ]

    @Test("streamed chunks give the same bytes, in fitting, even, non-empty fragments", arguments: chunkings, [UInt32(8), 1000, 0])
    func streaming(_ chunkLengths: [Int], _ maximumPDULength: UInt32) throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)
        let total = chunkLengths.reduce(0, +)
        let dataSet = DIMSETest.pattern(count: total, seed: 17)
        var pdus: [PDU.PDataTF] = []
        fragmenter.fragmentCommand(Self.command, presentationContextID: 9) { pdus.append($0) }
        var stream = fragmenter.dataSetStream(presentationContextID: 9)
        var offset = 0
        for (index, length) in chunkLengths.enumerated() {
            let isLast = index == chunkLengths.count - 1
            pdus += stream.append(dataSet.getSlice(at: offset, length: length)!, isLast: isLast)
            offset += length
            #expect(stream.isFinished == isLast)
            #expect(stream.heldByteCount <= max(fragmenter.maximumFragmentLength, 1))
        }
        let (command, dataSetBytes) = Self.check(pdus, maximumPDULength: maximumPDULength, contextID: 9)
        #expect(command == DIMSETest.bytes(Self.command))
        #expect(dataSetBytes == DIMSETest.bytes(dataSet))
    }

    @Test("a data set of odd length (invalid, PS3.5 §7.1) has only its last fragment odd")
    func oddDataSet() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 16)
        var stream = fragmenter.dataSetStream(presentationContextID: 1)
        var pdus = stream.append(DIMSETest.pattern(count: 7), isLast: false)
        pdus += stream.append(DIMSETest.pattern(count: 18, seed: 7), isLast: true)
        #expect(pdus.map { $0.presentationDataValueItems[0].fragment.readableBytes } == [10, 10, 5])
        #expect(pdus.flatMap { DIMSETest.bytes($0.presentationDataValueItems[0].fragment) } == DIMSETest.bytes(DIMSETest.pattern(count: 25)))
    }

    @Test("chunks of a multiple of the fragment length give only full PDUs, without copies")
    func alignedChunksGiveFullPDUs() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 16384)
        let chunkLength = fragmenter.maximumFragmentLength * 4
        let chunks = (0..<5).map { DIMSETest.pattern(count: chunkLength, seed: $0) }
        var stream = fragmenter.dataSetStream(presentationContextID: 1)
        var pdus: [PDU.PDataTF] = []
        for (index, chunk) in chunks.enumerated() {
            let emitted = stream.append(chunk, isLast: index == chunks.count - 1)
            // One fragment of each chunk waits for the next: it might have been the last.
            #expect(emitted.count == (index == 0 ? 3 : index == chunks.count - 1 ? 5 : 4))
            pdus += emitted
        }
        #expect(pdus.count == 20)
        #expect(pdus.allSatisfy { $0.presentationDataValueItems[0].fragment.readableBytes == fragmenter.maximumFragmentLength })
        #expect(pdus.map(\.presentationDataValueItems[0].messageControlHeader) == Array(repeating: [], count: 19) + [.lastFragment])
        // Each fragment points into its chunk.
        for (index, pdu) in pdus.enumerated() {
            let chunk = chunks[index / 4]
            let chunkBase = chunk.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
            let address = pdu.presentationDataValueItems[0].fragment.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
            #expect(address == chunkBase + UInt((index % 4) * fragmenter.maximumFragmentLength))
        }
    }

    @Test("an empty data set is one empty PDV with the last-fragment bit")
    func emptyDataSet() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 16384)
        var stream = fragmenter.dataSetStream(presentationContextID: 1)
        #expect(stream.append(ByteBuffer(), isLast: false).isEmpty)
        let pdus = stream.append(ByteBuffer(), isLast: true)
        #expect(pdus.count == 1)
        #expect(pdus.first?.presentationDataValueItems.first?.messageControlHeader == .lastFragment)
        #expect(pdus.first?.presentationDataValueItems.first?.fragment.readableBytes == 0)
    }

    @Test("a message value fragments with its encoded command set, and must agree about its data set")
    func messages() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 64)
        let store = CStoreRequest(messageID: 7, affectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.2", affectedSOPInstanceUID: "1.2.3.4.5")
        let dataSet = DIMSETest.pattern(count: 100)
        let pdus = try fragmenter.fragment(.cStoreRequest(store), dataSet: dataSet, presentationContextID: 1)
        #expect(pdus == fragmenter.fragment(command: Self.command, dataSet: dataSet, presentationContextID: 1))
        let missing = DIMSETest.error { () throws(DIMSEError) in try fragmenter.fragment(.cStoreRequest(store), presentationContextID: 1) }
        #expect(missing?.code == .invalidField)
        let echo = DIMSEMessage.cEchoRequest(CEchoRequest(messageID: 1))
        let extra = DIMSETest.error { () throws(DIMSEError) in try fragmenter.fragment(echo, dataSet: dataSet, presentationContextID: 1) }
        #expect(extra?.code == .invalidField)
        #expect(try fragmenter.fragment(echo, presentationContextID: 1).count == 2)
    }

    @Test("a message without a data set is its command alone")
    func commandOnly() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 16384)
        let command = try CommandSet.encode(CEchoRequest(messageID: 1).commandSet)
        let pdus = fragmenter.fragment(command: command, presentationContextID: 1)
        #expect(pdus == [PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: 1, messageControlHeader: [.command, .lastFragment], fragment: command)
        ])])
        // On the wire: PDU-length 74 = 6 + 68, item-length 70 = 2 + 68 (PS3.8 Tables 9-22, 9-23).
        let wire = try DIMSETest.wire(pdus)
        #expect(Array(DIMSETest.bytes(wire).prefix(12)) == [0x04, 0x00, 0x00, 0x00, 0x00, 0x4A, 0x00, 0x00, 0x00, 0x46, 0x01, 0x03])
    }
}
