import DICOMCore
import Foundation
import Testing
import TestSupport

/// DCMTK storescp's naming and refusal options and +v on our storescp, with DCMTK's storescu and
/// echoscu; +v on our storescu, with DCMTK's storescp.
@Suite("netdicom storescp's DCMTK options, with DCMTK", .tags(.interop))
struct StoreSCPOptionsInteropTests {
    /// Our storescp with `options`, on a free port, writing into a new directory.
    static func storescp(_ options: [String]) async throws -> (PeerProcess, port: Int, output: String) {
        let output = try TestInstances.temporaryDirectory("storescp-options")
        let port = PeerProcess.freePort()
        let peer = try await PeerProcess.listening(
            ExternalTools.netdicom(), ["storescp", "--bind", "127.0.0.1", "-od", output] + options + [String(port)], on: port)
        return (peer, port, output)
    }

    @Test("+uf: the same instance sent twice is kept twice, each file named after its UID and a suffix of its own",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func uniqueFilenames() async throws {
        let file = try TestInstances.files(1, label: "storescp-uf")[0]
        let uid = try #require(DICOMFile(contentsOf: file).dataSet.uid(.sopInstanceUID)?.string)
        let (peer, port, output) = try await Self.storescp(["+uf"])
        defer { peer.stop() }
        for _ in 0..<2 {
            let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["127.0.0.1", String(port), file])
            #expect(sent.status == 0, "\(sent.stderr)\nstorescp:\n\(peer.log)")
        }
        let names = TestInstances.contents(of: output)
        #expect(names.count == 2 && Set(names).count == 2 && names.allSatisfy { $0.hasPrefix(uid + ".X") && $0.hasSuffix(".dcm") }, "\(names)")
        for name in names {
            #expect(try TestInstances.dataSetBytes(ofFileAt: output + "/" + name) == TestInstances.dataSetBytes(ofFileAt: file))
        }
    }

    @Test("--timenames: three instances are named after the time they arrived, in the order they were sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func timeNames() async throws {
        let files = try TestInstances.files(3, label: "storescp-tn")
        let (peer, port, output) = try await Self.storescp(["--timenames"])
        defer { peer.stop() }
        let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["127.0.0.1", String(port)] + files)
        #expect(sent.status == 0, "\(sent.stderr)\nstorescp:\n\(peer.log)")
        let names = TestInstances.contents(of: output).sorted()
        #expect(names.count == 3, "\(names)")
        #expect(names.allSatisfy { $0.range(of: #"^\d{17}-\d{6}\.dcm$"#, options: .regularExpression) != nil }, "\(names)")
        let sentOrder = try files.map { try DICOMFile(contentsOf: $0).dataSet.uid(.sopInstanceUID)?.string }
        let arrivedOrder = try names.map { try DICOMFile(contentsOf: output + "/" + $0).dataSet.uid(.sopInstanceUID)?.string }
        #expect(arrivedOrder == sentOrder)
    }

    @Test("+xi: DCMTK storescu's Explicit VR file arrives in Implicit VR Little Endian, the only syntax accepted; without a preference, as sent",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func implicitOnly() async throws {
        let file = try TestInstances.files(1, label: "storescp-x")[0]
        for (options, expected) in [(["+xi"], UID.implicitVRLittleEndian), ([], UID.explicitVRLittleEndian)] {
            let (peer, port, output) = try await Self.storescp(options)
            defer { peer.stop() }
            let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["127.0.0.1", String(port), file])
            #expect(sent.status == 0, "\(options): \(sent.stderr)\nstorescp:\n\(peer.log)")
            let written = try #require(TestInstances.files(under: output).first, "\(options): \(peer.log)")
            #expect(try TestInstances.transferSyntax(ofFileAt: written) == expected, "\(options)")
            let stored = try DICOMFile(contentsOf: written).dataSet
            #expect(stored[.pixelData]?.bytes == (try DICOMFile(contentsOf: file).dataSet[.pixelData]?.bytes), "\(options)")
        }
    }

    @Test("the preferred syntax decides among those one context proposes: DCMTK echoscu -pts 3 (Implicit, Explicit, Big Endian) gets Explicit with +xe, Big Endian with +xb, its first without; echoscp -xb (pynetdicom's) Big Endian",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func preferenceOrder() async throws {
        for (options, expected) in [(["+xe"], "=LittleEndianExplicit"), (["+xb"], "=BigEndianExplicit"), ([], "=LittleEndianImplicit")] {
            let (peer, port, _) = try await Self.storescp(options)
            defer { peer.stop() }
            let echoed = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-d", "-pts", "3", "127.0.0.1", String(port)])
            #expect(echoed.status == 0, "\(options): \(echoed.stderr)")
            #expect(echoed.stderr.contains("Accepted Transfer Syntax: \(expected)\n"), "\(options): \(echoed.stderr)")
        }
        // echoscp: its own order (Explicit VR Little Endian first), or pynetdicom's -xb.
        for (options, expected) in [(["-xb"], "=BigEndianExplicit"), ([], "=LittleEndianExplicit")] {
            let port = PeerProcess.freePort()
            let peer = try await PeerProcess.listening(ExternalTools.netdicom(), ["echoscp", "--bind", "127.0.0.1"] + options + [String(port)], on: port)
            defer { peer.stop() }
            let echoed = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-d", "-pts", "3", "127.0.0.1", String(port)])
            #expect(echoed.status == 0 && echoed.stderr.contains("Accepted Transfer Syntax: \(expected)\n"), "echoscp \(options): \(echoed.stderr)")
        }
    }

    /// An instance of a private SOP class, one the UID registry does not know.
    static func privateInstance() throws -> (path: String, uid: String) {
        var dataSet = try TestInstances.ct()
        dataSet.setString("1.3.6.1.4.1.99999.42.1.1", for: .sopClassUID, vr: .UI)
        let path = try TestInstances.write(dataSet, into: TestInstances.temporaryDirectory("private-class"))
        return (path, try #require(dataSet.uid(.sopInstanceUID)?.string))
    }

    /// A pynetdicom requestor that proposes the file's own SOP class and transfer syntax
    /// (pynetdicom's storescu app, like DCMTK's, proposes only the classes it knows) and sends
    /// it: prints the C-STORE status, or that no context was accepted.
    static let pynetdicomStore = """
        import sys
        from pydicom import dcmread
        from pynetdicom import AE
        ds = dcmread(sys.argv[3])
        ae = AE(ae_title="PYSCU")
        ae.add_requested_context(ds.SOPClassUID, ds.file_meta.TransferSyntaxUID)
        assoc = ae.associate("127.0.0.1", int(sys.argv[2]), ae_title=sys.argv[1])
        if not assoc.is_established:
            print("NOT ESTABLISHED")
            sys.exit(2)
        status = assoc.send_c_store(ds)
        print("STATUS 0x%04x" % status.Status if status else "NO STATUS")
        assoc.release()
        """

    @Test("-pm: a pynetdicom requestor's private SOP class instance is stored as sent by storescp -pm and by qrscp -pm (DCMTK findscu finds it); refused without",
          .enabled(if: ExternalTools.shouldRun(needing: "python")), .enabled(if: ExternalTools.shouldRun(needing: "findscu")))
    func promiscuous() async throws {
        let (file, uid) = try Self.privateInstance()
        let python = try ExternalTools.require("python")
        for options in [["-pm"], []] {
            let (peer, port, output) = try await Self.storescp(options)
            defer { peer.stop() }
            let sent = try await PeerProcess.run(python, ["-c", Self.pynetdicomStore, "ANY-SCP", String(port), file])
            if options.isEmpty {
                #expect(!sent.stdout.contains("STATUS 0x0000") && TestInstances.contents(of: output).isEmpty, "\(sent.stdout)\(sent.stderr)")
            } else {
                #expect(sent.stdout.contains("STATUS 0x0000"), "\(sent.stdout)\(sent.stderr)\nstorescp:\n\(peer.log)")
                #expect(try TestInstances.dataSetBytes(ofFileAt: output + "/\(uid).dcm") == TestInstances.dataSetBytes(ofFileAt: file))
            }
        }
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("private-class-qrscp"), extraArguments: ["-pm"])
        defer { archive.peer.stop() }
        let sent = try await PeerProcess.run(python, ["-c", Self.pynetdicomStore, archive.aeTitle, String(archive.port), file])
        #expect(sent.stdout.contains("STATUS 0x0000"), "\(sent.stdout)\(sent.stderr)\nqrscp:\n\(archive.log)")
        let dataSet = try DICOMFile(contentsOf: file).dataSet
        let found = try await PeerProcess.run(ExternalTools.require("findscu"), [
            "-v", "-S", "-aec", archive.aeTitle, "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=\(dataSet.uid(.studyInstanceUID)?.string ?? "")",
            "-k", "SeriesInstanceUID=\(dataSet.uid(.seriesInstanceUID)?.string ?? "")", "-k", "SOPInstanceUID", "-k", "SOPClassUID",
            "127.0.0.1", String(archive.port)])
        #expect(found.stderr.contains("1.3.6.1.4.1.99999.42.1.1") && found.stderr.contains(uid), "\(found.stderr)")
    }

    @Test("--refuse: DCMTK echoscu and storescu are rejected and nothing is written",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func refuse() async throws {
        let (peer, port, output) = try await Self.storescp(["--refuse"])
        defer { peer.stop() }
        let echoed = try await PeerProcess.run(ExternalTools.require("echoscu"), ["127.0.0.1", String(port)])
        #expect(echoed.status != 0 && echoed.stderr.contains("Association Rejected"), "\(echoed.stderr)")
        let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["127.0.0.1", String(port)] + TestInstances.files(1, label: "storescp-refuse"))
        #expect(sent.status != 0 && TestInstances.contents(of: output).isEmpty, "\(sent.stderr)")
    }

    @Test("--no-echo (pynetdicom's): pynetdicom echoscu gets no C-ECHO through; its storescu stores as before; without it, echoscu succeeds",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func noEcho() async throws {
        let python = try ExternalTools.require("python")
        for (options, echoes) in [(["--no-echo"], false), ([], true)] {
            let (peer, port, output) = try await Self.storescp(options)
            defer { peer.stop() }
            let echoed = try await PeerProcess.run(python, ["-m", "pynetdicom", "echoscu", "127.0.0.1", String(port)])
            #expect((echoed.status == 0) == echoes, "\(options): \(echoed.stderr)\nstorescp:\n\(peer.log)")
            let sent = try await PeerProcess.run(python, ["-m", "pynetdicom", "storescu", "127.0.0.1", String(port)] + TestInstances.files(1, label: "storescp-no-echo"))
            #expect(sent.status == 0, "\(sent.stderr)\nstorescp:\n\(peer.log)")
            #expect(await eventually { TestInstances.contents(of: output).count == 1 }, "\(peer.log)")
        }
    }

    @Test("+v with -v logs each negotiated presentation context: our storescp for DCMTK storescu, our storescu for DCMTK storescp",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func verbosePresentationContexts() async throws {
        let files = try TestInstances.files(1, label: "storescp-pc")
        let (peer, port, _) = try await Self.storescp(["-v", "+v"])
        defer { peer.stop() }
        let sent = try await PeerProcess.run(ExternalTools.require("storescu"), ["-R", "127.0.0.1", String(port)] + files)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(await eventually { peer.log.contains("with STORESCU: CT Image Storage (1.2.840.10008.5.1.4.1.1.2): accepted, ") }, "\(peer.log)")

        let dcmtkOutput = try TestInstances.temporaryDirectory("storescp-pc-dcmtk")
        let dcmtkPort = PeerProcess.freePort()
        let dcmtk = try await PeerProcess.listening(ExternalTools.require("storescp"), ["-od", dcmtkOutput, String(dcmtkPort)], on: dcmtkPort)
        defer { dcmtk.stop() }
        let ours = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "-v", "+v", "127.0.0.1", String(dcmtkPort)] + files)
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stderr.contains("presentation context 1 with ANY-SCP: CT Image Storage (1.2.840.10008.5.1.4.1.1.2): accepted, Explicit VR Little Endian"), "\(ours.stderr)")
        let quiet = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--no-progress", "-v", "127.0.0.1", String(dcmtkPort)] + files)
        #expect(!quiet.stderr.contains("presentation context"), "\(quiet.stderr)")
    }
}
