import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import DICOMNetworkTesting
import Synchronization
import Testing

/// Requests sent by the acceptor, ours ↔ ours on loopback: a handler takes the association its
/// request arrived on (``AssociationInfo/handle``, pynetdicom's `event.assoc`) and sends
/// requests on it, which the requestor answers with its own handlers.
@Suite("Acceptor-side requests on loopback, ours ↔ ours")
struct AcceptorRequestLoopbackTests {
    static let sopClass = UID.storageCommitmentPushModel
    static let instance = UID.storageCommitmentPushModelInstance

    static func entities() throws -> (scp: ApplicationEntity, scu: ApplicationEntity) {
        var scp = try Entities.scp()
        try scp.addSupportedContext(sopClass, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        var scu = try Entities.scu()
        try scu.addRequestedContext(sopClass, transferSyntaxes: [.explicitVRLittleEndian])
        return (scp, scu)
    }

    static func information(_ transaction: String) -> DataSet {
        var information = DataSet()
        information.setString(transaction, for: .transactionUID, vr: .UI)
        return information
    }

    /// The N-EVENT-REPORTs a requestor's nService handler received (Transaction UID, Event
    /// Type ID), each answered success.
    final class ReportLog: Sendable {
        let entries = Mutex<[(transaction: String, eventTypeID: UInt16)]>([])

        var handlers: ServiceHandlers {
            ServiceHandlers(nService: { request in
                guard case .nEventReportRequest(let report) = request.message else { return NServiceResult(.unrecognizedOperation) }
                self.entries.withLock { $0.append((request.dataSet?.string(.transactionUID) ?? "", report.eventTypeID)) }
                return NServiceResult(.success)
            })
        }

        var transactions: [String] { entries.withLock { $0.map(\.transaction) } }
        var eventTypeIDs: [UInt16] { entries.withLock { $0.map(\.eventTypeID) } }
    }

    @Test("an N-ACTION handler reports with N-EVENT-REPORT on the same association after its response")
    func reportAfterResponse() async throws {
        let (scp, scu) = try Self.entities()
        let reportStatus = Mutex<DIMSEStatus?>(nil)
        let seen = Mutex<(role: Association.Role, peer: String)?>(nil)
        let handlers = ServiceHandlers(nService: { request in
            guard case .nActionRequest = request.message else { return NServiceResult(.unrecognizedOperation) }
            let transaction = request.dataSet?.string(.transactionUID) ?? ""
            return NServiceResult(.success, afterResponse: { association in
                seen.withLock { $0 = (association.role, association.peerAETitle) }
                let response = try? await association.nEventReport(
                    sopClass: Self.sopClass, sopInstance: Self.instance, eventTypeID: 1, information: Self.information(transaction))
                reportStatus.withLock { $0 = response?.status }
            })
        })
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let reports = ReportLog()
        let events = AssociationEvents()
        let received = Mutex<[String]>([])
        let listener = Task {
            for await event in events.subscribe() {
                if case .dimseReceived(let name) = event.kind { received.withLock { $0.append(name) } }
            }
        }
        defer { listener.cancel() }
        let association = try await scu.associate(
            host: "127.0.0.1", port: server.port, calledAETitle: "TEST-SCP", handlers: reports.handlers, events: events)

        let action = try await association.nAction(sopClass: Self.sopClass, sopInstance: Self.instance, actionTypeID: 1, information: Self.information("1.2.3.100"))
        #expect(action.status == .success)
        #expect(await eventually { reportStatus.withLock { $0 } == DIMSEStatus.success })
        #expect(reports.transactions == ["1.2.3.100"])
        #expect(reports.eventTypeIDs == [1])
        #expect(seen.withLock { $0?.role } == .acceptor)
        #expect(seen.withLock { $0?.peer } == "TEST-SCU")
        // On the wire, the response came before the report.
        #expect(await eventually { received.withLock { $0.count } >= 2 })
        #expect(received.withLock { Array($0.prefix(2)) } == ["N-ACTION-RSP", "N-EVENT-REPORT-RQ"])

        // The handle the handler dropped closed nothing: the association goes on.
        #expect(association.isEstablished)
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("a handler may wait for its own request's response while it answers")
    func requestWhileAnswering() async throws {
        let (scp, scu) = try Self.entities()
        let handlers = ServiceHandlers(nService: { request in
            guard case .nActionRequest = request.message, let association = request.association.handle else {
                return NServiceResult(.processingFailure)
            }
            do {
                let report = try await association.nEventReport(
                    sopClass: Self.sopClass, sopInstance: Self.instance, eventTypeID: 2, information: Self.information("1.2.3.200"))
                // The action succeeds only if the report was answered success first.
                return NServiceResult(report.status == .success ? .success : .processingFailure)
            } catch {
                return NServiceResult(.processingFailure, errorComment: "\(error)")
            }
        })
        let reports = ReportLog()
        try await withLoopbackAssociation(acceptor: scp, handlers: handlers, requestor: scu, requestorHandlers: reports.handlers) { (association: Association) async throws in
            let action = try await association.nAction(sopClass: Self.sopClass, sopInstance: Self.instance, actionTypeID: 1, information: Self.information("1.2.3.200"))
            #expect(action.status == .success, "\(action.commandSet.string(.errorComment) ?? "")")
            #expect(reports.transactions == ["1.2.3.200"])
            #expect(reports.eventTypeIDs == [2])
        }
    }

    @Test("every handler sees the handle: a C-STORE handler sends an N-EVENT-REPORT to the requestor")
    func storeHandlerSends() async throws {
        var (scp, scu) = try Self.entities()
        try scp.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let handlers = ServiceHandlers(store: .inMemory { request, _ in
            guard let association = request.association.handle else { return .processingFailure }
            let status = try? await association.nEventReport(
                sopClass: Self.sopClass, sopInstance: Self.instance, eventTypeID: 1,
                information: Self.information(request.message.affectedSOPInstanceUID.string)).status
            return status == .success ? .success : .processingFailure
        })
        let reports = ReportLog()
        try await withLoopbackAssociation(acceptor: scp, handlers: handlers, requestor: scu, requestorHandlers: reports.handlers) { (association: Association) async throws in
            var dataSet = DataSet()
            dataSet.setString(UID.ctImageStorage.string, for: .sopClassUID, vr: .UI)
            dataSet.setString("1.2.3.300", for: .sopInstanceUID, vr: .UI)
            #expect(try await association.store(dataSet).status == .success)
            #expect(reports.transactions == ["1.2.3.300"])
        }
    }

    @Test("a handle kept after the association ended is closed, and does not keep the endpoint from going")
    func lifetime() async throws {
        let (scp, scu) = try Self.entities()
        let keptHandle = Mutex<Association?>(nil)
        let keptInfo = Mutex<AssociationInfo?>(nil)
        let handlers = ServiceHandlers(nService: { request in
            keptHandle.withLock { $0 = request.association.handle }
            keptInfo.withLock { $0 = request.association }
            return NServiceResult(.success)
        })
        try await withLoopbackAssociation(acceptor: scp, handlers: handlers, requestor: scu) { (association: Association) async throws in
            #expect(try await association.nAction(sopClass: Self.sopClass, sopInstance: Self.instance, actionTypeID: 1).status == .success)
        }
        let handle = try #require(keptHandle.withLock { $0 })
        #expect(await eventually { !handle.isEstablished })
        await #expect(throws: AssociationError.self) {
            try await handle.nEventReport(sopClass: Self.sopClass, sopInstance: Self.instance, eventTypeID: 1)
        }
        // Only the kept handle holds the endpoint now: without it, the info's handle is gone.
        keptHandle.withLock { $0 = nil }
        _ = consume handle
        #expect(await eventually { keptInfo.withLock { $0?.handle == nil } })
    }

    @Test("an acceptor's handler may release the association once its response is out")
    func acceptorReleases() async throws {
        let (scp, scu) = try Self.entities()
        let released = Mutex<Bool?>(nil)
        let handlers = ServiceHandlers(nService: { _ in
            NServiceResult(.success, afterResponse: { association in
                do {
                    try await association.release()
                    released.withLock { $0 = true }
                } catch {
                    released.withLock { $0 = false }
                }
            })
        })
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: "TEST-SCP")
        #expect(try await association.nAction(sopClass: Self.sopClass, sopInstance: Self.instance, actionTypeID: 1).status == .success)
        #expect(await eventually { released.withLock { $0 } != nil })
        #expect(released.withLock { $0 } == true)
        #expect(await eventually { !association.isEstablished })
        #expect(await eventually { server.activeAssociations == 0 })
    }
}
