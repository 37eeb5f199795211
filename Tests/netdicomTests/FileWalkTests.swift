import Foundation
import Testing
@testable import netdicom

/// storescu's file list: what `FileWalk` finds under the paths it is given.
@Suite("File walk (storescu's paths)")
struct FileWalkTests {
    @Test("a directory gives its regular files at every depth, sorted; links to files count, links to directories are not followed")
    func directory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("filewalk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let manager = FileManager.default
        try manager.createDirectory(atPath: "\(root)/b/deeper", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: "\(root)/empty", withIntermediateDirectories: true)
        for file in ["\(root)/z.dcm", "\(root)/b/a.dcm", "\(root)/b/deeper/c", "\(root)/.hidden"] {
            #expect(manager.createFile(atPath: file, contents: Data([1])))
        }
        try manager.createSymbolicLink(atPath: "\(root)/link-to-file", withDestinationPath: "\(root)/z.dcm")
        try manager.createSymbolicLink(atPath: "\(root)/link-to-dir", withDestinationPath: "\(root)/b")
        try manager.createSymbolicLink(atPath: "\(root)/dangling", withDestinationPath: "\(root)/nowhere")

        let found = try #require(FileWalk.regularFiles(at: root))
        #expect(found == ["\(root)/.hidden", "\(root)/b/a.dcm", "\(root)/b/deeper/c", "\(root)/link-to-file", "\(root)/z.dcm"])
        // A trailing slash names the same files, without a doubled one.
        #expect(FileWalk.regularFiles(at: root + "/") == found)
        // Not recursive: the top level only; a pattern: the names that match, at every depth.
        #expect(FileWalk.regularFiles(at: root, recursive: false) == ["\(root)/.hidden", "\(root)/link-to-file", "\(root)/z.dcm"])
        #expect(FileWalk.regularFiles(at: root, pattern: "*.dcm") == ["\(root)/b/a.dcm", "\(root)/z.dcm"])
        #expect(FileWalk.regularFiles(at: root, recursive: false, pattern: "*.dcm") == ["\(root)/z.dcm"])
    }

    @Test("a file gives itself; a missing path gives nil")
    func fileAndMissing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("filewalk-\(UUID().uuidString).dcm").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(FileManager.default.createFile(atPath: file, contents: Data([1])))
        #expect(FileWalk.regularFiles(at: file) == [file])
        #expect(FileWalk.regularFiles(at: file + "-missing") == nil)
    }
}
