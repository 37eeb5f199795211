import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import NIOCore
import Testing

/// A C-FIND's responses go to the waiting request from the pipeline when each comes whole
/// (DIMSEShortcutHandler), and through the association's task otherwise; either way, and
/// mixed, they must reach the caller whole and in order. A scripted acceptor packs them as
/// peers do.
@Suite("C-FIND responses as peers pack them, a scripted acceptor")
struct FindResponsePackingTests {
    typealias Loopback = QueryRetrieveLoopbackTests

    static func pData(_ items: [(command: Bool, last: Bool, bytes: ByteBuffer)], contextID: UInt8) -> PDU {
        .pDataTF(PDU.PDataTF(presentationDataValueItems: items.map { item in
            var header: PDU.MessageControlHeader = []
            if item.command { header.insert(.command) }
            if item.last { header.insert(.lastFragment) }
            return PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: header, fragment: item.bytes)
        }))
    }

    /// How one pending response goes out.
    enum Packing: CaseIterable {
        /// Command and identifier in a P-DATA-TF each.
        case apart
        /// Both in one P-DATA-TF.
        case together
        /// The identifier cut in two fragments, in two P-DATA-TFs: the task assembles it.
        case cutIdentifier
    }

    /// Answers the C-FIND-RQ `peer` receives with one pending response per packing, then success.
    static func answer(_ peer: ScriptedPeer, packings: [Packing], first: Int) async throws {
        var collector = DIMSEMessageCollector()
        var request: DIMSEMessageCollector.Message?
        while request == nil {
            guard case .pDataTF(let data) = try await peer.expect(.pDataTF) else { return }
            request = try collector.pDataTFReceived(data).first
        }
        let find = try CFindRequest(commandSet: try #require(request).commandSet)
        let contextID = try #require(request).presentationContextID
        for (offset, packing) in packings.enumerated() {
            let command = try CommandSet.encode(
                CFindResponse(messageIDBeingRespondedTo: find.messageID, affectedSOPClassUID: find.affectedSOPClassUID, status: .pending).commandSet)
            var identifier = try DataSetWriter.encode(Loopback.match(first + offset), transferSyntax: .implicitVRLittleEndian)
            switch packing {
            case .apart:
                try await peer.send(pData([(true, true, command)], contextID: contextID))
                try await peer.send(pData([(false, true, identifier)], contextID: contextID))
            case .together:
                try await peer.send(pData([(true, true, command), (false, true, identifier)], contextID: contextID))
            case .cutIdentifier:
                let head = identifier.readSlice(length: identifier.readableBytes / 2)!
                try await peer.send(pData([(true, true, command)], contextID: contextID))
                try await peer.send(pData([(false, false, head)], contextID: contextID))
                try await peer.send(pData([(false, true, identifier)], contextID: contextID))
            }
        }
        let final = try CommandSet.encode(
            CFindResponse(messageIDBeingRespondedTo: find.messageID, affectedSOPClassUID: find.affectedSOPClassUID, status: .success).commandSet)
        try await peer.send(pData([(true, true, final)], contextID: contextID))
    }

    @Test("whole, packed, cut and whole again after a cut one, then the final: every match in order, twice on one association")
    func mixedPackingsInOrder() async throws {
        let listener = try await ScriptedPeer.listen()
        async let associating = Loopback.queryRetrieveSCU().associate(host: "127.0.0.1", port: listener.port, calledAETitle: "SCRIPTED")
        let peer = try await listener.accept()
        try await peer.acceptAssociation(supporting: [
            PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelFind, transferSyntaxes: [.implicitVRLittleEndian])
        ])
        let association = try await associating
        let packings: [Packing] = [.apart, .together, .apart, .cutIdentifier, .apart, .together, .cutIdentifier, .cutIdentifier, .apart]
        for round in 0..<2 {
            let first = round * 100
            async let answered: Void = Self.answer(peer, packings: packings, first: first)
            var names: [String] = []
            let final = try await association.find(Loopback.studyQuery(TestInstances.Study())) { response in
                #expect(response.status == .pending)
                names.append(response.identifier?.string(.patientName) ?? "")
            }
            try await answered
            #expect(final.status == .success)
            #expect(names == (first..<(first + packings.count)).map { "PATIENT^\($0)" })
        }
        await association.abort()
        await peer.close()
    }
}
