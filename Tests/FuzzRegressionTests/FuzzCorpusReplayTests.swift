import Foundation
import Testing
import TestSupport

/// The fuzz targets' properties, checked on every test run over the corpus kept beside this file:
/// what the fuzzers learnt (each input reaches code the others do not) guards every change,
/// without the sanitizer build that fuzzing needs. An input that breaks a property now is a
/// regression; one that traps stops the run, as it would stop the fuzzer.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    /// The targets of scripts/fuzz and their properties.
    static let targets: [(name: String, check: @Sendable (UnsafeBufferPointer<UInt8>) throws(PropertyViolation) -> Void)] = [
        ("pdu", PDUProperties.check),
        ("command-set", CommandSetProperties.check),
        ("data-set", DataSetProperties.check),
        ("part10", Part10Properties.check),
        ("query", QueryProperties.check),
    ]

    @Test("every kept input keeps its target's properties", arguments: targets.map(\.name))
    func replay(_ target: String) throws {
        let check = try #require(Self.targets.first { $0.name == target }).check
        let directory = ExternalTools.packageRoot.appendingPathComponent("Tests/FuzzRegressionTests/Corpus/\(target)")
        let (inputs, violations) = try Self.replay(directory, check)
        // A corpus lost or emptied would make this test pass without checking anything.
        #expect(inputs >= 10, "\(directory.path) holds \(inputs) inputs")
        for violation in violations { Issue.record("\(target)/\(violation)") }
    }

    /// Runs `check` on every file of `directory`: how many there were, and for each violation
    /// the file's name and what it broke.
    static func replay(
        _ directory: URL, _ check: (UnsafeBufferPointer<UInt8>) throws(PropertyViolation) -> Void
    ) throws -> (inputs: Int, violations: [String]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var violations: [String] = []
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            do throws(PropertyViolation) {
                try bytes.withUnsafeBufferPointer { (buffer) throws(PropertyViolation) in try check(buffer) }
            } catch {
                violations.append("\(name): \(error)")
            }
        }
        return (names.count, violations)
    }

    @Test("the replay names each input that breaks a property, with what it broke, and only those")
    func replayReportsViolations() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-fuzz-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data([0x01, 0x02]).write(to: directory.appendingPathComponent("a"))
        try Data([0xFF]).write(to: directory.appendingPathComponent("b"))
        try Data().write(to: directory.appendingPathComponent("c"))
        let (inputs, violations) = try Self.replay(directory) { (bytes) throws(PropertyViolation) in
            if bytes.first == 0xFF { throw PropertyViolation("starts with FFH") }
        }
        #expect(inputs == 3)
        #expect(violations == ["b: starts with FFH"])
    }
}
