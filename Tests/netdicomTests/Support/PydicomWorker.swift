import Foundation
import TestSupport

/// One `scripts/pydicom_compare.py --serve` process shared by all test cases: a request is a
/// line of JSON, the answer a line of JSON. Starting Python and importing pydicom once instead of
/// once per file keeps the interop suite fast.
///
/// Requests are serialized by a lock. The process ends when the test process does: its standard
/// input closes and the script's read loop ends.
final class PydicomWorker: @unchecked Sendable {
    static let shared: Result<PydicomWorker, ExternalTools.MissingTool> = Result { () throws(ExternalTools.MissingTool) -> PydicomWorker in
        do {
            return try PydicomWorker()
        } catch let error as ExternalTools.MissingTool {
            throw error
        } catch {
            throw ExternalTools.MissingTool(name: "a running scripts/pydicom_compare.py (\(error))")
        }
    }

    private let process = Process()
    private let input: FileHandle
    private let output: FileHandle
    private var pending = Data()
    private let lock = NSLock()

    private init() throws {
        let script = ExternalTools.packageRoot.appendingPathComponent("scripts/pydicom_compare.py").path
        process.executableURL = URL(fileURLWithPath: try ExternalTools.require("python"))
        process.arguments = [script, "--serve"]
        let inPipe = Pipe()
        let outPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        // The script answers errors in its JSON; pydicom's warnings would only fill a pipe.
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = inPipe.fileHandleForWriting
        output = outPipe.fileHandleForReading
    }

    /// Compares `original` with each of `transcoded` (see the script's documentation).
    func compare(original: String, transcoded: [String]) throws -> PydicomComparison {
        let line = try lock.withLock { () throws -> Data in
            var request = try JSONSerialization.data(withJSONObject: [original] + transcoded)
            request.append(UInt8(ascii: "\n"))
            try input.write(contentsOf: request)
            return try readLine()
        }
        return try JSONDecoder().decode(PydicomComparison.self, from: line)
    }

    private func readLine() throws -> Data {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                return Data(line)
            }
            // availableData returns what one read gives; read(upToCount:) would wait for all of it.
            let chunk = output.availableData
            guard !chunk.isEmpty else {
                throw ExternalTools.MissingTool(name: "an answer from scripts/pydicom_compare.py (it exited with status \(process.isRunning ? "none yet" : String(process.terminationStatus)))")
            }
            pending.append(chunk)
        }
    }
}
