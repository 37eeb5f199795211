import ArgumentParser
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging
import NIOCore

/// User Identity Negotiation (PS3.7 D.3.3.7) for the requesting subcommands, spelled as DCMTK's
/// storescu spells it: a username (with a passcode), a Kerberos ticket, a SAML assertion or a JSON
/// Web Token, and whether the acceptor is asked to confirm it.
struct UserIdentityOptions: ParsableArguments {
    @Option(name: [.customLong("user"), .customLong("usr", withSingleDash: true)], help: "Send this username (User Identity Negotiation).")
    var user: String?

    @Option(name: [.customLong("password"), .customLong("pwd", withSingleDash: true)], help: "With --user, send this passcode too.")
    var password: String?

    @Option(name: [.customLong("kerberos"), .customLong("kt", withSingleDash: true)],
            help: ArgumentHelp("Send the Kerberos service ticket read from this file.", valueName: "file"))
    var kerberosFile: String?

    @Option(name: .customLong("saml"), help: ArgumentHelp("Send the SAML assertion read from this file.", valueName: "file"))
    var samlFile: String?

    @Option(name: .customLong("jwt"), help: ArgumentHelp("Send the JSON Web Token read from this file (without the line end after it).", valueName: "file"))
    var jwtFile: String?

    @Flag(name: [.customLong("pos-response"), .customLong("rsp", withSingleDash: true)],
          help: "Ask the peer to confirm the identity (a positive response); its answer is logged.")
    var positiveResponse = false

    func validate() throws {
        let given = [user, kerberosFile, samlFile, jwtFile].compactMap { $0 }.count
        if given > 1 { throw ValidationError("give one of --user, --kerberos, --saml and --jwt") }
        if password != nil && user == nil { throw ValidationError("--password needs --user") }
        if positiveResponse && given == 0 { throw ValidationError("--pos-response needs --user, --kerberos, --saml or --jwt") }
    }

    /// The identity to send, if any; reads the credential file named.
    func request() throws -> UserIdentityRequest? {
        if let user {
            return .username(user, passcode: password, positiveResponseRequested: positiveResponse)
        }
        let files: [(path: String?, type: UserIdentityRequest.IdentityType)] = [
            (kerberosFile, .kerberosServiceTicket), (samlFile, .samlAssertion), (jwtFile, .jsonWebToken),
        ]
        guard let (path, type) = files.lazy.compactMap({ file in file.path.map { ($0, file.type) } }).first else { return nil }
        guard var contents = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the credential file \(path)")
        }
        if type == .jsonWebToken {
            // A token holds no white space: the line end an editor leaves is not part of it.
            while let last = contents.last, [0x0A, 0x0D, 0x20, 0x09].contains(last) { contents.removeLast() }
        }
        return UserIdentityRequest(identityType: type, positiveResponseRequested: positiveResponse, primaryField: ByteBuffer(bytes: contents))
    }

    /// Logs what the peer answered to a positive response request: the server response it sent,
    /// or that it sent none (the peer accepted the association without confirming the identity).
    func logResponse(of association: Association, logger: Logger) {
        guard positiveResponse else { return }
        if let response = association.userIdentityResponse {
            let text = String(buffer: response.serverResponse)
            logger.info("the peer confirmed the user identity (server response of \(response.serverResponse.readableBytes) bytes\(text.isEmpty ? "" : ": \(text.prefix(80))"))")
        } else {
            logger.notice("the peer accepted the association without confirming the user identity")
        }
    }
}
