import ArgumentParser
import Testing
@testable import netdicom

/// Every command refuses a port outside TCP's range before it starts, rather than listening on
/// or calling the port it wraps to.
@Suite("Port validation")
struct PortValidationTests {
    @Test("port 70000 is refused", arguments: [
        ["echoscp", "70000"], ["storescp", "70000"], ["qrscp", "--port", "70000"], ["qrscp", "70000"],
        ["echoscu", "127.0.0.1", "70000"], ["storescu", "127.0.0.1", "70000", "file.dcm"],
        ["findscu", "127.0.0.1", "70000"], ["getscu", "127.0.0.1", "70000"], ["movescu", "127.0.0.1", "70000"],
    ])
    func outOfRange(arguments: [String]) {
        #expect(throws: (any Error).self, "\(arguments)") { try NetDICOMCommand.parseAsRoot(arguments) }
    }

    @Test("port 11112 parses", arguments: [["echoscp", "11112"], ["storescp", "11112"], ["echoscu", "127.0.0.1", "11112"]])
    func inRange(arguments: [String]) throws {
        _ = try NetDICOMCommand.parseAsRoot(arguments)
    }
}
