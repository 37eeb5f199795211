import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Synchronization
import Testing
import TestSupport

/// A truncated data set, as a file cut short or a sender that gave up half way leaves: a Storage
/// SCP answers it with C000H (cannot understand) and keeps nothing, and the association goes on;
/// a Storage SCU does not send such a file at all, and goes on with the next. DCMTK refuses both
/// ways too (its storescu will not load the file; its storescp aborts the association).
/// pynetdicom cannot serve as the sender here: it reads a cut file and sends it re-encoded,
/// with the pixel data's length fitted to what is left.
@Suite("Truncated data sets in C-STORE", .tags(.interop))
struct TruncatedDataSetTests {
    /// A good CT file, and another cut 1,000 bytes short (inside its pixel data).
    struct Fixture {
        let good: String
        let truncated: String
        let truncatedUID: String

        init() throws {
            let files = try TestInstances.files(2, label: "truncated")
            good = files[0]
            truncatedUID = try #require(try DICOMFile(contentsOf: files[1]).dataSet.uid(.sopInstanceUID)).string
            let whole = try TestInstances.bytes(ofFileAt: files[1])
            truncated = files[1] + ".cut"
            try Data(whole.readableBytesView.dropLast(1_000)).write(to: URL(fileURLWithPath: truncated))
            try FileManager.default.removeItem(atPath: files[1])
        }
    }

    static func scp(_ handler: StoreHandler) async throws -> AssociationServer {
        var entity = try Entities.scp()
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        return try await entity.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
    }

    @Test("our Storage SCP, to a file or in memory: C000H for the truncated data set, nothing kept, the next store on the association succeeds",
          arguments: ["file", "memory"])
    func ourSCPRefusesATruncatedDataSet(_ destination: String) async throws {
        let fixture = try Fixture()
        let output = try TestInstances.temporaryDirectory("truncated-in")
        let handed = Mutex(0)
        let handler = destination == "file"
            ? StoreHandler.directory(output)
            : StoreHandler.inMemory { _, _ in
                handed.withLock { $0 += 1 }
                return .success
            }
        let server = try await Self.scp(handler)
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)

        // Sent as they are: this API does not look inside the bytes.
        let whole = try TestInstances.dataSetBytes(ofFileAt: fixture.good)
        let cut = whole.getSlice(at: whole.readerIndex, length: whole.readableBytes - 1_000)!
        let good = try DICOMFile(contentsOf: fixture.good)
        let refused = try await association.store(
            encodedDataSet: cut, sopClassUID: .ctImageStorage, sopInstanceUID: try #require(good.dataSet.uid(.sopInstanceUID)),
            transferSyntax: .explicitVRLittleEndian)
        #expect(refused.status == .cannotUnderstand)
        #expect(TestInstances.contents(of: output).isEmpty, "nothing of it is kept: \(TestInstances.contents(of: output))")
        #expect(handed.withLock { $0 } == 0, "the handler never sees it")

        let accepted = try await association.store(fileAt: fixture.good)
        #expect(accepted.status == .success)
        try await association.release()
        if destination == "file" {
            #expect(TestInstances.instances(under: output).keys.sorted() == [try #require(good.dataSet.uid(.sopInstanceUID)).string])
        } else {
            #expect(handed.withLock { $0 } == 1)
        }
    }

    @Test("our Association.store(fileAt:) does not send a truncated file: invalidInput, and the association goes on")
    func ourSCUDoesNotSendATruncatedFile() async throws {
        let fixture = try Fixture()
        let output = try TestInstances.temporaryDirectory("truncated-scu")
        let server = try await Self.scp(.directory(output))
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)
        let error = await #expect(throws: AssociationError.self) { try await association.store(fileAt: fixture.truncated) }
        #expect(error?.code == .invalidInput)
        #expect("\(error.map(String.init(describing:)) ?? "")".contains("bytes are missing"))
        #expect(try await association.store(fileAt: fixture.good).status == .success)
        try await association.release()
        #expect(TestInstances.instances(under: output).count == 1)
    }

    @Test("netdicom storescu (the CLI) → DCMTK storescp: the truncated file is named and skipped, the good one arrives on the same association",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func ourCLIToDCMTK() async throws {
        let fixture = try Fixture()
        let output = try TestInstances.temporaryDirectory("truncated-dcmtk")
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["--aetitle", "DCMTK-SCP", "-od", output, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let result = try await PeerProcess.run(
            ExternalTools.netdicom(), ["storescu", "-aec", "DCMTK-SCP", "--no-progress", "127.0.0.1", String(port), fixture.truncated, fixture.good])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(fixture.truncated):"), "\(result.stderr)")
        #expect(result.stderr.contains("1 sent, 1 failed"), "\(result.stderr)")
        #expect(await eventually { TestInstances.instances(under: output).count == 1 }, "\(peer.log)")
        #expect(!peer.log.contains("abort"), "DCMTK saw no broken data set: \(peer.log)")
    }
}
