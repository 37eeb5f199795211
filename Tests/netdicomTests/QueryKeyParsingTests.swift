import ArgumentParser
import DICOMCore
import DICOMNetwork
import Testing
@testable import netdicom

/// The `-k KEY=VALUE` parser of findscu, getscu and movescu, and the identifier it builds.
@Suite("Query keys (-k)")
struct QueryKeyParsingTests {
    /// The identifier the keys make, for the Study Root model.
    private func identifier(_ keys: String..., model: QueryRetrieveModel = .studyRoot) throws -> DataSet {
        try QueryKey.identifier(applying: keys.map { try QueryKey(parsing: $0) }, to: DataSet(), model: model)
    }

    @Test("A keyword names its tag, and the value takes the dictionary's VR")
    func keyword() throws {
        let key = try QueryKey(parsing: "PatientName=DOE^J*")
        #expect(key.path == [QueryKey.Step(tag: .patientName)])
        #expect(key.value == "DOE^J*")
        let dataSet = try identifier("PatientName=DOE^J*")
        #expect(dataSet[.patientName]?.vr == .PN)
        #expect(dataSet.string(.patientName) == "DOE^J*")
    }

    @Test("A tag is (gggg,eeee) or gggg,eeee, spaces around it ignored", arguments: ["(0010,0020)=ID1", "0010,0020=ID1", " (0010,0020)=ID1", "0010,0020 =ID1"])
    func tag(text: String) throws {
        let key = try QueryKey(parsing: text)
        #expect(key.tag == .patientID)
        let dataSet = try identifier(text)
        #expect(dataSet[.patientID]?.vr == .LO)
        #expect(dataSet.string(.patientID) == "ID1")
    }

    @Test("Hexadecimal digits of a tag may be upper or lower case")
    func tagCase() throws {
        #expect(try QueryKey(parsing: "(0020,000D)=").tag == .studyInstanceUID)
        #expect(try QueryKey(parsing: "0020,000d=").tag == .studyInstanceUID)
    }

    @Test("An empty value, or no '=', makes a zero-length return key", arguments: ["StudyDate=", "StudyDate", "(0008,0020)="])
    func returnKey(text: String) throws {
        let dataSet = try identifier(text)
        let element = try #require(dataSet[.studyDate])
        #expect(element.vr == .DA)
        #expect(element.valueLength == 0)
    }

    @Test("Only the first '=' separates key and value")
    func equalsInValue() throws {
        #expect(try QueryKey(parsing: "StudyDescription=a=b").value == "a=b")
    }

    @Test("Numbers are stored binary for binary VRs, with backslash-separated values")
    func numbers() throws {
        let dataSet = try identifier("Rows=512", "PixelSpacing=0.5\\0.5", "(0018,9089)=1.5\\0\\-1")
        #expect(dataSet.integers(.rows) == [512])
        #expect(dataSet[.rows]?.vr == .US)
        #expect(dataSet.strings(.pixelSpacing) == ["0.5", "0.5"])
        #expect(dataSet.doubles(Tag(0x0018_9089)) == [1.5, 0, -1])
    }

    @Test("A path into a sequence makes its items as needed")
    func sequencePath() throws {
        let dataSet = try identifier(
            "ReferencedStudySequence[0].ReferencedSOPInstanceUID=1.2.3",
            "ReferencedStudySequence[1].ReferencedSOPClassUID=",
            "RequestAttributesSequence.ScheduledProcedureStepID=X")
        let items = try #require(dataSet.sequence(.referencedStudySequence))
        #expect(items.count == 2)
        #expect(items[0].string(.referencedSOPInstanceUID) == "1.2.3")
        #expect(items[1][.referencedSOPClassUID]?.valueLength == 0)
        // Without [n], the first item.
        #expect(dataSet.sequence(.requestAttributesSequence)?.first?.string(.scheduledProcedureStepID) == "X")
    }

    @Test("A second key into the same item adds to it")
    func sameItem() throws {
        let dataSet = try identifier("ReferencedStudySequence[0].ReferencedSOPClassUID=", "ReferencedStudySequence[0].ReferencedSOPInstanceUID=")
        #expect(dataSet.sequence(.referencedStudySequence)?.first?.count == 2)
    }

    @Test("A sequence alone with an empty value is an empty return key")
    func emptySequence() throws {
        let dataSet = try identifier("ReferencedStudySequence=")
        #expect(dataSet.sequence(.referencedStudySequence)?.isEmpty == true)
    }

    /// Bad keys and a word their message must contain.
    static let badKeys: [(String, String)] = [
        ("Foo=1", "not a data dictionary keyword"),
        ("patientname=1", "case-sensitive"),
        ("=DOE", "no key"),
        ("(0010,001)=1", "not a tag"),
        ("(zzzz,0010)=1", "not a tag"),
        ("(0010,0010=1", "not a tag"),
        ("0010,0010,0000=1", "not a tag"),
        ("(0000,0900)=1", "cannot be in an identifier"),
        ("(0002,0010)=1", "cannot be in an identifier"),
        ("ReferencedStudySequence[x].StudyInstanceUID=", "item number"),
        ("ReferencedStudySequence[100000000].StudyInstanceUID=", "item number"),
        ("ReferencedStudySequence[0]=", "needs an attribute after it"),
        ("PatientName.PatientID=", "not a sequence"),
        ("ReferencedStudySequence=1.2.3", "takes no value"),
        ("Rows=abc", "not an integer"),
        ("Rows=70000", "out of range"),
        ("PixelData=00", "return key"),
        ("(0011,1010)=1", "VR is unknown"),
        ("Study..Date=", "not a data dictionary keyword"),
    ]

    @Test("A bad key is a ValidationError that quotes it", arguments: badKeys)
    func badKey(text: String, word: String) {
        let error = #expect(throws: ValidationError.self) { try QueryKey(parsing: text) }
        #expect(error?.message.contains(text) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(word) == true, "\(error?.message ?? "")")
    }

    @Test("Query/Retrieve Level defaults to STUDY for the Query/Retrieve models", arguments: [QueryRetrieveModel.studyRoot, .patientRoot, .patientStudyOnly])
    func defaultLevel(model: QueryRetrieveModel) throws {
        #expect(try identifier("PatientName=", model: model).string(.queryRetrieveLevel) == "STUDY")
        #expect(try identifier(model: model).string(.queryRetrieveLevel) == "STUDY")
    }

    @Test("A level given is kept; Modality Worklist gets none")
    func givenLevel() throws {
        #expect(try identifier("QueryRetrieveLevel=SERIES").string(.queryRetrieveLevel) == "SERIES")
        #expect(try identifier("(0008,0052)=PATIENT", model: .patientRoot).string(.queryRetrieveLevel) == "PATIENT")
        #expect(try identifier("PatientName=", model: .modalityWorklist).contains(.queryRetrieveLevel) == false)
    }

    @Test("A value beyond ASCII brings Specific Character Set ISO_IR 192 unless one is given")
    func characterSet() throws {
        let utf8 = try identifier("PatientName=Müller*")
        #expect(utf8.string(.specificCharacterSet) == "ISO_IR 192")
        #expect(utf8.string(.patientName) == "Müller*")
        #expect(try identifier("PatientName=DOE").contains(.specificCharacterSet) == false)
        #expect(try identifier("SpecificCharacterSet=ISO_IR 100", "PatientName=Müller").string(.specificCharacterSet) == "ISO_IR 100")
    }

    @Test("A key written back reads as keywords")
    func description() throws {
        #expect(try QueryKey(parsing: "(0008,1110)[2].(0008,1155)=1.2").description == "ReferencedStudySequence[2].ReferencedSOPInstanceUID=1.2")
    }

    // MARK: - Model flags

    @Test("-P, -S and -O propose one model; by default Study Root then Patient Root, and Patient Root alone at the PATIENT level")
    func modelFlags() throws {
        #expect(try QueryOptions.parse([]).proposedModels() == [.studyRoot, .patientRoot])
        #expect(try QueryOptions.parse(["-k", "QueryRetrieveLevel=SERIES"]).proposedModels() == [.studyRoot, .patientRoot])
        #expect(try QueryOptions.parse(["-k", "QueryRetrieveLevel=PATIENT"]).proposedModels() == [.patientRoot])
        #expect(try QueryOptions.parse(["-P"]).proposedModels() == [.patientRoot])
        #expect(try QueryOptions.parse(["-S"]).proposedModels() == [.studyRoot])
        #expect(try QueryOptions.parse(["-O"]).proposedModels() == [.patientStudyOnly])
        #expect(try QueryOptions.parse([]).proposedModels(worklist: true) == [.modalityWorklist])
        #expect(throws: (any Error).self) { try QueryOptions.parse(["-P", "-S"]) }
        #expect(throws: ValidationError.self) { try QueryOptions.parse(["-P"]).proposedModels(worklist: true) }
    }

    @Test("findscu rejects a bad key before connecting")
    func commandValidation() throws {
        #expect(throws: (any Error).self) { try FindSCU.parse(["-k", "Foo=1", "localhost", "104"]) }
        #expect(throws: (any Error).self) { try FindSCU.parse(["-W", "-P", "localhost", "104"]) }
        #expect(throws: (any Error).self) { try FindSCU.parse(["--cancel", "0", "localhost", "104"]) }
        let find = try FindSCU.parse(["-k", "PatientName=", "-k", "StudyDate=2024", "localhost", "104"])
        #expect(try find.query.identifier(model: .studyRoot).string(.studyDate) == "2024")
        let move = try MoveSCU.parse(["-aet", "ME", "--store-port", "11113", "localhost", "104"])
        #expect(move.runsStorageSCP && move.moveDestination == nil)
    }
}
