import DICOMCore
import NIOCore
import Testing
@testable import netdicom

/// The XML of findscu -Xx and -Xs: DCMTK's layout, escaped, sequences as sequence and item.
@Suite("XML data set writer")
struct XMLDataSetWriterTests {
    @Test("special characters are escaped and control characters replaced, so the document stays well-formed")
    func escaping() {
        #expect(XMLDataSetWriter.escaped("A&B <C> \"D\" 'E'\u{1}\tF") == "A&amp;B &lt;C&gt; &quot;D&quot; &apos;E&apos;\u{FFFD}\tF")
    }

    @Test("elements, several values, an empty one, a binary one hidden, and a sequence of one item")
    func layout() throws {
        var item = DataSet()
        item.setString("1.2.3", for: .referencedSOPInstanceUID, vr: .UI)
        item.itemHasUndefinedLength = false
        var dataSet = DataSet()
        dataSet.setStrings(["ORIGINAL", "PRIMARY"], for: .imageType, vr: .CS)
        dataSet.setString("", for: .accessionNumber, vr: .SH)
        dataSet.setString("O'Brien & <Sons>", for: .patientName, vr: .PN)
        dataSet[.referencedStudySequence] = DataElement(tag: .referencedStudySequence, vr: .SQ, items: [item], hasUndefinedLength: false)
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OB, bytes: .init(bytes: [1, 2, 3, 4]))
        let document = XMLDataSetWriter.document(dataSet, syntax: .explicitVRLittleEndian)
        let lines = document.split(separator: "\n").map(String.init)
        #expect(lines == [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<data-set xfer=\"1.2.840.10008.1.2.1\" name=\"Explicit VR Little Endian\">",
            "<element tag=\"0008,0008\" vr=\"CS\" vm=\"2\" len=\"16\" name=\"ImageType\">ORIGINAL\\PRIMARY</element>",
            "<element tag=\"0008,0050\" vr=\"SH\" vm=\"0\" len=\"0\" name=\"AccessionNumber\"></element>",
            "<sequence tag=\"0008,1110\" vr=\"SQ\" card=\"1\" len=\"22\" name=\"ReferencedStudySequence\">",
            "<item card=\"1\" len=\"14\">",
            "<element tag=\"0008,1155\" vr=\"UI\" vm=\"1\" len=\"6\" name=\"ReferencedSOPInstanceUID\">1.2.3</element>",
            "</item>",
            "</sequence>",
            "<element tag=\"0010,0010\" vr=\"PN\" vm=\"1\" len=\"16\" name=\"PatientName\">O&apos;Brien &amp; &lt;Sons&gt;</element>",
            "<element tag=\"7fe0,0010\" vr=\"OB\" vm=\"1\" len=\"4\" name=\"PixelData\" binary=\"hidden\"></element>",
            "</data-set>",
        ], "\(document)")
    }
}
