import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing

/// C-STORE, ours ↔ ours, through real sockets on loopback: what arrives is what was sent, in
/// every store handler's form, with conversion, with an operations window, and with senders that
/// misbehave.
@Suite("C-STORE on loopback, ours ↔ ours")
struct StoreLoopbackTests {
    /// A Storage SCP entity for CT (and Verification) in `transferSyntaxes`.
    static func storeSCP(transferSyntaxes: [UID] = [.explicitVRLittleEndian, .implicitVRLittleEndian]) throws -> ApplicationEntity {
        var entity = try Entities.scp()
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: transferSyntaxes)
        return entity
    }

    /// A Storage SCU entity proposing CT in explicit, then implicit VR Little Endian.
    static func storeSCU() throws -> ApplicationEntity {
        var entity = try Entities.scu()
        try entity.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        return entity
    }

    // MARK: - What arrives is what was sent

    @Test("a file and a data set stored into a directory arrive byte for byte, with their meta information")
    func directoryHandler() async throws {
        let output = try TestInstances.temporaryDirectory("store-out")
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        let sent = try TestInstances.files(1)[0]
        let dataSet = try TestInstances.ct(instanceNumber: 2)

        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        #expect(try await association.store(fileAt: sent).status == .success)
        #expect(try await association.store(dataSet).status == .success)
        try await association.release()

        let fileUID = try #require(try DICOMFile(contentsOf: sent).dataSet.uid(.sopInstanceUID)).string
        let dataSetUID = try #require(dataSet.uid(.sopInstanceUID)).string
        #expect(TestInstances.contents(of: output) == ["\(fileUID).dcm", "\(dataSetUID).dcm"].sorted())
        let received = "\(output)/\(fileUID).dcm"
        #expect(try TestInstances.dataSetBytes(ofFileAt: received) == TestInstances.dataSetBytes(ofFileAt: sent))
        #expect(try TestInstances.transferSyntax(ofFileAt: received) == .explicitVRLittleEndian)
        let meta = try DICOMFile(contentsOf: received).fileMetaInformation
        #expect(meta.uid(.mediaStorageSOPInstanceUID)?.string == fileUID)
        #expect(meta.uid(.mediaStorageSOPClassUID) == .ctImageStorage)
        #expect(meta.string(.sourceApplicationEntityTitle) == "TEST-SCU")

        // The data set went out in the accepted syntax (explicit VR LE, the SCP's first choice).
        let storedDataSet = "\(output)/\(dataSetUID).dcm"
        #expect(try TestInstances.dataSetBytes(ofFileAt: storedDataSet) == DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian))
    }

    @Test("a handler storing to files gets a small data set's bytes along with its file (so an index need not read it back), a large one's not")
    func smallDataSetBytesKept() async throws {
        let output = try TestInstances.temporaryDirectory("store-kept")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let directory = StoreHandler.directory(output)
        // The kept bytes' length by SOP Instance UID; -1 for none kept.
        let kept = Recorder<[String: Int]>([:])
        let handler = StoreHandler(destination: directory.destination, received: { instance in
            kept.update { $0[instance.request.message.affectedSOPInstanceUID.string] = instance.dataSetBytes?.readableBytes ?? -1 }
            if case .file(let path) = instance.location, let bytes = instance.dataSetBytes,
               (try? TestInstances.dataSetBytes(ofFileAt: path)) != bytes {
                return .processingFailure
            }
            return await directory.received(instance)
        })
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }
        let small = try TestInstances.ct(rows: 16, columns: 16)
        let large = try TestInstances.ct(rows: 256, columns: 256)  // 128 KiB of pixels
        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        #expect(try await association.store(small).status == .success, "the kept bytes differ from the file's data set")
        #expect(try await association.store(large).status == .success)
        try await association.release()
        let smallLength = try DataSetWriter.encode(small, transferSyntax: .explicitVRLittleEndian).readableBytes
        #expect(kept.value[try #require(small.uid(.sopInstanceUID)).string] == smallLength)
        #expect(kept.value[try #require(large.uid(.sopInstanceUID)).string] == -1)
    }

    @Test("the in-memory handler gets the parsed instance, equal to what was sent")
    func inMemoryHandler() async throws {
        let received = Recorder<[DICOMFile]>([])
        let handler = StoreHandler.inMemory { request, file in
            received.update { $0.append(file) }
            return request.association.callingAETitle == "TEST-SCU" ? .success : .cannotUnderstand
        }
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }
        let sent = try TestInstances.files(1)[0]
        let dataSet = try TestInstances.ct(instanceNumber: 5)

        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        #expect(try await association.store(fileAt: sent).status == .success)
        #expect(try await association.store(dataSet).status == .success)
        try await association.release()

        let files = received.value
        try #require(files.count == 2)
        let original = try DICOMFile(contentsOf: sent)
        #expect(TestInstances.differences(files[0].dataSet, from: original.dataSet).isEmpty)
        #expect(try DataSetWriter.encode(files[0].dataSet, transferSyntax: files[0].transferSyntax) == TestInstances.dataSetBytes(ofFileAt: sent))
        #expect(files[0].fileMetaInformation.uid(.mediaStorageSOPInstanceUID) == original.dataSet.uid(.sopInstanceUID))
        #expect(TestInstances.differences(files[1].dataSet, from: dataSet).isEmpty)
    }

    @Test("the discarding handler reads every instance through, answers success, and keeps nothing")
    func discardHandler() async throws {
        let lengths = Recorder<[Int]>([])
        let discard = StoreHandler.discard
        let handler = StoreHandler(destination: discard.destination) { instance in
            guard case .discarded = instance.location else { return .cannotUnderstand }
            lengths.update { $0.append(instance.dataSetLength) }
            return await discard.received(instance)
        }
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }
        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        var expected: [Int] = []
        for number in 1...3 {
            let dataSet = try TestInstances.ct(instanceNumber: number, rows: 64 * number, columns: 64)
            expected.append(try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian).readableBytes)
            #expect(try await association.store(dataSet).status == .success)
        }
        try await association.release()
        #expect(lengths.value == expected)
    }

    @Test("an acceptor without a store handler answers 0122H, and the association goes on")
    func noStoreHandler() async throws {
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        #expect(try await association.store(TestInstances.ct()).status == .sopClassNotSupported)
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    // MARK: - Transfer syntax conversion

    @Test("a file sent to an SCP that takes the other Little Endian syntax only is converted as it is read, and stored so with equal elements; small and 8 MiB, each way",
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian], [false, true])
    func conversionBetweenLittleEndianSyntaxes(_ fileSyntax: TransferSyntax, large: Bool) async throws {
        let target: TransferSyntax = fileSyntax == .implicitVRLittleEndian ? .explicitVRLittleEndian : .implicitVRLittleEndian
        let output = try TestInstances.temporaryDirectory("store-converted")
        let scp = try Self.storeSCP(transferSyntaxes: [target.uid])
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        let sent = large
            ? try TestInstances.write(TestInstances.ct(rows: 2048, columns: 2048), transferSyntax: fileSyntax, into: TestInstances.temporaryDirectory("store-converted-sent"))
            : try TestInstances.files(1, transferSyntax: fileSyntax)[0]

        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        #expect(association.acceptedContext(for: .ctImageStorage)?.transferSyntax == target.uid)
        #expect(try await association.store(fileAt: sent).status == .success)
        try await association.release()

        let original = try DICOMFile(contentsOf: sent)
        let uid = try #require(original.dataSet.uid(.sopInstanceUID)).string
        let stored = try DICOMFile(contentsOf: "\(output)/\(uid).dcm")
        #expect(stored.transferSyntax.uid == target.uid)
        #expect(stored.fileMetaInformation.uid(.transferSyntaxUID) == target.uid)
        #expect(TestInstances.differences(stored.dataSet, from: original.dataSet).isEmpty)
        #expect(try TestInstances.dataSetBytes(ofFileAt: "\(output)/\(uid).dcm") == DataSetWriter.encode(original.transcoded(to: target).dataSet, transferSyntax: target))
    }

    @Test("an encoded data set goes out as it is where its syntax was accepted, and converted where only another was")
    func encodedDataSet() async throws {
        let explicitFile = try DICOMFile(contentsOf: TestInstances.files(1, transferSyntax: .explicitVRLittleEndian)[0])
        let bytes = try DataSetWriter.encode(explicitFile.dataSet, transferSyntax: .explicitVRLittleEndian)
        let uid = try #require(explicitFile.dataSet.uid(.sopInstanceUID))
        for (accepted, expected) in [(UID.explicitVRLittleEndian, bytes), (.implicitVRLittleEndian, try DataSetWriter.encode(explicitFile.dataSet, transferSyntax: .implicitVRLittleEndian))] {
            let output = try TestInstances.temporaryDirectory("store-encoded")
            let server = try await Self.storeSCP(transferSyntaxes: [accepted]).startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
            let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
            let response = try await association.store(
                encodedDataSet: bytes, sopClassUID: .ctImageStorage, sopInstanceUID: uid, transferSyntax: .explicitVRLittleEndian)
            #expect(response.status == .success)
            try await association.release()
            await server.shutdown()
            let received = "\(output)/\(uid.string).dcm"
            #expect(try TestInstances.transferSyntax(ofFileAt: received) == accepted)
            #expect(try TestInstances.dataSetBytes(ofFileAt: received) == expected)
        }
    }

    // MARK: - Asynchronous operations window

    /// Runs 20 concurrent stores against an SCP whose handler takes a while, and returns the
    /// highest number the handler ran at once.
    func concurrentStores(scpWindow: AsynchronousOperationsWindow?, proposed: AsynchronousOperationsWindow?) async throws -> (statuses: [DIMSEStatus], maximum: Int, negotiated: AsynchronousOperationsWindow) {
        let gauge = ConcurrencyGauge()
        let handler = gauge.slowStoreHandler()
        var scp = try Self.storeSCP()
        scp.asynchronousOperationsWindow = scpWindow
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }
        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port, asynchronousOperationsWindow: proposed)
        let dataSets = try (1...20).map { try TestInstances.ct(instanceNumber: $0, rows: 8, columns: 8) }
        let statuses = try await withThrowingTaskGroup(of: DIMSEStatus.self) { group in
            for dataSet in dataSets {
                group.addTask { try await association.store(dataSet).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await association.release()
        #expect(gauge.total == 20)
        return (statuses, gauge.maximum, association.outcome.asynchronousOperationsWindow)
    }

    @Test("with an operations window of 8, 20 concurrent stores all succeed, several performed at once")
    func asynchronousWindow() async throws {
        let result = try await concurrentStores(
            // Both in the standard's terms, the requestor's: it may invoke 8, and performs 1.
            scpWindow: AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 8, maximumNumberOperationsPerformed: 1),
            proposed: AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 8, maximumNumberOperationsPerformed: 1))
        #expect(result.negotiated == AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 8, maximumNumberOperationsPerformed: 1))
        #expect(result.statuses.count == 20)
        #expect(result.statuses.allSatisfy { $0 == .success })
        #expect(result.maximum > 1, "the SCP performed one store at a time")
        #expect(result.maximum <= 8, "the SCP performed more stores at once than the window")
    }

    @Test("without an operations window, 20 concurrent stores are performed one at a time", arguments: [
        ("the SCU proposes none", true),
        ("the SCP grants none", false),
    ])
    func synchronousWithoutWindow(_ name: String, scpGrants: Bool) async throws {
        let result = try await concurrentStores(
            scpWindow: scpGrants ? AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 1, maximumNumberOperationsPerformed: 8) : nil,
            proposed: scpGrants ? nil : AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 8, maximumNumberOperationsPerformed: 1))
        #expect(result.negotiated.isSynchronous)
        #expect(result.statuses.count == 20)
        #expect(result.statuses.allSatisfy { $0 == .success })
        #expect(result.maximum == 1)
    }

    // MARK: - Senders that misbehave

    @Test("a SOP Instance UID that is not a safe file name is refused with C000H, and nothing is written", arguments: [
        "1.2/../3", "../../etc/passwd", "1.2.3.", ".hidden", "1..2",
    ])
    func unsafeUID(_ uid: String) async throws {
        let base = try TestInstances.temporaryDirectory("store-unsafe")
        let output = "\(base)/out"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        var dataSet = try TestInstances.ct()
        dataSet.setString(uid, for: .sopInstanceUID, vr: .UI)
        #expect(try await association.store(dataSet).status == .cannotUnderstand)
        // The association goes on, and a good instance after it is stored.
        #expect(try await association.store(TestInstances.ct()).status == .success)
        try await association.release()
        #expect(TestInstances.contents(of: base) == ["out"])
        #expect(TestInstances.contents(of: output).count == 1)
        #expect(TestInstances.contents(of: output).allSatisfy { UIDFileName.isSafe(String($0.dropLast(4))) && $0.hasSuffix(".dcm") })
    }

    @Test("a sender that vanishes half way through an 8 MiB instance leaves neither the file nor its temporary file",
          arguments: ["closes the connection", "sends an A-ABORT"])
    func senderVanishesMidStream(_ how: String) async throws {
        let output = try TestInstances.temporaryDirectory("store-vanish")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let commands = Recorder(0)
        let directory = StoreHandler.directory(output)
        let handler = StoreHandler(destination: { request in
            commands.update { $0 += 1 }
            return directory.destination(request)
        }, received: directory.received)
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }

        let dataSet = try TestInstances.ct(rows: 2048, columns: 2048)  // 8 MiB of pixels
        let uid = try #require(dataSet.uid(.sopInstanceUID))
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        let requestor = try await RawRequestor.associate(
            port: server.port, calledAETitle: "TEST-SCP",
            contexts: [PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])])
        let request = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: uid)
        try await requestor.sendPartialStore(request, dataSet: encoded, sentBytes: 3 << 20)
        // The transfer is under way: the SCP chose the destination and opened the file (unnamed,
        // or under a temporary name where the file system has no unnamed files).
        #expect(await eventually { commands.value == 1 && TestInstances.openFiles(in: output) == 1 })
        #expect(!TestInstances.contents(of: output).contains("\(uid.string).dcm"))
        if how == "sends an A-ABORT" { try await requestor.sendAbort() }
        requestor.close()

        #expect(await eventually(timeout: .seconds(5)) { TestInstances.contents(of: output).isEmpty && TestInstances.openFiles(in: output) == 0 },
                "left behind: \(TestInstances.contents(of: output)), \(TestInstances.openFiles(in: output)) open")
        #expect(await eventually { server.activeAssociations == 0 })
    }

    @Test("a data set that names another SOP instance or class is refused with A900H, one without either (or empty) with C000H, and neither is kept by the directory handler (as DCMTK's storescp); then the matching one is stored",
          arguments: [
              ("another instance", 0xA900), ("another class", 0xA900),
              ("no instance", 0xC000), ("no class", 0xC000), ("empty instance", 0xC000), ("empty", 0xC000),
          ])
    func dataSetNotTheRequestsInstance(_ which: String, _ status: Int) async throws {
        let output = try TestInstances.temporaryDirectory("store-identity")
        let server = try await Self.storeSCP().startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        let requestor = try await RawRequestor.associate(
            port: server.port, calledAETitle: "TEST-SCP",
            contexts: [PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])])
        defer { requestor.close() }
        var dataSet = try TestInstances.ct()
        let uid = try #require(dataSet.uid(.sopInstanceUID))
        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        switch which {
        case "another instance": dataSet.setString("1.2.826.0.1.3680043.10.545.99", for: .sopInstanceUID, vr: .UI)
        case "another class": dataSet.setString(UID.mrImageStorage.string, for: .sopClassUID, vr: .UI)
        case "no instance": _ = dataSet.remove(.sopInstanceUID)
        case "no class": _ = dataSet.remove(.sopClassUID)
        case "empty instance": dataSet.setString("", for: .sopInstanceUID, vr: .UI)
        default: dataSet = DataSet()
        }
        let other = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        let request = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: uid)
        try await requestor.sendMessage(request.commandSet, dataSet: other, contextID: 1)
        #expect(try await requestor.receiveCommand().integer(.status) == status)
        #expect(TestInstances.contents(of: output).isEmpty)
        try await requestor.sendMessage(CStoreRequest(messageID: 2, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: uid).commandSet, dataSet: encoded, contextID: 1)
        #expect(try await requestor.receiveCommand().integer(.status) == 0x0000)
        #expect(TestInstances.contents(of: output) == ["\(uid.string).dcm"])
    }

    @Test("our SCU aborting during an 8 MiB store leaves no temporary and no partial file")
    func requestorAbortsDuringStore() async throws {
        let output = try TestInstances.temporaryDirectory("store-abort")
        var scp = try Self.storeSCP()
        // Small PDUs make the transfer longer, so that the abort may arrive in the middle.
        scp.maximumPDUSize = 4096
        let started = Recorder(false)
        let directory = StoreHandler.directory(output)
        let handler = StoreHandler(destination: { request in
            started.update { $0 = true }
            return directory.destination(request)
        }, received: directory.received)
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await server.shutdown() } }
        let bigDirectory = try TestInstances.temporaryDirectory("store-big")
        defer {
            try? FileManager.default.removeItem(atPath: bigDirectory)
            try? FileManager.default.removeItem(atPath: output)
        }
        let sent = try TestInstances.write(TestInstances.ct(rows: 2048, columns: 2048), into: bigDirectory)

        let association = try await Self.storeSCU().associate(host: "127.0.0.1", port: server.port)
        let store = Task { try await association.store(fileAt: sent) }
        #expect(await eventually { started.value })
        await association.abort()
        _ = await store.result
        #expect(!association.isEstablished)
        #expect(await eventually { server.activeAssociations == 0 })
        // The A-ABORT goes out behind the P-DATA already queued, so the SCP may have received
        // the whole instance first; either way, nothing temporary or partial may remain.
        #expect(await eventually(timeout: .seconds(5)) { !TestInstances.contents(of: output).contains { $0.hasPrefix(".") } },
                "left behind: \(TestInstances.contents(of: output))")
        for name in TestInstances.contents(of: output) {
            #expect(try TestInstances.dataSetBytes(ofFileAt: "\(output)/\(name)") == TestInstances.dataSetBytes(ofFileAt: sent), "\(name) is partial")
        }
    }
}
