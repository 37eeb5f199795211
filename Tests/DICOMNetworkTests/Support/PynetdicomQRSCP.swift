import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import TestSupport

/// pynetdicom's own Query/Retrieve SCP app (`python -m pynetdicom qrscp`) run by a test on
/// loopback: a generated configuration file with its storage directory and SQLite index under a
/// temporary directory, and the move destinations the test names. The app keeps its index with
/// SQLAlchemy, which scripts/test installs into the virtualenv beside pynetdicom.
final class PynetdicomQRSCP: Sendable {
    /// The app's AE title.
    static let aeTitle = "PYNET-QRSCP"

    let port: Int
    let directory: String
    let peer: PeerProcess

    /// Starts qrscp with `destinations` (AE title → port on 127.0.0.1) as its known move
    /// destinations.
    init(destinations: [String: Int] = [:]) async throws {
        let python = try ExternalTools.require("python")
        directory = try TestInstances.temporaryDirectory("pynetdicom-qrscp")
        port = PeerProcess.freePort()
        let configuration = Self.configuration(
            aeTitle: Self.aeTitle, port: port, instances: "\(directory)/instances", database: "\(directory)/index.sqlite",
            destinations: destinations)
        let path = "\(directory)/qrscp.ini"
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        // -v logs each response it sends, Cancel (FE00H) ones included.
        peer = try PeerProcess(python, ["-m", "pynetdicom", "qrscp", "-c", path, "-v"])
        do {
            try await peer.waitUntilListening(on: port)
        } catch {
            peer.stop()
            throw error
        }
    }

    /// A configuration file as pynetdicom's default.ini is written (indented keys, comments), with
    /// `destinations` (AE title → port on 127.0.0.1) as move destination sections. Absolute
    /// locations: the app resolves relative ones against its own package directory.
    static func configuration(aeTitle: String, port: Int, instances: String, database: String, destinations: [String: Int]) -> String {
        var text = """
            # qrscp.ini, as pynetdicom's default.ini
            [DEFAULT]
                # Our AE Title
                ae_title: \(aeTitle)
                port: \(port)
                max_pdu: 16382
                acse_timeout: 30
                dimse_timeout: 30
                network_timeout: 30
                bind_address: 127.0.0.1
                instance_location: \(instances)
                database_location: \(database)
                log_identifier: False

            ## Move Destinations

            """
        for (aeTitle, destinationPort) in destinations.sorted(by: { $0.key < $1.key }) {
            text += "[\(aeTitle)]\n    address: 127.0.0.1\n    port: \(destinationPort)\n"
        }
        return text
    }

    /// Everything the app printed so far.
    var log: String { peer.log }

    /// Stores `files` (CT, explicit VR Little Endian) into the app over one association of ours;
    /// the app indexes each before it answers.
    func load(_ files: [String]) async throws {
        var scu = try Entities.scu()
        try scu.addRequestedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let association = try await scu.associate(host: "127.0.0.1", port: port, calledAETitle: Self.aeTitle)
        for file in files {
            let response = try await association.store(fileAt: file)
            guard response.status == .success else {
                try? await association.release()
                throw PeerError(description: "qrscp answered \(response.status) to the C-STORE of \(file):\n\(log)")
            }
        }
        try await association.release()
    }

    func stop() { peer.stop() }
}
