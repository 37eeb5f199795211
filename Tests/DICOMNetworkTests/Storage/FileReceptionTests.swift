import DICOMCore
@testable import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A data set streaming into its Part 10 file: a small one is also kept in memory, whole, for
/// the store handler; of a larger one, its first bytes.
@Suite("FileReception: small data sets kept for the handler")
struct FileReceptionTests {
    static func meta() -> DataSet {
        FileMetaInformation.make(
            sopClassUID: UID("1.2.840.10008.5.1.4.1.1.7"), sopInstanceUID: UID("1.2.826.0.1.3680043.10.543.7.1"),
            transferSyntax: .explicitVRLittleEndian, sourceAETitle: "TEST")
    }

    static func fragment(_ length: Int, _ value: UInt8) -> ByteBuffer {
        ByteBuffer(bytes: [UInt8](repeating: value, count: length))
    }

    /// The data set bytes of the Part 10 file at `path`: what follows its meta information.
    static func dataSetBytes(ofFileAt path: String) throws -> [UInt8] {
        let file = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try DICOMFile.readHeader(file)
        return Array(file.readableBytesView.dropFirst(header.dataSetOffset))
    }

    /// The bytes of `pieces`, in order.
    static func bytes(_ pieces: [ByteBuffer]) -> [UInt8] {
        pieces.flatMap { Array($0.readableBytesView) }
    }

    @Test("a data set of several fragments within the limit is kept whole, and is what the file holds")
    func keepsSmall() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-reception-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let reception = FileReception(path: directory + "/small.dcm", fileMetaInformation: Self.meta(), durable: false)
        try await reception.append(Self.fragment(100, 1))
        try await reception.append(Self.fragment(50, 2))
        try await reception.commit()
        let kept = try #require(reception.keptDataSet)
        #expect(Array(kept.readableBytesView) == [UInt8](repeating: 1, count: 100) + [UInt8](repeating: 2, count: 50))
        #expect(try Self.dataSetBytes(ofFileAt: reception.path) == Array(kept.readableBytesView))
    }

    @Test("of a data set over the limit, its first bytes are kept as slices: of one long fragment, of short ones, also past the first write")
    func keepsPrefixOfLarge() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-reception-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let limit = FileReception.keptDataSetLimit
        // One fragment longer than the limit, then another.
        let long = FileReception(path: directory + "/long.dcm", fileMetaInformation: Self.meta(), durable: false)
        try await long.append(Self.fragment(limit + 10, 1))
        try await long.append(Self.fragment(2, 2))
        try await long.commit()
        #expect(long.keptDataSet == nil)
        #expect(long.keptPrefix.count == 1, "a slice of the one fragment")
        #expect(Self.bytes(long.keptPrefix) == [UInt8](repeating: 1, count: limit))
        #expect(try Self.dataSetBytes(ofFileAt: long.path).count == limit + 12)
        // Short fragments: the prefix is joined from them, and ends within the last one needed.
        let short = FileReception(path: directory + "/short.dcm", fileMetaInformation: Self.meta(), durable: false)
        for value in 0..<40 { try await short.append(Self.fragment(limit / 16, UInt8(value))) }
        try await short.commit()
        #expect(Self.bytes(short.keptPrefix) == Array(try Self.dataSetBytes(ofFileAt: short.path).prefix(limit)))
        // Larger than one write: the prefix is taken before the first write empties what waits.
        let huge = FileReception(path: directory + "/huge.dcm", fileMetaInformation: Self.meta(), durable: false)
        for value in 0..<3 { try await huge.append(Self.fragment(FileReception.writeSize / 2 + 1, UInt8(value + 7))) }
        try await huge.commit()
        #expect(huge.keptDataSet == nil)
        #expect(Self.bytes(huge.keptPrefix) == [UInt8](repeating: 7, count: limit))
    }

    @Test("commit(then:) answers once the file is durable and in place, with the data set's length, kept bytes and the file's length")
    func answersOnCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-reception-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/answered.dcm"
        let reception = FileReception(path: path, fileMetaInformation: Self.meta(), durable: true)
        try await reception.append(Self.fragment(100, 3))
        let status = try await reception.commit { committed in
            // The file is in place, whole, when the answer is asked for.
            let onDisk = try? Self.dataSetBytes(ofFileAt: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            guard committed.dataSetLength == 100, let kept = committed.kept, committed.prefix.isEmpty,
                  onDisk == Array(kept.readableBytesView), committed.fileLength == size else { return .processingFailure }
            return .success
        }
        #expect(status == .success)
        let unanswered = FileReception(path: directory + "/unanswered.dcm", fileMetaInformation: Self.meta(), durable: false)
        try await unanswered.append(Self.fragment(10, 4))
        #expect(try await unanswered.commit { _ in nil } == nil)
        #expect(try Self.dataSetBytes(ofFileAt: unanswered.path) == [UInt8](repeating: 4, count: 10))
    }

    @Test("commit(on:meanwhile:) hands the kept data set over before the file is there, and returns once it is durable in place")
    func meanwhileOverlapsCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-reception-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let small = FileReception(path: directory + "/small.dcm", fileMetaInformation: Self.meta(), durable: true)
        try await small.append(Self.fragment(60, 5))
        try await small.append(Self.fragment(40, 6))
        #expect(small.keepsWholeDataSet)
        let (committed, seen) = try await small.commit(on: eventLoop) { kept in kept.map { Array($0.readableBytesView) } }
        let expected = [UInt8](repeating: 5, count: 60) + [UInt8](repeating: 6, count: 40)
        #expect(seen == expected)
        #expect(committed.dataSetLength == 100 && committed.kept.map { Array($0.readableBytesView) } == expected)
        let size = try FileManager.default.attributesOfItem(atPath: small.path)[.size] as? Int
        #expect(committed.fileLength == size)
        #expect(try Self.dataSetBytes(ofFileAt: small.path) == expected)

        // Past the limit, nothing is kept whole: meanwhile gets nil, the file is whole.
        let large = FileReception(path: directory + "/large.dcm", fileMetaInformation: Self.meta(), durable: false)
        try await large.append(Self.fragment(FileReception.keptDataSetLimit + 1, 7))
        #expect(!large.keepsWholeDataSet)
        let (_, none) = try await large.commit(on: eventLoop) { $0 }
        #expect(none == nil)
        #expect(try Self.dataSetBytes(ofFileAt: large.path).count == FileReception.keptDataSetLimit + 1)

        // A commit that fails (no directory) throws, after meanwhile has run, and leaves no file.
        let lost = FileReception(path: directory + "/missing/lost.dcm", fileMetaInformation: Self.meta(), durable: true)
        try await lost.append(Self.fragment(10, 8))
        var ran = false
        do {
            _ = try await lost.commit(on: eventLoop) { _ in ran = true }
            Issue.record("a commit into a missing directory succeeded")
        } catch {}
        #expect(ran)
        #expect(!FileManager.default.fileExists(atPath: lost.path))
    }
}
