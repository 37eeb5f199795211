import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@Suite("Command set encoding (PS3.7 §6.3.1, Implicit VR Little Endian)")
struct DIMSECommandSetTests {
    // MARK: Golden bytes, derived by hand from PS3.7 Tables 9.3-12, 9.3-13 and 9.3-1

    /// C-ECHO-RQ, Message ID 1 (Table 9.3-12). Each element: group, element (little endian),
    /// 4-byte length, value. After the group length: 26 + 10 + 10 + 10 = 56 (38H) bytes.
    static let echoRequestGolden: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00]  // (0000,0000) UL 56
        + [0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00]  // (0000,0002) UI, 18 bytes
        + PDUTest.ascii("1.2.840.10008.1.1") + [0x00]  // Verification SOP Class, NUL-padded to even
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00]  // (0000,0100) US 0030H C-ECHO-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0110) US Message ID 1
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H no data set

    /// C-ECHO-RSP answering Message ID 1 with success (Table 9.3-13): 26 + 4 × 10 = 66 (42H).
    static let echoResponseGolden: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x42, 0x00, 0x00, 0x00]  // (0000,0000) UL 66
        + [0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00]  // (0000,0002) UI, 18 bytes
        + PDUTest.ascii("1.2.840.10008.1.1") + [0x00]
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x80]  // (0000,0100) US 8030H C-ECHO-RSP
        + [0x00, 0x00, 0x20, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0120) US responding to 1
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01]  // (0000,0800) US 0101H
        + [0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0900) US 0000H success

    /// C-STORE-RQ, Message ID 7, CT Image Storage, a C-MOVE sub-operation (Table 9.3-1):
    /// 34 + 10 + 10 + 10 + 10 + 18 + 16 + 10 = 118 (76H).
    static let storeRequestGolden: [UInt8] =
        [0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x76, 0x00, 0x00, 0x00]  // (0000,0000) UL 118
        + [0x00, 0x00, 0x02, 0x00, 0x1A, 0x00, 0x00, 0x00]  // (0000,0002) UI, 26 bytes
        + PDUTest.ascii("1.2.840.10008.5.1.4.1.1.2") + [0x00]  // CT Image Storage, 25 + NUL
        + [0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0100) US 0001H C-STORE-RQ
        + [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00]  // (0000,0110) US Message ID 7
        + [0x00, 0x00, 0x00, 0x07, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]  // (0000,0700) US priority MEDIUM
        + [0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00]  // (0000,0800) US 0001H data set
        + [0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0x00, 0x00]  // (0000,1000) UI, 10 bytes
        + PDUTest.ascii("1.2.3.4.5") + [0x00]
        + [0x00, 0x00, 0x30, 0x10, 0x08, 0x00, 0x00, 0x00]  // (0000,1030) AE, 8 bytes
        + PDUTest.ascii("MOVESCU") + [0x20]  // space-padded to even
        + [0x00, 0x00, 0x31, 0x10, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]  // (0000,1031) US move MID 3

    static let storeRequest = CStoreRequest(
        messageID: 7,
        affectedSOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
        affectedSOPInstanceUID: "1.2.3.4.5",
        priority: .medium,
        moveOriginatorApplicationEntityTitle: "MOVESCU",
        moveOriginatorMessageID: 3
    )

    @Test("C-ECHO-RQ encodes to the bytes of PS3.7 Table 9.3-12")
    func echoRequestEncodes() throws {
        #expect(Self.echoRequestGolden.count == 68)
        let bytes = try CommandSet.encode(CEchoRequest(messageID: 1).commandSet)
        #expect(DIMSETest.bytes(bytes) == Self.echoRequestGolden)
    }

    @Test("C-ECHO-RQ decodes from the bytes of PS3.7 Table 9.3-12")
    func echoRequestDecodes() throws {
        let commandSet = try CommandSet.decode(ByteBuffer(bytes: Self.echoRequestGolden))
        #expect(commandSet.tags.first == .commandGroupLength)
        #expect(try CEchoRequest(commandSet: commandSet) == CEchoRequest(messageID: 1, affectedSOPClassUID: "1.2.840.10008.1.1"))
        #expect(try DIMSEMessage(commandSet: commandSet) == .cEchoRequest(CEchoRequest(messageID: 1)))
    }

    @Test("C-ECHO-RSP encodes to and decodes from the bytes of PS3.7 Table 9.3-13")
    func echoResponseGolden() throws {
        #expect(Self.echoResponseGolden.count == 78)
        let response = CEchoResponse(respondingTo: CEchoRequest(messageID: 1))
        #expect(DIMSETest.bytes(try CommandSet.encode(response.commandSet)) == Self.echoResponseGolden)
        let decoded = try CEchoResponse(commandSet: CommandSet.decode(ByteBuffer(bytes: Self.echoResponseGolden)))
        #expect(decoded == response)
        #expect(decoded.status.kind == .success)
    }

    @Test("C-STORE-RQ encodes to and decodes from the bytes of PS3.7 Table 9.3-1")
    func storeRequestGolden() throws {
        #expect(Self.storeRequestGolden.count == 130)
        #expect(DIMSETest.bytes(try CommandSet.encode(Self.storeRequest.commandSet)) == Self.storeRequestGolden)
        let commandSet = try CommandSet.decode(ByteBuffer(bytes: Self.storeRequestGolden))
        #expect(try CStoreRequest(commandSet: commandSet) == Self.storeRequest)
        #expect(try CommandSet.dataSetType(of: commandSet) == .present)
        #expect(try CommandSet.commandField(of: commandSet) == .cStoreRequest)
    }

    @Test("decoded values are slices of the input, not copies")
    func decodedValuesAreSlices() throws {
        let input = ByteBuffer(bytes: Self.storeRequestGolden)
        let inputRange = input.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!)..<UInt(bitPattern: $0.baseAddress!) + UInt($0.count) }
        let commandSet = try CommandSet.decode(input)
        let uid = try #require(commandSet[.affectedSOPInstanceUID]?.bytes)
        let address = uid.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
        #expect(inputRange.contains(address))
    }

    @Test("the encoder replaces a stale Command Group Length with the computed one")
    func staleGroupLengthIsRecomputed() throws {
        var commandSet = CEchoRequest(messageID: 1).commandSet
        var stale = ByteBuffer()
        stale.writeInteger(UInt32(9999), endianness: .little)
        commandSet[.commandGroupLength] = DataElement(tag: .commandGroupLength, vr: .UL, bytes: stale)
        #expect(DIMSETest.bytes(try CommandSet.encode(commandSet)) == Self.echoRequestGolden)
    }

    @Test("a command set without Command Group Length decodes")
    func missingGroupLengthIsAccepted() throws {
        let bytes = Array(Self.echoRequestGolden.dropFirst(12))
        let commandSet = try CommandSet.decode(ByteBuffer(bytes: bytes))
        #expect(try CEchoRequest(commandSet: commandSet).messageID == 1)
    }

    // MARK: Malformed input

    @Test("a Command Group Length that does not count the bytes after it is rejected")
    func wrongGroupLength() {
        var bytes = Self.echoRequestGolden
        bytes[8] = 0x36
        #expect(DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(ByteBuffer(bytes: bytes)) }?.code == .malformedCommandSet)
    }

    @Test("a Command Group Length that is not the first element is rejected")
    func groupLengthNotFirst() {
        // (0000,0000) after (0000,0002): out of order, so not the first element.
        let groupLength = Array(Self.echoRequestGolden[0..<12])
        let uid = Array(Self.echoRequestGolden[12..<38])
        let rest = Array(Self.echoRequestGolden[38...])
        let bytes = uid + groupLength + rest
        let error = DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(ByteBuffer(bytes: bytes)) }
        #expect(error?.code == .malformedCommandSet)
        #expect(error?.tag == .commandGroupLength)
    }

    @Test("an element that appears twice is rejected, whichever copy a reader would take")
    func repeatedElement() {
        // The Message ID (0000,0110), 2 bytes, once more at the end, without a group length.
        let messageID: [UInt8] = [0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00]
        let bytes = Array(Self.echoRequestGolden.dropFirst(12)) + messageID
        let error = DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(ByteBuffer(bytes: bytes)) }
        #expect(error?.code == .malformedCommandSet)
        #expect(error?.tag == .messageID)
    }

    @Test("elements out of tag order are kept and found")
    func outOfOrderElements() throws {
        // The golden C-ECHO-RQ without its group length, its first element (0000,0002) moved last.
        let body = Array(Self.echoRequestGolden.dropFirst(12))
        let uidLength = 8 + (Int(body[4]) | Int(body[5]) << 8)
        let bytes = Array(body[uidLength...]) + Array(body[..<uidLength])
        let request = try CEchoRequest(commandSet: CommandSet.decode(ByteBuffer(bytes: bytes)))
        #expect(request.messageID == 1)
        #expect(request.affectedSOPClassUID == .verification)
    }

    @Test("an element outside group 0000 is rejected on decode and encode")
    func elementOutsideGroup0000() {
        let foreign: [UInt8] = [0x08, 0x00, 0x18, 0x00, 0x02, 0x00, 0x00, 0x00, 0x31, 0x00]  // (0008,0018) UI "1"
        let bytes = Array(Self.echoRequestGolden.dropFirst(12)) + foreign
        let decodeError = DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(ByteBuffer(bytes: bytes)) }
        #expect(decodeError?.code == .malformedCommandSet)
        #expect(decodeError?.tag == DICOMCore.Tag(group: 0x0008, element: 0x0018))

        var commandSet = CEchoRequest(messageID: 1).commandSet
        commandSet.setString("1", for: .sopInstanceUID, vr: .UI)
        #expect(DIMSETest.error { () throws(DIMSEError) in try CommandSet.encode(commandSet) }?.code == .encodingFailed)
    }

    @Test("an element of undefined length (a sequence) is rejected")
    func sequenceRejected() {
        // (0000,5555), unknown to the dictionary: VR UN; undefined length makes it a sequence.
        let bytes: [UInt8] = [0x00, 0x00, 0x55, 0x55, 0xFF, 0xFF, 0xFF, 0xFF]
            + [0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00]  // sequence delimitation item
        #expect(DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(ByteBuffer(bytes: bytes)) }?.code == .malformedCommandSet)
    }

    @Test("a truncated element is rejected")
    func truncated() {
        let bytes = Array(Self.echoRequestGolden.dropLast(1))
        #expect(DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(ByteBuffer(bytes: bytes)) }?.code == .malformedCommandSet)
    }

    @Test("a command set longer than the limit is rejected on decode and encode")
    func tooLarge() throws {
        let bytes = ByteBuffer(bytes: Self.echoRequestGolden)
        #expect(try CommandSet.decode(bytes, maximumLength: 68).count == 5)
        #expect(DIMSETest.error { () throws(DIMSEError) in try CommandSet.decode(bytes, maximumLength: 67) }?.code == .commandSetTooLarge)
        let commandSet = CEchoRequest(messageID: 1).commandSet
        #expect(try CommandSet.encode(commandSet, maximumLength: 68).readableBytes == 68)
        #expect(DIMSETest.error { () throws(DIMSEError) in try CommandSet.encode(commandSet, maximumLength: 67) }?.code == .commandSetTooLarge)
        #expect(CommandSet.maximumLength == 65536)
    }

    @Test("a US field of the wrong length is invalid, an empty one missing")
    func fieldLengths() throws {
        var commandSet = CEchoRequest(messageID: 1).commandSet
        commandSet[.messageID] = DataElement(tag: .messageID, vr: .US, bytes: ByteBuffer(bytes: [0x01, 0x00, 0x00, 0x00]))
        let invalid = DIMSETest.error { () throws(DIMSEError) in try CEchoRequest(commandSet: commandSet) }
        #expect(invalid?.code == .invalidField)
        #expect(invalid?.tag == .messageID)
        commandSet[.messageID] = DataElement(tag: .messageID, vr: .US, bytes: ByteBuffer())
        #expect(DIMSETest.error { () throws(DIMSEError) in try CEchoRequest(commandSet: commandSet) }?.code == .missingField)
    }
}
