import DICOMCore
import Foundation
import Testing
import TestSupport

/// Our movescu and getscu `--cancel N` (DCMTK movescu's option) against the archives that honour
/// a C-CANCEL: netdicom qrscp and DCMTK's dcmqrscp. The retrieve must end with Cancel (FE00H)
/// before all sub-operations, the tool must say it cancelled and exit 0, and what arrived must be
/// intact.
@Suite("netdicom movescu and getscu --cancel against netdicom qrscp and dcmqrscp", .tags(.interop))
struct RetrieveCancelClientTests {
    /// Enough sub-operations that a C-CANCEL sent after the first pending response arrives while
    /// most are still to do (as in ``QRSCPCancellationTests``).
    static let instanceCount = QRSCPCancellationTests.instanceCount

    /// An archive to retrieve from: its port and AE title, what it logged, and how to stop it.
    struct Source {
        var port: Int
        var aeTitle: String
        var log: () -> String
        var stop: () -> Void
    }

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case netdicom = "netdicom qrscp"
        case dcmtk = "dcmqrscp"
        var testDescription: String { rawValue }
    }

    /// `kind` holding `content`, knowing movescu's Storage SCP at `storePort` as MOVESCU.
    static func source(_ kind: Kind, holding content: ArchiveContent, storePort: Int) async throws -> Source {
        switch kind {
        case .netdicom:
            let archive = try await QRSCPCancellationTests.archive(holding: content, moveDestinations: ["MOVESCU": storePort])
            return Source(port: archive.port, aeTitle: archive.aeTitle, log: { archive.log }, stop: { archive.peer.stop() })
        case .dcmtk:
            let archive = try await DCMTKArchive(destinations: ["MOVESCU": storePort])
            do {
                try await archive.load(content.files)
            } catch {
                archive.stop()
                throw error
            }
            return Source(port: archive.port, aeTitle: DCMTKArchive.aeTitle, log: { archive.peer.log }, stop: { archive.stop() })
        }
    }

    /// The counts of the summary line `C-MOVE: N completed, …` (or C-GET) in `output`.
    static func completed(in output: String, operation: String) -> Int? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("\(operation): ") && $0.contains(" completed") }),
              let range = line.range(of: "\(operation): ") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    @Test("movescu --cancel 1: the move ends with Cancel (FE00H) before all sub-operations, exit 0; what arrived is intact",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")),
          arguments: Kind.allCases)
    func movescuCancels(_ kind: Kind) async throws {
        let content = try await ArchiveContent.generate(count: Self.instanceCount, rows: 128, columns: 128)
        let storePort = PeerProcess.freePort()
        let source = try await Self.source(kind, holding: content, storePort: storePort)
        defer { source.stop() }
        let output = try TestInstances.temporaryDirectory("netdicom-movescu-cancel")
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "movescu", "-v", "-S", "-aet", "MOVESCU", "-aec", source.aeTitle, "--store-port", String(storePort), "--store-bind", "127.0.0.1",
            "-od", output, "--cancel", "1", "-td", "10",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(source.port)])
        try Self.expectCancelled(result, operation: "C-MOVE", from: source, kind: kind, content: content, output: output)
    }

    @Test("getscu --cancel 1: the get ends with Cancel (FE00H) before all sub-operations, exit 0; what arrived is intact",
          .enabled(if: ExternalTools.shouldRun(needing: "storescu")), .enabled(if: ExternalTools.shouldRun(needing: "dcmqrscp")),
          arguments: Kind.allCases)
    func getscuCancels(_ kind: Kind) async throws {
        let content = try await ArchiveContent.generate(count: Self.instanceCount, rows: 128, columns: 128)
        let source = try await Self.source(kind, holding: content, storePort: PeerProcess.freePort())
        defer { source.stop() }
        let output = try TestInstances.temporaryDirectory("netdicom-getscu-cancel")
        // One C-STORE at a time, as from a peer that grants no window: the C-CANCEL then meets
        // most sub-operations still to do.
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "getscu", "-v", "-S", "-aec", source.aeTitle, "--async-window", "1", "-od", output, "--cancel", "1", "-td", "10",
            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=\(content.seriesA1.studyInstanceUID.string)",
            "127.0.0.1", String(source.port)])
        try Self.expectCancelled(result, operation: "C-GET", from: source, kind: kind, content: content, output: output)
    }

    /// The tool's run of `operation` with --cancel 1: exit 0, the C-CANCEL and the Cancel status in
    /// its summary, some but not all sub-operations completed, and as many instances intact in
    /// `output`.
    static func expectCancelled(
        _ result: ExternalTools.Output, operation: String, from source: Source, kind: Kind, content: ArchiveContent, output: String
    ) throws {
        let log = "\(operation):\n\(result.stderr)\n\(kind.rawValue):\n\(source.log())"
        #expect(result.status == 0, "\(log)")
        #expect(result.stderr.contains("C-CANCEL sent after 1 pending response; final status FE00H"), "\(log)")
        let completed = try #require(Self.completed(in: result.stderr, operation: operation), "\(log)")
        #expect(completed >= 1 && completed < Self.instanceCount, "\(log)")
        #expect(QRSCPCancellationTests.expectIntactSubset(under: output, of: content, log: log) == completed, "\(log)")
    }

    @Test("movescu and getscu refuse --cancel 0 before connecting")
    func cancelZero() async throws {
        for command in ["movescu", "getscu"] {
            let result = try await PeerProcess.run(ExternalTools.netdicom(), [command, "--cancel", "0", "127.0.0.1", "1"])
            #expect(result.status != 0, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("--cancel must be at least 1"), "\(command): \(result.stderr)")
        }
    }
}
