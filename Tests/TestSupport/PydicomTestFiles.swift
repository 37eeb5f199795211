public import Foundation

/// pydicom's test files and charset files: a corpus of real-world and deliberately odd Part 10
/// files (every transfer syntax, truncated files, private sequences, files without meta
/// information), asked of the virtualenv's pydicom once.
public enum PydicomTestFiles {
    /// Every `.dcm` file of pydicom's `test_files` and `charset_files`, sorted by name within each.
    public static func all() throws -> [URL] {
        try list.get()
    }

    private static let list: Result<[URL], ExternalTools.MissingTool> = Result { () throws(ExternalTools.MissingTool) -> [URL] in
        guard let testFiles = try? ExternalTools.pydicomTestFiles() else { throw ExternalTools.MissingTool(name: "pydicom") }
        var urls: [URL] = []
        for directory in [testFiles, testFiles.deletingLastPathComponent().appendingPathComponent("charset_files")] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
                throw ExternalTools.MissingTool(name: "pydicom's \(directory.lastPathComponent)")
            }
            urls += names.filter { $0.hasSuffix(".dcm") }.sorted().map { directory.appendingPathComponent($0) }
        }
        return urls
    }

    /// The names of pydicom's files, for `@Test(arguments:)`. When Python is missing outside CI
    /// the suites are disabled and there are none; under CI one bogus name makes the test fail.
    public static let names: [String] = {
        guard ExternalTools.python != nil else { return ExternalTools.isCI ? ["python is missing"] : [] }
        return (try? all().map(\.lastPathComponent)) ?? ["pydicom's test files are missing"]
    }()

    /// The URL of pydicom's file `name`.
    public static func url(_ name: String) throws -> URL {
        guard let url = try all().first(where: { $0.lastPathComponent == name }) else {
            throw ExternalTools.MissingTool(name: "pydicom test file \(name)")
        }
        return url
    }
}
