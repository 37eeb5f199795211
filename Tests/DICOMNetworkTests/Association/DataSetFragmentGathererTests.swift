@testable import DICOMNetwork
import DICOMNetworkCore
import NIOCore
import NIOEmbedded
import Testing

/// The gatherer regroups the P-DATA-TF indications of a large data set, and only regroups: the
/// PDVs handed on are those received, in order, and nothing waits that the task could use.
@Suite("DataSetFragmentGatherer: a data set's middle handed on in large groups")
struct DataSetFragmentGathererTests {
    static func pdv(_ length: Int, command: Bool = false, last: Bool = false, fill: UInt8 = 0, contextID: UInt8 = 1) -> PDU.PresentationDataValueItem {
        var header: PDU.MessageControlHeader = []
        if command { header.insert(.command) }
        if last { header.insert(.lastFragment) }
        return PDU.PresentationDataValueItem(
            presentationContextID: contextID, messageControlHeader: header, fragment: ByteBuffer(repeating: fill, count: length))
    }

    static func pData(_ items: PDU.PresentationDataValueItem...) -> UpperLayerIndication {
        .pData(PDU.PDataTF(presentationDataValueItems: items))
    }

    /// An indication as the tests compare it: a P-DATA-TF's PDVs, or the name of anything else.
    enum Seen: Equatable {
        case pData([PDU.PresentationDataValueItem])
        case other(String)

        init(_ indication: UpperLayerIndication) {
            if case .pData(let data) = indication {
                self = .pData(data.presentationDataValueItems)
            } else {
                self = .other("\(indication)")
            }
        }
    }

    /// Feeds `indications` one by one (then closes the connection if `close`); returns what
    /// came out after each.
    static func feed(_ indications: [UpperLayerIndication], close: Bool = false) throws -> [[Seen]] {
        let channel = EmbeddedChannel(handler: DataSetFragmentGatherer())
        var out: [[Seen]] = []
        func drain() throws {
            var now: [Seen] = []
            while let next = try channel.readInbound(as: UpperLayerIndication.self) { now.append(Seen(next)) }
            out.append(now)
        }
        for indication in indications {
            try channel.writeInbound(indication)
            try drain()
        }
        if close {
            channel.pipeline.fireChannelInactive()
            try drain()
        }
        _ = try? channel.finish()
        return out
    }

    static func seen(_ indication: UpperLayerIndication) -> Seen { Seen(indication) }

    static func items(_ seen: [Seen]) -> [PDU.PresentationDataValueItem] {
        seen.flatMap { item -> [PDU.PresentationDataValueItem] in
            guard case .pData(let items) = item else { return [] }
            return items
        }
    }

    @Test("commands and whole data sets pass at once, unchanged")
    func passesAtOnce() throws {
        let command = Self.pData(Self.pdv(80, command: true, last: true))
        let wholeDataSet = Self.pData(Self.pdv(500, last: true))
        let both = Self.pData(Self.pdv(80, command: true, last: true), Self.pdv(300, last: true))
        let out = try Self.feed([command, wholeDataSet, both])
        #expect(out == [[Self.seen(command)], [Self.seen(wholeDataSet)], [Self.seen(both)]])
    }

    @Test("a data set's middle waits for its last fragment, then goes on as one P-DATA-TF, in order")
    func middleWaitsForLast() throws {
        let fragments = (0..<5).map { Self.pdv(16_000, last: $0 == 4, fill: UInt8($0)) }
        let out = try Self.feed([Self.pData(Self.pdv(80, command: true, last: true))] + fragments.map { Self.pData($0) })
        #expect(out.map { $0.count } == [1, 0, 0, 0, 0, 1])
        #expect(Self.items(out[5]) == fragments)
    }

    @Test("at a megabyte held, what is held goes on without waiting for the last fragment")
    func handsOnAtTheLimit() throws {
        let length = 128 * 1024
        let count = DataSetFragmentGatherer.gatheredLength / length
        let fragments = (0..<(count + 2)).map { Self.pdv(length, fill: UInt8($0 % 251)) }
        let out = try Self.feed(fragments.map { Self.pData($0) })
        #expect(out.map { $0.count } == Array(repeating: 0, count: count - 1) + [1, 0, 0])
        #expect(Self.items(out[count - 1]) == Array(fragments.prefix(count)))
    }

    @Test("a command after a held middle (the peer broke the framing) goes on after it, in order")
    func commandAfterHeldMiddle() throws {
        let middle = Self.pdv(1000)
        let command = Self.pdv(80, command: true, last: true)
        let out = try Self.feed([Self.pData(middle), Self.pData(command)])
        #expect(out.map { $0.count } == [0, 1])
        #expect(Self.items(out[1]) == [middle, command])
    }

    @Test("a release or an abort goes on after what was held")
    func otherIndicationsFlushFirst() throws {
        let middle = Self.pdv(1000)
        let out = try Self.feed([Self.pData(middle), .releaseRequested])
        #expect(out.map { $0.count } == [0, 2])
        #expect(out[1] == [.pData([middle]), Self.seen(.releaseRequested)])
    }

    @Test("a closed connection hands on what was held before it goes inactive")
    func inactiveFlushes() throws {
        let middle = Self.pdv(1000)
        let out = try Self.feed([Self.pData(middle)], close: true)
        #expect(out == [[], [.pData([middle])]])
    }
}
