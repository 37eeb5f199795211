import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// netdicom storescu reads the data sets of the next files while one is on the wire
/// (`ReadAheadQueue`): files kept from the start (up to 64 KiB), read ahead (up to 4 MiB) and
/// streamed (larger) all arrive in the order given, byte for byte as in their files.
@Suite("storescu reads ahead, in order")
struct StoreSCUReadAheadTests {
    @Test("six files of 8 KiB to 5 MiB, mixed: received in the order given, each data set as in its file")
    func orderAndBytes() async throws {
        let directory = try TestInstances.temporaryDirectory("read-ahead-sent")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = TestInstances.Study()
        // Image sides: 320 → 200 KiB (read ahead), 1024 → 2 MiB (read ahead), 1600 → 5 MiB
        // (streamed), 64 → 8 KiB (kept).
        let files = try [320, 1024, 320, 1600, 64, 320].enumerated().map { number, side in
            try TestInstances.write(TestInstances.ct(study, instanceNumber: number + 1, rows: side, columns: side), into: directory)
        }
        let received = Recorder<[(uid: String, bytes: ByteBuffer)]>([])
        var entity = try Entities.scp()
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let handler = StoreHandler(destination: { _ in .memory }, received: { instance in
            guard case .memory(let bytes) = instance.location else { return .outOfResources }
            received.update { $0.append((instance.request.message.affectedSOPInstanceUID.string, bytes)) }
            return .success
        })
        let server = try await entity.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }

        let sent = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "127.0.0.1", String(server.port)] + files)
        #expect(sent.status == 0, "\(sent.stderr)")
        let expected = try files.map { try #require(DICOMFile(contentsOf: $0).dataSet.uid(.sopInstanceUID)).string }
        #expect(received.value.map(\.uid) == expected)
        for (file, arrival) in zip(files, received.value) {
            #expect(arrival.bytes == (try TestInstances.dataSetBytes(ofFileAt: file)), "\(URL(fileURLWithPath: file).lastPathComponent)")
        }
    }
}
