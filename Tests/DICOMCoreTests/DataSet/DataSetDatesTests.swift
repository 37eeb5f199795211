import DICOMCore
import NIOCore
import Testing

@Suite("DataSet date, time, date-time and age accessors")
struct DataSetDatesTests {
    static let tag = Tag(0x0008_0020)

    static func dataSet(_ vr: VR, _ text: String) -> DataSet {
        DataSet([DataElement(tag: tag, vr: vr, bytes: ByteBuffer(bytes: Array(text.utf8)))])
    }

    static func bytes(_ dataSet: DataSet) -> String? {
        dataSet[tag]?.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) }
    }

    @Test("Reads every value of a DA element", arguments: [
        ("20240315", ["20240315"]), ("20240315\\20231231 ", ["20240315", "20231231"]),
        ("1993.08.22", ["19930822"]), ("", []), ("20241301", []), ("20240315\\bad ", []), ("20240315\\", []),
    ])
    func dates(text: String, expected: [String]) {
        let dataSet = Self.dataSet(.DA, text)
        #expect(dataSet.dates(Self.tag).map(\.description) == expected)
        #expect(dataSet.date(Self.tag)?.description == expected.first)
    }

    @Test("Reads every value of a TM element, as precise as written", arguments: [
        ("1030", ["1030"]), ("10 ", ["10"]), ("103015.1\\235959.999999 ", ["103015.1", "235959.999999"]),
        ("10:30:15", ["103015"]), ("", []), ("2500", []), ("1030\\25", []),
    ])
    func times(text: String, expected: [String]) {
        let dataSet = Self.dataSet(.TM, text)
        #expect(dataSet.times(Self.tag).map(\.description) == expected)
        #expect(dataSet.time(Self.tag)?.description == expected.first)
    }

    @Test("Reads every value of a DT element, as precise as written", arguments: [
        ("2024", ["2024"]), ("20240315093005.5+0100\\2024-0500", ["20240315093005.5+0100", "2024-0500"]),
        ("", []), ("2024+2500", []),
    ])
    func dateTimes(text: String, expected: [String]) {
        let dataSet = Self.dataSet(.DT, text)
        #expect(dataSet.dateTimes(Self.tag).map(\.description) == expected)
        #expect(dataSet.dateTime(Self.tag)?.description == expected.first)
    }

    @Test("Reads AS values")
    func ages() {
        #expect(Self.dataSet(.AS, "045Y").age(Self.tag)?.description == "045Y")
        #expect(Self.dataSet(.AS, "045Y\\003M").ages(Self.tag).map(\.description) == ["045Y", "003M"])
        #expect(Self.dataSet(.AS, "45Y ").age(Self.tag) == nil)
    }

    @Test("Each accessor reads its own VR only")
    func otherVRs() {
        #expect(Self.dataSet(.LO, "20240315").date(Self.tag) == nil)
        #expect(Self.dataSet(.DA, "20240315").dateTime(Self.tag) == nil)
        #expect(Self.dataSet(.DT, "1030").time(Self.tag) == nil)
        #expect(Self.dataSet(.SH, "045Y").age(Self.tag) == nil)
        #expect(DataSet().date(Self.tag) == nil)
        #expect(DataSet().times(Self.tag).isEmpty)
    }

    @Test("Setters write the DICOM form padded to even length")
    func setters() throws {
        var dataSet = DataSet()
        dataSet.setDate(try #require(DICOMDate(year: 2024, month: 3, day: 5)), for: Self.tag)
        #expect(dataSet[Self.tag]?.vr == .DA)
        #expect(Self.bytes(dataSet) == "20240305")

        dataSet.setDates([try #require(DICOMDate("20240305")), try #require(DICOMDate("19991231"))], for: Self.tag)
        #expect(Self.bytes(dataSet) == "20240305\\19991231 ")

        dataSet.setTime(try #require(DICOMTime("103015.1")), for: Self.tag)
        #expect(dataSet[Self.tag]?.vr == .TM)
        #expect(Self.bytes(dataSet) == "103015.1")

        dataSet.setTimes([try #require(DICOMTime("10")), try #require(DICOMTime("1030"))], for: Self.tag)
        #expect(Self.bytes(dataSet) == "10\\1030 ")

        dataSet.setDateTime(try #require(DICOMDateTime("20240315093005.123+0100")), for: Self.tag)
        #expect(dataSet[Self.tag]?.vr == .DT)
        #expect(Self.bytes(dataSet) == "20240315093005.123+0100 ")

        dataSet.setDateTimes([try #require(DICOMDateTime("2024")), try #require(DICOMDateTime("202403"))], for: Self.tag)
        #expect(Self.bytes(dataSet) == "2024\\202403 ")

        dataSet.setAge(try #require(AgeString(count: 3, unit: .months)), for: Self.tag)
        #expect(dataSet[Self.tag]?.vr == .AS)
        #expect(Self.bytes(dataSet) == "003M")
    }

    @Test("A written value reads back equal")
    func roundTrip() throws {
        var dataSet = DataSet()
        let time = try #require(DICOMTime(hour: 7, minute: 5, second: 0, microsecond: 120_000, fractionDigits: 2))
        dataSet.setTime(time, for: Tag(0x0008_0030))
        let dateTime = try #require(DICOMDateTime(year: 2024, month: 2, day: 29, time: time, utcOffsetMinutes: -210))
        dataSet.setDateTime(dateTime, for: Tag(0x0008_002A))
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        let read = try DataSetReader.read(encoded, transferSyntax: .explicitVRLittleEndian)
        #expect(read.time(Tag(0x0008_0030)) == time)
        #expect(read.dateTime(Tag(0x0008_002A)) == dateTime)
    }
}
