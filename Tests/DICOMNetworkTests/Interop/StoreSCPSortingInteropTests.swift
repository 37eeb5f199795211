import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// netdicom storescp's DCMTK sorting options (-su, -ss, -sp), end-of-study command (-xcs, -tos)
/// and file name extension (-fe), fed by DCMTK's storescu.
@Suite("netdicom storescp sorting studies into subdirectories, fed by DCMTK storescu", .tags(.interop))
struct StoreSCPSortingInteropTests {
    /// Two studies: A with two instances, B with one.
    static func studies() throws -> (a: [String], b: [String]) {
        var b = TestInstances.Study()
        b.patientName = "ÖSTERGAARD^ÅSA"
        b.patientID = "PATIENT-B"
        return (try TestInstances.files(2, label: "sorting-a"), try TestInstances.files(1, study: b, label: "sorting-b"))
    }

    static func studyUID(of path: String) throws -> String {
        try #require(DICOMFile(contentsOf: path).dataSet.uid(.studyInstanceUID)?.string)
    }

    /// Starts our storescp with `arguments` into a new output directory.
    static func storescp(_ arguments: [String]) async throws -> (PeerProcess, port: Int, output: String) {
        let output = try TestInstances.temporaryDirectory("sorting-out") + "/received"
        let port = PeerProcess.freePort()
        let scp = try await PeerProcess.listening(ExternalTools.netdicom(), ["storescp", "--bind", "127.0.0.1", "-od", output] + arguments + [String(port)], on: port)
        return (scp, port, output)
    }

    /// Sends `files` with DCMTK's storescu as `callingAETitle`.
    static func send(_ files: [String], to port: Int, as callingAETitle: String, extraArguments: [String] = []) async throws -> ExternalTools.Output {
        try await PeerProcess.run(ExternalTools.require("storescu"), ["-aet", callingAETitle] + extraArguments + ["127.0.0.1", String(port)] + files)
    }

    @Test("-su IN -xcs -tos 1: each study's files in IN_<Study UID>, byte for byte; the command runs once per study with #p; a Study UID that is a path is refused (C000H) and nothing escapes",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func sortOnStudyUID() async throws {
        let (a, b) = try Self.studies()
        let work = try TestInstances.temporaryDirectory("sorting-eos")
        let log = work + "/eos.txt"
        let (scp, port, output) = try await Self.storescp(["-su", "IN", "-xcs", "echo #p,#a >> \(log)", "-tos", "1"])
        defer { scp.stop() }
        let sentA = try await Self.send(a, to: port, as: "MODALITY-A")
        #expect(sentA.status == 0, "\(sentA.stderr)\nstorescp:\n\(scp.log)")
        let sentB = try await Self.send(b, to: port, as: "MODALITY-B")
        #expect(sentB.status == 0, "\(sentB.stderr)\nstorescp:\n\(scp.log)")

        var hostile = try TestInstances.ct(TestInstances.Study(studyInstanceUID: UID("../../escape")))
        hostile.setString("../../escape", for: .studyInstanceUID, vr: .UI)
        let hostileFile = try TestInstances.write(hostile, into: work)
        let refused = try await Self.send([hostileFile], to: port, as: "HOSTILE")
        #expect(refused.status != 0, "DCMTK's storescu should report the failure:\n\(refused.stdout)\(refused.stderr)")
        #expect(scp.log.contains("is not a valid UID"), "\(scp.log)")

        for (files, aeTitle) in [(a, "MODALITY-A"), (b, "MODALITY-B")] {
            let directory = "\(output)/IN_\(try Self.studyUID(of: files[0]))"
            let received = TestInstances.contents(of: directory)
            #expect(received.count == files.count, "\(directory): \(received)\nstorescp:\n\(scp.log)")
            for file in files {
                let uid = try #require(DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)?.string)
                #expect(try TestInstances.dataSetBytes(ofFileAt: "\(directory)/\(uid).dcm") == TestInstances.dataSetBytes(ofFileAt: file))
            }
            // Ended once its timeout passed: the command saw the study's directory.
            #expect(await eventually(timeout: .seconds(10)) {
                ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\(directory),\(aeTitle)\n")
            }, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log")\nstorescp:\n\(scp.log)")
        }
        // Two studies, two directories, nothing else: the hostile instance was removed.
        #expect(TestInstances.contents(of: output).count == 2, "\(TestInstances.contents(of: output))")
        #expect(!FileManager.default.fileExists(atPath: "\(output)/../../escape"))
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2, "each study ends once: \(lines)")
    }

    @Test("-su IN -xcs -tos 60: a study from one sender ends when the next study from the same sender arrives, long before its timeout; another sender's study does not end it",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func anotherStudyEndsTheLast() async throws {
        let (a, b) = try Self.studies()
        let c = try TestInstances.files(1, label: "sorting-c")
        let work = try TestInstances.temporaryDirectory("sorting-next-study")
        let log = work + "/eos.txt"
        let (scp, port, output) = try await Self.storescp(["-su", "IN", "-xcs", "echo #p >> \(log)", "-tos", "60"])
        defer { scp.stop() }
        func ended() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        let directoryA = "\(output)/IN_\(try Self.studyUID(of: a[0]))"
        let directoryB = "\(output)/IN_\(try Self.studyUID(of: b[0]))"
        #expect(try await Self.send(a, to: port, as: "MODALITY").status == 0, "\(scp.log)")
        // Another sender's study leaves MODALITY's open.
        #expect(try await Self.send(c, to: port, as: "OTHER").status == 0, "\(scp.log)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(ended().isEmpty, "\(ended())")
        #expect(try await Self.send(b, to: port, as: "MODALITY").status == 0, "\(scp.log)")
        #expect(await eventually(timeout: .seconds(10)) { ended() == "\(directoryA)\n" }, "\(ended())\nstorescp:\n\(scp.log)")
        #expect(!ended().contains(directoryB), "B is the sender's current study")
    }

    @Test("-ss IN and -sp: a directory per study named after its first instance's time (and the patient's name), -fe .img names",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")),
          arguments: [["-ss", "IN"], ["-sp"]])
    func sortByTime(_ sorting: [String]) async throws {
        let (a, b) = try Self.studies()
        let (scp, port, output) = try await Self.storescp(sorting + ["-fe", ".img"])
        defer { scp.stop() }
        for files in [a, b] {
            let sent = try await Self.send(files, to: port, as: "MODALITY")
            #expect(sent.status == 0, "\(sent.stderr)\nstorescp:\n\(scp.log)")
        }
        let directories = TestInstances.contents(of: output).sorted()
        #expect(directories.count == 2, "\(directories)\nstorescp:\n\(scp.log)")
        let stamp = #"_[0-9]{8}_[0-9]{9}$"#
        let expectedNames = sorting == ["-sp"] ? ["TEST_PATIENT", "_STERGAARD__SA"] : ["IN", "IN"]
        for name in directories {
            #expect(name.range(of: stamp, options: .regularExpression) != nil, "\(name)")
        }
        #expect(Set(directories.map { String($0.dropLast(19)) }) == Set(expectedNames), "\(directories)")
        // Each directory holds one study's files, as .img.
        let counts = directories.map { TestInstances.contents(of: "\(output)/\($0)") }
        #expect(counts.map(\.count).sorted() == [1, 2], "\(counts)")
        #expect(counts.joined().allSatisfy { $0.hasSuffix(".img") }, "\(counts)")
    }

    @Test("-su: a deflated instance too large for the network to keep whole is sorted by the Study UID of its file's first MiB",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func deflatedLargeInstance() async throws {
        let study = TestInstances.Study()
        var dataSet = try TestInstances.ct(study, rows: 1024, columns: 1024)
        // Pixels that do not deflate: the deflated data set stays above what is kept whole, and
        // above the first MiB read in its place, which inflates only as far as it goes.
        var generator = SystemRandomNumberGenerator()
        dataSet[.pixelData] = DataElement(tag: .pixelData, vr: .OW, bytes: ByteBuffer(bytes: (0..<(1024 * 1024 * 2)).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        let directory = try TestInstances.temporaryDirectory("sorting-deflated")
        let file = try TestInstances.write(dataSet, transferSyntax: .deflatedExplicitVRLittleEndian, into: directory)
        let (scp, port, output) = try await Self.storescp(["-su", "IN"])
        defer { scp.stop() }
        // -xd: deflate proposed first, which storescp takes (the requestor's first choice).
        let sent = try await Self.send([file], to: port, as: "MODALITY", extraArguments: ["-xd"])
        #expect(sent.status == 0, "\(sent.stderr)\nstorescp:\n\(scp.log)")
        let uid = try #require(dataSet.uid(.sopInstanceUID)?.string)
        let placed = "\(output)/IN_\(study.studyInstanceUID.string)/\(uid).dcm"
        #expect(FileManager.default.fileExists(atPath: placed), "\(TestInstances.files(under: output))\nstorescp:\n\(scp.log)")
        #expect(try TestInstances.transferSyntax(ofFileAt: placed) == TransferSyntax.deflatedExplicitVRLittleEndian.uid)
    }

    @Test("the sorting options are checked before listening")
    func validation() async throws {
        for (arguments, message) in [
            (["-xcs", "true"], "--exec-on-eostudy needs"),
            (["-su", "A", "-sp"], "give one of"),
            (["-su", "A", "--ignore"], "--ignore does not write"),
            (["-ss", "../up"], "not a path"),
            (["-fe", "/x"], "must not hold a /"),
        ] {
            let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescp"] + arguments + ["11112"])
            #expect(result.status != 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
