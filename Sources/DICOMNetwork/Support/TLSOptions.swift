import NIOSSL

/// TLS for an association (PS3.15 Annex B, the TLS secure transport connection profiles):
/// certificates from PEM files, TLS 1.2 or later.
///
/// As requestor, the peer's certificate is verified against ``trustRootsPath`` (or the system's
/// roots) unless ``verifiesPeer`` is false. As acceptor, ``certificateChainPath`` and
/// ``privateKeyPath`` are required, and client certificates are required and verified only when
/// ``verifiesPeer`` is true.
public struct TLSOptions: Sendable, Hashable {
    /// The PEM file of our certificate chain (leaf first).
    public var certificateChainPath: String?
    /// The PEM file of our private key.
    public var privateKeyPath: String?
    /// A PEM file of the CA certificates to trust; nil trusts the system's roots.
    public var trustRootsPath: String?
    /// Whether to verify the peer's certificate (requestor: the server's, with its host name or
    /// IP address; acceptor: require a client certificate and verify it).
    public var verifiesPeer: Bool
    /// The host name to verify the server's certificate against, when it differs from the host
    /// connected to.
    public var serverHostname: String?

    /// Options for a requestor: verify the server, optionally present a client certificate.
    public static func client(trustRootsPath: String? = nil, certificateChainPath: String? = nil, privateKeyPath: String? = nil, verifiesPeer: Bool = true) -> TLSOptions {
        TLSOptions(certificateChainPath: certificateChainPath, privateKeyPath: privateKeyPath, trustRootsPath: trustRootsPath, verifiesPeer: verifiesPeer)
    }

    /// Options for an acceptor: present this certificate; verify clients' only if asked.
    public static func server(certificateChainPath: String, privateKeyPath: String, trustRootsPath: String? = nil, verifiesPeer: Bool = false) -> TLSOptions {
        TLSOptions(certificateChainPath: certificateChainPath, privateKeyPath: privateKeyPath, trustRootsPath: trustRootsPath, verifiesPeer: verifiesPeer)
    }

    /// Creates options.
    public init(certificateChainPath: String? = nil, privateKeyPath: String? = nil, trustRootsPath: String? = nil, verifiesPeer: Bool = true, serverHostname: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
        self.verifiesPeer = verifiesPeer
        self.serverHostname = serverHostname
    }

    /// The NIOSSL context for a requestor.
    func makeClientContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        try apply(to: &configuration)
        configuration.certificateVerification = verifiesPeer ? .fullVerification : .none
        return try context(configuration)
    }

    /// The NIOSSL context for an acceptor.
    func makeServerContext() throws -> NIOSSLContext {
        guard let certificateChainPath, let privateKeyPath else {
            throw AssociationError(.invalidConfiguration, "a TLS server needs a certificate and a private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try Self.certificates(certificateChainPath), privateKey: try Self.privateKey(privateKeyPath))
        try apply(to: &configuration)
        // Clients present certificates without our host name: check the chain, not a name.
        configuration.certificateVerification = verifiesPeer ? .noHostnameVerification : .none
        return try context(configuration)
    }

    private func apply(to configuration: inout TLSConfiguration) throws {
        configuration.minimumTLSVersion = .tlsv12
        if let trustRootsPath {
            configuration.trustRoots = .file(trustRootsPath)
        }
        if let certificateChainPath, let privateKeyPath, configuration.certificateChain.isEmpty {
            configuration.certificateChain = try Self.certificates(certificateChainPath)
            configuration.privateKey = try Self.privateKey(privateKeyPath)
        }
    }

    // A file that cannot be read or parsed is named in the error, which NIOSSL's does not do.

    /// The certificates of the PEM file at `path`.
    private static func certificates(_ path: String) throws(AssociationError) -> [NIOSSLCertificateSource] {
        do {
            return try NIOSSLCertificate.fromPEMFile(path).map { .certificate($0) }
        } catch {
            throw AssociationError(.invalidConfiguration, "cannot read the TLS certificates of \(path): \(error)")
        }
    }

    /// The private key of the PEM file at `path`.
    private static func privateKey(_ path: String) throws(AssociationError) -> NIOSSLPrivateKeySource {
        do {
            return .privateKey(try NIOSSLPrivateKey(file: path, format: .pem))
        } catch {
            throw AssociationError(.invalidConfiguration, "cannot read the TLS private key of \(path): \(error)")
        }
    }

    /// The context of `configuration`; its trust roots' file is named when it fails.
    private func context(_ configuration: TLSConfiguration) throws(AssociationError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            let roots = trustRootsPath.map { " (CA certificates \($0))" } ?? ""
            throw AssociationError(.invalidConfiguration, "cannot set up TLS\(roots): \(error)")
        }
    }
}
