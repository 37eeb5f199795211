import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Synchronization

/// Synthetic CT instances for the DIMSE service tests, made with DICOMCore and written as Part 10
/// files into temporary directories, and the comparisons the tests make of what arrived.
enum TestInstances {
    /// One study of a patient: the keys every generated instance of it shares.
    struct Study: Sendable {
        var patientID = "NETDICOM-TEST"
        var patientName = "TEST^PATIENT"
        var studyInstanceUID = UID.generate()
        var seriesInstanceUID = UID.generate()
    }

    /// A new, empty temporary directory.
    static func temporaryDirectory(_ label: String = "dimse") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A CT Image Storage data set of `study`, with `rows` × `columns` 16-bit pixels filled from
    /// the instance number (so that two instances differ in their pixels too).
    static func ct(
        _ study: Study = Study(),
        sopInstanceUID: UID = .generate(),
        instanceNumber: Int = 1,
        rows: Int = 32,
        columns: Int = 32
    ) throws -> DataSet {
        var dataSet = DataSet()
        dataSet.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        dataSet.setStrings(["ORIGINAL", "PRIMARY", "AXIAL"], for: .imageType, vr: .CS)
        dataSet.setString(UID.ctImageStorage.string, for: .sopClassUID, vr: .UI)
        dataSet.setString(sopInstanceUID.string, for: .sopInstanceUID, vr: .UI)
        dataSet.setString("20240315", for: .studyDate, vr: .DA)
        dataSet.setString("101500", for: .studyTime, vr: .TM)
        dataSet.setString("ACC\(instanceNumber)", for: .accessionNumber, vr: .SH)
        dataSet.setString("CT", for: .modality, vr: .CS)
        dataSet.setString("SYNTHETIC CT", for: .studyDescription, vr: .LO)
        dataSet.setString(study.patientName, for: .patientName, vr: .PN)
        dataSet.setString(study.patientID, for: .patientID, vr: .LO)
        dataSet.setString("19700101", for: .patientBirthDate, vr: .DA)
        dataSet.setString("O", for: .patientSex, vr: .CS)
        // An attribute the archive's index does not keep: a C-FIND above the image level reads it
        // from a file.
        dataSet.setString("054Y", for: .patientAge, vr: .AS)
        dataSet.setString(study.studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
        dataSet.setString(study.seriesInstanceUID.string, for: .seriesInstanceUID, vr: .UI)
        dataSet.setString("1", for: .studyID, vr: .SH)
        dataSet.setString("1", for: .seriesNumber, vr: .IS)
        dataSet.setString("\(instanceNumber)", for: .instanceNumber, vr: .IS)
        dataSet.setString("MONOCHROME2", for: .photometricInterpretation, vr: .CS)
        try dataSet.setIntegers([1], for: .samplesPerPixel, vr: .US)
        try dataSet.setIntegers([rows], for: .rows, vr: .US)
        try dataSet.setIntegers([columns], for: .columns, vr: .US)
        try dataSet.setIntegers([16], for: .bitsAllocated, vr: .US)
        try dataSet.setIntegers([12], for: .bitsStored, vr: .US)
        try dataSet.setIntegers([11], for: .highBit, vr: .US)
        try dataSet.setIntegers([0], for: .pixelRepresentation, vr: .US)
        // Filled through a raw pointer: per-pixel ByteBuffer writes take seconds for 8 MiB in a
        // debug build, blocking a concurrency-pool thread that other tests' handlers need.
        let count = rows * columns
        var pixels = ByteBuffer(repeating: 0, count: count * 2)
        pixels.withUnsafeMutableReadableBytes { bytes in
            let words = bytes.bindMemory(to: UInt16.self)
            for index in 0..<count {
                words[index] = (UInt16(truncatingIfNeeded: index &+ instanceNumber &* 7) & 0x0FFF).littleEndian
            }
        }
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: pixels)
        return dataSet
    }

    /// Writes `dataSet` as a Part 10 file named after its SOP Instance UID into `directory`.
    @discardableResult
    static func write(_ dataSet: DataSet, transferSyntax: TransferSyntax = .explicitVRLittleEndian, into directory: String) throws -> String {
        let name = dataSet.uid(.sopInstanceUID)?.string ?? UUID().uuidString
        let path = "\(directory)/\(name).dcm"
        try DICOMFile(dataSet: dataSet, transferSyntax: transferSyntax, sourceAETitle: "NETDICOM-TEST").write(toFileAt: path, durable: false)
        return path
    }

    /// `count` instances of one study written into a new temporary directory; their paths, in
    /// instance-number order.
    static func files(_ count: Int, study: Study = Study(), transferSyntax: TransferSyntax = .explicitVRLittleEndian, label: String = "sent") throws -> [String] {
        let directory = try temporaryDirectory(label)
        return try (1...count).map { number in
            try write(ct(study, instanceNumber: number), transferSyntax: transferSyntax, into: directory)
        }
    }

    /// The whole file at `path`.
    static func bytes(ofFileAt path: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The data set's encoded bytes in the file at `path`: everything after the meta group.
    static func dataSetBytes(ofFileAt path: String) throws -> ByteBuffer {
        let file = try bytes(ofFileAt: path)
        let header = try DICOMFile.readHeader(file)
        return file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset)!
    }

    /// The transfer syntax the file at `path` declares.
    static func transferSyntax(ofFileAt path: String) throws -> UID {
        try DICOMFile.readHeader(bytes(ofFileAt: path)).transferSyntax.uid
    }

    /// The names in `directory`, sorted; empty when it does not exist.
    static func contents(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// How many files in `directory` this process has open, named or not: a file being received
    /// is unnamed on Linux (O_TMPFILE; /proc shows it as "DIR/#INODE (deleted)") until committed.
    static func openFiles(in directory: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        return descriptors.count { descriptor in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)") else { return false }
            return target.hasPrefix(directory + "/") || target.hasPrefix(resolved + "/")
        }
    }

    /// The regular files under `directory`, recursively, as full paths.
    static func files(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        for case let relative as String in walker {
            var isDirectory: ObjCBool = false
            let path = "\(directory)/\(relative)"
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { found.append(path) }
        }
        return found.sorted()
    }

    /// The parsed Part 10 files under `directory` by SOP Instance UID (files that do not parse
    /// are left out: a peer's index or lock files).
    static func instances(under directory: String) -> [String: DICOMFile] {
        var result: [String: DICOMFile] = [:]
        for path in files(under: directory) {
            guard let file = try? DICOMFile(contentsOf: path), let uid = file.dataSet.uid(.sopInstanceUID) else { continue }
            result[uid.string] = file
        }
        return result
    }

    /// The elements of `dataSet` that differ from `expected`'s, as words for a failure message;
    /// empty when every element is equal. Group 0002 is not compared, nor how lengths are
    /// encoded (a peer may re-encode undefined-length sequences and items with explicit lengths).
    static func differences(_ dataSet: DataSet, from expected: DataSet) -> [String] {
        let tags = Set(dataSet.tags + expected.tags).filter { $0.group != 0x0002 }.sorted()
        var differences: [String] = []
        for tag in tags where !sameContent(dataSet[tag], expected[tag]) {
            differences.append("\(tag): \(describe(dataSet[tag])) ≠ expected \(describe(expected[tag]))")
        }
        return differences
    }

    /// Whether two elements carry the same VR and value, sequences compared item by item.
    static func sameContent(_ lhs: DataElement?, _ rhs: DataElement?) -> Bool {
        guard let lhs, let rhs else { return lhs == nil && rhs == nil }
        guard lhs.tag == rhs.tag, lhs.vr == rhs.vr else { return false }
        switch (lhs.value, rhs.value) {
        case (.sequence(let left), .sequence(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { differences($0, from: $1).isEmpty }
        default:
            return lhs.bytes == rhs.bytes && lhs.fragments == rhs.fragments
        }
    }

    private static func describe(_ element: DataElement?) -> String {
        guard let element else { return "absent" }
        if let bytes = element.bytes {
            let text = bytes.readableBytes <= 64 ? String(decoding: bytes.readableBytesView, as: UTF8.self) : "\(bytes.readableBytes) bytes"
            return "\(element.vr) [\(text)]"
        }
        if let items = element.items { return "\(element.vr) \(items.count) item(s)" }
        return "\(element.vr) fragments"
    }
}

/// The highest number of calls inside a section at once: a handler enters, waits, leaves.
final class ConcurrencyGauge: Sendable {
    private let state = Mutex((current: 0, maximum: 0, total: 0))

    func enter() {
        state.withLock {
            $0.current += 1
            $0.total += 1
            $0.maximum = max($0.maximum, $0.current)
        }
    }

    func leave() {
        state.withLock { $0.current -= 1 }
    }

    var maximum: Int { state.withLock { $0.maximum } }
    var total: Int { state.withLock { $0.total } }

    /// A store handler that discards each instance after holding it `duration` inside this
    /// gauge: how many an SCP performs at once shows in ``maximum``, how many it got in ``total``.
    func slowStoreHandler(holding duration: Duration = .milliseconds(40)) -> StoreHandler {
        StoreHandler(destination: { _ in .discard }, received: { _ in
            self.enter()
            try? await Task.sleep(for: duration)
            self.leave()
            return .success
        })
    }
}

/// A value set from handlers and read by the test.
final class Recorder<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value { storage.withLock { $0 } }

    func update(_ change: (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }
}
