import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// Data sets that read but break PS3.5, and data sets that only look whole, in C-STOREs (found
/// by mutating files: scripts/fuzz and the CLI probe):
/// - values of odd length: DCMTK's storescu sends them padded to even, and DCMTK's receivers abort
///   the association on a data set of odd length; our senders pad them too, from a file or a
///   retrieve, so the instance arrives and the association goes on;
/// - a "deflated" data set that is no deflate stream, and damage inside a defined-length sequence:
///   our SCP answers C000H and keeps nothing; our storescu does not send such a file;
/// - a UID longer than 64 characters: storescu fails that file alone, not the association.
@Suite("Malformed data sets in C-STORE", .tags(.interop))
struct MalformedDataSetStoreTests {
    /// A CT instance whose Patient Name is 7 bytes ("Doe^Joh", no padding), written as it is.
    static func oddLengthFile(in directory: String) throws -> (path: String, uid: UID) {
        let uid = UID.generate()
        var dataSet = try TestInstances.ct(sopInstanceUID: uid)
        dataSet[.patientName] = DataElement(tag: .patientName, vr: .PN, bytes: ByteBuffer(string: "Doe^Joh"))
        return (try TestInstances.write(dataSet, into: directory), uid)
    }

    /// A CT instance whose Referenced Image Sequence, of defined length, holds an element with
    /// the VR bytes "QQ".
    static func damagedSequenceDataSet() throws -> (bytes: ByteBuffer, uid: UID) {
        let uid = UID.generate()
        var item = DataSet()
        item.setString("1.2.3.4", for: .referencedSOPInstanceUID, vr: .UI)
        item.itemHasUndefinedLength = false
        var dataSet = try TestInstances.ct(sopInstanceUID: uid)
        dataSet.insert(DataElement(tag: .referencedImageSequence, items: [item], hasUndefinedLength: false))
        var bytes = try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian)
        // (0008,1155) UI inside the item: its VR bytes follow its tag.
        let view = Array(bytes.readableBytesView)
        let tag: [UInt8] = [0x08, 0x00, 0x55, 0x11]
        let at = try #require((0..<(view.count - 4)).first { Array(view[$0..<($0 + 4)]) == tag })
        bytes.setBytes(Array("QQ".utf8), at: bytes.readerIndex + at + 4)
        return (bytes, uid)
    }

    @Test("our Storage SCP: C000H for a deflated data set that is no deflate stream and for damage inside a defined-length item; nothing kept, the association goes on")
    func ourSCPRefuses() async throws {
        let output = try TestInstances.temporaryDirectory("malformed-in")
        var entity = try Entities.scp()
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian, .deflatedExplicitVRLittleEndian])
        let server = try await entity.startServer(host: "127.0.0.1", port: 0, handlers: ServiceHandlers(store: .directory(output)))
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.deflatedExplicitVRLittleEndian])
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)

        // Sent as they are: this API does not look inside the bytes.
        let plainUID = UID.generate()
        let plain = try DataSetWriter.encode(try TestInstances.ct(sopInstanceUID: plainUID), transferSyntax: .explicitVRLittleEndian)
        let notDeflated = try await association.store(
            encodedDataSet: plain, sopClassUID: .ctImageStorage, sopInstanceUID: plainUID, transferSyntax: .deflatedExplicitVRLittleEndian)
        #expect(notDeflated.status == .cannotUnderstand)
        let (damaged, damagedUID) = try Self.damagedSequenceDataSet()
        let refused = try await association.store(
            encodedDataSet: damaged, sopClassUID: .ctImageStorage, sopInstanceUID: damagedUID, transferSyntax: .explicitVRLittleEndian)
        #expect(refused.status == .cannotUnderstand)
        #expect(TestInstances.contents(of: output).isEmpty, "nothing of them is kept: \(TestInstances.contents(of: output))")

        // A real deflated data set still goes in.
        let goodUID = UID.generate()
        let deflated = try DataSetWriter.encode(try TestInstances.ct(sopInstanceUID: goodUID), transferSyntax: .deflatedExplicitVRLittleEndian)
        let accepted = try await association.store(
            encodedDataSet: deflated, sopClassUID: .ctImageStorage, sopInstanceUID: goodUID, transferSyntax: .deflatedExplicitVRLittleEndian)
        #expect(accepted.status == .success)
        try await association.release()
        #expect(TestInstances.instances(under: output).keys.sorted() == [goodUID.string])
    }

    @Test("netdicom storescu → DCMTK storescp: an odd-length value arrives padded, the malformed files and the one with a 70-character SOP Class UID fail alone, and DCMTK aborts nothing",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func ourCLIToDCMTK() async throws {
        let input = try TestInstances.temporaryDirectory("malformed-files")
        let (odd, oddUID) = try Self.oddLengthFile(in: input)
        let good = try TestInstances.write(try TestInstances.ct(), into: input)
        var longClass = try TestInstances.ct()
        longClass.setString("1.2.840.10008.5.1.4.1.1.2." + String(repeating: "1", count: 44), for: .sopClassUID, vr: .UI)
        let longClassFile = try TestInstances.write(longClass, into: input)
        // A file labelled deflated whose data set is not deflated: its meta says so, the data
        // set is written in Explicit VR Little Endian.
        let plain = try TestInstances.ct()
        let meta = FileMetaInformation.make(
            sopClassUID: .ctImageStorage, sopInstanceUID: try #require(plain.uid(.sopInstanceUID)),
            transferSyntax: .deflatedExplicitVRLittleEndian)
        let notDeflated = input + "/not-deflated.dcm"
        try DICOMFile(fileMetaInformation: meta, dataSet: plain, transferSyntax: .explicitVRLittleEndian)
            .write(toFileAt: notDeflated, durable: false)
        #expect(throws: DICOMParsingError.self) { try DICOMFile(contentsOf: notDeflated) }

        let output = try TestInstances.temporaryDirectory("malformed-dcmtk")
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["--aetitle", "DCMTK-SCP", "-od", output, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let result = try await PeerProcess.run(
            ExternalTools.netdicom(), ["storescu", "-aec", "DCMTK-SCP", "--no-progress", "127.0.0.1", String(port), longClassFile, notDeflated, odd, good])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(longClassFile): not sent: its SOP Class UID"), "\(result.stderr)")
        #expect(result.stderr.contains("\(notDeflated): not sent: ") && result.stderr.contains("the deflated data set is not a deflate stream"), "\(result.stderr)")
        #expect(result.stderr.contains("2 sent, 2 failed"), "\(result.stderr)")
        #expect(await eventually { TestInstances.instances(under: output).count == 2 }, "\(peer.log)")
        #expect(!peer.log.contains("abort") && !peer.log.contains("Odd"), "DCMTK saw no broken data set: \(peer.log)")
        let received = try #require(TestInstances.instances(under: output)[oddUID.string])
        #expect(received.dataSet[.patientName]?.bytes == ByteBuffer(string: "Doe^Joh "), "padded with a space, as DCMTK pads")
    }

    @Test("DCMTK getscu ← our C-GET SCP: a stored file with an odd-length value goes out padded, beside a good one, on one association",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")))
    func retrieveToDCMTK() async throws {
        let input = try TestInstances.temporaryDirectory("malformed-retrieve")
        let study = TestInstances.Study()
        var oddDataSet = try TestInstances.ct(study, instanceNumber: 1)
        oddDataSet[.patientName] = DataElement(tag: .patientName, vr: .PN, bytes: ByteBuffer(string: "Doe^Joh"))
        let odd = try TestInstances.write(oddDataSet, into: input)
        let good = try TestInstances.write(try TestInstances.ct(study, instanceNumber: 2), into: input)
        var entity = try Entities.scp()
        try entity.addSupportedContexts(for: .queryRetrieve, transferSyntaxes: [.explicitVRLittleEndian])
        try entity.addSupportedContexts(for: .storage, transferSyntaxes: [.explicitVRLittleEndian], scuRole: true, scpRole: true)
        let handlers = ServiceHandlers(get: { _ in RetrieveResult([.file(path: odd), .file(path: good)]) })
        let server = try await entity.startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }

        let output = try TestInstances.temporaryDirectory("malformed-getscu")
        let result = try await PeerProcess.run(ExternalTools.require("getscu"), [
            "-S", "-aec", "TEST-SCP", "-od", output, "-k", "QueryRetrieveLevel=STUDY",
            "-k", "StudyInstanceUID=\(study.studyInstanceUID.string)", "127.0.0.1", String(server.port)])
        #expect(!result.stderr.contains("Odd") && !result.stderr.contains("abort"), "\(result.stderr)")
        let received = TestInstances.instances(under: output)
        #expect(received.count == 2, "\(result.stderr)")
        let oddUID = try #require(oddDataSet.uid(.sopInstanceUID))
        let padded = try #require(received[oddUID.string])
        #expect(padded.dataSet[.patientName]?.bytes == ByteBuffer(string: "Doe^Joh "))
    }
}
