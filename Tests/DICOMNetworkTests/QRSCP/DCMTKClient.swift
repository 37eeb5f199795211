import DICOMCore
import Foundation
import TestSupport

/// DCMTK's requestors — storescu, findscu, getscu, movescu — run against a ``QRSCPProcess`` on
/// loopback, verbose, returning what they printed (NULs of UID padding made visible, so that a
/// failure message is not cut short) and what they received.
enum DCMTKClient {
    /// The Query/Retrieve information model flag of findscu, getscu and movescu.
    enum Model: String {
        case patientRoot = "-P"
        case studyRoot = "-S"
    }

    /// What a find printed and the identifiers it received, in order.
    struct FindResult {
        var log: String
        var status: Int32
        var responses: [DataSet]
    }

    /// Stores `files` with `storescu -v`, on one association; `haltOnFailure: false` keeps going
    /// after a failed store (`-nh`).
    static func store(_ files: [String], to archive: QRSCPProcess, haltOnFailure: Bool = true) async throws -> ExternalTools.Output {
        let arguments = ["-v", "-aec", archive.aeTitle] + (haltOnFailure ? [] : ["-nh"]) + ["127.0.0.1", String(archive.port)] + files
        return readable(try await PeerProcess.run(ExternalTools.require("storescu"), arguments, timeout: .seconds(120)))
    }

    /// How many C-STORE responses with status Success storescu received.
    static func successfulStores(in log: String) -> Int {
        log.components(separatedBy: "Received Store Response (Success)").count - 1
    }

    /// A C-FIND with findscu, `keys` as `-k` arguments; the responses are extracted (`-X`) into a
    /// temporary directory and read back.
    static func find(_ model: Model, _ keys: [String], at archive: QRSCPProcess, extraArguments: [String] = []) async throws -> FindResult {
        let output = try TestInstances.temporaryDirectory("findscu")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let arguments = ["-v", model.rawValue, "-aec", archive.aeTitle, "-X", "-od", output] + extraArguments
            + keys.flatMap { ["-k", $0] } + ["127.0.0.1", String(archive.port)]
        let result = readable(try await PeerProcess.run(ExternalTools.require("findscu"), arguments))
        // rsp0001.dcm, rsp0002.dcm…: the names sort in arrival order.
        let responses = try TestInstances.files(under: output).map { try DICOMFile(contentsOf: $0).dataSet }
        return FindResult(log: result.stdout, status: result.status, responses: responses)
    }

    /// A C-GET with getscu, the instances written into `directory`; `extraArguments` go before
    /// the keys (`-pdu N`).
    static func get(_ model: Model, _ keys: [String], from archive: QRSCPProcess, into directory: String,
                    extraArguments: [String] = []) async throws -> ExternalTools.Output {
        let arguments = ["-v", model.rawValue, "-aec", archive.aeTitle, "-od", directory] + extraArguments
            + keys.flatMap { ["-k", $0] } + ["127.0.0.1", String(archive.port)]
        return readable(try await PeerProcess.run(ExternalTools.require("getscu"), arguments))
    }

    /// A C-MOVE with movescu to `destination`; `extraArguments` go before the keys (for movescu's
    /// own Storage SCP: `+P PORT -od DIR`, its cancel: `--cancel N`).
    static func move(_ model: Model, _ keys: [String], from archive: QRSCPProcess, to destination: String,
                     extraArguments: [String] = []) async throws -> ExternalTools.Output {
        let arguments = ["-v", model.rawValue, "-aec", archive.aeTitle, "-aem", destination] + extraArguments
            + keys.flatMap { ["-k", $0] } + ["127.0.0.1", String(archive.port)]
        return readable(try await PeerProcess.run(ExternalTools.require("movescu"), arguments))
    }

    /// The output with NULs shown as `\0`.
    private static func readable(_ output: ExternalTools.Output) -> ExternalTools.Output {
        let log = output.stdout.replacingOccurrences(of: "\0", with: "\\0")
        return ExternalTools.Output(status: output.status, stdout: log, stderr: log)
    }
}
