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

    static func runs(_ pdu: PDU) -> [Run] {
        guard case .pDataTF(let data) = pdu else { return [] }
        var runs: [Run] = []
        for item in data.presentationDataValueItems {
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

    @Test("a stream of every PDU type in one read gives exactly what PDUDecoder decodes")
    func wholeStream() throws {
        let framed = try Self.frame([PDUDecoderTests.stream.flatMap(\.0)])
        #expect(framed.error == nil)
        #expect(framed.pdus == PDUDecoderTests.stream.map(\.1))
    }

    @Test("the stream cut in reads of any size gives the same PDUs; P-DATA-TF values may come in more PDVs",
          arguments: [1, 2, 3, 5, 7, 11, 64, 1000])
    func cutStream(size: Int) throws {
        let framed = try Self.frame(Self.reads(PDUDecoderTests.stream.flatMap(\.0), size: size))
        #expect(framed.error == nil)
        let expected = PDUDecoderTests.stream.map(\.1)
        try #require(framed.pdus.count == expected.count)
        for (pdu, wanted) in zip(framed.pdus, expected) {
            if case .pDataTF = wanted {
                #expect(Self.runs(pdu) == Self.runs(wanted))
            } else {
                #expect(pdu == wanted)
            }
        }
    }

    @Test("a large value arriving in several reads is one PDV per read, all but the last marked not last")
    func largeValueInReads() throws {
        let value = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let item = PDUTest.bigEndian32(value.count + 2) + [0x05, 0x02] + value
        let pdu = [0x04, 0x00] + PDUTest.bigEndian32(item.count) + item
        let framed = try Self.frame(Self.reads(pdu, size: 65_536))
        #expect(framed.error == nil)
        let only = try #require(framed.pdus.first)
        guard case .pDataTF(let data) = only else {
            Issue.record("not a P-DATA-TF: \(only)")
            return
        }
        // Reads: 6 + 6 header bytes then 65,524 value bytes; 65,536; 65,536; the last 3,404.
        #expect(data.presentationDataValueItems.map(\.fragment.readableBytes) == [65_524, 65_536, 65_536, 3_404])
        #expect(data.presentationDataValueItems.map(\.messageControlHeader) == [[], [], [], .lastFragment])
        #expect(data.presentationDataValueItems.allSatisfy { $0.presentationContextID == 5 })
        #expect(data.presentationDataValueItems.flatMap { Array($0.fragment.readableBytesView) } == value)
    }

    @Test("a PDU whose last byte comes alone is delivered only then")
    func waitsForTheWholePDU() throws {
        let channel = EmbeddedChannel(handler: PDUFramer(PDUDecoder(maximumLengthReceived: 0)))
        try channel.writeInbound(ByteBuffer(bytes: PDataTFTests.golden.dropLast()))
        #expect(try channel.readInbound(as: PDU.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: PDataTFTests.golden.suffix(1)))
        let pdu = try #require(try channel.readInbound(as: PDU.self))
        #expect(Self.runs(pdu) == Self.runs(PDataTFTests.pdu))
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
        for seed in PDUFuzzTests.seeds {
            for _ in 0..<100 {
                let mutant = PDUFuzzTests.mutate(seed, using: &rng)
                // Two PDUs: the mutant then a valid one, so that framing past the mutant counts too.
                let bytes = mutant + PDataTFTests.golden
                var expected: [PDU] = []
                var expectedError: PDUDecodingError?
                do {
                    expected = try PDUTest.decodeStream(bytes, chunkSize: bytes.count)
                } catch let error as PDUDecodingError {
                    expectedError = error
                }
                var reads: [[UInt8]] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 1...64, using: &rng))
                    reads.append(Array(bytes[start..<end]))
                    start = end
                }
                let framed = try Self.frame(reads)
                #expect(framed.error?.code == expectedError?.code, "\(mutant)")
                if expectedError == nil {
                    #expect(framed.pdus.count == expected.count, "\(mutant)")
                    for (pdu, wanted) in zip(framed.pdus, expected) {
                        if case .pDataTF = wanted {
                            #expect(Self.runs(pdu) == Self.runs(wanted), "\(mutant)")
                        } else {
                            #expect(pdu == wanted, "\(mutant)")
                        }
                    }
                }
            }
        }
    }

    @Test("after a malformed PDU nothing more is delivered, even a valid PDU in the same read")
    func stopsAfterAnError() throws {
        let framed = try Self.frame([[0x04, 0x00, 0x00, 0x00, 0x00, 0x00] + PDataTFTests.golden, PDataTFTests.golden])
        #expect(framed.error?.code == .missingItem)
        #expect(framed.pdus.isEmpty)
    }
}
