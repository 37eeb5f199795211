import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("PDUs captured from DCMTK and pynetdicom")
struct CapturedPeerPDUTests {
    @Test("DCMTK echoscu's A-ASSOCIATE-RQ")
    func dcmtkEchoSCU() throws {
        let bytes = CapturedPeerPDUs.dcmtkEchoSCUAssociateRQ
        #expect(bytes.count == 6 + 0xCD)
        guard case .associateRQ(let rq) = try PDUTest.decode(bytes) else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.protocolVersion == 1)
        #expect(rq.calledAETitle == "ANY-SCP")
        #expect(rq.callingAETitle == "ECHOSCU")
        #expect(rq.applicationContextName == PDU.dicomApplicationContextName)
        #expect(rq.presentationContexts == [
            PDU.PresentationContextRQItem(
                presentationContextID: 1,
                abstractSyntax: "1.2.840.10008.1.1",
                transferSyntaxes: ["1.2.840.10008.1.2"]
            )
        ])
        #expect(rq.userInformation.subItems == [
            .maximumLength(16384),
            .implementationClassUID("1.2.276.0.7230010.3.0.3.6.7"),
            .implementationVersionName("OFFIS_DCMTK_367"),
        ])
        #expect(rq.unknownItems.isEmpty)

        // Re-encoded, only the reserved FFH DCMTK put in the Presentation Context Item differs.
        let encoded = try PDUTest.encode(.associateRQ(rq))
        #expect(encoded.count == bytes.count)
        let differences = zip(encoded, bytes).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differences == [105])
        #expect(bytes[105] == 0xFF && encoded[105] == 0x00)
    }

    @Test("pynetdicom echoscu's A-ASSOCIATE-RQ")
    func pynetdicomEchoSCU() throws {
        let bytes = CapturedPeerPDUs.pynetdicomEchoSCUAssociateRQ
        #expect(bytes.count == 6 + 0x119)
        let pdu = try PDUTest.decode(bytes)
        guard case .associateRQ(let rq) = pdu else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.calledAETitle == "ANY-SCP")
        #expect(rq.callingAETitle == "ECHOSCU")
        #expect(rq.applicationContextName == PDU.dicomApplicationContextName)
        #expect(rq.presentationContexts.count == 1)
        #expect(rq.presentationContexts.first?.presentationContextID == 1)
        #expect(rq.presentationContexts.first?.abstractSyntax == "1.2.840.10008.1.1")
        #expect(rq.presentationContexts.first?.transferSyntaxes == [
            "1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
        ])
        #expect(rq.userInformation.maximumLength == 16382)
        #expect(rq.userInformation.implementationClassUID == "1.2.826.0.1.3680043.9.3811.3.0.4")
        #expect(rq.userInformation.implementationVersionName == "PYNETDICOM_304")
        #expect(rq.userInformation.subItems.count == 3)
        #expect(try PDUTest.encode(pdu) == bytes)
    }

    @Test(
        "DCMTK storescp's and pynetdicom echoscp's A-ASSOCIATE-AC",
        arguments: [
            (CapturedPeerPDUs.dcmtkStoreSCPAssociateAC, UInt32(16384), UID("1.2.276.0.7230010.3.0.3.6.7"), "OFFIS_DCMTK_367"),
            (CapturedPeerPDUs.pynetdicomEchoSCPAssociateAC, 16382, "1.2.826.0.1.3680043.9.3811.3.0.4", "PYNETDICOM_304"),
        ]
    )
    func associateAC(bytes: [UInt8], maximumLength: UInt32, implementationClassUID: UID, versionName: String) throws {
        let pdu = try PDUTest.decode(bytes)
        guard case .associateAC(let ac) = pdu else {
            Issue.record("expected an A-ASSOCIATE-AC")
            return
        }
        // Both echo the request's AE titles in the reserved fields, as PS3.8 Table 9-17 asks.
        #expect(ac.calledAETitle == "ANY-SCP")
        #expect(ac.callingAETitle == "ECHOSCU")
        #expect(ac.applicationContextName == PDU.dicomApplicationContextName)
        #expect(ac.presentationContexts == [
            PDU.PresentationContextACItem(presentationContextID: 1, resultReason: .acceptance, transferSyntax: "1.2.840.10008.1.2")
        ])
        #expect(ac.userInformation.subItems == [
            .maximumLength(maximumLength),
            .implementationClassUID(implementationClassUID),
            .implementationVersionName(versionName),
        ])
        #expect(try PDUTest.encode(pdu) == bytes)
    }

    @Test("the captured RQ, AC and RP fed a byte at a time")
    func dripFed() throws {
        let bytes = CapturedPeerPDUs.dcmtkEchoSCUAssociateRQ + CapturedPeerPDUs.dcmtkStoreSCPAssociateAC
            + CapturedPeerPDUs.releaseRP + CapturedPeerPDUs.pynetdicomEchoSCUAssociateRQ
        let pdus = try PDUTest.decodeStream(bytes, chunkSize: 1)
        #expect(pdus.map(\.pduType) == [.associateRQ, .associateAC, .releaseRP, .associateRQ])
        #expect(pdus[2] == .releaseRP)
        #expect(pdus[3] == (try PDUTest.decode(CapturedPeerPDUs.pynetdicomEchoSCUAssociateRQ)))
    }
}
