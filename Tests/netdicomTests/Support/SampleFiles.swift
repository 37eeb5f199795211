import DICOMCore
import Foundation
import NIOCore

/// Small DICOM files made for the `netdicom dump` tests, written into a scratch directory.
struct SampleFiles: ~Copyable {
    /// A fresh directory under the system's temporary directory, removed on deinit.
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The path of `name` in the scratch directory.
    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Writes `dataSet` as a Part 10 file in `syntax` and returns its path.
    func write(_ dataSet: DataSet, as name: String, syntax: TransferSyntax = .explicitVRLittleEndian) throws -> String {
        let path = path(name)
        try DICOMFile(dataSet: dataSet, transferSyntax: syntax).write(toFileAt: path, durable: false)
        return path
    }

    /// Writes raw bytes and returns the path.
    func write(_ bytes: some Sequence<UInt8>, as name: String) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: - Data sets

    /// An SOP Class and Instance UID that no registry names (so both tools print them alike).
    static func identified() -> DataSet {
        var dataSet = DataSet()
        dataSet.setString("1.2.3.4.5.6", for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.3.4.5.6.7", for: .sopInstanceUID, vr: .UI)
        return dataSet
    }

    /// Sequences three levels deep, with explicit and undefined lengths mixed, text and numbers
    /// at each level.
    static func nested() throws -> DataSet {
        var innermost = DataSet()
        innermost.setString("LEVEL3", for: .codeValue, vr: .SH)
        try innermost.setIntegers([3, 33], for: .referencedFrameNumber, vr: .IS)
        innermost.itemHasUndefinedLength = false

        var middle = DataSet()
        middle.setString("LEVEL2", for: .codeValue, vr: .SH)
        middle.setSequence([innermost, innermost], for: .conceptCodeSequence, hasUndefinedLength: false)
        middle.itemHasUndefinedLength = true

        var outer = DataSet()
        outer.setString("LEVEL1", for: .codeValue, vr: .SH)
        outer.setSequence([middle], for: .conceptNameCodeSequence, hasUndefinedLength: true)
        outer.itemHasUndefinedLength = false

        var dataSet = identified()
        dataSet.setString("NESTED^TEST", for: .patientName, vr: .PN)
        dataSet.setSequence([outer, outer], for: .contentSequence, hasUndefinedLength: false)
        try dataSet.setIntegers([8], for: .bitsAllocated, vr: .US)
        return dataSet
    }

    /// Values longer than dcmdump's 70 columns: text, numbers, bytes and words.
    static func longValues() throws -> DataSet {
        var dataSet = identified()
        dataSet.setString(String(repeating: "0123456789", count: 20), for: .textValue, vr: .UT)
        dataSet.setString((1...30).map { "VALUE\($0)" }.joined(separator: "\\"), for: .imageType, vr: .CS)
        try dataSet.setIntegers(Array(1...40), for: .referencedFrameNumber, vr: .IS)
        try dataSet.setIntegers(Array(1000...1040), for: .acquisitionMatrix, vr: .US)
        var bytes = ByteBuffer()
        bytes.writeBytes((0..<100).map { UInt8($0) })
        dataSet[.iccProfile] = DataElement(tag: .iccProfile, vr: .OB, bytes: bytes)
        var words = ByteBuffer()
        for word in 0..<50 { words.writeInteger(UInt16(0x1000 + word), endianness: .little) }
        dataSet[.redPaletteColorLookupTableData] = DataElement(tag: .redPaletteColorLookupTableData, vr: .OW, bytes: words)
        return dataSet
    }
}
