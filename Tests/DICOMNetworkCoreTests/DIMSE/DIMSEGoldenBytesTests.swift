import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

/// Every DIMSE message as the bytes PS3.7 prescribes, written out by hand: group 0000 Implicit VR
/// Little Endian (PS3.7 §6.3.1), the Command Group Length (0000,0000) first, then the elements in
/// ascending tag order, each as tag (group, element, little endian), 4-byte length and value. UIDs
/// are padded to even length with 00H, AE and LO values with a space (PS3.5 §6.2). The comment on
/// the group length adds up the element lengths that follow it: 8 bytes of header each, plus 2 for
/// a US, 4 per tag for an AT, the padded length for a UI, AE or LO.
///
/// C-ECHO-RQ, C-ECHO-RSP and C-STORE-RQ are in ``DIMSECommandSetTests``; this suite adds the other
/// twenty and runs all twenty-three.
@Suite("Golden command sets of the 23 DIMSE messages (PS3.7 §9.3, §10.3)")
struct DIMSEGoldenBytesTests {
    // MARK: UIDs

    static let ctImageStorage: UID = "1.2.840.10008.5.1.4.1.1.2"  // 25 characters, 26 padded
    static let studyRootFind: UID = "1.2.840.10008.5.1.4.1.2.2.1"  // 27, 28 padded
    static let studyRootMove: UID = "1.2.840.10008.5.1.4.1.2.2.2"  // 27, 28 padded
    static let studyRootGet: UID = "1.2.840.10008.5.1.4.1.2.2.3"  // 27, 28 padded
    static let storageCommitment: UID = "1.2.840.10008.1.20.1"  // 20, even
    static let storageCommitmentInstance: UID = "1.2.840.10008.1.20.1.1"  // 22, even
    static let printer: UID = "1.2.840.10008.5.1.1.16"  // 22, even
    static let printerInstance: UID = "1.2.840.10008.5.1.1.17"  // 22, even
    static let mpps: UID = "1.2.840.10008.3.1.2.3.3"  // 23, 24 padded
    static let basicFilmSession: UID = "1.2.840.10008.5.1.1.1"  // 21, 22 padded

    static func ascii(_ text: String) -> [UInt8] { PDUTest.ascii(text) }

    // MARK: DIMSE-C (PS3.7 §9.3)

    /// C-STORE-RSP, Table 9.3-2, with the Annex C fields of a B000H coercion warning (PS3.4 Table
    /// B.2-1): 34 + 10 + 10 + 10 + 10 + 12 + 16 + 18 = 120 (78H).
    static let storeResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x78, 0x00, 0x00, 0x00]  // (0000,0000) UL 120
        + [0x00, 0x00, 0x02, 0x00, 0x1A, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.4.1.1.2") + [0x00]  // (0000,0002) UI 26
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x80]  // (0000,0100) US 8001H C-STORE-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00]  // (0000,0120) US responding to 7
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0xB0]  // (0000,0900) US B000H coercion
        + [0x00, 0x00, 0x01, 0x09, 0x04, 0x00, 0x00, 0x00, 0x10, 0x00, 0x10, 0x00]  // (0000,0901) AT (0010,0010)
        + [0x00, 0x00, 0x02, 0x09, 0x08, 0x00, 0x00, 0x00] + ascii("Coerced ")  // (0000,0902) LO, space-padded
        + [0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0x00, 0x00] + ascii("1.2.3.4.5") + [0x00]  // (0000,1000) UI 10

    /// C-FIND-RQ, Table 9.3-3, priority LOW: 36 + 4 × 10 = 76 (4CH).
    static let findRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4C, 0x00, 0x00, 0x00]  // (0000,0000) UL 76
        + [0x00, 0x00, 0x02, 0x00, 0x1C, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.4.1.2.2.1") + [0x00]  // (0000,0002) UI 28
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x20, 0x00]  // (0000,0100) US 0020H C-FIND-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]  // (0000,0110) US Message ID 3
        + [0x00, 0x00, 0x00, 0x07, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00]  // (0000,0700) US 0002H LOW
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Identifier follows

    /// C-FIND-RSP, Table 9.3-4, a pending match with its Identifier: 36 + 4 × 10 = 76 (4CH).
    static let findResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4C, 0x00, 0x00, 0x00]  // (0000,0000) UL 76
        + [0x00, 0x00, 0x02, 0x00, 0x1C, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.4.1.2.2.1") + [0x00]  // (0000,0002) UI 28
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x20, 0x80]  // (0000,0100) US 8020H C-FIND-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]  // (0000,0120) US responding to 3
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Identifier follows
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0xFF]  // (0000,0900) US FF00H pending

    /// C-CANCEL-RQ, Tables 9.3-5, 9.3-8, 9.3-11: 3 × 10 = 30 (1EH).
    static let cancelRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x1E, 0x00, 0x00, 0x00]  // (0000,0000) UL 30
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0xFF, 0x0F]  // (0000,0100) US 0FFFH C-CANCEL-RQ
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]  // (0000,0120) US cancels Message ID 3
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set

    /// C-GET-RQ, Table 9.3-6, priority HIGH: 36 + 4 × 10 = 76 (4CH).
    static let getRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4C, 0x00, 0x00, 0x00]  // (0000,0000) UL 76
        + [0x00, 0x00, 0x02, 0x00, 0x1C, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.4.1.2.2.3") + [0x00]  // (0000,0002) UI 28
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00]  // (0000,0100) US 0010H C-GET-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00]  // (0000,0110) US Message ID 4
        + [0x00, 0x00, 0x00, 0x07, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0700) US 0001H HIGH
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Identifier follows

    /// C-GET-RSP, Table 9.3-7, pending with the four counts PS3.7 §9.1.3.1.7–10 require:
    /// 36 + 8 × 10 = 116 (74H).
    static let getResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x74, 0x00, 0x00, 0x00]  // (0000,0000) UL 116
        + [0x00, 0x00, 0x02, 0x00, 0x1C, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.4.1.2.2.3") + [0x00]  // (0000,0002) UI 28
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x10, 0x80]  // (0000,0100) US 8010H C-GET-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00]  // (0000,0120) US responding to 4
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0xFF]  // (0000,0900) US FF00H pending
        + [0x00, 0x00, 0x20, 0x10, 0x02, 0x00, 0x00, 0x00, 0x0A, 0x00]  // (0000,1020) US 10 remaining
        + [0x00, 0x00, 0x21, 0x10, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00]  // (0000,1021) US 2 completed
        + [0x00, 0x00, 0x22, 0x10, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,1022) US 1 failed
        + [0x00, 0x00, 0x23, 0x10, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,1023) US 0 warning

    /// C-MOVE-RQ, Table 9.3-9, to a 7-character AE: 36 + 10 + 10 + 16 + 10 + 10 = 92 (5CH).
    static let moveRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x5C, 0x00, 0x00, 0x00]  // (0000,0000) UL 92
        + [0x00, 0x00, 0x02, 0x00, 0x1C, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.4.1.2.2.2") + [0x00]  // (0000,0002) UI 28
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x21, 0x00]  // (0000,0100) US 0021H C-MOVE-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00]  // (0000,0110) US Message ID 5
        + [0x00, 0x00, 0x00, 0x06, 0x08, 0x00, 0x00, 0x00] + ascii("DEST_AE ")  // (0000,0600) AE, space-padded
        + [0x00, 0x00, 0x00, 0x07, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0700) US 0000H MEDIUM
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Identifier follows

    /// C-MOVE-RSP, Table 9.3-10, the final B000H warning with the Identifier of failed instances and
    /// no Affected SOP Class UID (U(=)), nor a remaining count (PS3.4 Table C.4-2): 7 × 10 = 70 (46H).
    static let moveResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x46, 0x00, 0x00, 0x00]  // (0000,0000) UL 70
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x21, 0x80]  // (0000,0100) US 8021H C-MOVE-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00]  // (0000,0120) US responding to 5
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Identifier follows
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0xB0]  // (0000,0900) US B000H warning
        + [0x00, 0x00, 0x21, 0x10, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]  // (0000,1021) US 3 completed
        + [0x00, 0x00, 0x22, 0x10, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,1022) US 1 failed
        + [0x00, 0x00, 0x23, 0x10, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,1023) US 0 warning

    // MARK: DIMSE-N (PS3.7 §10.3)

    /// N-EVENT-REPORT-RQ, Table 10.3-1, a Storage Commitment result with its Event Information:
    /// 28 + 10 + 10 + 10 + 30 + 10 = 98 (62H).
    static let eventReportRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00, 0x00]  // (0000,0000) UL 98
        + [0x00, 0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1")  // (0000,0002) UI 20, even
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01]  // (0000,0100) US 0100H N-EVENT-REPORT-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0A, 0x00]  // (0000,0110) US Message ID 10
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Event Information
        + [0x00, 0x00, 0x00, 0x10, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1.1")  // (0000,1000) UI 22
        + [0x00, 0x00, 0x02, 0x10, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,1002) US Event Type ID 1

    /// N-EVENT-REPORT-RSP, Table 10.3-2, success without an Event Reply:
    /// 28 + 4 × 10 + 30 + 10 = 108 (6CH).
    static let eventReportResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x6C, 0x00, 0x00, 0x00]  // (0000,0000) UL 108
        + [0x00, 0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1")  // (0000,0002) UI 20
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x81]  // (0000,0100) US 8100H N-EVENT-REPORT-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0A, 0x00]  // (0000,0120) US responding to 10
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0900) US 0000H success
        + [0x00, 0x00, 0x00, 0x10, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1.1")  // (0000,1000) UI 22
        + [0x00, 0x00, 0x02, 0x10, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,1002) US Event Type ID 1

    /// N-GET-RQ, Table 10.3-3, for two Printer attributes: 30 + 3 × 10 + 30 + 16 = 106 (6AH).
    static let getAttributesRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x6A, 0x00, 0x00, 0x00]  // (0000,0000) UL 106
        + [0x00, 0x00, 0x03, 0x00, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.1.16")  // (0000,0003) UI 22
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x10, 0x01]  // (0000,0100) US 0110H N-GET-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x00]  // (0000,0110) US Message ID 11
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x01, 0x10, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.1.17")  // (0000,1001) UI 22
        + [0x00, 0x00, 0x05, 0x10, 0x08, 0x00, 0x00, 0x00]  // (0000,1005) AT, 2 tags
        + [0x10, 0x21, 0x10, 0x00, 0x10, 0x21, 0x20, 0x00]  // (2110,0010) (2110,0020)

    /// N-GET-RSP, Table 10.3-4, with the Attribute Identifier List of 0107H (PS3.7 §C.4.2) and the
    /// attributes that could be read: 30 + 4 × 10 + 30 + 12 = 112 (70H).
    static let getAttributesResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x70, 0x00, 0x00, 0x00]  // (0000,0000) UL 112
        + [0x00, 0x00, 0x02, 0x00, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.1.16")  // (0000,0002) UI 22
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x10, 0x81]  // (0000,0100) US 8110H N-GET-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x00]  // (0000,0120) US responding to 11
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Attribute List
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01]  // (0000,0900) US 0107H attribute list error
        + [0x00, 0x00, 0x00, 0x10, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.1.17")  // (0000,1000) UI 22
        + [0x00, 0x00, 0x05, 0x10, 0x04, 0x00, 0x00, 0x00, 0x10, 0x21, 0x30, 0x00]  // (0000,1005) AT (2110,0030)

    /// N-SET-RQ, Table 10.3-5, on an MPPS: 32 + 3 × 10 + 16 = 78 (4EH).
    static let setRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4E, 0x00, 0x00, 0x00]  // (0000,0000) UL 78
        + [0x00, 0x00, 0x03, 0x00, 0x18, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.3.1.2.3.3") + [0x00]  // (0000,0003) UI 24
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x20, 0x01]  // (0000,0100) US 0120H N-SET-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0C, 0x00]  // (0000,0110) US Message ID 12
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Modification List
        + [0x00, 0x00, 0x01, 0x10, 0x08, 0x00, 0x00, 0x00] + ascii("1.2.3.4") + [0x00]  // (0000,1001) UI 8

    /// N-SET-RSP, Table 10.3-6, success: 32 + 4 × 10 + 16 = 88 (58H).
    static let setResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00]  // (0000,0000) UL 88
        + [0x00, 0x00, 0x02, 0x00, 0x18, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.3.1.2.3.3") + [0x00]  // (0000,0002) UI 24
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x20, 0x81]  // (0000,0100) US 8120H N-SET-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0C, 0x00]  // (0000,0120) US responding to 12
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0900) US 0000H success
        + [0x00, 0x00, 0x00, 0x10, 0x08, 0x00, 0x00, 0x00] + ascii("1.2.3.4") + [0x00]  // (0000,1000) UI 8

    /// N-ACTION-RQ, Table 10.3-7, a Storage Commitment request with its Action Information:
    /// 28 + 3 × 10 + 30 + 10 = 98 (62H).
    static let actionRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00, 0x00]  // (0000,0000) UL 98
        + [0x00, 0x00, 0x03, 0x00, 0x14, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1")  // (0000,0003) UI 20
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x01]  // (0000,0100) US 0130H N-ACTION-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0D, 0x00]  // (0000,0110) US Message ID 13
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Action Information
        + [0x00, 0x00, 0x01, 0x10, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1.1")  // (0000,1001) UI 22
        + [0x00, 0x00, 0x08, 0x10, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,1008) US Action Type ID 1

    /// N-ACTION-RSP, Table 10.3-8, success without an Action Reply:
    /// 28 + 4 × 10 + 30 + 10 = 108 (6CH).
    static let actionResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x6C, 0x00, 0x00, 0x00]  // (0000,0000) UL 108
        + [0x00, 0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1")  // (0000,0002) UI 20
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x81]  // (0000,0100) US 8130H N-ACTION-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0D, 0x00]  // (0000,0120) US responding to 13
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0900) US 0000H success
        + [0x00, 0x00, 0x00, 0x10, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.1.20.1.1")  // (0000,1000) UI 22
        + [0x00, 0x00, 0x08, 0x10, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,1008) US Action Type ID 1

    /// N-CREATE-RQ, Table 10.3-9, an MPPS whose UID the requester chose: 32 + 3 × 10 + 18 = 80 (50H).
    static let createRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00]  // (0000,0000) UL 80
        + [0x00, 0x00, 0x02, 0x00, 0x18, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.3.1.2.3.3") + [0x00]  // (0000,0002) UI 24
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x40, 0x01]  // (0000,0100) US 0140H N-CREATE-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0E, 0x00]  // (0000,0110) US Message ID 14
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Attribute List
        + [0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0x00, 0x00] + ascii("1.2.3.4.5") + [0x00]  // (0000,1000) UI 10

    /// N-CREATE-RSP, Table 10.3-10, success with the Attribute List: 32 + 4 × 10 + 18 = 90 (5AH).
    static let createResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x5A, 0x00, 0x00, 0x00]  // (0000,0000) UL 90
        + [0x00, 0x00, 0x02, 0x00, 0x18, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.3.1.2.3.3") + [0x00]  // (0000,0002) UI 24
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x40, 0x81]  // (0000,0100) US 8140H N-CREATE-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0E, 0x00]  // (0000,0120) US responding to 14
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H Attribute List
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0900) US 0000H success
        + [0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0x00, 0x00] + ascii("1.2.3.4.5") + [0x00]  // (0000,1000) UI 10

    /// N-DELETE-RQ, Table 10.3-11, a Basic Film Session: 30 + 3 × 10 + 14 = 74 (4AH).
    static let deleteRequest: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4A, 0x00, 0x00, 0x00]  // (0000,0000) UL 74
        + [0x00, 0x00, 0x03, 0x00, 0x16, 0x00, 0x00, 0x00] + ascii("1.2.840.10008.5.1.1.1") + [0x00]  // (0000,0003) UI 22
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x50, 0x01]  // (0000,0100) US 0150H N-DELETE-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0F, 0x00]  // (0000,0110) US Message ID 15
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x01, 0x10, 0x06, 0x00, 0x00, 0x00] + ascii("1.2.3") + [0x00]  // (0000,1001) UI 6

    /// N-DELETE-RSP, Table 10.3-12, a 0110H processing failure with the Error Comment and Error ID
    /// of PS3.7 §C.5.21, without the optional UIDs: 4 × 10 + 12 + 10 = 62 (3EH).
    static let deleteResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x3E, 0x00, 0x00, 0x00]  // (0000,0000) UL 62
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x50, 0x81]  // (0000,0100) US 8150H N-DELETE-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0F, 0x00]  // (0000,0120) US responding to 15
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x10, 0x01]  // (0000,0900) US 0110H processing failure
        + [0x00, 0x00, 0x02, 0x09, 0x04, 0x00, 0x00, 0x00] + ascii("Gone")  // (0000,0902) LO 4, even
        + [0x00, 0x00, 0x03, 0x09, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]  // (0000,0903) US Error ID 3

    // MARK: The table

    /// A message and its hand-derived encoding.
    struct Golden: CustomTestStringConvertible, Sendable {
        let message: DIMSEMessage
        let bytes: [UInt8]
        var testDescription: String { message.commandField.description }
    }

    static let goldens: [Golden] = [
        Golden(message: .cEchoRequest(CEchoRequest(messageID: 1)), bytes: DIMSECommandSetTests.echoRequestGolden),
        Golden(message: .cEchoResponse(CEchoResponse(messageIDBeingRespondedTo: 1)), bytes: DIMSECommandSetTests.echoResponseGolden),
        Golden(message: .cStoreRequest(DIMSECommandSetTests.storeRequest), bytes: DIMSECommandSetTests.storeRequestGolden),
        Golden(
            message: .cStoreResponse(CStoreResponse(
                messageIDBeingRespondedTo: 7, affectedSOPClassUID: ctImageStorage, affectedSOPInstanceUID: "1.2.3.4.5",
                status: .coercionOfDataElements, offendingElements: [.patientName], errorComment: "Coerced"
            )),
            bytes: storeResponse
        ),
        Golden(message: .cFindRequest(CFindRequest(messageID: 3, affectedSOPClassUID: studyRootFind, priority: .low)), bytes: findRequest),
        Golden(
            message: .cFindResponse(CFindResponse(messageIDBeingRespondedTo: 3, affectedSOPClassUID: studyRootFind, status: .pending)),
            bytes: findResponse
        ),
        Golden(message: .cCancelRequest(CCancelRequest(messageIDBeingRespondedTo: 3)), bytes: cancelRequest),
        Golden(message: .cGetRequest(CGetRequest(messageID: 4, affectedSOPClassUID: studyRootGet, priority: .high)), bytes: getRequest),
        Golden(
            message: .cGetResponse(CGetResponse(
                messageIDBeingRespondedTo: 4, affectedSOPClassUID: studyRootGet, status: .pending,
                subOperations: SubOperationCounts(remaining: 10, completed: 2, failed: 1, warning: 0)
            )),
            bytes: getResponse
        ),
        Golden(
            message: .cMoveRequest(CMoveRequest(messageID: 5, affectedSOPClassUID: studyRootMove, moveDestination: "DEST_AE")),
            bytes: moveRequest
        ),
        Golden(
            message: .cMoveResponse(CMoveResponse(
                messageIDBeingRespondedTo: 5, affectedSOPClassUID: nil, status: .subOperationsCompleteWithFailures, hasIdentifier: true,
                subOperations: SubOperationCounts(completed: 3, failed: 1, warning: 0)
            )),
            bytes: moveResponse
        ),
        Golden(
            message: .nEventReportRequest(NEventReportRequest(
                messageID: 10, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance, eventTypeID: 1
            )),
            bytes: eventReportRequest
        ),
        Golden(
            message: .nEventReportResponse(NEventReportResponse(
                messageIDBeingRespondedTo: 10, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance,
                eventTypeID: 1, status: .success
            )),
            bytes: eventReportResponse
        ),
        Golden(
            message: .nGetRequest(NGetRequest(
                messageID: 11, requestedSOPClassUID: printer, requestedSOPInstanceUID: printerInstance,
                attributeIdentifierList: [DICOMCore.Tag(0x2110_0010), DICOMCore.Tag(0x2110_0020)]
            )),
            bytes: getAttributesRequest
        ),
        Golden(
            message: .nGetResponse(NGetResponse(
                messageIDBeingRespondedTo: 11, affectedSOPClassUID: printer, affectedSOPInstanceUID: printerInstance,
                attributeIdentifierList: [DICOMCore.Tag(0x2110_0030)], status: .attributeListError, hasDataSet: true
            )),
            bytes: getAttributesResponse
        ),
        Golden(message: .nSetRequest(NSetRequest(messageID: 12, requestedSOPClassUID: mpps, requestedSOPInstanceUID: "1.2.3.4")), bytes: setRequest),
        Golden(
            message: .nSetResponse(NSetResponse(
                messageIDBeingRespondedTo: 12, affectedSOPClassUID: mpps, affectedSOPInstanceUID: "1.2.3.4", status: .success
            )),
            bytes: setResponse
        ),
        Golden(
            message: .nActionRequest(NActionRequest(
                messageID: 13, requestedSOPClassUID: storageCommitment, requestedSOPInstanceUID: storageCommitmentInstance, actionTypeID: 1
            )),
            bytes: actionRequest
        ),
        Golden(
            message: .nActionResponse(NActionResponse(
                messageIDBeingRespondedTo: 13, affectedSOPClassUID: storageCommitment, affectedSOPInstanceUID: storageCommitmentInstance,
                actionTypeID: 1, status: .success
            )),
            bytes: actionResponse
        ),
        Golden(
            message: .nCreateRequest(NCreateRequest(messageID: 14, affectedSOPClassUID: mpps, affectedSOPInstanceUID: "1.2.3.4.5")),
            bytes: createRequest
        ),
        Golden(
            message: .nCreateResponse(NCreateResponse(
                messageIDBeingRespondedTo: 14, affectedSOPClassUID: mpps, affectedSOPInstanceUID: "1.2.3.4.5", status: .success, hasDataSet: true
            )),
            bytes: createResponse
        ),
        Golden(
            message: .nDeleteRequest(NDeleteRequest(messageID: 15, requestedSOPClassUID: basicFilmSession, requestedSOPInstanceUID: "1.2.3")),
            bytes: deleteRequest
        ),
        Golden(
            message: .nDeleteResponse(NDeleteResponse(
                messageIDBeingRespondedTo: 15, affectedSOPClassUID: nil, affectedSOPInstanceUID: nil, status: .processingFailure,
                errorComment: "Gone", errorID: 3
            )),
            bytes: deleteResponse
        ),
    ]

    @Test("the table holds each of the 23 messages of PS3.7 Table E.1-1 once")
    func everyMessage() {
        #expect(Self.goldens.map(\.message.commandField).sorted { $0.rawValue < $1.rawValue }
            == CommandField.allDefined.sorted { $0.rawValue < $1.rawValue })
    }

    @Test("each message encodes to its golden bytes", arguments: goldens)
    func encodes(_ golden: Golden) throws {
        #expect(DIMSETest.bytes(try CommandSet.encode(golden.message.commandSet)) == golden.bytes)
    }

    @Test("each golden buffer decodes to the message, field by field", arguments: goldens)
    func decodes(_ golden: Golden) throws {
        let commandSet = try CommandSet.decode(ByteBuffer(bytes: golden.bytes))
        // The group length counts the bytes after its own 12.
        #expect(commandSet.integer(.commandGroupLength) == golden.bytes.count - 12)
        #expect(commandSet.tags == commandSet.tags.sorted())
        let decoded = try DIMSEMessage(commandSet: commandSet)
        #expect(decoded == golden.message)
        #expect(decoded.commandField == golden.message.commandField)
        #expect(decoded.hasDataSet == golden.message.hasDataSet)
        #expect(decoded.messageID == golden.message.messageID)
        #expect(decoded.messageIDBeingRespondedTo == golden.message.messageIDBeingRespondedTo)
        #expect(decoded.status == golden.message.status)
        // Decoding through the type itself gives the same message as through DIMSEMessage.
        let command = try type(of: golden.message.command).init(commandSet: commandSet)
        #expect(DIMSETest.bytes(try CommandSet.encode(command.commandSet)) == golden.bytes)
    }

    @Test("each golden buffer decodes the same when the peer leaves out the Command Group Length", arguments: goldens)
    func decodesWithoutGroupLength(_ golden: Golden) throws {
        let commandSet = try CommandSet.decode(ByteBuffer(bytes: Array(golden.bytes.dropFirst(12))))
        #expect(try DIMSEMessage(commandSet: commandSet) == golden.message)
    }

    // MARK: Mandatory fields

    /// The fields each message requires, from the M entries of PS3.7 Tables 9.1-1 to 9.1-5 and
    /// 10.1-1 to 10.1-6 and the fields the message tables add (Command Field, Command Data Set
    /// Type). Conditional fields whose condition holds in the golden message are included: the four
    /// counts of the pending C-GET-RSP.
    static let mandatory: [CommandField: [DICOMCore.Tag]] = [
        .cEchoRequest: [.affectedSOPClassUID, .messageID],
        .cEchoResponse: [.messageIDBeingRespondedTo, .status],
        .cStoreRequest: [.affectedSOPClassUID, .messageID, .priority, .affectedSOPInstanceUID],
        .cStoreResponse: [.messageIDBeingRespondedTo, .status],
        .cFindRequest: [.affectedSOPClassUID, .messageID, .priority],
        .cFindResponse: [.messageIDBeingRespondedTo, .status],
        .cCancelRequest: [.messageIDBeingRespondedTo],
        .cGetRequest: [.affectedSOPClassUID, .messageID, .priority],
        .cGetResponse: [
            .messageIDBeingRespondedTo, .status, .numberOfRemainingSuboperations, .numberOfCompletedSuboperations,
            .numberOfFailedSuboperations, .numberOfWarningSuboperations,
        ],
        .cMoveRequest: [.affectedSOPClassUID, .messageID, .moveDestination, .priority],
        .cMoveResponse: [.messageIDBeingRespondedTo, .status],
        .nEventReportRequest: [.affectedSOPClassUID, .messageID, .affectedSOPInstanceUID, .eventTypeID],
        .nEventReportResponse: [.messageIDBeingRespondedTo, .status],
        .nGetRequest: [.requestedSOPClassUID, .messageID, .requestedSOPInstanceUID],
        .nGetResponse: [.messageIDBeingRespondedTo, .status],
        .nSetRequest: [.requestedSOPClassUID, .messageID, .requestedSOPInstanceUID],
        .nSetResponse: [.messageIDBeingRespondedTo, .status],
        .nActionRequest: [.requestedSOPClassUID, .messageID, .requestedSOPInstanceUID, .actionTypeID],
        .nActionResponse: [.messageIDBeingRespondedTo, .status],
        .nCreateRequest: [.affectedSOPClassUID, .messageID],
        .nCreateResponse: [.messageIDBeingRespondedTo, .status],
        .nDeleteRequest: [.requestedSOPClassUID, .messageID, .requestedSOPInstanceUID],
        .nDeleteResponse: [.messageIDBeingRespondedTo, .status],
    ]

    /// One row per golden message and mandatory field, Command Field and Command Data Set Type
    /// included.
    static let mandatoryRows: [(Golden, DICOMCore.Tag)] = goldens.flatMap { golden in
        ([.commandField, .commandDataSetType] + mandatory[golden.message.commandField, default: []]).map { (golden, $0) }
    }

    @Test("a golden buffer without one of its mandatory fields does not decode", arguments: mandatoryRows)
    func mandatoryFieldMissing(_ golden: Golden, _ tag: DICOMCore.Tag) throws {
        var commandSet = try CommandSet.decode(ByteBuffer(bytes: golden.bytes))
        #expect(commandSet.remove(tag) != nil, "the golden message has \(tag)")
        commandSet.remove(.commandGroupLength)
        let reencoded = try CommandSet.decode(CommandSet.encode(commandSet))
        let error = DIMSETest.error { () throws(DIMSEError) in try DIMSEMessage(commandSet: reencoded) }
        #expect(error?.code == .missingField)
        #expect(error?.tag == tag)
        if tag != .commandField {
            let command = type(of: golden.message.command)
            #expect(DIMSETest.error { () throws(DIMSEError) in try command.init(commandSet: reencoded) }?.code == .missingField)
        }
    }

    @Test("every field the golden message does not require can be left out", arguments: goldens)
    func optionalFieldsMayBeAbsent(_ golden: Golden) throws {
        let required = Set([.commandGroupLength, .commandField, .commandDataSetType] + Self.mandatory[golden.message.commandField, default: []])
        var commandSet = try CommandSet.decode(ByteBuffer(bytes: golden.bytes))
        commandSet.removeAll { !required.contains($0.tag) }
        commandSet.remove(.commandGroupLength)
        let decoded = try DIMSEMessage(commandSet: CommandSet.decode(CommandSet.encode(commandSet)))
        #expect(decoded.commandField == golden.message.commandField)
        #expect(decoded.messageID == golden.message.messageID)
        #expect(decoded.status == golden.message.status)
    }
}
