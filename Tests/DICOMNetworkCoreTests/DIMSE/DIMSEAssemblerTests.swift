import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("PDV reassembly (PS3.8 Annex E)")
struct DIMSEAssemblerTests {
    static let echo = CEchoRequest(messageID: 1)
    static let store = CStoreRequest(messageID: 2, affectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.7", affectedSOPInstanceUID: "1.2.3.4")
    static let echoCommand = try! CommandSet.encode(echo.commandSet)
    static let storeCommand = try! CommandSet.encode(store.commandSet)

    /// Everything an assembler produced, gathered.
    struct Received: Equatable {
        var commands: [DIMSEMessage] = []
        var dataSets: [[UInt8]] = []
        var contextIDs: [UInt8] = []
        var fragmentCount = 0
    }

    static func feed(_ pdus: [PDU.PDataTF], to assembler: inout DIMSEAssembler, into received: inout Received) throws {
        for pdu in pdus {
            let outputs = try assembler.pDataTFReceived(pdu)
            for (index, output) in outputs.enumerated() {
                switch output {
                case .command(let contextID, let commandSet, let dataSetFollows):
                    let message = try DIMSEMessage(commandSet: commandSet)
                    #expect(message.hasDataSet == dataSetFollows)
                    received.commands.append(message)
                    received.contextIDs.append(contextID)
                    if dataSetFollows { received.dataSets.append([]) }
                case .dataSetFragment(let contextID, let fragment, let isLast):
                    #expect(contextID == received.contextIDs.last)
                    received.dataSets[received.dataSets.count - 1].append(contentsOf: fragment.readableBytesView)
                    received.fragmentCount += 1
                    if index == outputs.count - 1 { #expect(isLast == assembler.isBetweenMessages) }
                }
            }
        }
    }

    // MARK: Round trips

    @Test(
        "fragmented, framed, decoded and reassembled, messages come back whole",
        arguments: [UInt32(8), 9, 64, 1000, 16384, 0], [0, 2, 1000, 40_000]
    )
    func roundTrip(_ maximumPDULength: UInt32, _ dataSetLength: Int) throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)
        let dataSet = DIMSETest.pattern(count: dataSetLength)
        let pdus = fragmenter.fragment(command: Self.echoCommand, presentationContextID: 1)
            + fragmenter.fragment(command: Self.storeCommand, dataSet: dataSet, presentationContextID: 3)
            + fragmenter.fragment(command: Self.echoCommand, presentationContextID: 5)
        // Through the wire and the PDU decoder, as a peer enforcing the limit would read them.
        var wire = try DIMSETest.wire(pdus)
        var decoder = PDUDecoder(maximumLengthReceived: maximumPDULength)
        var decoded: [PDU.PDataTF] = []
        while let pdu = try decoder.decode(buffer: &wire) {
            guard case .pDataTF(let pData) = pdu else { Issue.record("not a P-DATA-TF: \(pdu)"); return }
            decoded.append(pData)
        }
        var assembler = DIMSEAssembler()
        var received = Received()
        try Self.feed(decoded, to: &assembler, into: &received)
        #expect(received.commands == [.cEchoRequest(Self.echo), .cStoreRequest(Self.store), .cEchoRequest(Self.echo)])
        #expect(received.contextIDs == [1, 3, 5])
        #expect(received.dataSets == [DIMSETest.bytes(dataSet)])
        #expect(assembler.isBetweenMessages)
    }

    @Test("data set fragments are handed over as slices of the received PDU")
    func dataSetFragmentsAreSlices() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 4096)
        let pdus = fragmenter.fragment(command: Self.storeCommand, dataSet: DIMSETest.pattern(count: 10_000), presentationContextID: 1)
        var wire = try DIMSETest.wire(pdus)
        let wireRange = wire.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!)..<UInt(bitPattern: $0.baseAddress!) + UInt($0.count) }
        var decoder = PDUDecoder(maximumLengthReceived: 4096)
        var assembler = DIMSEAssembler()
        var fragments = 0
        while case .pDataTF(let pData)? = try decoder.decode(buffer: &wire) {
            for output in try assembler.pDataTFReceived(pData) {
                guard case .dataSetFragment(_, let fragment, _) = output else { continue }
                let address = fragment.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
                #expect(wireRange.contains(address))
                fragments += 1
            }
        }
        #expect(fragments == 3)
    }

    @Test("PDVs fed one at a time, many to a PDU or one per PDU, give the same outputs")
    func dripFed() throws {
        let dataSet = DIMSETest.pattern(count: 30)
        // The command in 2-byte fragments, the data set in 2-byte fragments: 65 + 15 PDVs.
        var pdvs: [PDU.PresentationDataValueItem] = []
        var command = Self.storeCommand
        while command.readableBytes > 0 {
            let fragment = command.readSlice(length: 2)!
            pdvs.append(PDU.PresentationDataValueItem(
                presentationContextID: 7, messageControlHeader: command.readableBytes == 0 ? [.command, .lastFragment] : .command, fragment: fragment
            ))
        }
        var data = dataSet
        while data.readableBytes > 0 {
            let fragment = data.readSlice(length: 2)!
            pdvs.append(PDU.PresentationDataValueItem(
                presentationContextID: 7, messageControlHeader: data.readableBytes == 0 ? .lastFragment : [], fragment: fragment
            ))
        }

        var onePerPDU = DIMSEAssembler()
        var received1 = Received()
        try Self.feed(pdvs.map { PDU.PDataTF(presentationDataValueItems: [$0]) }, to: &onePerPDU, into: &received1)

        var allInOnePDU = DIMSEAssembler()
        var received2 = Received()
        try Self.feed([PDU.PDataTF(presentationDataValueItems: pdvs)], to: &allInOnePDU, into: &received2)

        var byPDV = DIMSEAssembler()
        var outputs: [DIMSEAssembler.Output?] = []
        for pdv in pdvs { outputs.append(try byPDV.pdvReceived(pdv)) }
        #expect(outputs.prefix(Self.storeCommand.readableBytes / 2 - 1).allSatisfy { $0 == nil })
        #expect(outputs.compactMap { $0 }.count == 1 + 15)

        #expect(received1 == received2)
        #expect(received1.commands == [.cStoreRequest(Self.store)])
        #expect(received1.dataSets == [DIMSETest.bytes(dataSet)])
        #expect(received1.fragmentCount == 15)
    }

    @Test("PDUs drip-fed one byte at a time through the PDU decoder reassemble the same")
    func byteAtATime() throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: 32)
        let dataSet = DIMSETest.pattern(count: 100)
        let wire = try DIMSETest.wire(fragmenter.fragment(command: Self.storeCommand, dataSet: dataSet, presentationContextID: 1))
        let pdus = try PDUTest.decodeStream(DIMSETest.bytes(wire), chunkSize: 1, decoder: PDUDecoder(maximumLengthReceived: 32))
        var assembler = DIMSEAssembler()
        var received = Received()
        try Self.feed(pdus.compactMap { if case .pDataTF(let p) = $0 { p } else { nil } }, to: &assembler, into: &received)
        #expect(received.commands == [.cStoreRequest(Self.store)])
        #expect(received.dataSets == [DIMSETest.bytes(dataSet)])
    }

    @Test("an empty last data set PDV, which PS3.8 §E.1 asks receivers to accept, ends the data set")
    func emptyLastPDV() throws {
        var assembler = DIMSEAssembler()
        #expect(try assembler.pdvReceived(PDU.PresentationDataValueItem(
            presentationContextID: 1, messageControlHeader: [.command, .lastFragment], fragment: Self.storeCommand)) != nil)
        #expect(try assembler.pdvReceived(DIMSETest.pdv(1, [], [1, 2])) == .dataSetFragment(presentationContextID: 1, fragment: ByteBuffer(bytes: [1, 2]), isLast: false))
        #expect(try assembler.pdvReceived(DIMSETest.pdv(1, .lastFragment, [])) == .dataSetFragment(presentationContextID: 1, fragment: ByteBuffer(), isLast: true))
        #expect(assembler.isBetweenMessages)
    }

    @Test("message control header bits 2-7 are ignored (PS3.8 §E.2)")
    func reservedBitsIgnored() throws {
        var assembler = DIMSEAssembler()
        let output = try assembler.pdvReceived(PDU.PresentationDataValueItem(
            presentationContextID: 1, messageControlHeader: PDU.MessageControlHeader(rawValue: 0xFF), fragment: Self.echoCommand))
        guard case .command(_, let commandSet, false)? = output else {
            Issue.record("expected a command without data set, got \(String(describing: output))")
            return
        }
        #expect(try CEchoRequest(commandSet: commandSet) == Self.echo)
    }

    // MARK: Protocol errors

    static var storeCommandPDV: PDU.PresentationDataValueItem {
        PDU.PresentationDataValueItem(presentationContextID: 1, messageControlHeader: [.command, .lastFragment], fragment: storeCommand)
    }

    static func echoCommandPDV(_ contextID: UInt8 = 1) -> PDU.PresentationDataValueItem {
        PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: [.command, .lastFragment], fragment: echoCommand)
    }

    /// Feeds `pdvs`; returns the error the last one throws (the others must not).
    static func error(feeding pdvs: [PDU.PresentationDataValueItem], limit: Int = CommandSet.maximumLength) throws -> (DIMSEError?, DIMSEAssembler) {
        var assembler = DIMSEAssembler(maximumCommandSetLength: limit)
        for pdv in pdvs.dropLast() { _ = try assembler.pdvReceived(pdv) }
        let error = DIMSETest.error { () throws(DIMSEError) in try assembler.pdvReceived(pdvs.last!) }
        return (error, assembler)
    }

    static let protocolErrors: [(String, [PDU.PresentationDataValueItem], DIMSEError.Code)] = [
        ("data set before any command", [DIMSETest.pdv(1, .lastFragment, [1, 2])], .dataSetWithoutCommand),
        ("data set after a command announcing none", [echoCommandPDV(), DIMSETest.pdv(1, .lastFragment, [1, 2])], .dataSetWithoutCommand),
        ("data set between command fragments",
         [DIMSETest.pdv(1, .command, Array(DIMSETest.bytes(storeCommand).prefix(10))), DIMSETest.pdv(1, [], [1, 2])], .dataSetDuringCommand),
        ("command fragment on another context",
         [DIMSETest.pdv(1, .command, Array(DIMSETest.bytes(storeCommand).prefix(10))), DIMSETest.pdv(3, [.command, .lastFragment], [0, 0])],
         .presentationContextMismatch),
        ("data set fragment on another context", [storeCommandPDV, DIMSETest.pdv(1, [], [1, 2]), DIMSETest.pdv(3, .lastFragment, [1, 2])],
         .presentationContextMismatch),
        ("first data set fragment on another context", [storeCommandPDV, DIMSETest.pdv(3, .lastFragment, [1, 2])], .presentationContextMismatch),
        ("the next command before the announced data set", [storeCommandPDV, echoCommandPDV()], .commandDuringDataSet),
        ("the next command in the middle of the data set", [storeCommandPDV, DIMSETest.pdv(1, [], [1, 2]), echoCommandPDV()], .commandDuringDataSet),
        ("a command that is not Implicit VR Little Endian group 0000",
         [DIMSETest.pdv(1, [.command, .lastFragment], [0x08, 0x00, 0x18, 0x00, 0x02, 0x00, 0x00, 0x00, 0x31, 0x00])], .malformedCommandSet),
        ("a truncated command", [DIMSETest.pdv(1, [.command, .lastFragment], Array(DIMSETest.bytes(echoCommand).dropLast(2)))], .malformedCommandSet),
        ("a command without Command Data Set Type",
         [DIMSETest.pdv(1, [.command, .lastFragment], DIMSETest.bytes(try! CommandSet.encode(DIMSETest.removing(.commandDataSetType, from: echo.commandSet))))],
         .missingField),
    ]

    @Test("every violation of PS3.8 §E.1 is a typed error", arguments: protocolErrors)
    func protocolError(_ name: String, _ pdvs: [PDU.PresentationDataValueItem], _ code: DIMSEError.Code) throws {
        let (error, assembler) = try Self.error(feeding: pdvs)
        #expect(error?.code == code, "\(name)")
        #expect(error?.description.contains("DIMSEError.\(code)") == true)
        // The partial message is dropped: the next message is read from scratch.
        var recovered = assembler
        #expect(recovered.isBetweenMessages)
        #expect(try recovered.pdvReceived(Self.echoCommandPDV()) != nil)
    }

    @Test("errors name the presentation context of the offending fragment")
    func errorContext() throws {
        let (error, _) = try Self.error(feeding: [Self.storeCommandPDV, DIMSETest.pdv(9, .lastFragment, [1, 2])])
        #expect(error?.presentationContextID == 9)
    }

    @Test("command fragments beyond the command set limit are refused before they are buffered")
    func commandTooLarge() throws {
        let length = Self.storeCommand.readableBytes
        // Exactly at the limit: accepted, in one fragment or two.
        var assembler = DIMSEAssembler(maximumCommandSetLength: length)
        #expect(try assembler.pdvReceived(Self.storeCommandPDV) != nil)
        let half = DIMSETest.bytes(Self.storeCommand).count / 2
        let first = DIMSETest.pdv(1, .command, Array(DIMSETest.bytes(Self.storeCommand).prefix(half)))
        let second = DIMSETest.pdv(1, [.command, .lastFragment], Array(DIMSETest.bytes(Self.storeCommand).dropFirst(half)))
        var split = DIMSEAssembler(maximumCommandSetLength: length)
        #expect(try split.pdvReceived(first) == nil)
        #expect(try split.pdvReceived(second) != nil)
        // One byte over: refused, whole or accumulated.
        #expect(try Self.error(feeding: [Self.storeCommandPDV], limit: length - 1).0?.code == .commandSetTooLarge)
        #expect(try Self.error(feeding: [first, second], limit: length - 1).0?.code == .commandSetTooLarge)
        // The default limit: 64 KiB of 2-byte fragments, then one more.
        var flood = DIMSEAssembler()
        let twoBytes = DIMSETest.pdv(1, .command, [0, 0])
        for _ in 0..<(CommandSet.maximumLength / 2) { #expect(try flood.pdvReceived(twoBytes) == nil) }
        let overflow = DIMSETest.error { () throws(DIMSEError) in try flood.pdvReceived(twoBytes) }
        #expect(overflow?.code == .commandSetTooLarge)
    }

    // MARK: Collecting whole messages

    @Test("the collector returns commands with their whole data sets", arguments: [UInt32(8), 100, 16384, 0])
    func collector(_ maximumPDULength: UInt32) throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: maximumPDULength)
        let dataSet = DIMSETest.pattern(count: 5000)
        let pdus = fragmenter.fragment(command: Self.echoCommand, presentationContextID: 1)
            + fragmenter.fragment(command: Self.storeCommand, dataSet: dataSet, presentationContextID: 3)
        var collector = DIMSEMessageCollector()
        var messages: [DIMSEMessageCollector.Message] = []
        for pdu in pdus { messages += try collector.pDataTFReceived(pdu) }
        #expect(messages.count == 2)
        #expect(messages.map(\.presentationContextID) == [1, 3])
        #expect(try messages.map { try DIMSEMessage(commandSet: $0.commandSet) } == [.cEchoRequest(Self.echo), .cStoreRequest(Self.store)])
        #expect(messages[0].dataSet == nil)
        #expect(messages[1].dataSet == dataSet)
        #expect(collector.isBetweenMessages)
    }

    @Test("a data set in one fragment is kept as the received slice")
    func collectorZeroCopy() throws {
        let dataSet = DIMSETest.pattern(count: 100)
        var collector = DIMSEMessageCollector()
        #expect(try collector.pdvReceived(Self.storeCommandPDV) == nil)
        let message = try collector.pdvReceived(PDU.PresentationDataValueItem(presentationContextID: 1, messageControlHeader: .lastFragment, fragment: dataSet))
        let base = dataSet.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
        #expect(message?.dataSet?.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) } == base)
    }

    @Test("the collector refuses a data set beyond its limit, and passes protocol errors on")
    func collectorLimits() throws {
        var collector = DIMSEMessageCollector(maximumDataSetLength: 4)
        #expect(collector.maximumDataSetLength == 4)
        #expect(DIMSEMessageCollector.defaultMaximumDataSetLength == 64 << 20)
        _ = try collector.pdvReceived(Self.storeCommandPDV)
        #expect(try collector.pdvReceived(DIMSETest.pdv(1, [], [1, 2])) == nil)
        let error = DIMSETest.error { () throws(DIMSEError) in try collector.pdvReceived(DIMSETest.pdv(1, .lastFragment, [3, 4, 5, 6])) }
        #expect(error?.code == .dataSetTooLarge)
        #expect(collector.isBetweenMessages)
        // Exactly the limit is fine.
        _ = try collector.pdvReceived(Self.storeCommandPDV)
        #expect(try collector.pdvReceived(DIMSETest.pdv(1, [], [1, 2]))  == nil)
        #expect(try collector.pdvReceived(DIMSETest.pdv(1, .lastFragment, [3, 4]))?.dataSet == ByteBuffer(bytes: [1, 2, 3, 4]))
        // Protocol errors come through unchanged.
        let protocolError = DIMSETest.error { () throws(DIMSEError) in try collector.pdvReceived(DIMSETest.pdv(1, .lastFragment, [1, 2])) }
        #expect(protocolError?.code == .dataSetWithoutCommand)
    }
}
