import Logging
import Synchronization
import Testing

@testable import netdicom

/// What a peer's words (an AE title, a UID, a comment) can do to the commands' log: nothing but
/// appear, escaped.
@Suite("Log lines: control characters from peers are escaped")
struct ControlCharacterEscapingLogHandlerTests {
    /// The messages and metadata a ``Recorder`` was handed.
    final class Lines: Sendable {
        let value = Mutex<[(String, Logger.Metadata?)]>([])
    }

    /// Keeps the messages and metadata it is handed.
    struct Recorder: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.value.withLock { $0.append((event.message.description, event.metadata)) }
        }
    }

    @Test("a carriage return, an escape sequence and a NUL become \\u{…}; a line feed is kept with the next line indented; metadata too")
    func escapes() {
        let lines = Lines()
        let logger = Logger(label: "test") { _ in ControlCharacterEscapingLogHandler(wrapped: Recorder(lines: lines)) }
        logger.info("association requested: EVIL\r\u{1B}[2J\0\n2026-11-24T00:00:00 fake line\tend", metadata: ["peer": "A\rB"])
        let (message, metadata) = lines.value.withLock { $0[0] }
        #expect(message == "association requested: EVIL\\u{d}\\u{1b}[2J\\u{0}\n    2026-11-24T00:00:00 fake line\tend")
        #expect(metadata?["peer"] == .string("A\\u{d}B"))
    }

    @Test("text without control characters passes as it is")
    func plainText() {
        #expect(ControlCharacterEscapingLogHandler.escaped("stored 1.2.3 from PEER (ÄÖ 山田)") == "stored 1.2.3 from PEER (ÄÖ 山田)")
    }
}
