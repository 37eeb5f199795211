import Foundation
import TestSupport

/// pydicom's test files and charset files, the inputs of the dump and transcoding comparisons,
/// asked of the virtualenv's pydicom once.
enum PydicomTestFiles {
    /// Every `.dcm` file of pydicom's `test_files` and `charset_files`.
    static func all() throws -> [URL] {
        try list.get()
    }

    private static let list: Result<[URL], ExternalTools.MissingTool> = Result { () throws(ExternalTools.MissingTool) -> [URL] in
        guard let python = ExternalTools.python else { throw ExternalTools.MissingTool(name: "python") }
        let output = try? ExternalTools.run(python, ["-c", "import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), 'data'))"])
        guard let output, output.status == 0 else { throw ExternalTools.MissingTool(name: "pydicom") }
        let data = URL(fileURLWithPath: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        var urls: [URL] = []
        for folder in ["test_files", "charset_files"] {
            let directory = data.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
                throw ExternalTools.MissingTool(name: "pydicom's \(folder)")
            }
            urls += names.filter { $0.hasSuffix(".dcm") }.sorted().map { directory.appendingPathComponent($0) }
        }
        return urls
    }

    /// The names of pydicom's files, for `@Test(arguments:)`. When Python is missing outside CI
    /// the suites are disabled and there are none; under CI one bogus name makes the test fail.
    static let names: [String] = {
        guard ExternalTools.python != nil else { return ExternalTools.isCI ? ["python is missing"] : [] }
        return (try? all().map(\.lastPathComponent)) ?? ["pydicom's test files are missing"]
    }()

    /// The URL of pydicom's file `name`.
    static func url(_ name: String) throws -> URL {
        guard let url = try all().first(where: { $0.lastPathComponent == name }) else {
            throw ExternalTools.MissingTool(name: "pydicom test file \(name)")
        }
        return url
    }
}
