import ArgumentParser
import DICOMNetwork

/// `--tls`, `--tls-key`, `--tls-cert`, `--tls-ca`, `--tls-no-verify`: TLS from PEM files.
struct TLSFlags: ParsableArguments {
    @Flag(name: .customLong("tls"), help: "Use TLS (1.2 or later). DCMTK's +tls KEY CERT, +tla, +cf, -ic and -rc are taken too.")
    var enabled = false

    @Option(name: .customLong("tls-key"), help: "Our private key (PEM).")
    var key: String?

    @Option(name: .customLong("tls-cert"), help: "Our certificate chain (PEM).")
    var certificate: String?

    @Option(name: .customLong("tls-ca"), help: "CA certificates to trust (PEM); the system's by default.")
    var trustRoots: String?

    @Flag(name: .customLong("tls-no-verify"), help: "As requestor, do not verify the peer's certificate (unsafe).")
    var noVerify = false

    @Flag(name: .customLong("tls-require-client-cert"), help: "As acceptor, require and verify a client certificate.")
    var requireClientCertificate = false

    /// Options for a requestor, or nil without --tls.
    var client: TLSOptions? {
        guard enabled else { return nil }
        return .client(trustRootsPath: trustRoots, certificateChainPath: certificate, privateKeyPath: key, verifiesPeer: !noVerify)
    }

    /// Options for an acceptor, or nil without --tls.
    func server() throws -> TLSOptions? {
        guard enabled else { return nil }
        guard let certificate, let key else { throw ValidationError("--tls as acceptor needs --tls-cert and --tls-key") }
        return .server(certificateChainPath: certificate, privateKeyPath: key, trustRootsPath: trustRoots, verifiesPeer: requireClientCertificate)
    }
}
