import DICOMCore
import Foundation
import NIOCore
import Testing

/// What the qrscp tests send to the archive, as Explicit VR Little Endian Part 10 files, and the
/// checks of what comes back: every retrieved instance must carry the very data set bytes sent.
///
/// The default content: patient A with one study of two series (3 + 2 instances), patient B with
/// one study of one instance, so that every level of both models has something to tell apart.
struct ArchiveContent {
    /// One sent instance.
    struct Instance {
        var path: String
        var sopInstanceUID: String
        var studyInstanceUID: String
        var seriesInstanceUID: String
        var patientID: String
        /// The encoded data set after the file's meta information: what must arrive unchanged.
        var dataSetBytes: ByteBuffer
    }

    static let patientAID = "QR-PAT-A"
    static let patientBID = "QR-PAT-B"

    /// The series sent, in order: for the default content A1, A2 (patient A's study) and B.
    let series: [TestInstances.Study]
    let directory: String
    let instances: [Instance]

    var seriesA1: TestInstances.Study { series[0] }
    var seriesA2: TestInstances.Study { series[1] }
    var seriesB: TestInstances.Study { series[2] }

    /// Writes the default content into a new temporary directory.
    init() throws {
        let seriesA1 = TestInstances.Study(patientID: Self.patientAID, patientName: "ALPHA^ANNA")
        var seriesA2 = seriesA1
        seriesA2.seriesInstanceUID = .generate()
        let seriesB = TestInstances.Study(patientID: Self.patientBID, patientName: "BRAVO^BEN")
        try self.init(series: [(seriesA1, 1, 3), (seriesA2, 2, 2), (seriesB, 1, 1)])
    }

    /// `count` instances of one series of patient A, `rows` × `columns` pixels each.
    init(count: Int, rows: Int = 32, columns: Int = 32) throws {
        let series = TestInstances.Study(patientID: Self.patientAID, patientName: "ALPHA^ANNA")
        try self.init(series: [(series, 1, count)], rows: rows, columns: columns)
    }

    /// ``init(count:rows:columns:)`` on a thread of its own: tens of megabytes of pixels take
    /// seconds in a debug build, which must not hold a thread of the concurrency pool that other
    /// tests' servers need meanwhile.
    static func generate(count: Int, rows: Int, columns: Int) async throws -> ArchiveContent {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try ArchiveContent(count: count, rows: rows, columns: columns) })
            }.start()
        }
    }

    private init(series: [(TestInstances.Study, seriesNumber: Int, count: Int)], rows: Int = 32, columns: Int = 32) throws {
        self.series = series.map { $0.0 }
        directory = try TestInstances.temporaryDirectory("qrscp-sent")
        var instances: [Instance] = []
        for (study, seriesNumber, count) in series {
            for number in 1...count {
                var dataSet = try TestInstances.ct(study, instanceNumber: number, rows: rows, columns: columns)
                dataSet.setString(String(seriesNumber), for: .seriesNumber, vr: .IS)
                let path = try TestInstances.write(dataSet, into: directory)
                instances.append(Instance(
                    path: path, sopInstanceUID: dataSet.uid(.sopInstanceUID)?.string ?? "",
                    studyInstanceUID: study.studyInstanceUID.string, seriesInstanceUID: study.seriesInstanceUID.string,
                    patientID: study.patientID, dataSetBytes: try TestInstances.dataSetBytes(ofFileAt: path)))
            }
        }
        self.instances = instances
    }

    var files: [String] { instances.map(\.path) }

    /// The instances whose series is `series`'s.
    func instances(of series: TestInstances.Study) -> [Instance] {
        instances.filter { $0.seriesInstanceUID == series.seriesInstanceUID.string }
    }

    /// The instances of `series`'s study.
    func instances(inStudyOf series: TestInstances.Study) -> [Instance] {
        instances.filter { $0.studyInstanceUID == series.studyInstanceUID.string }
    }

    /// Checks that the Part 10 files under `directory` are exactly `expected`, each with the data
    /// set bytes sent; `log` explains a failure.
    static func expectFiles(under directory: String, are expected: [Instance], log: @autoclosure () -> String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let received = receivedDataSets(under: directory)
        #expect(Set(received.keys) == Set(expected.map(\.sopInstanceUID)),
                "\(received.count) of \(expected.count) instances arrived:\n\(log())", sourceLocation: sourceLocation)
        for instance in expected {
            guard let bytes = received[instance.sopInstanceUID] else { continue }
            #expect(bytes == instance.dataSetBytes, "\(instance.sopInstanceUID): the data set differs from the one sent (\(bytes.readableBytes) bytes, sent \(instance.dataSetBytes.readableBytes))",
                    sourceLocation: sourceLocation)
        }
    }

    /// The data set bytes of each Part 10 file under `directory`, by the SOP Instance UID of its
    /// meta information (only the header is parsed: the files may be large); files without one
    /// are left out (a peer's temporary or lock files, the SQLite index).
    static func receivedDataSets(under directory: String) -> [String: ByteBuffer] {
        var result: [String: ByteBuffer] = [:]
        for path in TestInstances.files(under: directory) {
            guard let file = try? TestInstances.bytes(ofFileAt: path), let header = try? DICOMFile.readHeader(file),
                  let uid = header.meta.uid(.mediaStorageSOPInstanceUID) else { continue }
            result[uid.string] = file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset)
        }
        return result
    }
}
