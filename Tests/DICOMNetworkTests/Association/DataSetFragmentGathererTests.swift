@testable import DICOMNetwork
import DICOMNetworkCore
import NIOCore
import Testing

/// The gatherer regroups the P-DATA-TFs of a data set's middle, and only regroups: the PDVs
/// handed on are those received, in order. (What may wait is the shortcut handler's call: see
/// DIMSEShortcutTests.)
@Suite("DataSetFragmentGatherer: a data set's middle handed on in large groups")
struct DataSetFragmentGathererTests {
    static func pdv(_ length: Int, last: Bool = false, fill: UInt8 = 0) -> PDU.PresentationDataValueItem {
        PDU.PresentationDataValueItem(
            presentationContextID: 1, messageControlHeader: last ? [.lastFragment] : [], fragment: ByteBuffer(repeating: fill, count: length))
    }

    static func pData(_ items: PDU.PresentationDataValueItem...) -> PDU.PDataTF {
        PDU.PDataTF(presentationDataValueItems: items)
    }

    @Test("the middle waits for the last fragment, then goes on as one P-DATA-TF, in order")
    func middleWaitsForLast() {
        var gatherer = DataSetFragmentGatherer()
        let fragments = (0..<5).map { Self.pdv(16_000, last: $0 == 4, fill: UInt8($0)) }
        let out = fragments.map { gatherer.add(Self.pData($0)) }
        #expect(out.prefix(4).allSatisfy { $0 == nil })
        #expect(out[4]?.presentationDataValueItems == fragments)
        #expect(gatherer.take() == nil)
    }

    @Test("several PDVs in one P-DATA-TF are kept in their order; a last one among them ends the group")
    func severalInOne() {
        var gatherer = DataSetFragmentGatherer()
        let (a, b, c) = (Self.pdv(10, fill: 1), Self.pdv(20, fill: 2), Self.pdv(30, last: true, fill: 3))
        #expect(gatherer.add(Self.pData(a, b)) == nil)
        #expect(gatherer.add(Self.pData(c))?.presentationDataValueItems == [a, b, c])
    }

    @Test("at gatheredLength held, what is held goes on without waiting for the last fragment")
    func handsOnAtTheLimit() {
        var gatherer = DataSetFragmentGatherer()
        let length = 32 * 1024
        let count = DataSetFragmentGatherer.gatheredLength / length
        let fragments = (0..<(count + 2)).map { Self.pdv(length, fill: UInt8($0 % 251)) }
        let out = fragments.map { gatherer.add(Self.pData($0)) }
        #expect(out.map { $0 == nil } == Array(repeating: true, count: count - 1) + [false, true, true])
        #expect(out[count - 1]?.presentationDataValueItems == Array(fragments.prefix(count)))
        #expect(gatherer.take()?.presentationDataValueItems == Array(fragments.suffix(2)))
    }

    @Test("take hands on what is held once, then nothing")
    func takeOnce() {
        var gatherer = DataSetFragmentGatherer()
        let middle = Self.pdv(1000)
        #expect(gatherer.add(Self.pData(middle)) == nil)
        #expect(gatherer.take()?.presentationDataValueItems == [middle])
        #expect(gatherer.take() == nil)
    }
}
