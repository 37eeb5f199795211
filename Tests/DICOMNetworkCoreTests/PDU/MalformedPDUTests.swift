import DICOMNetworkCore
import NIOCore
import Testing

/// A malformed input and the error code it must raise.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let code: PDUDecodingError.Code
    var offset: Int? = nil

    var testDescription: String { name }
}

@Suite("Malformed PDUs throw PDUDecodingError with a specific code")
struct MalformedPDUTests {
    static let app = PDUTest.applicationContextBytes
    static let context = PDUTest.verificationContextBytes
    static let user = PDUTest.userInformationBytes

    static let cases: [MalformedCase] = [
        // MARK: PDU header
        MalformedCase(
            name: "PDU-type 08H is not defined",
            bytes: [0x08, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00],
            code: .unrecognizedPDUType, offset: 0
        ),
        MalformedCase(
            name: "PDU-type 00H is not defined",
            bytes: [0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
            code: .unrecognizedPDUType
        ),
        MalformedCase(
            name: "A-ASSOCIATE-RJ with PDU-length 5",
            bytes: [0x03, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x01, 0x01, 0x01, 0x00],
            code: .invalidPDULength, offset: 2
        ),
        MalformedCase(
            name: "A-RELEASE-RQ with PDU-length 0",
            bytes: [0x05, 0x00, 0x00, 0x00, 0x00, 0x00],
            code: .invalidPDULength
        ),
        MalformedCase(
            name: "A-RELEASE-RP with PDU-length 3",
            bytes: [0x06, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00],
            code: .invalidPDULength
        ),
        MalformedCase(
            name: "A-ABORT with PDU-length 6",
            bytes: [0x07, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00],
            code: .invalidPDULength
        ),
        MalformedCase(
            name: "A-ASSOCIATE-RQ shorter than its 68 bytes of fixed fields",
            bytes: [0x01, 0x00, 0x00, 0x00, 0x00, 0x0A] + [UInt8](repeating: 0, count: 10),
            code: .invalidPDULength
        ),
        MalformedCase(
            name: "A-ASSOCIATE-AC shorter than its 68 bytes of fixed fields",
            bytes: [0x02, 0x00, 0x00, 0x00, 0x00, 0x43] + [UInt8](repeating: 0, count: 67),
            code: .invalidPDULength
        ),

        // MARK: A-ASSOCIATE items
        MalformedCase(
            name: "Application Context Item length runs past the PDU",
            // declares 80 bytes, 21 follow
            bytes: PDUTest.associatePDU(items: [0x10, 0x00, 0x00, 0x50] + PDUTest.ascii("1.2.840.10008.3.1.1.1")),
            code: .itemLengthExceedsParent, offset: 74
        ),
        MalformedCase(
            name: "two stray bytes after the last item",
            bytes: PDUTest.associatePDU(items: app + context + user + [0x60, 0x00]),
            code: .itemLengthExceedsParent, offset: 74 + 25 + 50 + 12
        ),
        MalformedCase(
            name: "Abstract Syntax Sub-Item runs past its Presentation Context Item",
            // context item length 46, abstract syntax claims 0x30 bytes
            bytes: PDUTest.associatePDU(items: app
                + [0x20, 0x00, 0x00, 0x2E, 0x01, 0x00, 0x00, 0x00]
                + [0x30, 0x00, 0x00, 0x30] + PDUTest.ascii("1.2.840.10008.1.1")
                + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")
                + user),
            code: .itemLengthExceedsParent, offset: 74 + 25 + 8
        ),
        MalformedCase(
            name: "Presentation Context Item too short for its ID and reserved bytes",
            bytes: PDUTest.associatePDU(items: app + [0x20, 0x00, 0x00, 0x02, 0x01, 0x00] + user),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "Presentation Context Item without an Abstract Syntax Sub-Item",
            bytes: PDUTest.associatePDU(items: app
                + [0x20, 0x00, 0x00, 0x19, 0x01, 0x00, 0x00, 0x00]
                + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")
                + user),
            code: .missingItem, offset: 74 + 25
        ),
        MalformedCase(
            name: "Presentation Context Item with two Abstract Syntax Sub-Items",
            bytes: PDUTest.associatePDU(items: app
                + [0x20, 0x00, 0x00, 0x43, 0x01, 0x00, 0x00, 0x00]
                + [0x30, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1")
                + [0x30, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1")
                + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")
                + user),
            code: .duplicateItem, offset: 74 + 25 + 8 + 21
        ),
        MalformedCase(
            name: "A-ASSOCIATE-RQ without an Application Context Item",
            bytes: PDUTest.associatePDU(items: context + user),
            code: .missingItem
        ),
        MalformedCase(
            name: "A-ASSOCIATE-RQ without a User Information Item",
            bytes: PDUTest.associatePDU(items: app + context),
            code: .missingItem
        ),
        MalformedCase(
            name: "A-ASSOCIATE-RQ with two Application Context Items",
            bytes: PDUTest.associatePDU(items: app + app + context + user),
            code: .duplicateItem, offset: 74 + 25
        ),
        MalformedCase(
            name: "A-ASSOCIATE-AC with two User Information Items",
            bytes: PDUTest.associatePDU(type: 0x02, items: app + user + user),
            code: .duplicateItem
        ),
        MalformedCase(
            name: "accepted A-ASSOCIATE-AC context without a Transfer Syntax Sub-Item",
            bytes: PDUTest.associatePDU(type: 0x02, items: app + [0x21, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00] + user),
            code: .missingItem
        ),
        MalformedCase(
            name: "accepted A-ASSOCIATE-AC context with two Transfer Syntax Sub-Items",
            bytes: PDUTest.associatePDU(type: 0x02, items: app
                + [0x21, 0x00, 0x00, 0x2E, 0x01, 0x00, 0x00, 0x00]
                + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.2")
                + [0x40, 0x00, 0x00, 0x11] + PDUTest.ascii("1.2.840.10008.1.1")
                + user),
            code: .duplicateItem
        ),

        // MARK: User information sub-items
        MalformedCase(
            name: "sub-item runs past its User Information Item",
            bytes: PDUTest.associatePDU(items: app + context + [0x50, 0x00, 0x00, 0x08, 0x51, 0x00, 0x00, 0x08, 0x00, 0x00, 0x40, 0x00]),
            code: .itemLengthExceedsParent, offset: 74 + 25 + 50 + 4
        ),
        MalformedCase(
            name: "Maximum Length Sub-Item of length 2",
            bytes: PDUTest.associateRQBytes(userInformation: [0x51, 0x00, 0x00, 0x02, 0x40, 0x00]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "Maximum Length Sub-Item of length 6",
            bytes: PDUTest.associateRQBytes(userInformation: [0x51, 0x00, 0x00, 0x06, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "Asynchronous Operations Window Sub-Item of length 5",
            bytes: PDUTest.associateRQBytes(userInformation: [0x53, 0x00, 0x00, 0x05, 0x00, 0x01, 0x00, 0x01, 0x00]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "SCP/SCU Role Selection UID-length runs past the sub-item",
            bytes: PDUTest.associateRQBytes(userInformation: [0x54, 0x00, 0x00, 0x15, 0x00, 0x20]
                + PDUTest.ascii("1.2.840.10008.1.1") + [0x01, 0x01]),
            code: .invalidItemLength, offset: 74 + 25 + 50 + 4 + 4 + 2
        ),
        MalformedCase(
            name: "SCP/SCU Role Selection missing its SCP-role byte",
            bytes: PDUTest.associateRQBytes(userInformation: [0x54, 0x00, 0x00, 0x14, 0x00, 0x11]
                + PDUTest.ascii("1.2.840.10008.1.1") + [0x01]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "SOP Class Extended Negotiation UID-length runs past the sub-item",
            bytes: PDUTest.associateRQBytes(userInformation: [0x56, 0x00, 0x00, 0x05, 0x00, 0x09, 0x31, 0x2E, 0x32]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "Related-general-sop-class-identification-length runs past the sub-item",
            bytes: PDUTest.associateRQBytes(userInformation: [0x57, 0x00, 0x00, 0x0C]
                + [0x00, 0x03] + PDUTest.ascii("1.2") + [0x00, 0x03] + PDUTest.ascii("1.3") + [0x00, 0x08]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "Related-general-sop-class-uid-length runs past the identification field",
            bytes: PDUTest.associateRQBytes(userInformation: [0x57, 0x00, 0x00, 0x11]
                + [0x00, 0x03] + PDUTest.ascii("1.2") + [0x00, 0x03] + PDUTest.ascii("1.3")
                + [0x00, 0x05] + [0x00, 0x09] + PDUTest.ascii("1.4")),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "User Identity RQ Primary-field-length runs past the sub-item",
            bytes: PDUTest.associateRQBytes(userInformation: [0x58, 0x00, 0x00, 0x0B, 0x01, 0x00, 0x00, 0x09]
                + PDUTest.ascii("alice") + [0x00, 0x00]),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "User Identity RQ without its Secondary-field-length",
            bytes: PDUTest.associateRQBytes(userInformation: [0x58, 0x00, 0x00, 0x09, 0x01, 0x00, 0x00, 0x05]
                + PDUTest.ascii("alice")),
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "User Identity AC Server-response-length runs past the sub-item",
            bytes: PDUTest.associateRQBytes(userInformation: [0x59, 0x00, 0x00, 0x04, 0x00, 0x05, 0x6F, 0x6B]),
            code: .invalidItemLength
        ),

        // MARK: P-DATA-TF
        MalformedCase(
            name: "P-DATA-TF without any Presentation-data-value Item",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x00],
            code: .missingItem
        ),
        MalformedCase(
            name: "Presentation-data-value Item of length 1",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x01],
            code: .invalidItemLength, offset: 6
        ),
        MalformedCase(
            name: "Presentation-data-value Item of length 0",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00],
            code: .invalidItemLength
        ),
        MalformedCase(
            name: "Presentation-data-value Item runs past the PDU",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x05, 0x01, 0x03, 0xAA, 0xBB],
            code: .itemLengthExceedsParent, offset: 6
        ),
        MalformedCase(
            name: "second Presentation-data-value Item runs past the PDU",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x02, 0x01, 0x03,
                    0x00, 0x00, 0x00, 0x09, 0x01, 0x00],
            code: .itemLengthExceedsParent, offset: 12
        ),
        MalformedCase(
            name: "Presentation-data-value Item length of 4 GiB - 1",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x03],
            code: .itemLengthExceedsParent
        ),
        MalformedCase(
            name: "three stray bytes after the last Presentation-data-value Item",
            bytes: [0x04, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x02, 0x01, 0x03, 0x00, 0x00, 0x00],
            code: .itemLengthExceedsParent, offset: 12
        ),
    ]

    @Test("malformed input raises its specific code", arguments: cases)
    func malformed(testCase: MalformedCase) throws {
        let error = try #require(PDUTest.decodingError(testCase.bytes))
        #expect(error.code == testCase.code, "\(error)")
        #expect(error.pduType == testCase.bytes.first)
        if let offset = testCase.offset {
            #expect(error.offset == offset, "\(error)")
        }
        #expect(!error.reason.isEmpty)
    }

    @Test("the same input fed a byte at a time raises the same code", arguments: cases)
    func malformedDripFed(testCase: MalformedCase) throws {
        let error = #expect(throws: PDUDecodingError.self) {
            _ = try PDUTest.decodeStream(testCase.bytes, chunkSize: 1)
        }
        #expect(error?.code == testCase.code)
    }
}
