import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

/// One user-information sub-item: its hand-derived bytes and the value they mean.
struct SubItemCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let subItem: PDU.UserInformationItem.SubItem

    var testDescription: String { name }
}

@Suite("User Information sub-items (PS3.8 Annex D, PS3.7 Annex D.3.3)")
struct UserInformationSubItemTests {
    static let cases: [SubItemCase] = [
        SubItemCase(
            name: "Maximum Length (51H, PS3.8 Table D.1-1)",
            // Item-length 4, Maximum-length-received 16384
            bytes: [0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00],
            subItem: .maximumLength(16384)
        ),
        SubItemCase(
            name: "Maximum Length 0, no limit",
            bytes: [0x51, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00],
            subItem: .maximumLength(0)
        ),
        SubItemCase(
            name: "Implementation Class UID (52H, PS3.7 Table D.3-1)",
            bytes: [0x52, 0x00, 0x00, 0x07] + PDUTest.ascii("1.2.3.4"),
            subItem: .implementationClassUID("1.2.3.4")
        ),
        SubItemCase(
            name: "Asynchronous Operations Window (53H, PS3.7 Table D.3-7)",
            // Item-length 4, invoked 5, performed 3
            bytes: [0x53, 0x00, 0x00, 0x04, 0x00, 0x05, 0x00, 0x03],
            subItem: .asynchronousOperationsWindow(.init(maximumNumberOperationsInvoked: 5, maximumNumberOperationsPerformed: 3))
        ),
        SubItemCase(
            name: "SCP/SCU Role Selection (54H, PS3.7 Table D.3-9)",
            // Item-length 2 + 25 + 2 = 29, UID-length 25, CT Image Storage, SCU-role 1, SCP-role 0
            bytes: [0x54, 0x00, 0x00, 0x1D, 0x00, 0x19] + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.2") + [0x01, 0x00],
            subItem: .scpSCURoleSelection(.init(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", scuRole: true, scpRole: false))
        ),
        SubItemCase(
            name: "SCP/SCU Role Selection with both roles",
            bytes: [0x54, 0x00, 0x00, 0x15, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1") + [0x01, 0x01],
            subItem: .scpSCURoleSelection(.init(sopClassUID: "1.2.840.10008.1.1", scuRole: true, scpRole: true))
        ),
        SubItemCase(
            name: "Implementation Version Name (55H, PS3.7 Table D.3-3)",
            bytes: [0x55, 0x00, 0x00, 0x0A] + PDUTest.ascii("NETDICOM_1"),
            subItem: .implementationVersionName("NETDICOM_1")
        ),
        SubItemCase(
            name: "SOP Class Extended Negotiation (56H, PS3.7 Table D.3-11)",
            // Item-length 2 + 25 + 6 = 33, UID-length 25, then the six bytes of PS3.4 Table B.3-1
            bytes: [0x56, 0x00, 0x00, 0x21, 0x00, 0x19] + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.2")
                + [0x02, 0x00, 0x03, 0x00, 0x01, 0x00],
            subItem: .sopClassExtendedNegotiation(.init(
                sopClassUID: "1.2.840.10008.5.1.4.1.1.2",
                serviceClassApplicationInformation: ByteBuffer(bytes: [0x02, 0x00, 0x03, 0x00, 0x01, 0x00])
            ))
        ),
        SubItemCase(
            name: "SOP Class Common Extended Negotiation (57H, PS3.7 Tables D.3-12, D.3-13)",
            // The example of PS3.7 §D.3.3.6 Note 1: Procedure Log, Storage, related Enhanced SR.
            // Item-length (2 + 29) + (2 + 17) + (2 + 31) = 83 (53H); identification 2 + 29 = 31 (1FH)
            bytes: [0x57, 0x00, 0x00, 0x53]
                + [0x00, 0x1D] + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.88.40")
                + [0x00, 0x11] + PDUTest.ascii("1.2.840.10008.4.2")
                + [0x00, 0x1F]
                + [0x00, 0x1D] + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.88.22"),
            subItem: .sopClassCommonExtendedNegotiation(.init(
                sopClassUID: "1.2.840.10008.5.1.4.1.1.88.40",
                serviceClassUID: "1.2.840.10008.4.2",
                relatedGeneralSOPClassUIDs: ["1.2.840.10008.5.1.4.1.1.88.22"]
            ))
        ),
        SubItemCase(
            name: "SOP Class Common Extended Negotiation without related classes",
            // Note 2 of §D.3.3.6: MF Single Bit SC Image Storage (27 bytes); 2+27 + 2+17 + 2 = 50
            bytes: [0x57, 0x00, 0x00, 0x32]
                + [0x00, 0x1B] + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.7.1")
                + [0x00, 0x11] + PDUTest.ascii("1.2.840.10008.4.2")
                + [0x00, 0x00],
            subItem: .sopClassCommonExtendedNegotiation(.init(
                sopClassUID: "1.2.840.10008.5.1.4.1.1.7.1",
                serviceClassUID: "1.2.840.10008.4.2"
            ))
        ),
        SubItemCase(
            name: "User Identity RQ type 1, username (58H, PS3.7 Table D.3-14)",
            // Item-length 1 + 1 + 2 + 5 + 2 = 11, type 1, positive response requested
            bytes: [0x58, 0x00, 0x00, 0x0B, 0x01, 0x01, 0x00, 0x05] + PDUTest.ascii("alice") + [0x00, 0x00],
            subItem: .userIdentityRQ(.init(
                userIdentityType: .username,
                positiveResponseRequested: true,
                primaryField: ByteBuffer(string: "alice")
            ))
        ),
        SubItemCase(
            name: "User Identity RQ type 2, username and passcode",
            // Item-length 1 + 1 + 2 + 5 + 2 + 6 = 17
            bytes: [0x58, 0x00, 0x00, 0x11, 0x02, 0x00, 0x00, 0x05] + PDUTest.ascii("alice")
                + [0x00, 0x06] + PDUTest.ascii("secret"),
            subItem: .userIdentityRQ(.init(
                userIdentityType: .usernameAndPasscode,
                positiveResponseRequested: false,
                primaryField: ByteBuffer(string: "alice"),
                secondaryField: ByteBuffer(string: "secret")
            ))
        ),
        SubItemCase(
            name: "User Identity RQ type 3, Kerberos service ticket",
            // Item-length 1 + 1 + 2 + 4 + 2 = 10
            bytes: [0x58, 0x00, 0x00, 0x0A, 0x03, 0x01, 0x00, 0x04, 0x60, 0x82, 0x01, 0xFF, 0x00, 0x00],
            subItem: .userIdentityRQ(.init(
                userIdentityType: .kerberosServiceTicket,
                positiveResponseRequested: true,
                primaryField: ByteBuffer(bytes: [0x60, 0x82, 0x01, 0xFF])
            ))
        ),
        SubItemCase(
            name: "User Identity RQ type 4, SAML assertion",
            // Item-length 1 + 1 + 2 + 17 + 2 = 23
            bytes: [0x58, 0x00, 0x00, 0x17, 0x04, 0x00, 0x00, 0x11] + PDUTest.ascii("<saml:Assertion/>") + [0x00, 0x00],
            subItem: .userIdentityRQ(.init(
                userIdentityType: .samlAssertion,
                positiveResponseRequested: false,
                primaryField: ByteBuffer(string: "<saml:Assertion/>")
            ))
        ),
        SubItemCase(
            name: "User Identity RQ type 5, JSON Web Token",
            // Item-length 1 + 1 + 2 + 24 + 2 = 30
            bytes: [0x58, 0x00, 0x00, 0x1E, 0x05, 0x01, 0x00, 0x18] + PDUTest.ascii("eyJhbGciOiJub25lIn0.e30.") + [0x00, 0x00],
            subItem: .userIdentityRQ(.init(
                userIdentityType: .jsonWebToken,
                positiveResponseRequested: true,
                primaryField: ByteBuffer(string: "eyJhbGciOiJub25lIn0.e30.")
            ))
        ),
        SubItemCase(
            name: "User Identity AC with a server response (59H, PS3.7 Table D.3-15)",
            // Item-length 2 + 4, Server-response-length 4
            bytes: [0x59, 0x00, 0x00, 0x06, 0x00, 0x04, 0x6F, 0x6B, 0x21, 0x0A],
            subItem: .userIdentityAC(.init(serverResponse: ByteBuffer(bytes: [0x6F, 0x6B, 0x21, 0x0A])))
        ),
        SubItemCase(
            name: "User Identity AC with an empty response (types 1 and 2)",
            bytes: [0x59, 0x00, 0x00, 0x02, 0x00, 0x00],
            subItem: .userIdentityAC(.init())
        ),
        SubItemCase(
            name: "unrecognised sub-item kept raw (PS3.8 §D.2)",
            bytes: [0x7F, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03],
            subItem: .unknown(PDU.RawItem(itemType: 0x7F, value: ByteBuffer(bytes: [0x01, 0x02, 0x03])))
        ),
    ]

    @Test("encodes each sub-item to its golden bytes", arguments: cases)
    func encodes(testCase: SubItemCase) throws {
        let encoded = try PDUTest.encode(PDUTest.associateRQ(userInformation: [testCase.subItem]))
        #expect(encoded == PDUTest.associateRQBytes(userInformation: testCase.bytes))
    }

    @Test("decodes each sub-item from its golden bytes", arguments: cases)
    func decodes(testCase: SubItemCase) throws {
        let pdu = try PDUTest.decode(PDUTest.associateRQBytes(userInformation: testCase.bytes))
        #expect(pdu == PDUTest.associateRQ(userInformation: [testCase.subItem]))
    }

    @Test("every sub-item together, in wire order, with the accessors")
    func allTogether() throws {
        let bytes = Self.cases.flatMap(\.bytes)
        let pdu = try PDUTest.decode(PDUTest.associateRQBytes(userInformation: bytes))
        guard case .associateRQ(let rq) = pdu else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        let info = rq.userInformation
        #expect(info.subItems == Self.cases.map(\.subItem))
        #expect(info.maximumLength == 16384)
        #expect(info.implementationClassUID == "1.2.3.4")
        #expect(info.implementationVersionName == "NETDICOM_1")
        #expect(info.asynchronousOperationsWindow?.maximumNumberOperationsInvoked == 5)
        #expect(info.scpSCURoleSelections.map(\.sopClassUID) == ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.1"])
        #expect(info.sopClassExtendedNegotiations.count == 1)
        #expect(info.sopClassCommonExtendedNegotiations.map(\.sopClassUID) == ["1.2.840.10008.5.1.4.1.1.88.40", "1.2.840.10008.5.1.4.1.1.7.1"])
        #expect(info.userIdentityRQ?.userIdentityType == .username)
        #expect(info.userIdentityAC?.serverResponse == ByteBuffer(bytes: [0x6F, 0x6B, 0x21, 0x0A]))
        #expect(try PDUTest.encode(pdu) == PDUTest.associateRQBytes(userInformation: bytes))
    }

    @Test("the Sub-Item-version byte of 57H and other reserved bytes are not tested")
    func reservedNotTested() throws {
        var bytes = Self.cases.first { $0.name.hasPrefix("SOP Class Common") }!.bytes
        bytes[1] = 0x07  // Sub-Item-version
        var roleSelection = Self.cases.first { $0.name.hasPrefix("SCP/SCU Role Selection (") }!.bytes
        roleSelection[1] = 0xFF
        let pdu = try PDUTest.decode(PDUTest.associateRQBytes(userInformation: bytes + roleSelection))
        guard case .associateRQ(let rq) = pdu else {
            Issue.record("expected an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.userInformation.sopClassCommonExtendedNegotiations.first?.relatedGeneralSOPClassUIDs == ["1.2.840.10008.5.1.4.1.1.88.22"])
        #expect(rq.userInformation.scpSCURoleSelections.first?.scuRole == true)
    }

    @Test("bytes after the Related General SOP Class Identification are ignored")
    func commonExtendedNegotiationTrailingBytes() throws {
        // Note 2's sub-item with one extra byte: item-length 51.
        let bytes: [UInt8] = [0x57, 0x00, 0x00, 0x33]
            + [0x00, 0x1B] + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.7.1")
            + [0x00, 0x11] + PDUTest.ascii("1.2.840.10008.4.2")
            + [0x00, 0x00]
            + [0x00]
        let pdu = try PDUTest.decode(PDUTest.associateRQBytes(userInformation: bytes))
        #expect(pdu == PDUTest.associateRQ(userInformation: [
            .sopClassCommonExtendedNegotiation(.init(sopClassUID: "1.2.840.10008.5.1.4.1.1.7.1", serviceClassUID: "1.2.840.10008.4.2"))
        ]))
    }
}
