import DICOMNetworkCore
import Testing

@Suite("Command Field, Priority and Command Data Set Type (PS3.7 §E.1)")
struct DIMSECommandFieldTests {
    @Test(
        "each command has the value of PS3.7 Table E.1-1",
        arguments: [
            (CommandField.cStoreRequest, UInt16(0x0001), "C-STORE-RQ"),
            (.cStoreResponse, 0x8001, "C-STORE-RSP"),
            (.cGetRequest, 0x0010, "C-GET-RQ"),
            (.cGetResponse, 0x8010, "C-GET-RSP"),
            (.cFindRequest, 0x0020, "C-FIND-RQ"),
            (.cFindResponse, 0x8020, "C-FIND-RSP"),
            (.cMoveRequest, 0x0021, "C-MOVE-RQ"),
            (.cMoveResponse, 0x8021, "C-MOVE-RSP"),
            (.cEchoRequest, 0x0030, "C-ECHO-RQ"),
            (.cEchoResponse, 0x8030, "C-ECHO-RSP"),
            (.nEventReportRequest, 0x0100, "N-EVENT-REPORT-RQ"),
            (.nEventReportResponse, 0x8100, "N-EVENT-REPORT-RSP"),
            (.nGetRequest, 0x0110, "N-GET-RQ"),
            (.nGetResponse, 0x8110, "N-GET-RSP"),
            (.nSetRequest, 0x0120, "N-SET-RQ"),
            (.nSetResponse, 0x8120, "N-SET-RSP"),
            (.nActionRequest, 0x0130, "N-ACTION-RQ"),
            (.nActionResponse, 0x8130, "N-ACTION-RSP"),
            (.nCreateRequest, 0x0140, "N-CREATE-RQ"),
            (.nCreateResponse, 0x8140, "N-CREATE-RSP"),
            (.nDeleteRequest, 0x0150, "N-DELETE-RQ"),
            (.nDeleteResponse, 0x8150, "N-DELETE-RSP"),
            (.cCancelRequest, 0x0FFF, "C-CANCEL-RQ"),
        ]
    )
    func values(_ field: CommandField, _ value: UInt16, _ name: String) {
        #expect(field.rawValue == value)
        #expect(field.name == name)
        #expect(field.description == name)
        #expect(field.isResponse == name.hasSuffix("-RSP"))
        #expect(CommandField.allDefined.contains(field))
    }

    @Test("requests map to their responses and back; C-CANCEL-RQ has no response")
    func pairs() {
        for field in CommandField.allDefined where !field.isResponse && field != .cCancelRequest {
            let response = field.response
            #expect(response?.isResponse == true)
            #expect(response?.request == field)
            #expect(response?.name == field.name.map { String($0.dropLast(2)) + "RSP" })
        }
        #expect(CommandField.cCancelRequest.response == nil)
        #expect(CommandField.cStoreResponse.response == nil)
        #expect(CommandField.cStoreRequest.request == nil)
        #expect(CommandField.allDefined.count == 23)
    }

    @Test("an undefined value has no name, response or request")
    func undefined() {
        let field = CommandField(rawValue: 0x0031)
        #expect(field.name == nil)
        #expect(field.response == nil)
        #expect(CommandField(rawValue: 0x8031).request == nil)
        #expect(field.description == "command field 0x0031")
    }

    @Test("priorities have the values of PS3.7 §E.1: LOW 0002H, MEDIUM 0000H, HIGH 0001H")
    func priorities() {
        #expect(DIMSEPriority.low.rawValue == 2)
        #expect(DIMSEPriority.medium.rawValue == 0)
        #expect(DIMSEPriority.high.rawValue == 1)
        #expect(DIMSEPriority(rawValue: 7).description == "priority 0x0007")
    }

    @Test("Command Data Set Type: 0101H is no data set, any other value one", arguments: [UInt16(0x0000), 0x0001, 0x0100, 0x0102, 0xFEFE, 0xFFFF])
    func dataSetType(_ value: UInt16) {
        #expect(CommandDataSetType(rawValue: value).isPresent)
        #expect(!CommandDataSetType(rawValue: 0x0101).isPresent)
        #expect(CommandDataSetType(hasDataSet: true) == .present)
        #expect(CommandDataSetType(hasDataSet: false) == .absent)
        #expect(CommandDataSetType.absent.rawValue == 0x0101)
    }
}
