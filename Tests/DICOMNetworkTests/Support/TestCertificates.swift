import Foundation
import TestSupport

/// A CA, a server certificate (for localhost and 127.0.0.1) and a client certificate, made with
/// the `openssl` command at test time, in a temporary directory.
struct TestCertificates: Sendable {
    let directory: URL
    var caCertificate: String { directory.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { directory.appendingPathComponent("server.pem").path }
    var serverKey: String { directory.appendingPathComponent("server.key").path }
    var clientCertificate: String { directory.appendingPathComponent("client.pem").path }
    var clientKey: String { directory.appendingPathComponent("client.key").path }

    static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let openssl = try ExternalTools.require("openssl")
        func run(_ arguments: [String]) throws {
            let output = try ExternalTools.run(openssl, arguments)
            guard output.status == 0 else { throw PeerError(description: "openssl \(arguments.joined(separator: " ")): \(output.stderr)") }
        }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                 "-subj", "/CN=NetDICOM Test CA", "-keyout", path("ca.key"), "-out", path("ca.pem")])
        for (name, subject, extensions) in [
            ("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth"),
            ("client", "/CN=NetDICOM Test Client", "extendedKeyUsage=clientAuth"),
        ] {
            try run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-subj", subject, "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
            try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try run(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                     "-CAcreateserial", "-days", "1", "-extfile", path("\(name).ext"), "-out", path("\(name).pem")])
        }
        return TestCertificates(directory: directory)
    }
}
