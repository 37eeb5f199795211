import Foundation
import Testing
import TestSupport

/// The requestors' User Identity Negotiation options (DCMTK storescu's -usr, -pwd, --jwt, -rsp…)
/// against pynetdicom, whose acceptor hands the identity to a handler that checks it, and their
/// --abort against DCMTK's storescp.
@Suite("netdicom requestors' user identity and --abort against pynetdicom and DCMTK", .tags(.interop))
struct UserIdentityInteropTests {
    /// A pynetdicom acceptor (Verification and every Storage class) that prints each identity it
    /// receives, accepts alice/secret (types 1 and 2, no server response, as pynetdicom's handler
    /// contract has it) and a token starting "eyJ" (type 5, answered with "token-accepted"), and
    /// rejects anything else.
    static let acceptor = """
        import sys
        from pynetdicom import AE, evt, AllStoragePresentationContexts
        def on_user(event):
            primary = event.primary_field.decode()
            secondary = (event.secondary_field or b"").decode()
            print(f"USER-ID type={event.user_id_type} primary={primary} secondary={secondary}", flush=True)
            if event.user_id_type == 2:
                return (primary == "alice" and secondary == "secret"), None
            if event.user_id_type == 5:
                return primary.startswith("eyJ"), b"token-accepted"
            return False, None
        ae = AE(ae_title="PYID")
        ae.add_supported_context("1.2.840.10008.1.1")
        for context in AllStoragePresentationContexts:
            ae.add_supported_context(context.abstract_syntax)
        ae.start_server(("127.0.0.1", int(sys.argv[1])), evt_handlers=[(evt.EVT_USER_ID, on_user), (evt.EVT_C_STORE, lambda event: 0)])
        """

    static func startAcceptor() async throws -> (PeerProcess, Int) {
        let port = PeerProcess.freePort()
        return (try await PeerProcess.listening(ExternalTools.require("python"), ["-c", acceptor, String(port)], on: port), port)
    }

    @Test("echoscu -usr alice -pwd secret -rsp: pynetdicom sees type 2 with both fields and accepts; a wrong passcode is rejected, exit 1",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func usernameAndPasscode() async throws {
        let (peer, port) = try await Self.startAcceptor()
        defer { peer.stop() }
        let good = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "-v", "-usr", "alice", "-pwd", "secret", "-rsp", "127.0.0.1", String(port)])
        #expect(good.status == 0, "\(good.stderr)\npynetdicom:\n\(peer.log)")
        #expect(peer.log.contains("USER-ID type=2 primary=alice secondary=secret"), "\(peer.log)")
        // pynetdicom sends no User Identity sub-item back for types 1 and 2: we say so.
        #expect(good.stderr.contains("without confirming the user identity"), "\(good.stderr)")

        let wrong = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "-usr", "alice", "-pwd", "guess", "127.0.0.1", String(port)])
        #expect(wrong.status == 1, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("rejected"), "\(wrong.stderr)")
        #expect(peer.log.contains("USER-ID type=2 primary=alice secondary=guess"), "\(peer.log)")
    }

    @Test("storescu --jwt FILE -rsp: pynetdicom sees type 5 with the token (without the file's line end) and its server response is logged; the instance is stored",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func jsonWebToken() async throws {
        let (peer, port) = try await Self.startAcceptor()
        defer { peer.stop() }
        let directory = try TestInstances.temporaryDirectory("user-identity-jwt")
        let token = "eyJhbGciOiJIUzI1NiJ9.e30.signature"
        // As an editor saves it: the line end is not sent.
        try (token + "\n").write(toFile: "\(directory)/token.jwt", atomically: true, encoding: .utf8)
        let file = try TestInstances.files(1, label: "user-identity-sent")[0]
        let result = try await PeerProcess.run(ExternalTools.netdicom(), [
            "storescu", "-v", "--jwt", "\(directory)/token.jwt", "-rsp", "127.0.0.1", String(port), file])
        #expect(result.status == 0, "\(result.stderr)\npynetdicom:\n\(peer.log)")
        #expect(peer.log.contains("USER-ID type=5 primary=\(token) secondary="), "\(peer.log)")
        #expect(result.stderr.contains("the peer confirmed the user identity (server response of 14 bytes: token-accepted)"), "\(result.stderr)")
        #expect(result.stderr.contains("1 sent, 0 failed"), "\(result.stderr)")
    }

    @Test("the identity options are checked before connecting")
    func validation() async throws {
        for (arguments, message) in [
            (["-pwd", "secret"], "--password needs --user"),
            (["-rsp"], "--pos-response needs"),
            (["-usr", "a", "--jwt", "/dev/null"], "give one of"),
        ] {
            let result = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu"] + arguments + ["127.0.0.1", "1"])
            #expect(result.status != 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test("storescu --abort → DCMTK storescp: the files are stored, then the association aborted; exit 0",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func storescuAborts() async throws {
        let directory = try TestInstances.temporaryDirectory("storescu-abort")
        let received = "\(directory)/in"
        try FileManager.default.createDirectory(atPath: received, withIntermediateDirectories: true)
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["-v", "-od", received, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let file = try TestInstances.files(1, label: "user-identity-sent")[0]
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["storescu", "--abort", "127.0.0.1", String(port), file])
        #expect(result.status == 0, "\(result.stderr)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(peer.log.contains("Association Aborted"), "\(peer.log)")
        #expect(!peer.log.contains("Association Release"), "\(peer.log)")
        #expect(TestInstances.files(under: received).count == 1, "\(peer.log)")
    }
}
