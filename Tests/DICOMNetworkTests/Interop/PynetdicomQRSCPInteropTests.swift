import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// Our Query/Retrieve SCU (the library and the `netdicom` commands) against pynetdicom's own
/// `qrscp` app: C-FIND at every level of both roots, C-GET and C-MOVE with the retrieved data
/// sets compared byte for byte with the ones stored, and C-CANCEL. Under `CI=true` a missing
/// Python fails these tests; elsewhere they are skipped.
///
/// pynetdicom's qrscp indexes instances, not studies or series: at PATIENT, STUDY and SERIES
/// level it answers one match per instance below (duplicates), and it supports only the unique
/// and required keys of PS3.4 C.6 (others are dropped from the query). The checks here are on
/// the distinct identifiers above IMAGE level.
@Suite("pynetdicom qrscp interop", .tags(.interop))
struct PynetdicomQRSCPInteropTests {
    /// Two patients: A with one study of two series (three and two instances), B with one study
    /// of one instance; written as files in one transfer syntax.
    struct Fixture {
        let studyA = TestInstances.Study(patientID: "PYQR-A", patientName: "ALPHA^ANNA")
        let seriesA2 = UID.generate()
        let studyB = TestInstances.Study(patientID: "PYQR-B", patientName: "BRAVO^BEN")
        let transferSyntax: TransferSyntax
        /// Every file by its SOP Instance UID.
        var files: [String: String] = [:]
        /// The SOP Instance UIDs of each series.
        var series: [UID: Set<String>] = [:]

        init(transferSyntax: TransferSyntax = .explicitVRLittleEndian) throws {
            self.transferSyntax = transferSyntax
            let directory = try TestInstances.temporaryDirectory("pynetdicom-qrscp-sent")
            var secondSeries = studyA
            secondSeries.seriesInstanceUID = seriesA2
            let plan: [(TestInstances.Study, seriesNumber: String, count: Int)] = [(studyA, "1", 3), (secondSeries, "2", 2), (studyB, "1", 1)]
            for (study, seriesNumber, count) in plan {
                for number in 1...count {
                    let uid = UID.generate()
                    var dataSet = try TestInstances.ct(study, sopInstanceUID: uid, instanceNumber: number)
                    dataSet.setString(seriesNumber, for: .seriesNumber, vr: .IS)
                    files[uid.string] = try TestInstances.write(dataSet, transferSyntax: transferSyntax, into: directory)
                    series[study.seriesInstanceUID, default: []].insert(uid.string)
                }
            }
        }

        /// The instances of study A (both series).
        var studyAInstances: Set<String> { series[studyA.seriesInstanceUID, default: []].union(series[seriesA2, default: []]) }
        /// The instances of study B.
        var studyBInstances: Set<String> { series[studyB.seriesInstanceUID, default: []] }
        /// Every file, in a stable order.
        var paths: [String] { files.keys.sorted().compactMap { files[$0] } }
    }

    /// qrscp started with `destinations` and loaded with the fixture's instances.
    static func archive(_ fixture: Fixture, destinations: [String: Int] = [:]) async throws -> PynetdicomQRSCP {
        let archive = try await PynetdicomQRSCP(destinations: destinations)
        do {
            try await archive.load(fixture.paths)
        } catch {
            archive.stop()
            throw error
        }
        return archive
    }

    /// Our Q/R SCU: Verification, FIND, GET and MOVE of both roots, and CT storage in the SCP role (for
    /// C-GET) in explicit VR Little Endian only, the syntax the instances were stored in, so
    /// that they come back unconverted.
    static func associate(port: Int, store output: String? = nil, events: AssociationEvents? = nil) async throws -> Association {
        var contexts = [PresentationContext(abstractSyntax: .verification)]
        for model in [QueryRetrieveModel.studyRoot, .patientRoot] {
            contexts += model.sopClasses.map { PresentationContext(abstractSyntax: $0) }
        }
        contexts.append(PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: false, scpRole: true))
        return try await Entities.scu().associate(
            host: "127.0.0.1", port: port, calledAETitle: PynetdicomQRSCP.aeTitle, contexts: contexts,
            handlers: ServiceHandlers(store: output.map { .directory($0) }), events: events)
    }

    /// An identifier at `level` with `keys`: an empty value asks for the attribute (universal
    /// matching), another matches it.
    static func query(_ level: String, _ keys: KeyValuePairs<Tag, String>) -> DataSet {
        var query = DataSet()
        query.setString(level, for: .queryRetrieveLevel, vr: .CS)
        for (tag, value) in keys {
            if value.isEmpty {
                query[tag] = DataElement(tag: tag, vr: DataDictionary.vr(for: tag), bytes: ByteBuffer())
            } else {
                query.setString(value, for: tag, vr: DataDictionary.vr(for: tag))
            }
        }
        return query
    }

    static func collect(_ responses: AsyncThrowingStream<QueryResponse, any Error>) async throws -> [QueryResponse] {
        var collected: [QueryResponse] = []
        for try await response in responses { collected.append(response) }
        return collected
    }

    /// The matches of a C-FIND that must end in Success, every earlier response pending.
    static func matches(_ association: Association, _ identifier: DataSet, model: QueryRetrieveModel, log: @autoclosure () -> String) async throws -> [DataSet] {
        let responses = try await collect(association.find(identifier, model: model))
        #expect(responses.last?.status == .success, "\(responses.map(\.status)); qrscp said:\n\(log())")
        #expect(responses.dropLast().allSatisfy { $0.status.kind == .pending && $0.identifier != nil })
        let matches = responses.dropLast().compactMap(\.identifier)
        for match in matches {
            #expect(match.string(.queryRetrieveLevel) == identifier.string(.queryRetrieveLevel))
            #expect(match.string(.retrieveAETitle) == PynetdicomQRSCP.aeTitle)
        }
        return matches
    }

    /// Expects the files under `directory` to be exactly the fixture's instances `uids`, each
    /// data set byte for byte the one sent, in the fixture's transfer syntax.
    static func expectReceived(_ uids: Set<String>, of fixture: Fixture, under directory: String, log: @autoclosure () -> String) async throws {
        #expect(await eventually { TestInstances.instances(under: directory).count >= uids.count })
        var arrived: [String: String] = [:]
        for path in TestInstances.files(under: directory) {
            guard let file = try? DICOMFile(contentsOf: path), let uid = file.dataSet.uid(.sopInstanceUID) else { continue }
            arrived[uid.string] = path
        }
        #expect(Set(arrived.keys) == uids, "qrscp said:\n\(log())")
        for (uid, path) in arrived {
            guard let sent = fixture.files[uid] else { continue }
            #expect(try TestInstances.transferSyntax(ofFileAt: path) == fixture.transferSyntax.uid)
            #expect(try TestInstances.dataSetBytes(ofFileAt: path) == TestInstances.dataSetBytes(ofFileAt: sent), "\(uid): the data set bytes differ")
        }
    }

    /// Expects a completed C-GET or C-MOVE of `count` instances: pending responses counting
    /// down, then Success with every sub-operation completed.
    static func expectCompleted(_ responses: [QueryResponse], count: Int, log: @autoclosure () -> String) throws {
        let final = try #require(responses.last, "no response; qrscp said:\n\(log())")
        #expect(final.status == .success, "final status \(final.status); qrscp said:\n\(log())")
        #expect(final.completed == count)
        #expect(final.failed ?? 0 == 0)
        #expect(responses.dropLast().allSatisfy { $0.status.kind == .pending })
        let remaining = responses.dropLast().compactMap(\.remaining)
        #expect(remaining == remaining.sorted(by: >), "remaining sub-operations must count down: \(remaining)")
    }

    // MARK: - C-FIND

    @Test("our C-FIND, Study Root → qrscp: study, series and image level identifiers", .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func findStudyRoot() async throws {
        let fixture = try Fixture()
        let archive = try await Self.archive(fixture)
        defer { archive.stop() }
        let association = try await Self.associate(port: archive.port)

        let studies = try await Self.matches(association, Self.query("STUDY", [
            .studyInstanceUID: "", .patientName: "", .patientID: "", .studyDate: "",
        ]), model: .studyRoot, log: archive.log)
        #expect(Set(studies.compactMap { $0.uid(.studyInstanceUID) }) == [fixture.studyA.studyInstanceUID, fixture.studyB.studyInstanceUID])
        for study in studies {
            let expected = study.uid(.studyInstanceUID) == fixture.studyA.studyInstanceUID ? fixture.studyA : fixture.studyB
            #expect(study.string(.patientName) == expected.patientName)
            #expect(study.string(.patientID) == expected.patientID)
            #expect(study.string(.studyDate) == "20240315")
            // Keys below the level are not returned.
            #expect(study[.seriesInstanceUID] == nil)
        }

        let series = try await Self.matches(association, Self.query("SERIES", [
            .studyInstanceUID: fixture.studyA.studyInstanceUID.string, .seriesInstanceUID: "", .seriesNumber: "", .modality: "",
        ]), model: .studyRoot, log: archive.log)
        #expect(Set(series.compactMap { $0.uid(.seriesInstanceUID) }) == [fixture.studyA.seriesInstanceUID, fixture.seriesA2])
        for match in series {
            #expect(match.uid(.studyInstanceUID) == fixture.studyA.studyInstanceUID)
            #expect(match.string(.seriesNumber) == (match.uid(.seriesInstanceUID) == fixture.seriesA2 ? "2" : "1"))
            #expect(match.string(.modality) == "CT")
        }

        let images = try await Self.matches(association, Self.query("IMAGE", [
            .studyInstanceUID: fixture.studyA.studyInstanceUID.string, .seriesInstanceUID: fixture.seriesA2.string,
            .sopInstanceUID: "", .instanceNumber: "",
        ]), model: .studyRoot, log: archive.log)
        #expect(images.count == 2)
        #expect(Set(images.compactMap { $0.uid(.sopInstanceUID)?.string }) == fixture.series[fixture.seriesA2])
        #expect(Set(images.compactMap { $0.string(.instanceNumber) }) == ["1", "2"])
        try await association.release()
    }

    @Test("our C-FIND, Patient Root → qrscp: patient (wildcard too), study and image level identifiers",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func findPatientRoot() async throws {
        let fixture = try Fixture()
        let archive = try await Self.archive(fixture)
        defer { archive.stop() }
        let association = try await Self.associate(port: archive.port)

        let patients = try await Self.matches(association, Self.query("PATIENT", [.patientID: "", .patientName: ""]), model: .patientRoot, log: archive.log)
        let names = Dictionary(patients.map { ($0.string(.patientID) ?? "", $0.string(.patientName) ?? "") }) { first, _ in first }
        #expect(names == [fixture.studyA.patientID: fixture.studyA.patientName, fixture.studyB.patientID: fixture.studyB.patientName])

        let wildcard = try await Self.matches(association, Self.query("PATIENT", [.patientID: "", .patientName: "BRAVO*"]), model: .patientRoot, log: archive.log)
        #expect(!wildcard.isEmpty)
        #expect(wildcard.allSatisfy { $0.string(.patientID) == fixture.studyB.patientID })

        let studies = try await Self.matches(association, Self.query("STUDY", [
            .patientID: fixture.studyB.patientID, .studyInstanceUID: "", .accessionNumber: "",
        ]), model: .patientRoot, log: archive.log)
        #expect(studies.count == 1)
        #expect(studies.first?.uid(.studyInstanceUID) == fixture.studyB.studyInstanceUID)
        #expect(studies.first?.string(.accessionNumber) == "ACC1")

        let images = try await Self.matches(association, Self.query("IMAGE", [
            .patientID: fixture.studyA.patientID, .studyInstanceUID: fixture.studyA.studyInstanceUID.string,
            .seriesInstanceUID: fixture.studyA.seriesInstanceUID.string, .sopInstanceUID: "",
        ]), model: .patientRoot, log: archive.log)
        #expect(images.count == 3)
        #expect(Set(images.compactMap { $0.uid(.sopInstanceUID)?.string }) == fixture.series[fixture.studyA.seriesInstanceUID])
        try await association.release()
    }

    /// The number and status of the first final C-FIND response qrscp logged sending
    /// ("Find SCP Response 301: 0x0000 (Success)", "Find SCP Response 37: 0xFE00 (Cancel)").
    static func firstFinalFindResponse(in log: String) -> (number: Int, status: UInt16)? {
        for line in log.split(separator: "\n") {
            guard let range = line.range(of: "Find SCP Response ") else { continue }
            let fields = line[range.upperBound...].split(separator: " ")
            guard fields.count >= 2, let number = Int(fields[0].dropLast()), let status = UInt16(fields[1].dropFirst(2), radix: 16) else { continue }
            if status == 0x0000 || status == 0xFE00 { return (number, status) }
        }
        return nil
    }

    /// pynetdicom's qrscp looks for a C-CANCEL between matches, but it takes them from its
    /// index at once and queues their responses faster than a C-CANCEL can arrive, more often
    /// than not: it honours the cancel with Cancel (FE00H) in some runs and completes with
    /// Success in others (the C-CANCEL crossed its final response, or was not sent at all: the
    /// final response was read before the loop stopped, and the find was over). Either way every response it
    /// sent must be read as the cancelled find's, and the association must go on.
    @Test("our C-FIND stopped after the first match → qrscp: C-CANCEL sent, every response qrscp sent (ending Cancel or Success) read, the association goes on",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func findCancelled() async throws {
        // Many matches, to give the C-CANCEL a chance to arrive while qrscp is still queueing.
        let count = 300
        let study = TestInstances.Study(patientID: "PYQR-CANCEL")
        let files = try TestInstances.files(count, study: study, label: "pynetdicom-qrscp-cancel")
        let archive = try await PynetdicomQRSCP()
        defer { archive.stop() }
        try await archive.load(files)
        let events = AssociationEvents()
        let received = EventLog(events)
        let association = try await Self.associate(port: archive.port, events: events)
        let query = Self.query("IMAGE", [
            .studyInstanceUID: study.studyInstanceUID.string, .seriesInstanceUID: study.seriesInstanceUID.string, .sopInstanceUID: "",
        ])

        var seen: [QueryResponse] = []
        for try await response in association.find(query) {
            seen.append(response)
            break
        }
        #expect(seen.map(\.status) == [.pending])
        // The next request goes out once the cancelled find's final response is in.
        #expect(try await association.echo() == .success)
        // Events arrive in order: once the C-ECHO-RSP is logged, so is every C-FIND-RSP before it.
        #expect(await eventually { received.received("C-ECHO-RSP") == 1 }, "\(received.trace)")
        let responses = received.received("C-FIND-RSP")
        let final = try #require(await Self.eventuallyValue { Self.firstFinalFindResponse(in: archive.log) }, "qrscp said:\n\(archive.log)")
        #expect(final.number == responses, "qrscp sent \(final.number) responses, we read \(responses)")
        if final.status == 0xFE00 {
            #expect(received.sent("C-CANCEL-RQ") == 1, "\(received.trace)")
            #expect(responses <= count, "a Cancel response after every match")
        } else {
            // The final Success may be in before the loop stops: the find is over, and no
            // C-CANCEL is owed (it goes only while the request is outstanding).
            #expect(received.sent("C-CANCEL-RQ") <= 1, "\(received.trace)")
            #expect(responses == count + 1)
        }

        // The same association answers the next find in full.
        let matches = try await Self.matches(association, query, model: .studyRoot, log: archive.log)
        #expect(Set(matches.compactMap { $0.uid(.sopInstanceUID) }).count == count)
        try await association.release()
    }

    /// Polls `value` every 10 ms for up to 2 s; the first non-nil result.
    static func eventuallyValue<Value>(_ value: () -> Value?) async -> Value? {
        var found: Value?
        _ = await eventually {
            found = value()
            return found != nil
        }
        return found
    }

    // MARK: - C-GET

    @Test("our C-GET → qrscp: Study Root by study, Patient Root by patient; the data sets come back byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func get() async throws {
        let fixture = try Fixture()
        let archive = try await Self.archive(fixture)
        defer { archive.stop() }
        let output = try TestInstances.temporaryDirectory("pynetdicom-qrscp-get")
        let association = try await Self.associate(port: archive.port, store: output)

        let study = try await Self.collect(association.get(Self.query("STUDY", [.studyInstanceUID: fixture.studyA.studyInstanceUID.string]), model: .studyRoot))
        try Self.expectCompleted(study, count: 5, log: archive.log)
        try await Self.expectReceived(fixture.studyAInstances, of: fixture, under: output, log: archive.log)

        let patient = try await Self.collect(association.get(Self.query("PATIENT", [.patientID: fixture.studyB.patientID]), model: .patientRoot))
        try Self.expectCompleted(patient, count: 1, log: archive.log)
        try await Self.expectReceived(fixture.studyAInstances.union(fixture.studyBInstances), of: fixture, under: output, log: archive.log)
        try await association.release()
    }

    @Test("netdicom storescu fills qrscp, netdicom getscu -od takes a study back byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func getscuCommand() async throws {
        // pynetdicom accepts a context in its own order of preference, implicit VR Little Endian
        // first, whatever the requestor's order: instances in that syntax stay unconverted both ways.
        let fixture = try Fixture(transferSyntax: .implicitVRLittleEndian)
        let archive = try await PynetdicomQRSCP()
        defer { archive.stop() }
        let netdicom = try ExternalTools.netdicom()
        let stored = try await PeerProcess.run(netdicom, ["storescu", "-aec", PynetdicomQRSCP.aeTitle, "--no-progress", "127.0.0.1", String(archive.port)] + fixture.paths)
        #expect(stored.status == 0, "\(stored.stderr)\nqrscp said:\n\(archive.log)")
        // qrscp names each stored instance after its SOP Instance UID.
        #expect(Set(TestInstances.contents(of: "\(archive.directory)/instances")) == Set(fixture.files.keys))

        let output = try TestInstances.temporaryDirectory("pynetdicom-qrscp-getscu")
        let result = try await PeerProcess.run(netdicom, [
            "getscu", "-S", "-aec", PynetdicomQRSCP.aeTitle, "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(fixture.studyA.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp said:\n\(archive.log)")
        #expect(result.stderr.contains("5 completed, 0 failed, 0 warning, 5 received"), "\(result.stderr)")
        try await Self.expectReceived(fixture.studyAInstances, of: fixture, under: output, log: result.stderr + "\n" + archive.log)
        // The files name their sender, qrscp, as Source Application Entity Title (not getscu).
        for file in TestInstances.files(under: output) {
            #expect(try DICOMFile(contentsOf: file).fileMetaInformation.string(.sourceApplicationEntityTitle) == PynetdicomQRSCP.aeTitle, "\(file)")
        }
    }

    // MARK: - C-MOVE

    @Test("our C-MOVE → qrscp: a series arrives at our Storage SCP byte for byte; an unknown destination is A801H",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func move() async throws {
        let fixture = try Fixture()
        let output = try TestInstances.temporaryDirectory("pynetdicom-qrscp-move")
        var destinationEntity = try Entities.scp("NETDICOM-DEST")
        try destinationEntity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .implicitVRLittleEndian])
        let destination = try await destinationEntity.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await destination.shutdown() } }
        let archive = try await Self.archive(fixture, destinations: ["NETDICOM-DEST": destination.port])
        defer { archive.stop() }
        let association = try await Self.associate(port: archive.port)

        let series = try await Self.collect(association.move(Self.query("SERIES", [
            .studyInstanceUID: fixture.studyA.studyInstanceUID.string, .seriesInstanceUID: fixture.seriesA2.string,
        ]), to: "NETDICOM-DEST", model: .studyRoot))
        try Self.expectCompleted(series, count: 2, log: archive.log)
        try await Self.expectReceived(fixture.series[fixture.seriesA2, default: []], of: fixture, under: output, log: archive.log)

        let unknown = try await Self.collect(association.move(Self.query("PATIENT", [.patientID: fixture.studyB.patientID]), to: "NOWHERE", model: .patientRoot))
        #expect(unknown.map(\.status) == [.moveDestinationUnknown])
        try await association.release()
    }

    @Test("netdicom movescu --store → qrscp: the study arrives at movescu's own Storage SCP byte for byte",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func movescuCommand() async throws {
        let fixture = try Fixture()
        let storePort = PeerProcess.freePort()
        let archive = try await Self.archive(fixture, destinations: ["MOVESCU": storePort])
        defer { archive.stop() }
        let output = try TestInstances.temporaryDirectory("pynetdicom-qrscp-movescu")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-P", "-aec", PynetdicomQRSCP.aeTitle, "--store-port", String(storePort), "--store-bind", "127.0.0.1", "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=\(fixture.studyA.patientID)",
            "-k", "StudyInstanceUID=\(fixture.studyA.studyInstanceUID.string)", "127.0.0.1", String(archive.port)])
        #expect(result.status == 0, "\(result.stderr)\nqrscp said:\n\(archive.log)")
        #expect(result.stderr.contains("5 completed, 0 failed, 0 warning"), "\(result.stderr)")
        try await Self.expectReceived(fixture.studyAInstances, of: fixture, under: output, log: result.stderr + "\n" + archive.log)
    }
}
