public import Foundation

/// Shared by the test targets (not shipped).
///
/// Locates the third-party programs the interop tests run (DCMTK's tools, the virtualenv's
/// Python with pydicom and pynetdicom) and decides what a missing one means.
///
/// `scripts/test` installs them; a developer running `swift test` by hand may not have them. A
/// test that needs one is enabled when the tool is there, and also whenever `CI=true`, so that in
/// CI a missing peer fails the run instead of skipping quietly.
public enum ExternalTools {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// Whether this run is CI's (`CI=true`), where a missing tool is a failure.
    public static let isCI: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The Python of the project's virtualenv (`NETDICOM_PYTHON` overrides), if present.
    public static let python: String? = {
        if let path = ProcessInfo.processInfo.environment["NETDICOM_PYTHON"] { return path }
        let venv = packageRoot.appendingPathComponent(".build-tools/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }()

    /// The path of an executable on `PATH`, if present.
    public static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether a test that needs `tool` runs: when it is present, and always under CI.
    public static func shouldRun(needing tool: String) -> Bool {
        isCI || (tool == "python" ? python != nil : executable(tool) != nil)
    }

    /// The path of `tool`, or an error that names the missing tool and how to install it.
    public static func require(_ tool: String) throws -> String {
        let found = tool == "python" ? python : executable(tool)
        guard let found else { throw MissingTool(name: tool) }
        return found
    }

    /// The `netdicom` binary of this build: the test bundle's directory is SwiftPM's product
    /// directory (`.build/<triple>/<configuration>/`), where the executable is built too when the
    /// test target depends on it. `NETDICOM_BINARY` overrides.
    public static func netdicom() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["NETDICOM_BINARY"] { return path }
        var directories: [URL] = []
        // Linux runs the test bundle itself; macOS runs it inside `xctest`, with the bundle loaded.
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        for directory in directories {
            let candidate = directory.appendingPathComponent("netdicom").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MissingTool(name: "netdicom (looked in \(directories.map(\.path)); build with `swift build` or set NETDICOM_BINARY)")
    }

    /// The directory of pydicom's bundled test files, asked of the virtualenv's pydicom.
    public static func pydicomTestFiles() throws -> URL {
        let output = try run(require("python"), ["-c", "import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files'))"])
        return URL(fileURLWithPath: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public struct MissingTool: Error, CustomStringConvertible {
        public var name: String

        public init(name: String) {
            self.name = name
        }

        public var description: String {
            "\(name) is missing: run scripts/test, which installs DCMTK and a virtualenv with pydicom and pynetdicom"
        }
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs a program to completion on a thread of its own and returns what it printed: the
    /// wait blocks no thread of the concurrency pool, which an in-process server's tasks need
    /// meanwhile (the pool has one thread per core).
    public static func runOffPool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try run(executable, arguments, environment: environment) })
            }.start()
        }
    }

    /// Runs a program to completion and returns what it printed.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs so neither fills up and blocks it.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExitStatus()
        while !errReader.isFinished { usleep(1000) }
        return Output(
            status: status,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
