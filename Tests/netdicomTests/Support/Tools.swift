import Foundation

/// The programs the `netdicom` tests run: the `netdicom` binary SwiftPM built beside this test
/// bundle, DCMTK's `dcmdump`, and the virtualenv's Python with pydicom.
///
/// The same rules as DICOMCoreTests' `ExternalTools`: a test that needs a third-party tool is
/// enabled when the tool is present, and always under `CI=true`, where a missing tool fails the
/// run instead of skipping it.
enum Tools {
    /// The package root, found from this file's path.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static let isCI: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether a test that needs `tool` ("python" or a program on PATH) runs.
    static func shouldRun(needing tool: String) -> Bool {
        isCI || (tool == "python" ? python != nil : executable(tool) != nil)
    }

    /// The path of `tool`, or an error naming it.
    static func require(_ tool: String) throws -> String {
        guard let found = tool == "python" ? python : executable(tool) else { throw Missing(name: tool) }
        return found
    }

    /// The `netdicom` binary of this build: the test bundle's directory is SwiftPM's product
    /// directory (`.build/<triple>/<configuration>/`), where the executable is built too because
    /// this test target depends on it. `NETDICOM_BINARY` overrides.
    static func netdicom() throws -> String {
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
        throw Missing(name: "netdicom (looked in \(directories.map(\.path)); build with `swift build` or set NETDICOM_BINARY)")
    }

    static let python: String? = {
        if let path = ProcessInfo.processInfo.environment["NETDICOM_PYTHON"] { return path }
        let venv = packageRoot.appendingPathComponent(".build-tools/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }()

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// pydicom's test files and charset files, asked of the virtualenv's pydicom once.
    static func pydicomFiles() throws -> [URL] {
        try pydicomFileList.get()
    }

    private static let pydicomFileList: Result<[URL], Missing> = Result { () throws(Missing) -> [URL] in
        guard let python else { throw Missing(name: "python") }
        let output = try? run(python, ["-c", "import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), 'data'))"])
        guard let output, output.status == 0 else { throw Missing(name: "pydicom") }
        let data = URL(fileURLWithPath: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        var urls: [URL] = []
        for folder in ["test_files", "charset_files"] {
            let directory = data.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
                throw Missing(name: "pydicom's \(folder)")
            }
            urls += names.filter { $0.hasSuffix(".dcm") }.sorted().map { directory.appendingPathComponent($0) }
        }
        return urls
    }

    /// The names of pydicom's files, for `@Test(arguments:)`. When Python is missing outside CI
    /// the suites are disabled and there are none; under CI one bogus name makes the test fail.
    static let pydicomFileNames: [String] = {
        guard python != nil else { return isCI ? ["python is missing"] : [] }
        return (try? pydicomFiles().map(\.lastPathComponent)) ?? ["pydicom's test files are missing"]
    }()

    /// The URL of pydicom's file `name`.
    static func pydicomFile(_ name: String) throws -> URL {
        guard let url = try pydicomFiles().first(where: { $0.lastPathComponent == name }) else {
            throw Missing(name: "pydicom test file \(name)")
        }
        return url
    }

    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "\(name) is missing: run scripts/test, which installs DCMTK and a virtualenv with pydicom"
        }
    }

    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion and returns what it printed.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
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
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
