import ArgumentParser
import Testing
@testable import netdicom

/// Every command refuses a port outside TCP's range before it starts, rather than listening on
/// or calling the port it wraps to.
@Suite("Port validation")
struct PortValidationTests {
    @Test("port 11112 parses and 70000 is refused", arguments: [
        ["echoscp", "PORT"], ["storescp", "PORT"], ["qrscp", "--port", "PORT"], ["qrscp", "PORT"],
        ["echoscu", "127.0.0.1", "PORT"], ["storescu", "127.0.0.1", "PORT", "file.dcm"],
        ["findscu", "127.0.0.1", "PORT"], ["getscu", "127.0.0.1", "PORT"], ["movescu", "127.0.0.1", "PORT"],
    ])
    func ports(arguments: [String]) throws {
        func with(_ port: String) -> [String] { arguments.map { $0 == "PORT" ? port : $0 } }
        _ = try NetDICOMCommand.parseAsRoot(with("11112"))
        #expect(throws: (any Error).self, "\(arguments)") { try NetDICOMCommand.parseAsRoot(with("70000")) }
    }
}
