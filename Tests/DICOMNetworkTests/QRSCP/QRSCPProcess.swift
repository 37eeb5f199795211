import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Our archive, `netdicom qrscp`, run by a test as a process on loopback (the binary this build
/// made), the way a user runs it: the tests drive it with DCMTK's and pynetdicom's tools.
final class QRSCPProcess: Sendable {
    let peer: PeerProcess
    /// The port it listens on, read from its startup line (it is started with `--port 0`).
    let port: Int
    let aeTitle: String
    let storage: String

    /// Starts `netdicom qrscp` on 127.0.0.1 and waits for its startup line.
    ///
    /// - Parameters:
    ///   - storage: The storage directory (created by qrscp when missing).
    ///   - database: The `--database` argument; nil for the SQLite file in `storage`.
    ///   - moveDestinations: AE title → port on 127.0.0.1, given as `--move-destination`.
    ///   - extraArguments: more options (`--require-calling-aet A`).
    ///   - environment: more environment variables.
    init(storage: String, aeTitle: String = "QRSCP", database: String? = nil, moveDestinations: [String: Int] = [:],
         extraArguments: [String] = [], environment: [String: String] = [:]) async throws {
        var arguments = ["qrscp", "--port", "0", "--bind", "127.0.0.1", "--ae-title", aeTitle, "--storage", storage] + extraArguments
        if let database { arguments += ["--database", database] }
        for (destination, port) in moveDestinations.sorted(by: { $0.key < $1.key }) {
            arguments += ["--move-destination", "\(destination)@127.0.0.1:\(port)"]
        }
        let peer = try PeerProcess(ExternalTools.netdicom(), arguments, environment: environment)
        do {
            port = try await Self.listeningPort(of: peer)
        } catch {
            peer.stop()
            throw error
        }
        self.peer = peer
        self.aeTitle = aeTitle
        self.storage = storage
    }

    /// The port of the startup line, `qrscp: listening on 127.0.0.1:PORT as …`.
    private static func listeningPort(of peer: PeerProcess) async throws -> Int {
        let prefix = "qrscp: listening on 127.0.0.1:"
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let log = peer.log
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
               let port = Int(line.dropFirst(prefix.count).prefix { $0.isNumber }) {
                return port
            }
            if let status = peer.exitStatus {
                throw PeerError(description: "qrscp exited with status \(status):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PeerError(description: "qrscp printed no startup line:\n\(peer.log)")
    }

    /// Everything qrscp printed so far.
    var log: String { peer.log }

    /// Ends the process with SIGKILL, as a crash or a power cut would: nothing of it runs after.
    func crash() {
        guard peer.exitStatus == nil else { return }
        _ = kill(peer.process.processIdentifier, SIGKILL)
        for _ in 0..<1_000 where peer.exitStatus == nil { usleep(10_000) }
    }

    /// Asks for a graceful shutdown (SIGTERM) and returns the exit status.
    func terminate(timeout: Duration = .seconds(20)) async throws -> Int32 {
        if peer.exitStatus == nil { _ = kill(peer.process.processIdentifier, SIGTERM) }
        return try await peer.waitForExit(timeout: timeout)
    }

    /// The Part 10 files of the store's instance tree (`STUDY/SERIES/SOP.dcm`), relative to the
    /// storage directory: everything but `incoming/` and the SQLite index.
    var instanceFiles: [String] {
        TestInstances.files(under: storage)
            .map { String($0.dropFirst(storage.count + 1)) }
            .filter { !$0.hasPrefix("incoming/") && !$0.hasPrefix("index.sqlite") }
    }
}

extension QRSCPProcess {
    /// A new qrscp in a new temporary directory (`label`), holding `files`, stored through
    /// DCMTK's storescu, every one of them answered with success.
    static func holding(_ files: [String], label: String) async throws -> QRSCPProcess {
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory(label))
        let stored = try await DCMTKClient.store(files, to: archive)
        #expect(DCMTKClient.successfulStores(in: stored.stdout) == files.count, "\(stored.stdout)\nqrscp:\n\(archive.log)")
        return archive
    }
}
