import DICOMNetworkCore
import NIOCore
import NIOEmbedded
import Testing

@Suite("PDUFramer: PDUs from reads, P-DATA-TF values as slices of them")
struct PDUFramerTests {
    /// What a framer made of some reads: the PDUs, then the error that stopped it, if any.
    struct Framed {
        var pdus: [PDU] = []
        var error: PDUDecodingError?
    }

    /// Feeds `reads` to a framer on an embedded channel, one read each.
    static func frame(_ reads: [[UInt8]], maximumLengthReceived: UInt32 = 0) throws -> Framed {
        let channel = EmbeddedChannel(handler: PDUFramer(PDUDecoder(maximumLengthReceived: maximumLengthReceived)))
        var framed = Framed()
        for read in reads {
            do {
                try channel.writeInbound(ByteBuffer(bytes: read))
            } catch let error as PDUDecodingError {
                framed.error = error
            }
            while let pdu = try channel.readInbound(as: PDU.self) { framed.pdus.append(pdu) }
        }
        _ = try channel.finish()
        return framed
    }

    /// `bytes` in reads of `size` bytes.
    static func reads(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    /// What the DIMSE layer makes of a P-DATA-TF: runs of one context's command or data set
    /// bytes, each ended by a last fragment or not. A value cut in several PDVs by the framer
    /// gives the same runs as the value whole.
    struct Run: Equatable {
        var contextID: UInt8
        var isCommand: Bool
        var bytes: [UInt8]
        var isLast: Bool
    }

    static func runs(_ pdu: PDU) -> [Run] { runs([pdu]) }

    /// The runs of consecutive P-DATA-TF PDUs, one wire PDU possibly handed on as several.
    static func runs(_ pdus: [PDU]) -> [Run] {
        let items = pdus.flatMap { pdu -> [PDU.PresentationDataValueItem] in
            guard case .pDataTF(let data) = pdu else { return [] }
            return data.presentationDataValueItems
        }
        var runs: [Run] = []
        for item in items {
            let bytes = Array(item.fragment.readableBytesView)
            if let last = runs.last, !last.isLast, last.contextID == item.presentationContextID,
               last.isCommand == item.messageControlHeader.isCommand {
                runs[runs.count - 1].bytes += bytes
                runs[runs.count - 1].isLast = item.messageControlHeader.isLastFragment
            } else {
                runs.append(Run(contextID: item.presentationContextID, isCommand: item.messageControlHeader.isCommand,
                                bytes: bytes, isLast: item.messageControlHeader.isLastFragment))
            }
        }
        return runs
    }

    /// `framed` and `expected` agree: the same PDUs other than P-DATA-TF, in order, and between
    /// each two of them P-DATA-TF PDUs carrying the same runs.
    static func agree(_ framed: [PDU], _ expected: [PDU]) -> Bool {
        func segments(_ pdus: [PDU]) -> [(runs: [Run], next: PDU?)] {
            var segments: [(runs: [Run], next: PDU?)] = []
            var pending: [PDU] = []
            for pdu in pdus {
                if case .pDataTF = pdu {
                    pending.append(pdu)
                } else {
                    segments.append((runs(pending), pdu))
                    pending = []
                }
            }
            segments.append((runs(pending), nil))
            return segments
        }
        let (a, b) = (segments(framed), segments(expected))
        return a.count == b.count && zip(a, b).allSatisfy { $0.runs == $1.runs && $0.next == $1.next }
    }

    @Test("a stream of every PDU type in one read gives exactly what PDUDecoder decodes")
    func wholeStream() throws {
        let framed = try Self.frame([PDUDecoderTests.stream.flatMap(\.0)])
        #expect(framed.error == nil)
        #expect(framed.pdus == PDUDecoderTests.stream.map(\.1))
    }

    @Test("the stream cut in reads of any size gives the same PDUs; P-DATA-TF values may come in more PDVs and PDUs",
          arguments: [1, 2, 3, 5, 7, 11, 64, 1000])
    func cutStream(size: Int) throws {
        let framed = try Self.frame(Self.reads(PDUDecoderTests.stream.flatMap(\.0), size: size))
        #expect(framed.error == nil)
        #expect(Self.agree(framed.pdus, PDUDecoderTests.stream.map(\.1)))
    }

    @Test("a large value goes on read by read, as one PDV each, all but the last marked not last")
    func largeValueInReads() throws {
        let value = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let item = PDUTest.bigEndian32(value.count + 2) + [0x05, 0x02] + value
        let pdu = [0x04, 0x00] + PDUTest.bigEndian32(item.count) + item
        let framed = try Self.frame(Self.reads(pdu, size: 65_536))
        #expect(framed.error == nil)
        let items = framed.pdus.map { pdu -> [PDU.PresentationDataValueItem] in
            guard case .pDataTF(let data) = pdu else { return [] }
            return data.presentationDataValueItems
        }
        // Reads: 6 + 6 header bytes then 65,524 value bytes; 65,536; 65,536; the last 3,404.
        #expect(items.map { $0.map(\.fragment.readableBytes) } == [[65_524], [65_536], [65_536], [3_404]])
        #expect(items.flatMap { $0.map(\.messageControlHeader) } == [[], [], [], .lastFragment])
        #expect(items.joined().allSatisfy { $0.presentationContextID == 5 })
        #expect(items.joined().flatMap { Array($0.fragment.readableBytesView) } == value)
    }

    @Test("P-DATA-TF values go on as they arrive; another PDU only when whole")
    func handsOnWhatHasArrived() throws {
        let channel = EmbeddedChannel(handler: PDUFramer(PDUDecoder(maximumLengthReceived: 0)))
        // The golden P-DATA-TF but its last byte: two whole PDVs and half of the third's header.
        try channel.writeInbound(ByteBuffer(bytes: PDataTFTests.golden.dropLast()))
        let first = try #require(try channel.readInbound(as: PDU.self))
        #expect(try channel.readInbound(as: PDU.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: PDataTFTests.golden.suffix(1)))
        let second = try #require(try channel.readInbound(as: PDU.self))
        #expect(Self.runs([first, second]) == Self.runs(PDataTFTests.pdu))
        guard case .pDataTF(let rest) = second else {
            Issue.record("not a P-DATA-TF: \(second)")
            return
        }
        #expect(rest.presentationDataValueItems.map(\.presentationContextID) == [3])

        let release: [UInt8] = [0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00]
        try channel.writeInbound(ByteBuffer(bytes: release.dropLast()))
        #expect(try channel.readInbound(as: PDU.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: release.suffix(1)))
        #expect(try channel.readInbound(as: PDU.self) == .releaseRQ)
        _ = try channel.finish()
    }

    @Test("a P-DATA-TF of 100 MiB declared with no maximum length holds no more than a read")
    func noMaximumLengthHoldsAReadAtMost() throws {
        let channel = EmbeddedChannel(handler: PDUFramer(PDUDecoder(maximumLengthReceived: 0)))
        let valueLength = 100 << 20
        try channel.writeInbound(ByteBuffer(bytes: [0x04, 0x00] + PDUTest.bigEndian32(valueLength + 6) + PDUTest.bigEndian32(valueLength + 2) + [0x01, 0x02]))
        var delivered = 0
        let read = ByteBuffer(repeating: 0xAB, count: 65_536)
        for _ in 0..<32 {
            try channel.writeInbound(read)
            let pdu = try #require(try channel.readInbound(as: PDU.self))
            guard case .pDataTF(let data) = pdu else { return }
            delivered += data.presentationDataValueItems.reduce(0) { $0 + $1.fragment.readableBytes }
            #expect(data.presentationDataValueItems.allSatisfy { !$0.messageControlHeader.isLastFragment })
        }
        #expect(delivered == 32 * 65_536)
        _ = try channel.finish()
    }

    @Test("a P-DATA-TF longer than the limit is refused from its header, before its body")
    func limitFromHeader() throws {
        let framed = try Self.frame([PDUDecoderTests.pDataHeader(length: 16_385)], maximumLengthReceived: 16_384)
        #expect(framed.error?.code == .pduLengthExceedsLimit)
        #expect(framed.pdus.isEmpty)
    }

    @Test("malformed input raises the code PDUDecoder raises, whole or a byte at a time", arguments: MalformedPDUTests.cases)
    func malformed(testCase: MalformedCase) throws {
        for reads in [[testCase.bytes], Self.reads(testCase.bytes, size: 1)] {
            let framed = try Self.frame(reads)
            let error = try #require(framed.error, "\(framed.pdus)")
            #expect(error.code == testCase.code, "\(error)")
            if let offset = testCase.offset {
                #expect(error.offset == offset, "\(error)")
            }
        }
    }

    @Test("mutated PDUs cut in random reads: the framer delivers what PDUDecoder decodes, or fails with its code")
    func agreesWithTheDecoderOnMutants() throws {
        var rng = SplitMix64(seed: 0x5EED_F4A3)
        var (failed, compared) = (0, 0)
        for seed in PDUFuzzTests.seeds {
            for _ in 0..<100 {
                let mutant = PDUFuzzTests.mutate(seed, using: &rng)
                // Two PDUs: the mutant then a valid one, so that framing past the mutant counts too.
                let bytes = mutant + PDataTFTests.golden
                // The decoder, given every byte at once; `complete` when they end with a PDU.
                var expected: [PDU] = []
                var expectedError: PDUDecodingError?
                var decoder = PDUDecoder(maximumLengthReceived: 0)
                var buffer = ByteBuffer(bytes: bytes)
                do {
                    while let pdu = try decoder.decode(buffer: &buffer) { expected.append(pdu) }
                } catch let error as PDUDecodingError {
                    expectedError = error
                }
                let complete = buffer.readableBytes == 0
                var reads: [[UInt8]] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 1...64, using: &rng))
                    reads.append(Array(bytes[start..<end]))
                    start = end
                }
                let framed = try Self.frame(reads)
                if let expectedError {
                    // The same PDU is the first malformed one, and the same fault in it the first.
                    #expect(framed.error?.code == expectedError.code, "\(mutant)")
                    failed += 1
                } else if complete {
                    compared += 1
                    #expect(framed.error == nil, "\(mutant)")
                    #expect(Self.agree(framed.pdus, expected), "\(mutant)")
                }
                // Else the last PDU is cut short: the decoder waits for the rest, while the framer
                // has handed on its values so far, or found a fault in them already.
            }
        }
        // Both kinds of outcome are exercised, not just cut-short streams.
        #expect(failed > 200 && compared > 200, "\(failed) failed, \(compared) compared")
    }

    @Test("after a malformed PDU nothing more is delivered, even a valid PDU in the same read")
    func stopsAfterAnError() throws {
        let framed = try Self.frame([[0x04, 0x00, 0x00, 0x00, 0x00, 0x00] + PDataTFTests.golden, PDataTFTests.golden])
        #expect(framed.error?.code == .missingItem)
        #expect(framed.pdus.isEmpty)
    }
}
