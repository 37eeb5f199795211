import DICOMNetworkCore
import NIOCore
import Testing

/// SplitMix64: a tiny seeded generator, so that every run mutates the same way.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Mutated PDUs never trap")
struct PDUFuzzTests {
    static let seeds: [[UInt8]] = PDUDecoderTests.stream.map(\.0) + [
        CapturedPeerPDUs.dcmtkEchoSCUAssociateRQ,
        CapturedPeerPDUs.pynetdicomEchoSCUAssociateRQ,
        CapturedPeerPDUs.dcmtkStoreSCPAssociateAC,
    ]

    static let mutantsPerSeed = 400

    /// Changes `bytes` in one to four random ways; half the time fixes the PDU-length afterwards so
    /// that the body parsers, not just the framing, see the damage.
    static func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = Bool.random(using: &rng) ? 0x00 : 0xFF
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &rng)...)
            case 3:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            case 4 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng))
            case 5 where bytes.count > 8:
                // A length-like field: overwrite two adjacent bytes somewhere after the header.
                let index = Int.random(in: 6..<(bytes.count - 1), using: &rng)
                bytes[index] = UInt8.random(in: 0...255, using: &rng)
                bytes[index + 1] = UInt8.random(in: 0...255, using: &rng)
            default:
                break
            }
        }
        if bytes.count >= 6, Bool.random(using: &rng) {
            bytes.replaceSubrange(2..<6, with: PDUTest.bigEndian32(bytes.count - 6))
        }
        return bytes
    }

    @Test("random mutations decode or throw PDUDecodingError, and what decodes re-encodes stably", arguments: seeds.indices)
    func mutations(seedIndex: Int) throws {
        var rng = SplitMix64(seed: 0xD1C0_0000 + UInt64(seedIndex))
        var decoded = 0
        var rejected = 0
        for _ in 0..<Self.mutantsPerSeed {
            let mutant = Self.mutate(Self.seeds[seedIndex], using: &rng)
            var decoder = PDUDecoder(maximumLengthReceived: 0)
            var buffer = ByteBuffer(bytes: mutant)
            do {
                for _ in 0..<8 {
                    guard let pdu = try decoder.decode(buffer: &buffer) else { break }
                    decoded += 1
                    try Self.checkStableReencoding(of: pdu, mutant: mutant)
                }
                _ = try decoder.decodeLast(buffer: &buffer, seenEOF: true)
            } catch let error as PDUDecodingError {
                rejected += 1
                #expect(error.offset >= 0 && error.offset <= mutant.count, "\(error) for \(mutant)")
            }
        }
        // Both outcomes must occur, or the mutator is not exercising the decoder.
        #expect(decoded > 0)
        #expect(rejected > 0)
    }

    /// A decoded PDU either cannot be encoded (a field grew past its limit through U+FFFD
    /// replacement) or encodes to bytes that decode to a PDU which encodes to the same bytes.
    static func checkStableReencoding(of pdu: PDU, mutant: [UInt8]) throws {
        let first: [UInt8]
        do {
            first = try PDUTest.encode(pdu)
        } catch is PDUEncodingError {
            return
        }
        var decoder = PDUDecoder(maximumLengthReceived: 0)
        var buffer = ByteBuffer(bytes: first)
        let again = try #require(try decoder.decode(buffer: &buffer), "re-encoding of \(mutant) does not decode")
        #expect(buffer.readableBytes == 0)
        #expect(try PDUTest.encode(again) == first, "unstable re-encoding of \(mutant)")
    }

    @Test("every truncation of every seed waits or throws, never traps")
    func truncations() throws {
        for seed in Self.seeds {
            for length in 0..<seed.count {
                var decoder = PDUDecoder(maximumLengthReceived: 0)
                var buffer = ByteBuffer(bytes: seed.prefix(length))
                #expect(try decoder.decode(buffer: &buffer) == nil)
                // With the PDU-length shrunk to fit, the body parsers see the cut.
                if length >= 6 {
                    var fitted = Array(seed.prefix(length))
                    fitted.replaceSubrange(2..<6, with: PDUTest.bigEndian32(length - 6))
                    _ = PDUTest.decodingError(fitted)
                }
            }
        }
    }
}
