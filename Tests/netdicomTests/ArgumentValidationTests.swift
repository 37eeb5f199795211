import ArgumentParser
import Testing
@testable import netdicom

/// Arguments the requestors refuse before they start, with their own usage: an AE title PS3.5
/// does not allow, a query file that cannot be read.
@Suite("Argument validation of the requestors")
struct ArgumentValidationTests {
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
