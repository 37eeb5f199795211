import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// C-FIND, C-GET and C-MOVE against DCMTK (dcmqrscp; findscu, getscu, movescu) and pynetdicom,
/// both directions; retrieved instances are compared with the originals. Under `CI=true` a
/// missing peer fails these tests; elsewhere they are skipped.
@Suite("Query/Retrieve interop with DCMTK and pynetdicom", .tags(.interop))
struct QueryRetrieveInteropTests {
    /// Three instances of one study, written as explicit VR Little Endian files.
    struct Fixture {
        let study = TestInstances.Study()
        let files: [String]
        let dataSets: [DataSet]

        init() throws {
            files = try TestInstances.files(3, study: study)
            dataSets = try files.map { try DICOMFile(contentsOf: $0).dataSet }
        }

        var sopInstanceUIDs: Set<String> { Set(dataSets.compactMap { $0.uid(.sopInstanceUID)?.string }) }
    }

    // MARK: - Our requestor

    /// Our Q/R SCU: Study Root FIND, GET and MOVE, and CT storage in the SCP role (for C-GET).
    static func queryRetrieveSCU() -> [PresentationContext] {
        [
            PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelFind),
            PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelGet),
            PresentationContext(abstractSyntax: .studyRootQueryRetrieveInformationModelMove),
            PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: false, scpRole: true),
        ]
    }

    static func associate(port: Int, calledAETitle: String, store output: String? = nil) async throws -> Association {
        try await Entities.scu().associate(
            host: "127.0.0.1", port: port, calledAETitle: calledAETitle, contexts: queryRetrieveSCU(),
            handlers: ServiceHandlers(store: output.map { .directory($0) }))
    }

    static func query(level: String, _ study: TestInstances.Study, keys: [Tag] = []) -> DataSet {
        var query = DataSet()
        query.setString(level, for: .queryRetrieveLevel, vr: .CS)
        query.setString(study.studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
        for key in keys {
            query[key] = DataElement(tag: key, vr: DataDictionary.vr(for: key), bytes: ByteBuffer())
        }
        return query
    }

    static func collect(_ responses: AsyncThrowingStream<QueryResponse, any Error>) async throws -> [QueryResponse] {
        var collected: [QueryResponse] = []
        for try await response in responses { collected.append(response) }
        return collected
    }

    /// The checks of one peer's C-FIND answers at study and image level.
    static func expectFind(_ association: Association, _ fixture: Fixture) async throws {
        let studies = try await collect(association.find(query(level: "STUDY", fixture.study, keys: [.patientName, .patientID])))
        #expect(studies.map(\.status.kind) == [.pending, .success])
        let study = try #require(studies.first?.identifier)
        #expect(study.uid(.studyInstanceUID) == fixture.study.studyInstanceUID)
        #expect(study.string(.patientName) == fixture.study.patientName)
        #expect(study.string(.patientID) == fixture.study.patientID)

        var images = query(level: "IMAGE", fixture.study, keys: [.sopInstanceUID, .instanceNumber])
        images.setString(fixture.study.seriesInstanceUID.string, for: .seriesInstanceUID, vr: .UI)
        let instances = try await collect(association.find(images))
        #expect(instances.last?.status == .success)
        #expect(instances.dropLast().allSatisfy { $0.status.kind == .pending })
        #expect(Set(instances.compactMap { $0.identifier?.uid(.sopInstanceUID)?.string }) == fixture.sopInstanceUIDs)
    }

    /// The checks of a completed C-GET or C-MOVE of the fixture's study.
    static func expectRetrieved(_ responses: [QueryResponse], _ fixture: Fixture, into directory: String, log: @autoclosure () -> String) async throws {
        let final = try #require(responses.last, "no response; peer said:\n\(log())")
        #expect(final.status == .success, "final status \(final.status); peer said:\n\(log())")
        #expect(final.completed == 3)
        #expect(final.failed ?? 0 == 0)
        #expect(responses.dropLast().allSatisfy { $0.status.kind == .pending })
        let remaining = responses.dropLast().compactMap(\.remaining)
        #expect(remaining == remaining.sorted(by: >), "remaining sub-operations must count down: \(remaining)")
        #expect(await eventually { TestInstances.instances(under: directory).count == 3 })
        let received = TestInstances.instances(under: directory)
        #expect(Set(received.keys) == fixture.sopInstanceUIDs)
        for original in fixture.dataSets {
            guard let uid = original.uid(.sopInstanceUID)?.string, let arrived = received[uid] else { continue }
            let differences = TestInstances.differences(arrived.dataSet, from: original)
            #expect(differences.isEmpty, "\(uid): \(differences.joined(separator: "; "))")
        }
    }

    /// An in-process Storage SCP for C-MOVE destinations: CT in the uncompressed syntaxes.
    static func moveDestination(_ aeTitle: String, into directory: String) async throws -> AssociationServer {
        var entity = try Entities.scp(aeTitle)
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        return try await entity.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(directory)))
    }

    @Test("our C-FIND → DCMTK dcmqrscp: study and image level matches", .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")))
    func findAgainstDCMTK() async throws {
        let fixture = try Fixture()
        let archive = try await DCMTKArchive()
        defer { archive.stop() }
        try await archive.load(fixture.files)
        let association = try await Self.associate(port: archive.port, calledAETitle: DCMTKArchive.aeTitle)
        try await Self.expectFind(association, fixture)
        try await association.release()
    }

    @Test("our C-GET → DCMTK dcmqrscp: the study's instances come back on our association",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")))
    func getFromDCMTK() async throws {
        let fixture = try Fixture()
        let archive = try await DCMTKArchive()
        defer { archive.stop() }
        try await archive.load(fixture.files)
        let output = try TestInstances.temporaryDirectory("get-dcmtk")
        let association = try await Self.associate(port: archive.port, calledAETitle: DCMTKArchive.aeTitle, store: output)
        let responses = try await Self.collect(association.get(Self.query(level: "STUDY", fixture.study)))
        try await association.release()
        try await Self.expectRetrieved(responses, fixture, into: output, log: archive.peer.log)
    }

    @Test("our C-MOVE → DCMTK dcmqrscp: the instances arrive at our Storage SCP; an unknown destination is A801H",
          .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")))
    func moveFromDCMTK() async throws {
        let fixture = try Fixture()
        let output = try TestInstances.temporaryDirectory("move-dcmtk")
        let destination = try await Self.moveDestination("DEST", into: output)
        defer { Task { await destination.shutdown() } }
        let archive = try await DCMTKArchive(destinations: ["DEST": destination.port])
        defer { archive.stop() }
        try await archive.load(fixture.files)
        let association = try await Self.associate(port: archive.port, calledAETitle: DCMTKArchive.aeTitle)
        let responses = try await Self.collect(association.move(Self.query(level: "STUDY", fixture.study), to: "DEST"))
        try await Self.expectRetrieved(responses, fixture, into: output, log: archive.peer.log)

        let unknown = try await Self.collect(association.move(Self.query(level: "STUDY", fixture.study), to: "NOWHERE"))
        #expect(unknown.last?.status == .moveDestinationUnknown, "\(unknown.map(\.status))")
        try await association.release()
    }

    /// A Q/R SCP written with pynetdicom's AE API over the Part 10 files in a folder: C-FIND
    /// answers with the requested keys of each match (one per unique key of the level), C-GET
    /// and C-MOVE send the matching instances; one move destination, DEST. It answers at
    /// every level exactly as asked, which pynetdicom's own `qrscp` app (one match per instance;
    /// see PynetdicomQRSCPInteropTests) does not.
    static let pynetdicomQueryRetrieveSCP = """
        import os, sys
        from pydicom import dcmread
        from pydicom.dataset import Dataset
        from pynetdicom import AE, evt
        from pynetdicom.sop_class import (
            StudyRootQueryRetrieveInformationModelFind as FIND,
            StudyRootQueryRetrieveInformationModelGet as GET,
            StudyRootQueryRetrieveInformationModelMove as MOVE,
            CTImageStorage)

        port, folder, destination_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        archive = [dcmread(os.path.join(folder, name)) for name in sorted(os.listdir(folder))]
        level_keys = {"PATIENT": "PatientID", "STUDY": "StudyInstanceUID", "SERIES": "SeriesInstanceUID", "IMAGE": "SOPInstanceUID"}

        def matches(identifier):
            found = []
            for instance in archive:
                if all(not element.value or instance.get(element.keyword) == element.value
                       for element in identifier if element.keyword in ("StudyInstanceUID", "SeriesInstanceUID", "PatientID")):
                    found.append(instance)
            return found

        def on_find(event):
            identifier = event.identifier
            seen = set()
            for instance in matches(identifier):
                unique = instance.get(level_keys[identifier.QueryRetrieveLevel])
                if unique in seen:
                    continue
                seen.add(unique)
                if event.is_cancelled:
                    yield 0xFE00, None
                    return
                answer = Dataset()
                for element in identifier:
                    answer.add(instance[element.tag] if element.tag in instance else element)
                answer.QueryRetrieveLevel = identifier.QueryRetrieveLevel
                yield 0xFF00, answer

        def on_get(event):
            found = matches(event.identifier)
            yield len(found)
            for instance in found:
                if event.is_cancelled:
                    yield 0xFE00, None
                    return
                yield 0xFF00, instance

        def on_move(event):
            if event.move_destination.strip() != "DEST":
                yield None, None
                return
            yield "127.0.0.1", destination_port
            found = matches(event.identifier)
            yield len(found)
            for instance in found:
                yield 0xFF00, instance

        ae = AE(ae_title="PYNET-QR")
        for model in (FIND, GET, MOVE):
            ae.add_supported_context(model)
        ae.add_supported_context(CTImageStorage, scu_role=True, scp_role=True)
        ae.add_requested_context(CTImageStorage)
        handlers = [(evt.EVT_C_FIND, on_find), (evt.EVT_C_GET, on_get), (evt.EVT_C_MOVE, on_move)]
        ae.start_server(("127.0.0.1", port), evt_handlers=handlers)
        """

    /// Starts the pynetdicom Q/R SCP over `fixture`'s files, with DEST at `destinationPort`.
    static func pynetdicomArchive(_ fixture: Fixture, destinationPort: Int = 1) async throws -> (PeerProcess, Int) {
        let port = PeerProcess.freePort()
        let folder = URL(fileURLWithPath: fixture.files[0]).deletingLastPathComponent().path
        let arguments = ["-c", pynetdicomQueryRetrieveSCP, String(port), folder, String(destinationPort)]
        return (try await PeerProcess.listening(ExternalTools.require("python"), arguments, on: port), port)
    }

    @Test("our C-FIND → pynetdicom Q/R SCP: study and image level matches", .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func findAgainstPynetdicom() async throws {
        let fixture = try Fixture()
        let (peer, port) = try await Self.pynetdicomArchive(fixture)
        defer { peer.stop() }
        let association = try await Self.associate(port: port, calledAETitle: "PYNET-QR")
        try await Self.expectFind(association, fixture)
        try await association.release()
    }

    @Test("our C-GET → pynetdicom Q/R SCP: the study's instances come back on our association",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func getFromPynetdicom() async throws {
        let fixture = try Fixture()
        let (peer, port) = try await Self.pynetdicomArchive(fixture)
        defer { peer.stop() }
        let output = try TestInstances.temporaryDirectory("get-pynetdicom")
        let association = try await Self.associate(port: port, calledAETitle: "PYNET-QR", store: output)
        let responses = try await Self.collect(association.get(Self.query(level: "STUDY", fixture.study)))
        try await association.release()
        try await Self.expectRetrieved(responses, fixture, into: output, log: peer.log)
    }

    @Test("our C-MOVE → pynetdicom Q/R SCP: the instances arrive at our Storage SCP; an unknown destination is A801H",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func moveFromPynetdicom() async throws {
        let fixture = try Fixture()
        let output = try TestInstances.temporaryDirectory("move-pynetdicom")
        let destination = try await Self.moveDestination("DEST", into: output)
        defer { Task { await destination.shutdown() } }
        let (peer, port) = try await Self.pynetdicomArchive(fixture, destinationPort: destination.port)
        defer { peer.stop() }
        let association = try await Self.associate(port: port, calledAETitle: "PYNET-QR")
        let responses = try await Self.collect(association.move(Self.query(level: "STUDY", fixture.study), to: "DEST"))
        try await Self.expectRetrieved(responses, fixture, into: output, log: peer.log)

        let unknown = try await Self.collect(association.move(Self.query(level: "STUDY", fixture.study), to: "NOWHERE"))
        #expect(unknown.last?.status == .moveDestinationUnknown, "\(unknown.map(\.status))")
        try await association.release()
    }

    // MARK: - DCMTK's requestors against our acceptor

    /// Our Q/R SCP over `fixture`: C-FIND answers with the requested keys of each instance of
    /// the study (one match per unique key of the level), C-GET and C-MOVE send the files;
    /// `findDelay` slows each match (for cancellation).
    static func ourArchive(_ fixture: Fixture, moveDestinations: [String: MoveDestination] = [:], findDelay: Duration? = nil, cancelled: Recorder<Bool>? = nil) async throws -> AssociationServer {
        var entity = try Entities.scp()
        for model in [UID.studyRootQueryRetrieveInformationModelFind, .studyRootQueryRetrieveInformationModelGet, .studyRootQueryRetrieveInformationModelMove] {
            try entity.addSupportedContext(model, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        }
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian], scuRole: true, scpRole: true)
        let dataSets = fixture.dataSets
        let files = fixture.files
        @Sendable func matching(_ identifier: DataSet) -> [Int] {
            dataSets.indices.filter { index in
                [Tag.studyInstanceUID, .seriesInstanceUID, .patientID].allSatisfy { key in
                    guard let wanted = identifier.string(key), !wanted.isEmpty else { return true }
                    return dataSets[index].string(key) == wanted
                }
            }
        }
        let levelKeys: [String: Tag] = ["PATIENT": .patientID, "STUDY": .studyInstanceUID, "SERIES": .seriesInstanceUID, "IMAGE": .sopInstanceUID]
        let handlers = ServiceHandlers(
            find: { request in
                let identifier = request.identifier
                let unique = levelKeys[identifier.string(.queryRetrieveLevel) ?? ""] ?? .sopInstanceUID
                var seen = Set<String>()
                var answers: [DataSet] = []
                for index in matching(identifier) {
                    let instance = dataSets[index]
                    guard seen.insert(instance.string(unique) ?? "").inserted else { continue }
                    var answer = DataSet()
                    for element in identifier {
                        answer[element.tag] = instance[element.tag] ?? element
                    }
                    answer[.queryRetrieveLevel] = identifier[.queryRetrieveLevel]
                    answers.append(answer)
                }
                let matches = answers
                return AsyncThrowingStream { continuation in
                    let producer = Task {
                        for answer in matches {
                            if let findDelay { try? await Task.sleep(for: findDelay) }
                            if Task.isCancelled { break }
                            continuation.yield(answer)
                        }
                        continuation.finish()
                    }
                    continuation.onTermination = { termination in
                        if case .cancelled = termination { cancelled?.update { $0 = true } }
                        producer.cancel()
                    }
                }
            },
            get: { request in RetrieveResult(matching(request.identifier).map { .file(path: files[$0]) }) },
            move: { request in RetrieveResult(matching(request.identifier).map { .file(path: files[$0]) }) },
            moveDestinations: moveDestinations)
        return try await entity.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
    }

    @Test("DCMTK findscu → our C-FIND SCP: one match per study, with the keys asked for",
          .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func dcmtkFindscu() async throws {
        let fixture = try Fixture()
        let server = try await Self.ourArchive(fixture)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("findscu")
        let result = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-v", "-S", "-aec", "TEST-SCP", "-X", "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)",
            "-k", "PatientName", "-k", "PatientID", "127.0.0.1", String(server.port)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Received Final Find Response (Success)"), "\(result.stderr)")
        let answers = try TestInstances.files(under: output).map { try DICOMFile(contentsOf: $0).dataSet }
        #expect(answers.count == 1, "\(result.stderr)")
        #expect(answers.first?.string(.patientName) == fixture.study.patientName)
        #expect(answers.first?.string(.patientID) == fixture.study.patientID)
        #expect(answers.first?.uid(.studyInstanceUID) == fixture.study.studyInstanceUID)

        let images = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-v", "-S", "-aec", "TEST-SCP",
            "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)",
            "-k", "SeriesInstanceUID=\(fixture.study.seriesInstanceUID.string)", "-k", "SOPInstanceUID",
            "127.0.0.1", String(server.port)])
        #expect(images.status == 0, "\(images.stderr)")
        for uid in fixture.sopInstanceUIDs {
            #expect(images.stderr.contains(uid), "\(images.stderr)")
        }
    }

    @Test("DCMTK findscu --cancel → our C-FIND SCP: the handler is cancelled and the final status is Cancel (FE00H)",
          .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func dcmtkFindscuCancels() async throws {
        let fixture = try Fixture()
        let cancelled = Recorder(false)
        let server = try await Self.ourArchive(fixture, findDelay: .milliseconds(300), cancelled: cancelled)
        defer { Task { await server.shutdown() } }
        let result = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-v", "-S", "-aec", "TEST-SCP", "--cancel", "1",
            "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)",
            "-k", "SOPInstanceUID", "127.0.0.1", String(server.port)])
        // DCMTK prints a UID's NUL padding as it is; a NUL would cut the failure message short.
        let log = result.stderr.replacingOccurrences(of: "\0", with: "\\0")
        #expect(result.status == 0, "\(log)")
        #expect(log.contains("Sending Cancel Request"), "\(log)")
        #expect(log.contains("Received Final Find Response (Cancel: MatchingTerminatedDueToCancelRequest)"), "\(log)")
        #expect(await eventually { cancelled.value }, "the find handler was not cancelled")
    }

    @Test("DCMTK getscu → our C-GET SCP: the study's instances arrive at getscu",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func dcmtkGetscu() async throws {
        let fixture = try Fixture()
        let server = try await Self.ourArchive(fixture)
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("getscu")
        let result = try await PeerProcess.run(ExternalTools.require("getscu"), [
            "-v", "-S", "-aec", "TEST-SCP", "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)",
            "127.0.0.1", String(server.port)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Received C-GET Response (Success)"), "\(result.stderr)")
        #expect(result.stderr.contains("Number of Completed Suboperations : 3"), "\(result.stderr)")
        let received = TestInstances.instances(under: output)
        #expect(Set(received.keys) == fixture.sopInstanceUIDs, "\(result.stderr)")
        for original in fixture.dataSets {
            guard let uid = original.uid(.sopInstanceUID)?.string, let arrived = received[uid] else { continue }
            #expect(TestInstances.differences(arrived.dataSet, from: original).isEmpty)
        }
    }

    @Test("DCMTK movescu → our C-MOVE SCP: the instances arrive at movescu's own Storage SCP",
          .enabled(if: ExternalTools.shouldRun(needing: "movescu")))
    func dcmtkMovescu() async throws {
        let fixture = try Fixture()
        let storePort = PeerProcess.freePort()
        let server = try await Self.ourArchive(fixture, moveDestinations: ["MOVESCU": MoveDestination(host: "127.0.0.1", port: storePort)])
        defer { Task { await server.shutdown() } }
        let output = try TestInstances.temporaryDirectory("movescu")
        let result = try await PeerProcess.run(ExternalTools.require("movescu"), [
            "-v", "-S", "-aet", "MOVESCU", "-aem", "MOVESCU", "-aec", "TEST-SCP", "+P", String(storePort), "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)",
            "127.0.0.1", String(server.port)])
        #expect(result.status == 0, "\(result.stderr)")
        let received = TestInstances.instances(under: output)
        #expect(Set(received.keys) == fixture.sopInstanceUIDs, "\(result.stderr)")
        for original in fixture.dataSets {
            guard let uid = original.uid(.sopInstanceUID)?.string, let arrived = received[uid] else { continue }
            #expect(TestInstances.differences(arrived.dataSet, from: original).isEmpty)
        }

        let unknown = try await PeerProcess.run(ExternalTools.require("movescu"), [
            "-v", "-S", "-aet", "MOVESCU", "-aem", "ELSEWHERE", "-aec", "TEST-SCP",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(fixture.study.studyInstanceUID.string)",
            "127.0.0.1", String(server.port)])
        #expect(unknown.stderr.contains("Received Final Move Response (Refused: MoveDestinationUnknown)"), "\(unknown.stderr)")
    }
}
