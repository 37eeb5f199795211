import ArgumentParser
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

    @Test("an AE title longer than 16 characters is an error of the arguments, for every requestor")
    func longAETitles() {
        for arguments in [["echoscu"], ["findscu"], ["getscu"], ["movescu"], ["storescu"]] {
            let rest = ["127.0.0.1", "11112"] + (arguments == ["storescu"] ? ["file.dcm"] : [])
            #expect(throws: (any Error).self, "\(arguments)") { try NetDICOMCommand.parseAsRoot(arguments + ["-aec", "THIS_AE_TITLE_IS_TOO_LONG"] + rest) }
            #expect(throws: (any Error).self, "\(arguments)") { try NetDICOMCommand.parseAsRoot(arguments + ["-aet", "THIS_AE_TITLE_IS_TOO_LONG"] + rest) }
            #expect(throws: Never.self, "\(arguments)") { try NetDICOMCommand.parseAsRoot(arguments + ["-aec", "SIXTEEN_CHARS_OK"] + rest) }
        }
    }

    @Test("a query file that cannot be read is an error of the arguments of the command that names it, -S given or not")
    func unreadableQueryFile() {
        for command in ["findscu", "getscu", "movescu"] {
            for model in [[], ["-S"], ["-P"]] {
                let arguments = [command] + model + ["127.0.0.1", "11112", "/nonexistent/query.dcm"]
                let message = NetDICOMCommand.fullMessage(for: Self.error(arguments))
                #expect(message.contains("cannot read the query file /nonexistent/query.dcm"), "\(message)")
                // Told with the subcommand's usage, as every other error of its arguments.
                #expect(message.contains("Usage: netdicom \(command) "), "\(message)")
            }
        }
    }

    /// What parsing `arguments` throws (a test failure when nothing).
    private static func error(_ arguments: [String]) -> any Error {
        do {
            _ = try NetDICOMCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
            return ValidationError("parsed")
        } catch {
            return error
        }
    }
}
