import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// An instance retrieved by a peer that prefers Deflated Explicit VR Little Endian or Explicit VR
/// Big Endian: qrscp converts a large one as it reads its file (memory does not grow with the
/// instance), and the peer receives the data set stored.
@Suite("netdicom qrscp → DCMTK getscu +xd, +xb: large instances converted as they are sent", .tags(.interop))
struct QRSCPConvertedRetrieveTests {
    @Test("an 11 MB Explicit VR Little Endian instance and a small one come to getscu in the syntax it prefers, each data set the one stored",
          .enabled(if: ExternalTools.shouldRun(needing: "getscu")),
          arguments: [("+xd", TransferSyntax.deflatedExplicitVRLittleEndian), ("+xb", .explicitVRBigEndian)])
    func getscuPreference(_ option: String, _ syntax: TransferSyntax) async throws {
        let directory = try TestInstances.temporaryDirectory("qrscp-converted-sent")
        let study = TestInstances.Study()
        let large = try TestInstances.write(TestInstances.ct(study, instanceNumber: 1, rows: 2400, columns: 2400), into: directory)
        let small = try TestInstances.write(TestInstances.ct(study, instanceNumber: 2), into: directory)
        #expect(try DICOMFile(contentsOf: large).dataSet[.pixelData]?.bytes?.readableBytes ?? 0 > 8 << 20)
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-converted"))
        defer { archive.peer.stop() }
        let stored = try await DCMTKClient.store([large, small], to: archive)
        #expect(DCMTKClient.successfulStores(in: stored.stdout) == 2, "\(stored.stdout)")

        let output = try TestInstances.temporaryDirectory("qrscp-converted-got")
        let got = try await PeerProcess.run(ExternalTools.require("getscu"), [
            "-v", "-S", option, "-aec", archive.aeTitle, "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(study.studyInstanceUID.string)",
            "127.0.0.1", String(archive.port)], timeout: .seconds(120))
        #expect(got.status == 0, "\(got.stderr)\nqrscp:\n\(archive.log)")
        let received = TestInstances.instances(under: output)
        #expect(received.count == 2, "\(got.stderr)")
        for path in [large, small] {
            let original = try DICOMFile(contentsOf: path)
            let uid = try #require(original.dataSet.uid(.sopInstanceUID)?.string)
            let arrived = try #require(received.first { $0.value.dataSet.uid(.sopInstanceUID)?.string == uid }?.value, "\(uid) did not arrive")
            #expect(arrived.transferSyntax == syntax)
            #expect(arrived.dataSet == original.dataSet, "\(uid): the data set stored")
        }
    }
}
