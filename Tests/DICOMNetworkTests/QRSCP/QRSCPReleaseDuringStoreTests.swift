import DICOMCore
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// A requestor that releases (or aborts) in the middle of a C-STORE's data set: the association
/// ends as asked, nothing of the instance is kept, and the archive's log says what was lost
/// (found by a black-box review: the instance went without a word).
@Suite("qrscp: an association that ends during a data set")
struct QRSCPReleaseDuringStoreTests {
    @Test("A-RELEASE-RQ or A-ABORT after 3 MiB of an 8 MiB C-STORE: nothing kept, and a warning names the instance",
          arguments: ["release", "abort"])
    func endsDuringDataSet(_ how: String) async throws {
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-release-mid"))
        defer { archive.peer.stop() }
        let dataSet = try TestInstances.ct(rows: 2048, columns: 2048)  // 8 MiB of pixels
        let uid = try #require(dataSet.uid(.sopInstanceUID))
        let requestor = try await RawRequestor.associate(
            port: archive.port, calledAETitle: archive.aeTitle,
            contexts: [PresentationContext(abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])])
        defer { requestor.close() }
        let request = CStoreRequest(messageID: 1, affectedSOPClassUID: .ctImageStorage, affectedSOPInstanceUID: uid)
        try await requestor.sendPartialStore(request, dataSet: try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian), sentBytes: 3 << 20)
        if how == "release" {
            try await requestor.sendReleaseRequest()
            try await requestor.receiveReleaseResponse()
            requestor.close()
        } else {
            try await requestor.sendAbort()
        }

        let warning = "the association ended during C-STORE-RQ of \(uid.string), its data set not all received: not kept"
        #expect(await eventually(timeout: .seconds(10)) { archive.log.contains(warning) }, "\(archive.log)")
        let incoming = archive.storage + "/incoming"
        #expect(TestInstances.contents(of: incoming).filter { $0.hasSuffix(".dcm") }.isEmpty, "\(TestInstances.contents(of: incoming))")
        #expect(!TestInstances.files(under: archive.storage).contains { $0.hasSuffix("\(uid.string).dcm") })
    }
}
