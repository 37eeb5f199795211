import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Synchronization
import Testing
import TestSupport

/// C-FIND, C-GET and C-MOVE, ours ↔ ours, through real sockets on loopback.
@Suite("Query/Retrieve on loopback, ours ↔ ours")
struct QueryRetrieveLoopbackTests {
    /// A Q/R SCP entity: Study Root FIND, GET and MOVE, and CT storage with both roles (for the
    /// C-GET sub-operations it sends back).
    static func queryRetrieveSCP(_ aeTitle: String = "TEST-SCP") throws -> ApplicationEntity {
        var entity = try Entities.scp(aeTitle)
        for model in [UID.studyRootQueryRetrieveInformationModelFind, .studyRootQueryRetrieveInformationModelGet, .studyRootQueryRetrieveInformationModelMove] {
            try entity.addSupportedContext(model)
        }
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: true, scpRole: true)
        return entity
    }

    /// A Q/R SCU entity proposing Study Root FIND and MOVE (and Verification).
    static func queryRetrieveSCU() throws -> ApplicationEntity {
        var entity = try Entities.scu()
        try entity.addRequestedContext(.studyRootQueryRetrieveInformationModelFind)
        try entity.addRequestedContext(.studyRootQueryRetrieveInformationModelMove)
        return entity
    }

    /// A C-GET requestor's contexts: Study Root GET, and CT Image Storage with the SCP role, to
    /// take the C-STOREs back.
    static let getRequestorContexts = [
        PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelGet),
        PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: false, scpRole: true),
    ]

    /// A study-level query for `study`.
    static func studyQuery(_ study: TestInstances.Study) -> DataSet {
        var query = DataSet()
        query.setString("STUDY", for: .queryRetrieveLevel, vr: .CS)
        query.setString(study.studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
        query.setString("", for: .patientName, vr: .PN)
        return query
    }

    /// The match a find handler yields for `number`.
    static func match(_ number: Int) -> DataSet {
        var match = DataSet()
        match.setString("STUDY", for: .queryRetrieveLevel, vr: .CS)
        match.setString("PATIENT^\(number)", for: .patientName, vr: .PN)
        match.setString("1.2.826.0.1.3680043.10.1.\(number)", for: .studyInstanceUID, vr: .UI)
        return match
    }

    static func matches(_ count: Int) -> AsyncThrowingStream<DataSet, any Error> {
        AsyncThrowingStream { continuation in
            for number in 1...count { continuation.yield(match(number)) }
            continuation.finish()
        }
    }

    /// A slow find handler's matches: 100, 50 ms apart; `cancelled` is set when C-CANCEL (or
    /// the association's end) cancels the stream.
    static func slowMatches(cancelled: Recorder<Bool>) -> AsyncThrowingStream<DataSet, any Error> {
        AsyncThrowingStream { continuation in
            let producer = Task {
                for number in 1...100 {
                    try? await Task.sleep(for: .milliseconds(50))
                    if Task.isCancelled { break }
                    continuation.yield(match(number))
                }
                continuation.finish()
            }
            continuation.onTermination = { termination in
                if case .cancelled = termination { cancelled.update { $0 = true } }
                producer.cancel()
            }
        }
    }

    static func collect(_ responses: AsyncThrowingStream<QueryResponse, any Error>) async throws -> [QueryResponse] {
        var collected: [QueryResponse] = []
        for try await response in responses { collected.append(response) }
        return collected
    }

    /// The responses of a request read through its `eachPending` form: the pending ones as the
    /// closure got them, then the final one returned.
    static func collect(eachPending run: ((QueryResponse) async throws -> Void) async throws -> QueryResponse) async throws -> [QueryResponse] {
        var pending: [QueryResponse] = []
        let final = try await run { pending.append($0) }
        return pending + [final]
    }

    // MARK: - C-FIND

    @Test("three matches come as three pending responses with their identifiers, then success")
    func findMatches() async throws {
        let queries = Recorder<[QueryRequest]>([])
        let handlers = ServiceHandlers(find: { request in
            queries.update { $0.append(request) }
            return Self.matches(3)
        })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let study = TestInstances.Study()
        let responses = try await Self.collect(association.find(Self.studyQuery(study)))
        try await association.release()

        #expect(responses.map(\.status) == [.pending, .pending, .pending, .success])
        for (index, response) in responses.prefix(3).enumerated() {
            let identifier = try #require(response.identifier)
            #expect(TestInstances.differences(identifier, from: Self.match(index + 1)).isEmpty)
        }
        #expect(responses.last?.identifier == nil)
        let query = try #require(queries.value.first)
        #expect(query.sopClassUID == .studyRootQueryRetrieveInformationModelFind)
        #expect(query.identifier.uid(.studyInstanceUID) == study.studyInstanceUID)
        #expect(query.identifier.string(.queryRetrieveLevel) == "STUDY")
        #expect(query.association.callingAETitle == "TEST-SCU")
    }

    @Test("a handler that throws QueryFailure ends the find with its status and comment", arguments: [false, true])
    func findFailure(inStream: Bool) async throws {
        let failure = QueryFailure(.unableToProcess, comment: "the index is offline")
        let handlers = ServiceHandlers(find: { _ in
            guard inStream else { throw failure }
            return AsyncThrowingStream { continuation in
                continuation.yield(Self.match(1))
                continuation.finish(throwing: failure)
            }
        })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let responses = try await Self.collect(association.find(Self.studyQuery(TestInstances.Study())))
        #expect(responses.map(\.status.code) == (inStream ? [0xFF00, 0xC000] : [0xC000]))
        #expect(responses.last?.errorComment == "the index is offline")
        // A failed find leaves the association usable.
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("an acceptor without a find handler answers 0122H")
    func findWithoutHandler() async throws {
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let responses = try await Self.collect(association.find(Self.studyQuery(TestInstances.Study())))
        #expect(responses.map(\.status) == [.sopClassNotSupported])
        try await association.release()
    }

    @Test("a consumer that stops after two matches sends C-CANCEL: the handler is cancelled, the SCP ends early, the association goes on",
          arguments: ["break", "cancel the task"])
    func findCancelled(_ how: String) async throws {
        let handlerCancelled = Recorder(false)
        let calls = Recorder(0)
        let handlers = ServiceHandlers(find: { _ in
            calls.update { $0 += 1 }
            // The first find is slow (100 matches, 50 ms apart); later ones answer at once.
            guard calls.value == 1 else { return Self.matches(1) }
            return Self.slowMatches(cancelled: handlerCancelled)
        })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let serverEvents = EventLog(server.events)
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let query = Self.studyQuery(TestInstances.Study())

        let seen = Recorder<[QueryResponse]>([])
        let consumer = Task {
            for try await response in association.find(query) {
                seen.update { $0.append(response) }
                if seen.value.count == 2 {
                    if how == "break" { break }
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
        }
        _ = await consumer.result

        #expect(seen.value.prefix(2).map(\.status) == [.pending, .pending])
        #expect(await eventually { handlerCancelled.value }, "the SCP's handler was not cancelled")
        #expect(await eventually { serverEvents.received("C-CANCEL-RQ") == 1 })
        #expect(try await association.echo() == .success)
        // The next find on the same association is not confused by the cancelled one.
        let next = try await Self.collect(association.find(query))
        #expect(next.map(\.status) == [.pending, .success])
        try await association.release()
        // The SCP answered the cancel with a final response long before its 100th match (5 s
        // away; the bound leaves seconds of slack for a loaded machine).
        #expect(await eventually { serverEvents.connectionClosed })
        let responses = serverEvents.sent("C-FIND-RSP") - 2
        #expect(responses >= 3 && responses < 50, "\(serverEvents.trace)")
    }

    @Test("cancel(messageID:) during a slow C-FIND: the stream goes on and ends with Cancel (FE00H); once it ended, cancel sends nothing")
    func findCancelledByMessageID() async throws {
        let handlerCancelled = Recorder(false)
        let handlers = ServiceHandlers(find: { _ in
            Self.slowMatches(cancelled: handlerCancelled)
        })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let serverEvents = EventLog(server.events)
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)

        var statuses: [DIMSEStatus] = []
        var messageID: UInt16?
        for try await response in association.find(Self.studyQuery(TestInstances.Study())) {
            statuses.append(response.status)
            if statuses.count == 2, let id = response.messageIDBeingRespondedTo {
                messageID = id
                #expect(try await association.cancel(messageID: id))
            }
        }
        // Matches sent before the SCP saw the C-CANCEL may follow; the last response is Cancel.
        #expect(statuses.prefix(2) == [.pending, .pending])
        #expect(statuses.last == .cancel)
        // Ended long before the 100th match; the bound leaves room for a loaded machine, where
        // the C-CANCEL may take a few hundred milliseconds to arrive.
        #expect(statuses.count < 50, "\(statuses.count) responses")
        #expect(await eventually { handlerCancelled.value }, "the SCP's handler was not cancelled")
        #expect(await eventually { serverEvents.received("C-CANCEL-RQ") == 1 })
        let id = try #require(messageID)
        #expect(try await association.cancel(messageID: id) == false)
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("netdicom findscu --cancel 2 → a slow C-FIND SCP: C-CANCEL after two matches, the final Cancel (FE00H) read and reported, exit 0")
    func findscuCancel() async throws {
        let handlers = ServiceHandlers(find: { _ in
            Self.slowMatches(cancelled: Recorder(false))
        })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "findscu", "-S", "-aec", "TEST-SCP", "--cancel", "2", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=",
            "127.0.0.1", String(server.port)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("C-CANCEL sent after 2 responses"), "\(result.stderr)")
        #expect(result.stderr.contains("final status FE00H"), "\(result.stderr)")
        let matches = result.stdout.components(separatedBy: "# match").count - 1
        // Ended long before the 100th match (room for a loaded machine, as above).
        #expect(matches >= 2 && matches < 50, "\(matches) matches")
    }

    @Test("a FindHandler's pending status per match reaches the requestor: FF01H and FF00H as given", arguments: [false, true])
    func findMatchStatuses(neverBlocks: Bool) async throws {
        let statuses: [DIMSEStatus] = [.pendingWithUnsupportedOptionalKeys, .pending, .pendingWithUnsupportedOptionalKeys]
        var handlers = ServiceHandlers()
        handlers.findMatches = FindHandler(neverBlocks: neverBlocks) { _ in
            AsyncThrowingStream { continuation in
                for (index, status) in statuses.enumerated() { continuation.yield(FindMatch(Self.match(index + 1), status: status)) }
                continuation.finish()
            }
        }
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let responses = try await Self.collect(association.find(Self.studyQuery(TestInstances.Study())))
        try await association.release()

        #expect(responses.map(\.status.code) == [0xFF01, 0xFF00, 0xFF01, 0x0000])
        for (index, response) in responses.prefix(3).enumerated() {
            let identifier = try #require(response.identifier)
            #expect(TestInstances.differences(identifier, from: Self.match(index + 1)).isEmpty)
        }
    }

    @Test("a FindHandler that yields batches: their matches arrive in order with their statuses, empty batches skipped; a failure after them follows them; `matches` gives them one by one",
          arguments: [false, true])
    func findMatchBatches(neverBlocks: Bool) async throws {
        let batches: [[FindMatch]] = [
            [FindMatch(Self.match(1)), FindMatch(Self.match(2), status: .pendingWithUnsupportedOptionalKeys)],
            [],
            [FindMatch(Self.match(3))],
        ]
        var handlers = ServiceHandlers()
        let lastRequest = LastRequest()
        let handler = FindHandler(neverBlocks: neverBlocks, batches: { request in
            lastRequest.value.withLock { $0 = request }
            let failing = request.identifier.string(.patientName) == "FAIL"
            return AsyncThrowingStream { continuation in
                for batch in batches { continuation.yield(batch) }
                if failing {
                    continuation.finish(throwing: QueryFailure(.outOfResources, comment: "stopped"))
                } else {
                    continuation.finish()
                }
            }
        })
        handlers.findMatches = handler
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let study = TestInstances.Study()
        let responses = try await Self.collect(association.find(Self.studyQuery(study)))
        #expect(responses.map(\.status.code) == [0xFF00, 0xFF01, 0xFF00, 0x0000])
        #expect(responses.compactMap { $0.identifier?.string(.patientName) } == (1...3).map { "PATIENT^\($0)" })

        var failing = Self.studyQuery(study)
        failing.setString("FAIL", for: .patientName, vr: .PN)
        let failed = try await Self.collect(association.find(failing))
        #expect(failed.map(\.status) == [.pending, .pendingWithUnsupportedOptionalKeys, .pending, .outOfResources])
        #expect(failed.last?.errorComment == "stopped")
        try await association.release()

        var request = try #require(lastRequest.value.withLock { $0 })
        request.identifier = Self.studyQuery(study)
        var one: [DIMSEStatus] = []
        for try await match in try await handler.matches(request) { one.append(match.status) }
        #expect(one == [.pending, .pendingWithUnsupportedOptionalKeys, .pending])
    }

    /// The request a handler saw last.
    final class LastRequest: Sendable {
        let value = Mutex<QueryRequest?>(nil)
    }

    @Test("500 matches, from a handler on the event loop or off it, arrive whole and in order; a failure after 70 matches follows all 70",
          arguments: [false, true])
    func findLongResults(neverBlocks: Bool) async throws {
        var handlers = ServiceHandlers()
        handlers.findMatches = FindHandler(neverBlocks: neverBlocks) { request in
            let failing = request.identifier.string(.patientName) == "FAIL"
            return AsyncThrowingStream { continuation in
                for number in 1...(failing ? 70 : 500) { continuation.yield(FindMatch(Self.match(number))) }
                if failing {
                    continuation.finish(throwing: QueryFailure(.outOfResources, comment: "stopped"))
                } else {
                    continuation.finish()
                }
            }
        }
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let study = TestInstances.Study()
        let responses = try await Self.collect(association.find(Self.studyQuery(study)))
        #expect(responses.count == 501)
        #expect(responses.dropLast().allSatisfy { $0.status == .pending })
        #expect(responses.last?.status == .success)
        #expect(responses.compactMap { $0.identifier?.string(.patientName) } == (1...500).map { "PATIENT^\($0)" })

        var failing = Self.studyQuery(study)
        failing.setString("FAIL", for: .patientName, vr: .PN)
        let failed = try await Self.collect(association.find(failing))
        #expect(failed.map(\.status) == Array(repeating: .pending, count: 70) + [.outOfResources])
        #expect(failed.last?.errorComment == "stopped")
        #expect(failed.compactMap { $0.identifier?.string(.patientName) } == (1...70).map { "PATIENT^\($0)" })
        try await association.release()
    }

    @Test("a find handler's matches are not held while it computes the next: four sent before a fifth that takes 2 s",
          arguments: [false, true])
    func findSlowMatchesGoOut(neverBlocks: Bool) async throws {
        var handlers = ServiceHandlers()
        handlers.findMatches = FindHandler(neverBlocks: neverBlocks) { _ in
            AsyncThrowingStream { continuation in
                let producer = Task {
                    // Two matches at once, two more 20 ms apart, then nothing for 2 s: a
                    // sender that waited for more matches would hold the third and fourth.
                    continuation.yield(FindMatch(Self.match(1)))
                    continuation.yield(FindMatch(Self.match(2)))
                    try? await Task.sleep(for: .milliseconds(20))
                    continuation.yield(FindMatch(Self.match(3)))
                    try? await Task.sleep(for: .milliseconds(20))
                    continuation.yield(FindMatch(Self.match(4)))
                    try? await Task.sleep(for: .seconds(2))
                    continuation.yield(FindMatch(Self.match(5)))
                    continuation.finish()
                }
                continuation.onTermination = { _ in producer.cancel() }
            }
        }
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let clock = ContinuousClock()
        let start = clock.now
        var arrivals: [Duration] = []
        for try await response in association.find(Self.studyQuery(TestInstances.Study())) {
            arrivals.append(start.duration(to: clock.now))
            _ = response
        }
        try await association.release()
        #expect(arrivals.count == 6)
        // The first four come well before the fifth, which is produced 2 s after the fourth: a
        // second apart at least, however slowly a loaded machine delivered them.
        #expect(arrivals[4] - arrivals[3] >= .seconds(1), "\(arrivals)")
        #expect(arrivals[4] >= .seconds(2), "\(arrivals)")
    }

    // MARK: - C-GET

    @Test("C-GET with a pending interval longer than the transfer: one pending response, after the first sub-operation, then the final one")
    func getPacedPendingResponses() async throws {
        let study = TestInstances.Study()
        let files = try TestInstances.files(3, study: study)
        var handlers = ServiceHandlers(get: { _ in RetrieveResult(files.map { .file(path: $0) }) })
        handlers.retrievePendingInterval = .seconds(3600)
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }

        let output = try TestInstances.temporaryDirectory("get-paced")
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port,
            contexts: Self.getRequestorContexts,
            handlers: ServiceHandlers(store: .directory(output)))
        let responses = try await Self.collect(association.get(Self.studyQuery(study)))
        try await association.release()

        #expect(responses.map(\.status) == [.pending, .success])
        #expect(responses.first?.remaining == 2)
        #expect(responses.first?.completed == 1)
        #expect(responses.last?.completed == 3)
        #expect(TestInstances.contents(of: output).count == 3)
    }

    @Test("C-GET: three instances come back as C-STOREs into our directory, with pending responses counting down (the stream, or a closure per pending response)",
          arguments: [false, true])
    func get(eachPending: Bool) async throws {
        let study = TestInstances.Study()
        let files = try TestInstances.files(3, study: study)
        let requests = Recorder<[QueryRequest]>([])
        let handlers = ServiceHandlers(get: { request in
            requests.update { $0.append(request) }
            return RetrieveResult(files.map { .file(path: $0) })
        })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }

        let output = try TestInstances.temporaryDirectory("get-out")
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port,
            contexts: Self.getRequestorContexts,
            handlers: ServiceHandlers(store: .directory(output)))
        #expect(association.acceptedContext(for: .ctImageStorage)?.asSCP == true)
        var query = Self.studyQuery(study)
        query.setString("", for: .patientName, vr: .PN)
        let responses = eachPending
            ? try await Self.collect { try await association.get(query, eachPending: $0) }
            : try await Self.collect(association.get(query))
        try await association.release()

        let pending = responses.filter { $0.status == .pending }
        #expect(pending.compactMap(\.remaining) == [2, 1])
        #expect(pending.compactMap(\.completed) == [1, 2])
        let final = try #require(responses.last)
        #expect(final.status == .success)
        #expect(final.completed == 3)
        #expect(final.failed == 0)
        #expect(final.warning == 0)
        #expect(requests.value.first?.identifier.uid(.studyInstanceUID) == study.studyInstanceUID)

        #expect(TestInstances.contents(of: output).count == 3)
        for file in files {
            let uid = try #require(try DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)).string
            #expect(try TestInstances.dataSetBytes(ofFileAt: "\(output)/\(uid).dcm") == TestInstances.dataSetBytes(ofFileAt: file))
        }
    }

    /// A C-GET of 12 instances to a requestor whose store handler takes 40 ms, with `window`
    /// proposed; returns the responses, how many stores the requestor performed at once at most,
    /// and the files it received.
    func getWithSlowReceiver(window: AsynchronousOperationsWindow?) async throws -> (responses: [QueryResponse], maximum: Int, received: Int) {
        let study = TestInstances.Study()
        let files = try TestInstances.files(12, study: study)
        var scp = try Self.queryRetrieveSCP()
        scp.asynchronousOperationsWindow = window
        let server = try await scp.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(get: { _ in RetrieveResult(files.map { .file(path: $0) }) }))
        defer { Task { await server.shutdown() } }
        let gauge = ConcurrencyGauge()
        let handler = gauge.slowStoreHandler()
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port,
            contexts: Self.getRequestorContexts,
            asynchronousOperationsWindow: window,
            handlers: ServiceHandlers(store: handler))
        let responses = try await Self.collect(association.get(Self.studyQuery(study)))
        try await association.release()
        return (responses, gauge.maximum, gauge.total)
    }

    @Test("C-GET sub-operations: one C-STORE at a time without an operations window (the next file is read meanwhile), several at once within a window of 4")
    func getWithinTheWindow() async throws {
        for window in [nil, AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 4, maximumNumberOperationsPerformed: 4)] {
            let (responses, maximum, received) = try await getWithSlowReceiver(window: window)
            let final = try #require(responses.last)
            #expect(final.status == .success)
            #expect(final.completed == 12)
            #expect(received == 12)
            let pending = responses.dropLast()
            #expect(pending.compactMap(\.completed) == Array(1...11))
            #expect(pending.compactMap(\.remaining) == Array((1...11).reversed()))
            if window == nil {
                #expect(maximum == 1, "the default window is one outstanding operation")
            } else {
                #expect(maximum > 1 && maximum <= 4, "\(maximum) stores at once")
            }
        }
    }

    @Test("C-GET without the storage context in the SCP role: every sub-operation fails and the final status says so")
    func getWithoutStorageRole() async throws {
        let files = try TestInstances.files(2)
        let handlers = ServiceHandlers(get: { _ in RetrieveResult(files.map { .file(path: $0) }) })
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port,
            contexts: [PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelGet)])
        let responses = try await Self.collect(association.get(Self.studyQuery(TestInstances.Study())))
        let final = try #require(responses.last)
        #expect(final.status == .outOfResourcesUnableToPerformSubOperations)
        #expect(final.failed == 2)
        #expect(final.completed == 0)
        #expect(association.isEstablished)
        try await association.release()
    }

    // MARK: - C-MOVE

    @Test("C-MOVE sub-operations: one C-STORE at a time to a destination that grants no operations window, several at once to one that grants 4")
    func moveWithinTheWindow() async throws {
        for granted in [nil, AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 4, maximumNumberOperationsPerformed: 1)] {
            let study = TestInstances.Study()
            let files = try TestInstances.files(12, study: study)
            let gauge = ConcurrencyGauge()
            let slowStore = gauge.slowStoreHandler()
            var destinationAE = try Entities.scp("DEST")
            destinationAE.asynchronousOperationsWindow = granted
            try destinationAE.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
            let destination = try await destinationAE.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: slowStore))
            let handlers = ServiceHandlers(
                move: { _ in RetrieveResult(files.map { .file(path: $0) }) },
                moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: destination.port)])
            let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
            let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
            let responses = try await Self.collect(association.move(Self.studyQuery(study), to: "DEST"))
            try await association.release()
            await server.shutdown()
            await destination.shutdown()

            let final = try #require(responses.last)
            #expect(final.status == .success)
            #expect(final.completed == 12)
            #expect(gauge.total == 12)
            #expect(responses.dropLast().compactMap(\.remaining) == Array((1...11).reversed()))
            if granted == nil {
                #expect(gauge.maximum == 1, "no window granted: one outstanding C-STORE")
            } else {
                #expect(gauge.maximum > 1 && gauge.maximum <= 4, "\(gauge.maximum) stores at once")
            }
        }
    }

    @Test("C-MOVE with a pending interval longer than the transfer: one pending response, after the first sub-operation, then the final one")
    func movePacedPendingResponses() async throws {
        let study = TestInstances.Study()
        let files = try TestInstances.files(3, study: study)
        let destinationDirectory = try TestInstances.temporaryDirectory("move-paced")
        var destinationAE = try Entities.scp("DEST")
        try destinationAE.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let destination = try await destinationAE.startServer(
            host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(destinationDirectory)))
        defer { Task { await destination.shutdown() } }
        var handlers = ServiceHandlers(
            move: { _ in RetrieveResult(files.map { .file(path: $0) }) },
            moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: destination.port)])
        handlers.retrievePendingInterval = .seconds(3600)
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }

        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let responses = try await Self.collect(association.move(Self.studyQuery(study), to: "DEST"))
        try await association.release()

        #expect(responses.map(\.status) == [.pending, .success])
        #expect(responses.first?.remaining == 2)
        #expect(responses.last?.completed == 3)
        #expect(TestInstances.contents(of: destinationDirectory).count == 3)
    }

    @Test("C-MOVE: the instances arrive at the destination AE, sent by the SCP with the move originator (the stream, or a closure per pending response)",
          arguments: [false, true])
    func move(eachPending: Bool) async throws {
        let study = TestInstances.Study()
        let files = try TestInstances.files(3, study: study)
        let destinationDirectory = try TestInstances.temporaryDirectory("move-dest")
        let stores = Recorder<[StoreRequest]>([])
        let directory = StoreHandler.directory(destinationDirectory)
        let destinationHandler = StoreHandler(destination: { request in
            stores.update { $0.append(request) }
            return directory.destination(request)
        }, received: directory.received)
        var destinationAE = try Entities.scp("DEST")
        try destinationAE.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let destination = try await destinationAE.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: destinationHandler))
        defer { Task { await destination.shutdown() } }

        let requests = Recorder<[QueryRequest]>([])
        let handlers = ServiceHandlers(
            move: { request in
                requests.update { $0.append(request) }
                return RetrieveResult(files.map { .file(path: $0) })
            },
            moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: destination.port)])
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }

        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let responses = eachPending
            ? try await Self.collect { try await association.move(Self.studyQuery(study), to: "DEST", eachPending: $0) }
            : try await Self.collect(association.move(Self.studyQuery(study), to: "DEST"))
        try await association.release()

        #expect(responses.filter { $0.status == .pending }.compactMap(\.remaining) == [2, 1])
        let final = try #require(responses.last)
        #expect(final.status == .success)
        #expect(final.completed == 3)
        #expect(final.failed == 0)
        #expect(requests.value.first?.moveDestination == "DEST")

        #expect(TestInstances.contents(of: destinationDirectory).count == 3)
        for file in files {
            let uid = try #require(try DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)).string
            #expect(try TestInstances.dataSetBytes(ofFileAt: "\(destinationDirectory)/\(uid).dcm") == TestInstances.dataSetBytes(ofFileAt: file))
        }
        let sub = stores.value
        #expect(sub.count == 3)
        #expect(sub.allSatisfy { $0.message.moveOriginatorApplicationEntityTitle == "TEST-SCU" })
        #expect(sub.allSatisfy { $0.message.moveOriginatorMessageID != nil })
        #expect(sub.allSatisfy { $0.association.callingAETitle == "TEST-SCP" && $0.association.calledAETitle == "DEST" })
    }

    @Test("C-MOVE to an unknown destination is answered A801H, and the handler is not called")
    func moveToUnknownDestination() async throws {
        let called = Recorder(false)
        let handlers = ServiceHandlers(
            move: { _ in
                called.update { $0 = true }
                return RetrieveResult([])
            },
            moveDestinations: ["DEST": MoveDestination(host: "127.0.0.1", port: 1)])
        let server = try await Self.queryRetrieveSCP().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Self.queryRetrieveSCU().associate(host: "127.0.0.1", port: server.port)
        let responses = try await Self.collect(association.move(Self.studyQuery(TestInstances.Study()), to: "NOWHERE"))
        #expect(responses.map(\.status.code) == [0xA801])
        #expect(responses.first?.status == .moveDestinationUnknown)
        #expect(!called.value)
        #expect(try await association.echo() == .success)
        try await association.release()
    }
}
