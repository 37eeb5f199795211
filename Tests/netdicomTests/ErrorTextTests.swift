import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
@testable import netdicom

/// What the commands print of an error: words for a person, without the libraries' code
/// names, source locations and error domains.
@Suite("Error wording of the commands")
struct ErrorTextTests {
    @Test("an association error is its detail; a rejection keeps its words")
    func associationErrors() {
        #expect(ErrorText.describe(AssociationError(.connectionFailed, "cannot connect to 127.0.0.1:1: connection refused"))
            == "cannot connect to 127.0.0.1:1: connection refused")
        // With nothing but its code, the code is all there is to say.
        #expect(ErrorText.describe(AssociationError(.timedOut, "")) == "\(AssociationError(.timedOut, ""))")
        let rejection = AssociationError(
            .rejected, "rejected (permanent), DICOM UL service-user, called AE title not recognized",
            rejection: PDU.AssociateRJ(result: .init(rawValue: 1), source: .init(rawValue: 1), reason: .init(rawValue: 7)))
        #expect(ErrorText.describe(rejection) == "association rejected: rejected (permanent), DICOM UL service-user, called AE title not recognized")
    }

    @Test("a parsing error is its detail, or its code in words, and where it is past the first byte")
    func parsingErrors() {
        #expect(ErrorText.describe(DICOMParsingError(.notPart10, offset: 0, "a.txt: 3 bytes: neither a DICOM file nor a data set"))
            == "a.txt: 3 bytes: neither a DICOM file nor a data set")
        #expect(ErrorText.describe(DICOMParsingError(.valueLengthExceedsInput, offset: 132, tag: Tag(0x0010_0010)))
            == "value length exceeds input (at byte 132, in \(Tag(0x0010_0010)))")
    }

    @Test("an ACSE error is its reason; Foundation's file error is the system's")
    func otherErrors() throws {
        let acse = #expect(throws: ACSEError.self) { try AETitle.validate("THIS_AE_TITLE_IS_TOO_LONG") }
        #expect(ErrorText.describe(try #require(acse)) == #"AE title "THIS_AE_TITLE_IS_TOO_LONG" is 25 characters, more than 16 (PS3.5 §6.2)"#)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-errortext-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let cocoa = #expect(throws: (any Error).self) { try FileManager.default.createDirectory(atPath: file + "/sub", withIntermediateDirectories: true) }
        #expect(ErrorText.describe(try #require(cocoa)) == "Not a directory")
    }
}
