@testable import DICOMArchive
import DICOMNetwork
import Testing

/// The SQL forms of wild cards and person names, and the move destination formats.
@Suite("SQL prefilter patterns and configuration formats")
struct SQLPrefilterTests {
    @Test("wild cards become LIKE patterns, SQL's own wild cards escaped with !", arguments: [
        ("ACC*", "ACC%"), ("ACC_*", "ACC!_%"), ("*50%", "%50!%"), ("A?B", "A_%B"), ("x!y*", "x!!y%"),
    ])
    func likePatterns(_ pattern: String, _ expected: String) {
        #expect(SQLPrefilter.likePattern(pattern) == expected)
    }

    @Test("person names become case-folded containment patterns of their literal runs", arguments: [
        ("SMITH^J*", "%smith%j%"), ("smith", "%smith%"), ("*^JÜRGEN", "%jürgen%"), ("  SMITH ^ JOHN ", "%smith%john%"),
        ("50%", "%50!%%"),
    ])
    func personNamePatterns(_ key: String, _ expected: String) {
        #expect(SQLPrefilter.personNamePattern(key) == expected)
    }

    @Test("a person name key of one group starting with a literal also gives its first run as a prefix", arguments: [
        ("SMITH^J*", "smith%"), ("smith", "smith%"), ("Müller*", "müller%"), ("S?ITH", "s%"), ("50%*", "50!%%"),
        ("O'BRIEN", "o'brien%"),
    ])
    func personNamePrefixes(_ key: String, _ expected: String) {
        #expect(SQLPrefilter.personNamePrefix(key) == expected)
    }

    @Test("no prefix for a key starting with a wild card, a separator or a space, or with several groups")
    func personNameWithoutPrefix() {
        for key in ["*SMITH", "?MITH", "^JOHN", " SMITH", "SMITH=山田", "=山田*"] {
            #expect(SQLPrefilter.personNamePrefix(key) == nil, "\(key)")
        }
    }

    @Test("a person name key without a literal character gives no condition")
    func personNameWithoutLiterals() {
        #expect(SQLPrefilter.personNamePattern("*^*") == nil)
        #expect(SQLPrefilter.personNamePattern("?") == nil)
    }

    @Test("move destinations from AET@HOST:PORT and from a configuration file")
    func moveDestinations() throws {
        let parsed = try MoveDestinations.parse(argument: "STORESCP@127.0.0.1:11113")
        #expect(parsed.aeTitle == "STORESCP" && parsed.destination == MoveDestination(host: "127.0.0.1", port: 11113))
        let table = try MoveDestinations.parse(configuration: """
            # destinations
            STORESCP   127.0.0.1:11113
            \tVIEWER\t[::1]:4242   # IPv6

            PACS pacs.example.org:104
            """)
        #expect(table == [
            "STORESCP": MoveDestination(host: "127.0.0.1", port: 11113),
            "VIEWER": MoveDestination(host: "::1", port: 4242),
            "PACS": MoveDestination(host: "pacs.example.org", port: 104),
        ])
        for bad in ["NOPORT 127.0.0.1", "A B C", "THIS-TITLE-IS-TOO-LONG 1.2.3.4:5", "X 1.2.3.4:70000"] {
            #expect(throws: ArchiveError.self, "\(bad)") { try MoveDestinations.parse(configuration: bad) }
        }
        #expect(throws: ArchiveError.self) { try MoveDestinations.parse(argument: "127.0.0.1:104") }
    }

    @Test("--database arguments")
    func databaseArguments() throws {
        #expect(try IndexDatabase(argument: "postgres://u:p@db:5432/pacs") == .postgres(url: "postgres://u:p@db:5432/pacs"))
        #expect(try IndexDatabase(argument: "/tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try IndexDatabase(argument: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(throws: ArchiveError.self) { try IndexDatabase(argument: "mysql://x/y") }
        #expect(IndexDatabase.postgres(url: "postgres://u:secret@db:5432/pacs").description == "postgres: db:5432/pacs")
    }
}
