import DICOMCore
import NIOCore
import Testing

/// PS3.5 §A.5: a deflated data set is padded to an even length with one trailing NUL, which
/// inflating ignores. DCMTK aborts an association on a P-DATA fragment of odd length (PS3.8
/// Annex E), so an unpadded stream of odd length cannot be sent to it.
@Suite("Deflated Explicit VR Little Endian: even length")
struct DeflatedLengthTests {
    /// Data sets whose deflated streams end at both odd and even lengths.
    static let dataSets: [DataSet] = (1...24).map { count in
        var dataSet = DataSet()
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString(String(repeating: "DOE^JOHN ", count: count), for: .patientName, vr: .PN)
        dataSet.setString("\(count * 7919)", for: .patientID, vr: .LO)
        return dataSet
    }

    @Test("every deflated data set is written at an even length, and reads back the same")
    func evenLength() throws {
        // Unpadded, about half of these streams end at an odd length.
        for dataSet in Self.dataSets {
            let bytes = try DataSetWriter.encode(dataSet, transferSyntax: .deflatedExplicitVRLittleEndian)
            #expect(bytes.readableBytes % 2 == 0, "\(bytes.readableBytes) bytes")
            #expect(try DataSetReader.read(bytes, transferSyntax: .deflatedExplicitVRLittleEndian) == dataSet)
        }
    }
}
