import DICOMCore
import DICOMNetworkCore
import DICOMNetworkTesting
import Foundation
import NIOCore
import Synchronization
import Testing
import TestSupport

@testable import DICOMNetwork

/// C-STORE of files sent from the files themselves (sendfile(2)) where the peer takes long PDUs
/// on a plain connection (a data set of up to a megabyte read whole first), and read into memory
/// where it takes short ones or the connection is TLS: what arrives is byte for byte what was
/// sent, either way.
@Suite("C-STORE from files (sendfile), ours ↔ ours")
struct FileRegionStoreTests {
    /// A small instance (sent from memory where long PDUs are taken), one of 10.5 MiB (from the
    /// file, in two batches of the link's 8 MiB), and a small one again, after the large one.
    static func files() throws -> [String] {
        let directory = try TestInstances.temporaryDirectory("region-sent")
        let study = TestInstances.Study()
        return try [
            TestInstances.write(TestInstances.ct(study, instanceNumber: 1), into: directory),
            TestInstances.write(TestInstances.ct(study, instanceNumber: 2, rows: 2048, columns: 2560), into: directory),
            TestInstances.write(TestInstances.ct(study, instanceNumber: 3, rows: 17, columns: 3), into: directory),
        ]
    }

    /// Stores `files` into a directory SCP announcing `maximumPDUSize`, over TLS when
    /// `certificates` are given; returns whether the association sent from files, and checks
    /// every stored data set against its source.
    static func store(_ files: [String], maximumPDUSize: UInt32, certificates: TestCertificates? = nil) async throws -> Bool {
        let output = try TestInstances.temporaryDirectory("region-received")
        var scp = try StoreLoopbackTests.storeSCP()
        scp.maximumPDUSize = maximumPDUSize
        let server = try await scp.startServer(
            host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)),
            tls: certificates.map { .server(certificateChainPath: $0.serverCertificate, privateKeyPath: $0.serverKey) })
        defer { Task { await server.shutdown() } }
        let association = try await StoreLoopbackTests.storeSCU().associate(
            host: "127.0.0.1", port: server.port, tls: certificates.map { .client(trustRootsPath: $0.caCertificate) })
        let fromFiles = association.link.sendsDataSetsFromFiles
        for file in files {
            #expect(try await association.store(fileAt: file).status == .success)
        }
        try await association.release()
        for file in files {
            let uid = try #require(try DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)).string
            #expect(try TestInstances.dataSetBytes(ofFileAt: "\(output)/\(uid).dcm") == TestInstances.dataSetBytes(ofFileAt: file), "\(file)")
        }
        return fromFiles
    }

    @Test("with 128 KiB and unlimited PDUs the data sets go out from their files and arrive byte for byte", arguments: [131_072 as UInt32, 0])
    func longPDUs(maximumPDUSize: UInt32) async throws {
        #expect(try await Self.store(try Self.files(), maximumPDUSize: maximumPDUSize))
    }

    @Test("with 16 KiB PDUs the data sets are read and sent, and arrive byte for byte")
    func shortPDUs() async throws {
        #expect(try await Self.store(try Self.files(), maximumPDUSize: 16384) == false)
    }

    @Test("over TLS the data sets are read and sent (TLS encrypts in memory), and arrive byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "openssl")))
    func tls() async throws {
        #expect(try await Self.store(try Self.files(), maximumPDUSize: 131_072, certificates: try TestCertificates.make()) == false)
    }

    @Test("progress: the bytes handed to the connection rise to the data set's length, in 8 MiB batches from the file or 1 MiB chunks read",
          arguments: [131_072 as UInt32, 16384])
    func progress(maximumPDUSize: UInt32) async throws {
        let file = try Self.files()[1]
        let output = try TestInstances.temporaryDirectory("region-progress")
        var scp = try StoreLoopbackTests.storeSCP()
        scp.maximumPDUSize = maximumPDUSize
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        let association = try await StoreLoopbackTests.storeSCU().associate(host: "127.0.0.1", port: server.port)
        let reports = Mutex<[(Int, Int)]>([])
        #expect(try await association.store(fileAt: file, progress: { sent, length in reports.withLock { $0.append((sent, length)) } }).status == .success)
        try await association.release()
        let seen = reports.withLock { $0 }
        let length = try TestInstances.dataSetBytes(ofFileAt: file).readableBytes
        #expect(seen.allSatisfy { $0.1 == length })
        #expect(seen.last?.0 == length)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.0 < $1.0 }, "rising: \(seen.map(\.0))")
        // 10.5 MiB: from the file, the first batch and the end; read, a report per chunk.
        #expect(seen.count >= (maximumPDUSize == 16384 ? 10 : 2), "\(seen.map(\.0))")
    }

    @Test("a peer that closes the connection while a data set goes out from its file: the store fails, and no descriptor of the file stays open")
    func peerVanishes() async throws {
        let directory = try TestInstances.temporaryDirectory("region-vanish")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sent = try TestInstances.write(TestInstances.ct(rows: 2048, columns: 2560), into: directory)
        let listener = try await ScriptedPeer.listen()
        async let associated = StoreLoopbackTests.storeSCU().associate(host: "127.0.0.1", port: listener.port, calledAETitle: "SCRIPTED")
        let peer = try await listener.accept()
        guard case .associateRQ(let requestPDU) = try await peer.expect(.associateRQ) else { return }
        var configuration = AssociationNegotiation.AcceptorConfiguration()
        configuration.maximumLengthReceived = 131_072
        let answer = AssociationNegotiation.response(
            to: AAssociate(request: requestPDU),
            supportedContexts: [PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])],
            configuration: configuration)
        try await peer.send(.associateAC(PDU.AssociateAC(answer)))
        let association = try await associated
        #expect(association.link.sendsDataSetsFromFiles)

        let store = Task { try await association.store(fileAt: sent) }
        // The command, then data set PDUs from the file: close after a few.
        for _ in 0..<4 { _ = try await peer.expect(.pDataTF) }
        await peer.close()
        await #expect(throws: AssociationError.self) { try await store.value }
        #expect(await eventually(timeout: .seconds(5)) { TestInstances.openFiles(in: directory) == 0 },
                "\(TestInstances.openFiles(in: directory)) descriptors of the file still open")
    }
}
