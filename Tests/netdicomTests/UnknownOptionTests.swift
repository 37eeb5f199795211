import ArgumentParser
import Testing
@testable import netdicom

/// An unknown option before a subcommand's positionals is reported as itself, not as the host or
/// port it pushed out of place.
@Suite("Unknown options before the positionals")
struct UnknownOptionTests {
    /// What main.swift does: the unknown option found once parsing `arguments` failed; nil when
    /// it parses.
    static func unknown(_ arguments: [String]) -> String? {
        do {
            _ = try NetDICOMCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return UnknownOption.find(in: arguments, failure: error)
        }
    }

    @Test("pynetdicom's findscu -f FILE, and a typo, are found; a command line that parses, or fails over its port alone, has none")
    func found() {
        #expect(Self.unknown(["findscu", "-f", "query.dcm", "127.0.0.1", "104"]) == "-f")
        #expect(Self.unknown(["storescu", "--aet-title", "ME", "127.0.0.1", "104", "a.dcm"]) == "--aet-title")
        #expect(Self.unknown(["findscu", "-k", "PatientName=-X", "-aec", "QR", "127.0.0.1", "104"]) == nil)
        #expect(Self.unknown(["findscu", "127.0.0.1", "notaport"]) == nil)
        #expect(Self.unknown(["getscu", "--max-pdu=16384", "127.0.0.1", "104"]) == nil)
    }

    @Test("the option names are read from the subcommand's help, short and long")
    func names() {
        let names = UnknownOption.optionNames(inHelpOf: FindSCU.self)
        #expect(names.isSuperset(of: ["-k", "--key", "-aec", "--call", "-P", "-S", "--max-pdu", "-pdu"]), "\(names.sorted())")
    }
}
