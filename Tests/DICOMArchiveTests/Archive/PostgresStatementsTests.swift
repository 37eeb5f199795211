@testable import DICOMArchive
import DICOMCore
import Foundation
import PostgresKit
import Testing

/// The prepared statements of a new instance on PostgreSQL: their text and their binding types
/// must agree with the values bound, or PostgreSQL refuses them (or reads an integer's bytes as
/// another type). They run against a real server in the archive suites' PostgreSQL backend.
@Suite("PostgreSQL prepared statements")
struct PostgresStatementsTests {
    static func instance() throws -> IndexedInstance {
        var fixture = ArchiveFixtures.Instance()
        fixture.seriesNumber = "7"
        return try IndexedInstance(
            dataSet: ArchiveFixtures.dataSet(fixture), path: "a/b/c.dcm", fileSize: 1234, transferSyntaxUID: UID.explicitVRLittleEndian.string)
    }

    @Test("the upsert binds one value per placeholder, integers as BIGINT and text as TEXT, in the order of IndexUpsert")
    func upsertBindings() throws {
        let upsert = PostgresStatements.Upsert(try Self.instance(), storedAt: "2026-11-23T00:00:00Z")
        let placeholders = try Regex("\\$[0-9]+")
        let numbers = PostgresStatements.Upsert.sql.matches(of: placeholders).map { Int(PostgresStatements.Upsert.sql[$0.range].dropFirst())! }
        #expect(numbers == Array(1...upsert.values.count))
        #expect(PostgresStatements.Upsert.bindingDataTypes.count == upsert.values.count)
        for (value, type) in zip(upsert.values, PostgresStatements.Upsert.bindingDataTypes) {
            switch value {
            case .integer: #expect(type == .int8)
            case .text: #expect(type == .text)
            }
        }
        #expect(upsert.values.contains(.integer(7)) && upsert.values.contains(.integer(1234)))
        #expect(upsert.makeBindings().count == upsert.values.count)
        #expect(PostgresStatements.Upsert.sql.hasPrefix("WITH upserted_patient AS (INSERT INTO patient ("))
        #expect(PostgresStatements.Upsert.sql.contains(" INSERT INTO instance ("))
    }

    @Test("the look-up binds its one placeholder, the SOP Instance UID, as TEXT")
    func lookup() throws {
        let sql = PostgresStatements.StoredCopyLookup.sql
        let placeholders = sql.matches(of: try Regex("\\$[0-9]+")).map { String(sql[$0.range]) }
        #expect(placeholders == ["$1"])
        #expect(sql.hasSuffix("WHERE instance.sop_instance_uid = $1"))
        #expect(PostgresStatements.StoredCopyLookup.bindingDataTypes == [.text])
        #expect(PostgresStatements.StoredCopyLookup(sopInstanceUID: "1.2.3").makeBindings().count == 1)
    }
}
