import Foundation
import TestSupport

/// DCMTK's dcmqrscp run by a test as a Q/R archive on loopback: a generated configuration with
/// one storage area and the move destinations the test names, filled with instances through
/// DCMTK's storescu.
///
/// dcmqrscp runs in its default mode, a child process per association: this build's
/// `--single-process` mode crashes after its first association.
final class DCMTKArchive: Sendable {
    /// The archive's AE title.
    static let aeTitle = "QRSCP"

    let port: Int
    let directory: String
    let peer: PeerProcess

    /// Starts dcmqrscp with `destinations` (AE title → port on 127.0.0.1) in its host table;
    /// `extraArguments` go before the configuration (`+xs` to accept JPEG Lossless).
    init(destinations: [String: Int] = [:], extraArguments: [String] = []) async throws {
        let executable = try ExternalTools.require("dcmqrscp")
        let root = try TestInstances.temporaryDirectory("dcmqrscp")
        directory = "\(root)/storage"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = PeerProcess.freePort()
        var hosts = ""
        for (index, (aeTitle, destinationPort)) in destinations.sorted(by: { $0.key < $1.key }).enumerated() {
            hosts += "dest\(index) = (\(aeTitle), 127.0.0.1, \(destinationPort))\n"
        }
        let configuration = """
            NetworkTCPPort  = \(port)
            MaxPDUSize      = 16384
            MaxAssociations = 16

            HostTable BEGIN
            \(hosts)HostTable END

            VendorTable BEGIN
            VendorTable END

            AETable BEGIN
            \(Self.aeTitle) \(directory) RW (100, 1024mb) ANY
            AETable END

            """
        let path = "\(root)/dcmqrscp.cfg"
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        peer = try PeerProcess(executable, extraArguments + ["-c", path, "-v"])
        do {
            try await peer.waitUntilListening(on: port)
        } catch {
            peer.stop()
            throw error
        }
    }

    /// Stores `files` into the archive with DCMTK's storescu; `extraArguments` go before the
    /// host (`-xs` to propose JPEG Lossless).
    func load(_ files: [String], extraArguments: [String] = []) async throws {
        let output = try await PeerProcess.run(ExternalTools.require("storescu"), ["-aec", Self.aeTitle] + extraArguments + ["127.0.0.1", String(port)] + files)
        guard output.status == 0 else {
            throw PeerError(description: "storescu into dcmqrscp failed:\n\(output.stderr)\ndcmqrscp:\n\(peer.log)")
        }
    }

    func stop() { peer.stop() }
}
