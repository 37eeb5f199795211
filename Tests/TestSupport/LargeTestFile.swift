import DICOMCore
import Foundation
import NIOCore

/// A Part 10 file with one Pixel Data element as large as a test needs, written in chunks so that
/// the test itself never holds it: for checking that a tool's memory does not grow with an
/// instance's size.
public enum LargeTestFile {
    /// Writes, at `path`, a Secondary Capture instance in Explicit VR Little Endian whose OW Pixel
    /// Data holds `pixelDataLength` bytes (a multiple of 4 MiB), under `sopInstanceUID` in a
    /// study and series of its own. Returns its Study Instance UID.
    @discardableResult
    public static func write(at path: String, pixelDataLength: Int, sopInstanceUID: String = "2.25.1") throws -> String {
        let study = "2.25.\(UInt64.random(in: 1...UInt64.max))"
        var dataSet = DataSet()
        dataSet.setString("LARGE^FILE", for: .patientName, vr: .PN)
        dataSet.setString("LARGE", for: .patientID, vr: .LO)
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString(sopInstanceUID, for: .sopInstanceUID, vr: .UI)
        dataSet.setString(study, for: .studyInstanceUID, vr: .UI)
        dataSet.setString(study + ".1", for: .seriesInstanceUID, vr: .UI)
        var head = try DICOMFile(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian).encoded()
        head.writeMultipleIntegers(UInt16(0x7FE0), UInt16(0x0010), endianness: .little)
        head.writeString("OW")
        head.writeInteger(UInt16(0))
        head.writeInteger(UInt32(pixelDataLength), endianness: .little)
        _ = FileManager.default.createFile(atPath: path, contents: Data(head.readableBytesView))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        let chunk = Data(repeating: 0x5A, count: 4 << 20)
        for _ in 0..<(pixelDataLength / chunk.count) { try handle.write(contentsOf: chunk) }
        return study
    }
}
