/// DCMTK's TLS options, in our names: `+tls KEY CERT` is `--tls --tls-key KEY --tls-cert CERT`,
/// `+tla` (anonymous TLS) `--tls`, `+cf FILE` `--tls-ca FILE`; `-ic` (ignore the peer's
/// certificate) is a requestor's `--tls-no-verify`, and `-rc` (require it) an acceptor's
/// `--tls-require-client-cert`. What asks for our default (`-tls` no TLS, `-pem` PEM files, the
/// requestor's `-rc`, the acceptor's `-ic` and `-vc`) is dropped. Unlike DCMTK's, our acceptors
/// ask for no client certificate unless `-rc` is given.
enum DCMTKTLSFlags {
    /// The subcommands that request associations, and those that accept them.
    static let requestors: Set<String> = ["echoscu", "storescu", "findscu", "getscu", "movescu"]
    static let acceptors: Set<String> = ["storescp", "echoscp", "qrscp"]

    /// Whether `subcommand` has TLS options.
    static func applies(to subcommand: String) -> Bool {
        requestors.contains(subcommand) || acceptors.contains(subcommand)
    }

    /// The flags that take a key and a certificate file: `+tls` and its long name.
    static let keyAndCertificate: Set<String> = ["+tls", "--enable-tls"]

    /// `+tls KEY CERT` in our names.
    static func expand(key: String, certificate: String) -> [String] {
        ["--tls", "--tls-key", key, "--tls-cert", certificate]
    }

    /// The TLS flags `subcommand` drops, or none when it has no TLS.
    static func dropped(by subcommand: String) -> Set<String> {
        let defaults: Set<String> = ["-tls", "--disable-tls", "-pem", "--pem-keys"]
        if requestors.contains(subcommand) { return defaults.union(["-rc", "--require-peer-cert", "-vc", "--verify-peer-cert"]) }
        if acceptors.contains(subcommand) { return defaults.union(["-ic", "--ignore-peer-cert", "-vc", "--verify-peer-cert"]) }
        return []
    }

    /// The TLS flags `subcommand` knows under another name, or none when it has no TLS.
    static func renamed(by subcommand: String) -> [String: String] {
        let common = ["+tla": "--tls", "--anonymous-tls": "--tls", "+cf": "--tls-ca", "--add-cert-file": "--tls-ca"]
        if requestors.contains(subcommand) {
            return common.merging(["-ic": "--tls-no-verify", "--ignore-peer-cert": "--tls-no-verify"]) { $1 }
        }
        if acceptors.contains(subcommand) {
            return common.merging(["-rc": "--tls-require-client-cert", "--require-peer-cert": "--tls-require-client-cert"]) { $1 }
        }
        return [:]
    }
}
