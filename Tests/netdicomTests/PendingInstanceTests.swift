import DICOMCore
import Foundation
import NIOCore
import Testing
@testable import netdicom

/// storescu's first pass over its files: a small file's data set is kept to be sent from memory,
/// a larger one is left to be streamed from disk.
@Suite("storescu's pending instances")
struct PendingInstanceTests {
    /// A Secondary Capture file whose Pixel Data holds `pixelBytes` bytes.
    private func file(pixelBytes: Int, uid: String) throws -> String {
        try file(uid: uid, with: DataElement(tag: .pixelData, vr: .OB, bytes: ByteBuffer(repeating: 7, count: pixelBytes)))
    }

    /// A Secondary Capture file of SOP Instance UID `uid` with `element` (written as it is, an
    /// odd length too).
    private func file(uid: String, with element: DataElement) throws -> String {
        var dataSet = DataSet()
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString(uid, for: .sopInstanceUID, vr: .UI)
        dataSet[element.tag] = element
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pending-\(UUID().uuidString).dcm").path
        try DICOMFile(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian).write(toFileAt: path, durable: false)
        return path
    }

    @Test("a file up to 64 KiB keeps its data set bytes, exactly those after the meta information; a larger one keeps none")
    func keptOrStreamed() throws {
        let small = try file(pixelBytes: 1000, uid: "1.2.3.1")
        let large = try file(pixelBytes: PendingInstance.keptFileSize, uid: "1.2.3.2")
        defer {
            try? FileManager.default.removeItem(atPath: small)
            try? FileManager.default.removeItem(atPath: large)
        }
        var kept = 0
        let smallInstance = try PendingInstance(path: small, keepingBytes: &kept)
        let largeInstance = try PendingInstance(path: large, keepingBytes: &kept)

        let smallFile = try DICOMFile(contentsOf: small)
        let expected = try DataSetWriter.encode(smallFile.dataSet, transferSyntax: .explicitVRLittleEndian)
        #expect(smallInstance.dataSet == expected)
        #expect(kept == expected.readableBytes)
        #expect(smallInstance.sopInstanceUID == "1.2.3.1")
        #expect(smallInstance.transferSyntax.uid == .explicitVRLittleEndian)
        #expect(largeInstance.dataSet == nil)
        #expect(largeInstance.fileSize > PendingInstance.keptFileSize)
    }

    @Test("a small file with a value of odd length keeps nothing (it is sent from its file, padded); one with a UID over 64 characters is Unsendable")
    func oddLengthsAndLongUIDs() throws {
        let odd = try file(uid: "1.2.3.5", with: DataElement(tag: .patientName, vr: .PN, bytes: ByteBuffer(string: "Doe^Joh")))
        let long = try file(pixelBytes: 10, uid: "1.2.3." + String(repeating: "9", count: 60))
        defer {
            try? FileManager.default.removeItem(atPath: odd)
            try? FileManager.default.removeItem(atPath: long)
        }
        var kept = 0
        #expect(try PendingInstance(path: odd, keepingBytes: &kept).dataSet == nil)
        #expect(kept == 0)
        let error = #expect(throws: PendingInstance.Unsendable.self) { try PendingInstance(path: long, keepingBytes: &kept) }
        #expect(error?.description.contains("its SOP Instance UID") == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.contains("has 66 characters") == true)
    }

    @Test("past the total kept, small files are streamed too")
    func totalCap() throws {
        let small = try file(pixelBytes: 1000, uid: "1.2.3.3")
        defer { try? FileManager.default.removeItem(atPath: small) }
        var kept = PendingInstance.keptTotal - 10
        #expect(try PendingInstance(path: small, keepingBytes: &kept).dataSet == nil)
        #expect(kept == PendingInstance.keptTotal - 10)
    }

    @Test("an instance sent with invented UIDs (+II) goes out with its values of odd length padded, as every instance sent does")
    func inventedInstanceIsPadded() throws {
        let path = try file(uid: "1.2.3.5", with: DataElement(tag: .studyDescription, vr: .LO, bytes: ByteBuffer(string: "odd")))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let identity = InstanceInvention().next()
        let encoded = try PendingInstance.invented(path, as: identity)
        var check = DataSetStructureCheck(transferSyntax: .explicitVRLittleEndian)
        check.consume(encoded)
        #expect(check.finish() == nil)
        #expect(check.oddLengthTag == nil)
        let sent = try DataSetReader.read(encoded, transferSyntax: .explicitVRLittleEndian)
        #expect(sent.string(.studyDescription) == "odd")
        #expect(sent[.studyDescription]?.valueLength == 4)
        #expect(sent.uid(.sopInstanceUID) == identity.sopInstanceUID)
        #expect(sent.string(.patientID) == identity.patientID)
    }
}
