@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Synchronization
import Testing

/// The archive's Storage Commitment Push Model SCP (PS3.4 Annex J), ours ↔ ours on loopback:
/// our requestor sends the N-ACTION and takes the N-EVENT-REPORT with its N-service handler,
/// on the same association or, when that one no longer answers, on a new one the archive opens.
@Suite("Storage Commitment SCP of the archive, on loopback")
struct StorageCommitmentTests {
    static let study = "1.2.826.0.1.3680043.10.545.1"
    static let stored = "\(study).1.1"
    static let storedAsCT = "\(study).1.2"
    static let fileRemoved = "\(study).1.3"
    static let neverStored = "\(study).1.4"
    static let unknownClass: UID = "1.2.826.0.1.3680043.10.545.99"

    static func entity(_ aeTitle: String, dimseTimeout: Duration = .seconds(10)) -> ApplicationEntity {
        var entity = ApplicationEntity(aeTitle: aeTitle)
        entity.acseTimeout = .seconds(10)
        entity.dimseTimeout = dimseTimeout
        entity.networkTimeout = .seconds(20)
        return entity
    }

    /// An archive holding three CT instances, one of which then loses its file.
    static func populatedArchive(_ backend: TestBackend) async throws -> TestArchive {
        let test = try await TestArchive.make(backend)
        let directory = try ArchiveFixtures.temporaryDirectory("commitment")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            for uid in [stored, storedAsCT, fileRemoved] {
                var instance = ArchiveFixtures.Instance()
                instance.studyUID = study
                instance.seriesUID = "\(study).1"
                instance.sopInstanceUID = uid
                try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
            }
            let removed = try #require(try await test.archive.index.instance(sopInstanceUID: fileRemoved))
            try FileManager.default.removeItem(atPath: test.archive.store.absolutePath(removed.path))
        } catch {
            // Closed before it is dropped: a PostgreSQL pool dropped open traps (AsyncKit's
            // assertion) and takes the whole test run down with it.
            await test.close()
            throw error
        }
        return test
    }

    /// The archive's server, its Storage Commitment timeouts short.
    static func startArchive(_ archive: Archive, dimseTimeout: Duration = .seconds(10), destinations: [String: MoveDestination] = [:]) async throws -> AssociationServer {
        var scp = entity("QRSCP", dimseTimeout: dimseTimeout)
        try ArchiveService.addSupportedContexts(to: &scp)
        var service = ArchiveService(archive: archive, aeTitle: "QRSCP", moveDestinations: destinations, logger: ArchiveFixtures.logger)
        service.storageCommitmentTimeout = .seconds(5)
        return try await scp.startServer(host: "127.0.0.1", port: 0, handlers: service.handlers, logger: ArchiveFixtures.logger)
    }

    /// The names of the DIMSE messages a server received ("N-ACTION-RQ", "N-EVENT-REPORT-RSP"…).
    final class ReceivedMessages: Sendable {
        private final class Names: Sendable {
            let list = Mutex<[String]>([])
        }

        private let received = Names()
        private let listener: Task<Void, Never>

        init(_ server: AssociationServer) {
            let stream = server.events.subscribe()
            let received = self.received
            listener = Task {
                for await event in stream {
                    if case .dimseReceived(let name) = event.kind { received.list.withLock { $0.append(name) } }
                }
            }
        }

        deinit { listener.cancel() }

        var names: [String] { received.list.withLock { $0 } }
    }

    /// Reports as a requestor's (or the SCU's listener's) N-service handler receives them.
    final class ReportInbox: Sendable {
        struct Report: Sendable {
            var eventTypeID: UInt16
            var information: DataSet
            var association: AssociationInfo
            /// The Storage Commitment context as the receiving side negotiated it.
            var context: PresentationContext?
        }

        let reports = Mutex<[Report]>([])
        let delay: Duration

        init(answeringAfter delay: Duration = .zero) {
            self.delay = delay
        }

        var handlers: ServiceHandlers {
            ServiceHandlers(nService: { request in
                guard case .nEventReportRequest(let report) = request.message else { return NServiceResult(.unrecognizedOperation) }
                self.reports.withLock {
                    $0.append(Report(
                        eventTypeID: report.eventTypeID, information: request.dataSet ?? DataSet(), association: request.association,
                        context: request.association.handle?.acceptedContext(for: .storageCommitmentPushModel)))
                }
                if self.delay > .zero { try? await Task.sleep(for: self.delay) }
                return NServiceResult(.success)
            })
        }

        var count: Int { reports.withLock { $0.count } }
        var first: Report? { reports.withLock { $0.first } }
    }

    /// Polls `condition` every 10 ms for up to `timeout`; true as soon as it holds.
    static func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func scu() throws -> ApplicationEntity {
        var scu = entity("TEST-SCU")
        try scu.addRequestedContext(.storageCommitmentPushModel, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        return scu
    }

    static func request(_ transaction: UID, _ references: [(UID, String)]) -> StorageCommitment.Request {
        StorageCommitment.Request(transactionUID: transaction, references: references.map {
            StorageCommitment.Reference(sopClassUID: $0.0, sopInstanceUID: UID($0.1))
        })
    }

    static func nAction(_ association: Association, _ request: StorageCommitment.Request) async throws -> NServiceResponse {
        try await association.nAction(
            sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance,
            actionTypeID: StorageCommitment.requestActionTypeID, information: request.actionInformation)
    }

    @Test("a request naming stored, conflicting, unavailable and unsupported instances: event 2 on the same association", arguments: TestBackend.all)
    func mixedResultOnSameAssociation(_ backend: TestBackend) async throws {
        let test = try await Self.populatedArchive(backend)
        defer { Task { await test.close() } }
        let server = try await Self.startArchive(test.archive)
        defer { Task { await server.shutdown() } }
        let messages = ReceivedMessages(server)
        let inbox = ReportInbox()
        let association = try await Self.scu().associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", handlers: inbox.handlers)

        let request = Self.request("1.2.826.0.1.3680043.10.545.1000", [
            (.ctImageStorage, Self.stored),
            (.mrImageStorage, Self.storedAsCT),
            (.ctImageStorage, Self.fileRemoved),
            (.ctImageStorage, Self.neverStored),
            (Self.unknownClass, Self.neverStored + ".9"),
        ])
        let action = try await Self.nAction(association, request)
        #expect(action.status == .success)
        #expect(await Self.eventually { inbox.count == 1 })
        let report = try #require(inbox.first)
        #expect(report.eventTypeID == StorageCommitment.failuresExistEventTypeID)
        let result = try StorageCommitment.Result(eventInformation: report.information)
        #expect(result.transactionUID == request.transactionUID)
        #expect(result.retrieveAETitle == "QRSCP")
        #expect(result.committed == [request.references[0]])
        #expect(result.failed == [
            .init(request.references[1], reason: .classInstanceConflict),
            .init(request.references[2], reason: .noSuchObjectInstance),
            .init(request.references[3], reason: .noSuchObjectInstance),
            .init(request.references[4], reason: .referencedSOPClassNotSupported),
        ])
        // The report came on the association of the request, which goes on, and the archive
        // had its answer there.
        #expect(association.isEstablished)
        #expect(await Self.eventually { messages.names.contains("N-EVENT-REPORT-RSP") })
        try await association.release()
        #expect(inbox.count == 1)
    }

    @Test("every instance stored: event 1 with no Failed SOP Sequence")
    func allCommitted() async throws {
        let test = try await Self.populatedArchive(.sqlite)
        defer { Task { await test.close() } }
        let server = try await Self.startArchive(test.archive)
        defer { Task { await server.shutdown() } }
        let messages = ReceivedMessages(server)
        let inbox = ReportInbox()
        let association = try await Self.scu().associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", handlers: inbox.handlers)
        let request = Self.request("1.2.826.0.1.3680043.10.545.1001", [(.ctImageStorage, Self.stored), (.ctImageStorage, Self.storedAsCT)])
        #expect(try await Self.nAction(association, request).status == .success)
        #expect(await Self.eventually { inbox.count == 1 })
        let report = try #require(inbox.first)
        #expect(report.eventTypeID == StorageCommitment.successEventTypeID)
        #expect(!report.information.contains(.failedSOPSequence))
        #expect(try StorageCommitment.Result(eventInformation: report.information).committed == request.references)
        #expect(await Self.eventually { messages.names.contains("N-EVENT-REPORT-RSP") })
        try await association.release()
    }

    @Test("a malformed or misaddressed N-ACTION is refused with its failure status, and nothing is reported")
    func refusals() async throws {
        let test = try await Self.populatedArchive(.sqlite)
        defer { Task { await test.close() } }
        let server = try await Self.startArchive(test.archive)
        defer { Task { await server.shutdown() } }
        let messages = ReceivedMessages(server)
        let inbox = ReportInbox()
        var scu = try Self.scu()
        try scu.addRequestedContext(.ctImageStorage)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", handlers: inbox.handlers)

        // A class the archive serves, without an N-ACTION: as any N-service on it.
        let onStorage = try await association.nAction(sopClass: .ctImageStorage, sopInstance: "1.2.3.4", actionTypeID: 1)
        #expect(onStorage.status == .unrecognizedOperation)

        var noTransaction = DataSet()
        noTransaction.setSequence(Self.request("1.2.3", [(.ctImageStorage, Self.stored)]).actionInformation.sequence(.referencedSOPSequence) ?? [], for: .referencedSOPSequence)
        let missing = try await association.nAction(
            sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance, actionTypeID: 1, information: noTransaction)
        #expect(missing.status == .invalidArgumentValue)
        #expect(missing.commandSet.string(.errorComment)?.contains("Transaction UID") == true)

        var emptyReferences = DataSet()
        emptyReferences.setString("1.2.826.0.1.3680043.10.545.1002", for: .transactionUID, vr: .UI)
        let empty = try await association.nAction(
            sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance, actionTypeID: 1, information: emptyReferences)
        #expect(empty.status == .invalidArgumentValue)

        let valid = Self.request("1.2.826.0.1.3680043.10.545.1003", [(.ctImageStorage, Self.stored)])
        let wrongAction = try await association.nAction(
            sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance, actionTypeID: 2, information: valid.actionInformation)
        #expect(wrongAction.status == .noSuchAction)
        let wrongInstance = try await association.nAction(
            sopClass: .storageCommitmentPushModel, sopInstance: "1.2.3.4", actionTypeID: 1, information: valid.actionInformation)
        #expect(wrongInstance.status == .noSuchSOPInstance)
        let report = try await association.nEventReport(sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance, eventTypeID: 1)
        #expect(report.status == .unrecognizedOperation)

        // Only the one valid request is ever reported.
        #expect(try await Self.nAction(association, valid).status == .success)
        #expect(await Self.eventually { inbox.count >= 1 })
        #expect(await Self.eventually { messages.names.contains("N-EVENT-REPORT-RSP") })
        try await association.release()
        #expect(inbox.reports.withLock { $0.map { $0.information.string(.transactionUID) } } == [valid.transactionUID.string])
    }

    @Test("when the request's association does not take the report, it goes on a new association to the requestor, with the SCP role", arguments: TestBackend.all)
    func reportOnNewAssociation(_ backend: TestBackend) async throws {
        let test = try await Self.populatedArchive(backend)
        defer { Task { await test.close() } }

        // The SCU listens too, taking the SCU role the archive leaves it (PS3.4 J.3.3.1.3).
        let listenerInbox = ReportInbox()
        var listener = Self.entity("TEST-SCU")
        try listener.addSupportedContext(.storageCommitmentPushModel, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: false, scpRole: true)
        let listening = try await listener.startServer(host: "127.0.0.1", port: 0, handlers: listenerInbox.handlers, logger: ArchiveFixtures.logger)
        defer { Task { await listening.shutdown() } }

        // The archive waits one second for an answer on the request's association; the SCU
        // answers there only after three, so the archive gives that association up.
        let server = try await Self.startArchive(
            test.archive, dimseTimeout: .seconds(1), destinations: ["TEST-SCU": MoveDestination(host: "127.0.0.1", port: listening.port)])
        defer { Task { await server.shutdown() } }
        let slowInbox = ReportInbox(answeringAfter: .seconds(3))
        let association = try await Self.scu().associate(host: "127.0.0.1", port: server.port, calledAETitle: "QRSCP", handlers: slowInbox.handlers)
        let request = Self.request("1.2.826.0.1.3680043.10.545.1004", [(.ctImageStorage, Self.stored), (.ctImageStorage, Self.neverStored)])
        #expect(try await Self.nAction(association, request).status == .success)

        #expect(await Self.eventually(timeout: .seconds(10)) { listenerInbox.count == 1 })
        let report = try #require(listenerInbox.first)
        #expect(report.association.role == .acceptor)
        #expect(report.association.callingAETitle == "QRSCP")
        let context = report.context
        #expect(context?.asSCU == true, "the listener is the SCU")
        #expect(context?.asSCP == false)
        #expect(report.eventTypeID == StorageCommitment.failuresExistEventTypeID)
        let result = try StorageCommitment.Result(eventInformation: report.information)
        #expect(result.transactionUID == request.transactionUID)
        #expect(result.committed == [request.references[0]])
        #expect(result.failed == [.init(request.references[1], reason: .noSuchObjectInstance)])
        // The first association was aborted when its answer did not come.
        #expect(slowInbox.count == 1)
        #expect(await Self.eventually { !association.isEstablished })
    }
}
