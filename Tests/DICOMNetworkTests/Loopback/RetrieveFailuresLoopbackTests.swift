import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Synchronization
import Testing
import TestSupport

/// C-GET and C-MOVE whose C-STORE sub-operations partly fail, ours ↔ ours on loopback: the final
/// response counts them and carries the Failed SOP Instance UID List (0008,0058) in its
/// identifier (PS3.4 C.4.2.1.4.2, C.4.3.1.3.2); pending responses carry none.
@Suite("C-GET/C-MOVE sub-operation failures on loopback, ours ↔ ours")
struct RetrieveFailuresLoopbackTests {
    /// A SOP class nobody proposes: its instance cannot be sent, a failed sub-operation
    /// (PS3.4 C.4.3.3.1: no appropriate presentation context).
    static let unproposedSOPClass = UID("1.2.826.0.1.3680043.10.999.1")

    /// Five instances: four CT files and one data set of ``unproposedSOPClass``.
    struct Fixture {
        let files: [String]
        let uids: [UID]
        let unproposed: UID = .generate()

        init() throws {
            files = try TestInstances.files(4)
            uids = try files.map { try #require(try DICOMFile(contentsOf: $0).dataSet.uid(.sopInstanceUID)) }
        }

        var items: [RetrieveItem] {
            var dataSet = DataSet()
            dataSet.setString(RetrieveFailuresLoopbackTests.unproposedSOPClass.string, for: .sopClassUID, vr: .UI)
            dataSet.setString(unproposed.string, for: .sopInstanceUID, vr: .UI)
            return files.map { .file(path: $0) }
                + [.dataSet(dataSet, sopClassUID: RetrieveFailuresLoopbackTests.unproposedSOPClass, sopInstanceUID: unproposed, transferSyntax: .explicitVRLittleEndian)]
        }

        /// A store handler that refuses the second instance (A700H), warns on the third (B000H)
        /// and accepts the rest.
        var storeHandler: StoreHandler {
            let (refused, warned) = (uids[1], uids[2])
            return StoreHandler(destination: { _ in .discard }, received: { instance in
                switch instance.request.message.affectedSOPInstanceUID {
                case refused: .outOfResources
                case warned: .coercionOfDataElements
                default: .success
                }
            })
        }
    }

    static func scp(moveDestinations: [String: MoveDestination] = [:], items: [RetrieveItem]) async throws -> AssociationServer {
        var entity = try Entities.scp()
        try entity.addSupportedContexts(for: .queryRetrieve, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: true, scpRole: true)
        let handlers = ServiceHandlers(
            get: { _ in RetrieveResult(items) }, move: { _ in RetrieveResult(items) }, moveDestinations: moveDestinations)
        return try await entity.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
    }

    static var query: DataSet {
        var query = DataSet()
        query.setString("STUDY", for: .queryRetrieveLevel, vr: .CS)
        query.setString(UID.generate().string, for: .studyInstanceUID, vr: .UI)
        return query
    }

    static func collect(_ responses: AsyncThrowingStream<QueryResponse, any Error>) async throws -> [QueryResponse] {
        var collected: [QueryResponse] = []
        for try await response in responses { collected.append(response) }
        return collected
    }

    static func failedList(_ response: QueryResponse?) -> [String]? {
        response?.failedSOPInstanceUIDs.map(\.string)
    }

    /// A C-MOVE of `items` from our SCP to a destination AE "DEST" whose store handler is
    /// `handler`, taking CT in `syntaxes`: every response, in order.
    static func move(_ items: [RetrieveItem], to handler: StoreHandler, accepting syntaxes: [UID]) async throws -> [QueryResponse] {
        var destination = try Entities.scp("DEST")
        try destination.addSupportedContext(.ctImageStorage, transferSyntaxes: syntaxes)
        let destinationServer = try await destination.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: handler))
        defer { Task { await destinationServer.shutdown() } }
        let server = try await scp(moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: destinationServer.port)], items: items)
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .queryRetrieve)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)
        let responses = try await collect(association.move(query, to: "DEST"))
        try await association.release()
        return responses
    }

    @Test("C-GET: a refused, a warned and an unsendable instance make B000H with 2 completed, 2 failed, 1 warning, and the two failed UIDs listed")
    func getWithFailures() async throws {
        let fixture = try Fixture()
        let server = try await Self.scp(items: fixture.items)
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .queryRetrieve)
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: false, scpRole: true)
        let association = try await scu.associate(
            host: "127.0.0.1", port: server.port, handlers: ServiceHandlers(store: fixture.storeHandler))
        let responses = try await Self.collect(association.get(Self.query))
        try await association.release()

        let final = try #require(responses.last)
        #expect(final.status == .subOperationsCompleteWithFailures)
        #expect(final.completed == 2)
        #expect(final.failed == 2)
        #expect(final.warning == 1)
        #expect(final.remaining == nil)
        #expect(Self.failedList(final) == [fixture.uids[1].string, fixture.unproposed.string])
        #expect(final.identifier?.count == 1, "the identifier holds the list and nothing else")
        #expect(responses.dropLast().allSatisfy { $0.status == .pending && $0.identifier == nil })
        #expect(responses.dropLast().compactMap(\.failed) == [0, 1, 1, 1])
    }

    @Test("C-GET: when every sub-operation fails the final status is A702H with every UID listed; when none fails there is no identifier")
    func getAllOrNothing() async throws {
        let fixture = try Fixture()
        let server = try await Self.scp(items: fixture.items)
        defer { Task { await server.shutdown() } }
        // No storage context at all: nothing can be sent.
        var none = try Entities.scu()
        try none.addRequestedContexts(for: .queryRetrieve)
        let refused = try await none.associate(host: "127.0.0.1", port: server.port)
        let failedResponses = try await Self.collect(refused.get(Self.query))
        try await refused.release()
        let failed = try #require(failedResponses.last)
        #expect(failed.status == .outOfResourcesUnableToPerformSubOperations)
        #expect(failed.failed == 5)
        #expect(Self.failedList(failed) == (fixture.uids + [fixture.unproposed]).map(\.string))

        let allGood = try await Self.scp(items: fixture.files.map { .file(path: $0) })
        defer { Task { await allGood.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .queryRetrieve)
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: false, scpRole: true)
        let association = try await scu.associate(host: "127.0.0.1", port: allGood.port, handlers: ServiceHandlers(store: .discard))
        let responses = try await Self.collect(association.get(Self.query))
        try await association.release()
        #expect(responses.last?.status == .success)
        #expect(responses.last?.completed == 4)
        #expect(responses.allSatisfy { $0.identifier == nil })
    }

    @Test("C-MOVE: the destination's refusal and warning, and an instance it cannot take, come back as B000H with the failed UIDs")
    func moveWithFailures() async throws {
        let fixture = try Fixture()
        let responses = try await Self.move(
            fixture.items, to: fixture.storeHandler, accepting: [.explicitVRLittleEndian, .implicitVRLittleEndian])

        let final = try #require(responses.last)
        #expect(final.status == .subOperationsCompleteWithFailures)
        #expect((final.completed, final.failed, final.warning) == (2, 2, 1))
        #expect(Self.failedList(final) == [fixture.uids[1].string, fixture.unproposed.string])
        #expect(responses.dropLast().allSatisfy { $0.identifier == nil })
    }

    @Test("C-MOVE of indexed files: contexts come from what the index says, and a file gone from the disk is a failure listed by its UID")
    func moveIndexedFiles() async throws {
        let fixture = try Fixture()
        let missing = UID.generate()
        let items: [RetrieveItem] = zip(fixture.files, fixture.uids).map { path, uid in
            .indexedFile(path: path, sopClassUID: .ctImageStorage, sopInstanceUID: uid, transferSyntax: .explicitVRLittleEndian)
        } + [
            .indexedFile(
                path: fixture.files[0] + ".gone", sopClassUID: .ctImageStorage, sopInstanceUID: missing, transferSyntax: .explicitVRLittleEndian)
        ]
        let received = Mutex<[String]>([])
        let handler = StoreHandler(destination: { _ in .discard }, received: { instance in
            received.withLock { $0.append(instance.request.message.affectedSOPInstanceUID.string) }
            return .success
        })
        let responses = try await Self.move(items, to: handler, accepting: [.explicitVRLittleEndian])

        let final = try #require(responses.last)
        #expect(final.status == .subOperationsCompleteWithFailures)
        #expect((final.completed, final.failed, final.warning) == (4, 1, 0))
        #expect(Self.failedList(final) == [missing.string])
        // Our destination grants an operations window: the stores may be answered in any order.
        #expect(received.withLock { $0 }.sorted() == fixture.uids.map(\.string).sorted())
    }

    @Test("C-MOVE to a destination that does not answer: A702H at once, every sub-operation failed and listed, the association goes on")
    func moveToUnreachableDestination() async throws {
        let fixture = try Fixture()
        let closedPort = PeerProcess.freePort()
        let server = try await Self.scp(moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: closedPort)], items: fixture.items)
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContexts(for: .verification)
        try scu.addRequestedContexts(for: .queryRetrieve)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)
        let responses = try await Self.collect(association.move(Self.query, to: "DEST"))

        #expect(responses.count == 1)
        let final = try #require(responses.last)
        #expect(final.status == .outOfResourcesUnableToPerformSubOperations)
        #expect((final.completed, final.failed, final.warning) == (0, 5, 0))
        #expect(Self.failedList(final) == (fixture.uids + [fixture.unproposed]).map(\.string))
        #expect(final.errorComment?.contains("DEST") == true, "\(final.errorComment ?? "no comment")")
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    // MARK: - netdicom getscu and movescu

    @Test("netdicom getscu: the four CT instances arrive, the unsendable one is named on standard error, the exit status is 1")
    func getscuCommand() async throws {
        let fixture = try Fixture()
        let server = try await Self.scp(items: fixture.items)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("netdicom-getscu")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-aec", "TEST-SCP", "-od", output, "-k", "StudyInstanceUID=1.2.3", "127.0.0.1", String(server.port)])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("4 completed, 1 failed, 0 warning, 4 received"), "\(result.stderr)")
        #expect(result.stderr.contains("getscu: failed: \(fixture.unproposed.string)"), "\(result.stderr)")
        #expect(Set(TestInstances.instances(under: output).keys) == Set(fixture.uids.map(\.string)))
    }

    @Test("netdicom movescu --store: its own Storage SCP takes the CT instances, the private one is named as failed")
    func movescuCommand() async throws {
        let fixture = try Fixture()
        let storePort = PeerProcess.freePort()
        let server = try await Self.scp(moveDestinations: ["MOVESCU": MoveDestination(host: "127.0.0.1", port: storePort)], items: fixture.items)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("netdicom-movescu")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-aec", "TEST-SCP", "--store-port", String(storePort), "--store-bind", "127.0.0.1", "-od", output,
            "-k", "StudyInstanceUID=1.2.3", "127.0.0.1", String(server.port)])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("4 completed, 1 failed, 0 warning"), "\(result.stderr)")
        #expect(result.stderr.contains("movescu: failed: \(fixture.unproposed.string)"), "\(result.stderr)")
        #expect(Set(TestInstances.instances(under: output).keys) == Set(fixture.uids.map(\.string)))
    }
}
