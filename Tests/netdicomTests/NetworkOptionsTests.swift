import ArgumentParser
import DICOMNetwork
import Logging
import Testing
@testable import netdicom

/// The timeout and log flags, spelled as DCMTK's and pynetdicom's tools spell them.
@Suite("Network and logging options")
struct NetworkOptionsTests {
    @Test("-ta is the ACSE timeout, -to the connection timeout, -td and -tn the DIMSE and network ones")
    func timeouts() throws {
        let options = try NetworkOptions.parse(["-ta", "5", "-to", "2.5", "-td", "7", "-tn", "9"])
        var entity = ApplicationEntity(aeTitle: "TEST")
        options.configure(&entity)
        #expect(entity.acseTimeout == .seconds(5))
        #expect(entity.connectionTimeout == .milliseconds(2500))
        #expect(entity.dimseTimeout == .seconds(7))
        #expect(entity.networkTimeout == .seconds(9))
    }

    @Test("DCMTK's -ts and --socket-timeout are the network timeout too")
    func socketTimeout() throws {
        for name in ["-ts", "--socket-timeout"] {
            var entity = ApplicationEntity(aeTitle: "TEST")
            try NetworkOptions.parse([name, "12"]).configure(&entity)
            #expect(entity.networkTimeout == .seconds(12), "\(name)")
        }
    }

    @Test("-pdu takes 0 (unlimited) or DCMTK's 4096 and up; a smaller size or a timeout that is not positive is refused before connecting")
    func ranges() throws {
        var entity = ApplicationEntity(aeTitle: "TEST")
        try NetworkOptions.parse(["-pdu", "0"]).configure(&entity)
        #expect(entity.maximumPDUSize == 0)
        try NetworkOptions.parse(["-pdu", "4096"]).configure(&entity)
        #expect(entity.maximumPDUSize == 4096)
        #expect(throws: (any Error).self) { try NetworkOptions.parse(["-pdu", "16"]) }
        #expect(throws: (any Error).self) { try NetworkOptions.parse(["-pdu", "4095"]) }
        #expect(throws: (any Error).self) { try NetworkOptions.parse(["-ta", "0"]) }
        #expect(throws: (any Error).self) { try NetworkOptions.parse(["-tn", "-5"]) }
    }

    @Test("without -to there is no connection timeout of its own: the network timeout applies")
    func noConnectionTimeout() throws {
        var entity = ApplicationEntity(aeTitle: "TEST")
        try NetworkOptions.parse([]).configure(&entity)
        #expect(entity.connectionTimeout == nil)
        #expect(entity.acseTimeout == .seconds(30))
    }

    @Test("-ll takes swift-log's level names and DCMTK's warn and fatal; an unknown one is refused", arguments: [
        ("trace", Logger.Level.trace), ("debug", .debug), ("info", .info), ("warn", .warning), ("warning", .warning),
        ("error", .error), ("fatal", .critical), ("critical", .critical),
    ])
    func logLevels(name: String, level: Logger.Level) throws {
        #expect(try LoggingOptions.parse(["-ll", name]).level == level)
        #expect(try LoggingOptions.parse(["--log-level", name]).level == level)
    }

    @Test("-q logs critical failures only; -v, -d and -ll win over it; the default is warning")
    func quiet() throws {
        #expect(try LoggingOptions.parse(["-q"]).level == .critical)
        #expect(try LoggingOptions.parse(["--quiet"]).level == .critical)
        #expect(try LoggingOptions.parse(["-q", "-v"]).level == .info)
        #expect(try LoggingOptions.parse(["-q", "-ll", "debug"]).level == .debug)
        #expect(try LoggingOptions.parse([]).level == .warning)
    }

    @Test("an unknown log level is refused")
    func unknownLogLevel() {
        #expect(throws: (any Error).self) { try LoggingOptions.parse(["-ll", "loud"]) }
    }
}
