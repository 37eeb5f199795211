import DICOMCore
import Foundation
import Testing
import TestSupport

/// findscu's XML output (-Xx, -Xs, -Xlo) against DCMTK findscu's, the same queries to the same
/// netdicom qrscp: element for element the same lines.
@Suite("findscu -Xx and -Xs write what DCMTK's findscu writes", .tags(.interop))
struct FindSCUXMLTests {
    /// The lines of an XML file that describe elements, sequences and items (not the XML
    /// declaration nor the data set's transfer syntax name, which DCMTK spells its own way).
    static func elementLines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("<element") || $0.hasPrefix("<sequence") || $0.hasPrefix("<item") || $0 == "</item>" || $0 == "</sequence>" }
    }

    @Test("-Xx: rsp0001.xml… as DCMTK's, line for line; -Xs: one <responses type=\"C-FIND\"> file as DCMTK's; -Xlo 2 writes two",
          .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func xmlLikeDCMTK() async throws {
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("findscu-xml"))
        defer { archive.peer.stop() }
        var studies: [TestInstances.Study] = []
        for name in ["XML^ONE", "XML^TWO", "XML^THREE"] {
            let study = TestInstances.Study(patientID: "XMLTEST", patientName: name)
            studies.append(study)
            let stored = try await PeerProcess.run(ExternalTools.require("storescu"), [
                "-aec", archive.aeTitle, "127.0.0.1", String(archive.port)] + TestInstances.files(2, study: study, label: "findscu-xml-sent"))
            try #require(stored.status == 0, "\(stored.stderr)")
        }
        let keys = ["-S", "-aec", archive.aeTitle, "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=XMLTEST", "-k", "PatientName",
                    "-k", "StudyInstanceUID", "-k", "StudyDate", "-k", "ModalitiesInStudy", "-k", "NumberOfStudyRelatedInstances"]
        let address = ["127.0.0.1", String(archive.port)]
        let dcmtkDirectory = try TestInstances.temporaryDirectory("findscu-xml-dcmtk")
        let oursDirectory = try TestInstances.temporaryDirectory("findscu-xml-ours")
        let dcmtk = try await PeerProcess.run(ExternalTools.require("findscu"), keys + ["-Xx", "-od", dcmtkDirectory] + address)
        try #require(dcmtk.status == 0, "\(dcmtk.stderr)")
        let ours = try await PeerProcess.run(ExternalTools.netdicom(), ["findscu"] + keys + ["-Xx", "-Xs", oursDirectory + "/all.xml", "-od", oursDirectory] + address)
        try #require(ours.status == 0, "\(ours.stderr)")
        let names = ["rsp0001.xml", "rsp0002.xml", "rsp0003.xml"]
        #expect(TestInstances.contents(of: dcmtkDirectory).sorted() == names)
        #expect(TestInstances.contents(of: oursDirectory).sorted() == ["all.xml"] + names)
        // Matches come in the same order from the same archive.
        for name in names {
            let expected = try Self.elementLines(dcmtkDirectory + "/" + name)
            #expect(expected.count >= 6, "\(expected)")
            #expect(try Self.elementLines(oursDirectory + "/" + name) == expected, "\(name)")
        }

        let dcmtkSingle = dcmtkDirectory + "/all.xml"
        let single = try await PeerProcess.run(ExternalTools.require("findscu"), keys + ["-Xs", dcmtkSingle] + address)
        try #require(single.status == 0, "\(single.stderr)")
        #expect(try Self.elementLines(oursDirectory + "/all.xml") == Self.elementLines(dcmtkSingle))
        let document = try String(contentsOfFile: oursDirectory + "/all.xml", encoding: .utf8)
        #expect(document.contains("<responses type=\"C-FIND\">") && document.components(separatedBy: "<data-set ").count == 4)

        let limited = try TestInstances.temporaryDirectory("findscu-xml-limited")
        let two = try await PeerProcess.run(ExternalTools.netdicom(), ["findscu"] + keys + ["-Xx", "-Xlo", "2", "-od", limited] + address)
        #expect(two.status == 0 && TestInstances.contents(of: limited).sorted() == ["rsp0001.xml", "rsp0002.xml"], "\(two.stderr)")
    }
}
