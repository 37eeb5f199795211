import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// Peers that misbehave: a scripted socket peer (a few lines of Python) plays the hostile side,
/// and NetDICOM must end the association with the error that says what the peer did, and keep
/// serving others.
@Suite("Hostile peers", .enabled(if: ExternalTools.shouldRun(needing: "python")))
struct HostilePeerTests {
    /// A-ASSOCIATE-AC for the first context of an A-ASSOCIATE-RQ, built from the RQ's bytes:
    /// enough of an acceptor for these tests.
    static let acceptorPrelude = """
        import socket, struct, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0)); s.listen(1)
        print(s.getsockname()[1], flush=True)
        c, _ = s.accept()
        def read_pdu():
            head = b""
            while len(head) < 6:
                chunk = c.recv(6 - len(head))
                if not chunk: return None
                head += chunk
            body = b""
            length = struct.unpack(">I", head[2:6])[0]
            while len(body) < length:
                chunk = c.recv(length - len(body))
                if not chunk: return None
                body += chunk
            return head + body
        rq = read_pdu()
        def accept():
            fixed = rq[6:8] + b"\\0\\0" + rq[10:74]
            items = bytes([0x10, 0]) + struct.pack(">H", 21) + b"1.2.840.10008.3.1.1.1"
            ts = b"1.2.840.10008.1.2"
            pc = bytes([1, 0, 0, 0, 0x40, 0]) + struct.pack(">H", len(ts)) + ts
            items += bytes([0x21, 0]) + struct.pack(">H", len(pc)) + pc
            ui = bytes([0x51, 0, 0, 4]) + struct.pack(">I", 16384)
            ui += bytes([0x52, 0]) + struct.pack(">H", 3) + b"1.2"
            items += bytes([0x50, 0]) + struct.pack(">H", len(ui)) + ui
            body = fixed + items
            c.sendall(bytes([2, 0]) + struct.pack(">I", len(body)) + body)
        """

    /// Starts `script` (after the prelude) and returns it with the port it listens on.
    func scriptedAcceptor(_ script: String) async throws -> (PeerProcess, Int) {
        let source = Self.acceptorPrelude + "\n" + script + "\nimport time; time.sleep(2)\n"
        let peer = try PeerProcess(ExternalTools.require("python"), ["-u", "-c", source])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            if let port = Int(peer.log.split(separator: "\n").first ?? "") { return (peer, port) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PeerError(description: "the scripted peer did not start: \(peer.log)")
    }

    func association(to script: String) async throws -> (PeerProcess, Result<Association, AssociationError>) {
        let (peer, port) = try await scriptedAcceptor(script)
        let scu = try Entities.scu()
        do {
            return (peer, .success(try await scu.associate(host: "127.0.0.1", port: port)))
        } catch {
            return (peer, .failure(error))
        }
    }

    @Test("an A-ABORT instead of an answer is an aborted error with the peer's source and reason")
    func abortInsteadOfAnswer() async throws {
        let (peer, result) = try await association(to: "c.sendall(bytes([7, 0, 0, 0, 0, 4, 0, 0, 2, 1]))")
        defer { peer.stop() }
        guard case .failure(let error) = result else { Issue.record("expected a failure"); return }
        #expect(error.code == .aborted)
        #expect(error.abort?.source == .serviceProvider)
        #expect(error.abort?.reason == .unrecognizedPDU)
    }

    @Test("an unknown PDU type is a provider abort, and we send A-ABORT")
    func unknownPDUType() async throws {
        let (peer, result) = try await association(to: """
            c.sendall(bytes([9, 0, 0, 0, 0, 2, 0, 0]))
            print("reply:" + (read_pdu() or b"").hex(), flush=True)
            """)
        defer { peer.stop() }
        guard case .failure(let error) = result else { Issue.record("expected a failure"); return }
        #expect(error.code == .providerAborted)
        // AA-8: A-ABORT, source service-provider (2), reason unrecognized PDU (1).
        #expect(await eventually(timeout: .seconds(5)) { peer.log.contains("reply:07000000000400000201") }, "\(peer.log)")
    }

    @Test("a P-DATA-TF longer than our maximum PDU is refused before it is read")
    func oversizedPDU() async throws {
        let (peer, result) = try await association(to: """
            accept()
            c.sendall(bytes([4, 0]) + struct.pack(">I", 0x7FFFFFFF) + b"\\0" * 64)
            print("reply:" + (read_pdu() or b"").hex(), flush=True)
            """)
        defer { peer.stop() }
        let association = try result.get()
        await #expect { try await association.echo() } throws: { error in
            [.providerAborted, .closed].contains((error as? AssociationError)?.code)
        }
        // A-ABORT, source service-provider (2), reason invalid PDU parameter value (6).
        #expect(await eventually(timeout: .seconds(5)) { peer.log.contains("reply:07000000000400000206") }, "\(peer.log)")
    }

    @Test("a peer that aborts during an operation fails the operation with its abort")
    func abortDuringEcho() async throws {
        let (peer, result) = try await association(to: """
            accept()
            read_pdu()
            c.sendall(bytes([7, 0, 0, 0, 0, 4, 0, 0, 0, 0]))
            """)
        defer { peer.stop() }
        let association = try result.get()
        await #expect { try await association.echo() } throws: { error in
            (error as? AssociationError)?.code == .aborted && (error as? AssociationError)?.abort?.source == .serviceUser
        }
        #expect(!association.isEstablished)
    }

    @Test("a peer that never answers a C-ECHO times out after the DIMSE timeout, and is aborted")
    func dimseTimeout() async throws {
        let (peer, port) = try await scriptedAcceptor("""
            accept()
            read_pdu()
            print("reply:" + (read_pdu() or b"").hex(), flush=True)
            """)
        defer { peer.stop() }
        var scu = try Entities.scu()
        scu.dimseTimeout = .milliseconds(300)
        let association = try await scu.associate(host: "127.0.0.1", port: port)
        await #expect { try await association.echo() } throws: { error in
            (error as? AssociationError)?.code == .timedOut
        }
        #expect(!association.isEstablished)
        // After the timeout we abort: A-ABORT, source service-user (0), reason 0.
        #expect(await eventually(timeout: .seconds(5)) { peer.log.contains("reply:07000000000400000000") }, "\(peer.log)")
    }

    @Test("a peer that closes the connection mid-association is a provider abort")
    func connectionDropped() async throws {
        let (peer, result) = try await association(to: "accept()\nread_pdu()\nc.close()")
        defer { peer.stop() }
        let association = try result.get()
        await #expect { try await association.echo() } throws: { error in
            (error as? AssociationError)?.code == .providerAborted
        }
    }

    @Test("a requestor sending garbage is aborted, and the server goes on serving")
    func garbageRequestor() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let script = """
            import socket, sys
            c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            c.sendall(bytes([1, 0, 0, 0, 0, 10]) + b"\\xff" * 10)
            print("reply:" + c.recv(64).hex(), flush=True)
            """
        let output = try await PeerProcess.run(ExternalTools.require("python"), ["-c", script, String(server.port)])
        // The RQ is too short for its fixed fields: A-ABORT (provider, invalid parameter value).
        #expect(output.stdout.contains("reply:07000000000400000206"), "\(output.stdout)")
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("echoscp logs why it aborted a connection before association: an unknown PDU type, and a P-DATA-TF before any A-ASSOCIATE-RQ")
    func preAssociationAbortsAreLogged() async throws {
        let port = PeerProcess.freePort()
        let server = try await PeerProcess.listening(ExternalTools.netdicom(), ["echoscp", String(port)], on: port)
        defer { server.stop() }
        let script = """
            import socket, sys
            for data in (bytes([9, 0, 0, 0, 0, 2, 0, 0]), bytes([4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 3])):
                c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                c.sendall(data)
                print("reply:" + c.recv(64).hex(), flush=True)
                c.close()
            """
        let output = try await PeerProcess.run(ExternalTools.require("python"), ["-c", script, String(port)])
        #expect(output.stdout.components(separatedBy: "reply:07").count - 1 == 2, "two A-ABORTs: \(output.stdout)")
        let unknown = "aborted a connection before association: unrecognized-PDU"
        let early = "aborted a connection before association: unexpected-PDU: P-DATA-TF before any A-ASSOCIATE-RQ"
        #expect(try await server.waitForLog(containing: early).contains(unknown), "\(server.log)")
        #expect(server.log.contains(early), "\(server.log)")
    }

    @Test("echoscp -v logs the ARTIM timer's close of a connection that sent nothing")
    func silentConnectionLogged() async throws {
        let port = PeerProcess.freePort()
        let server = try await PeerProcess.listening(ExternalTools.netdicom(), ["echoscp", "-v", "-ta", "1", String(port)], on: port)
        defer { server.stop() }
        let silent = try SilentPeer(port: port)
        defer { Glibc.close(silent.descriptor) }
        let line = "closed a connection before association: no A-ASSOCIATE-RQ within 1.0 s (ARTIM)"
        #expect(try await server.waitForLog(containing: line, timeout: .seconds(10)).contains(line), "\(server.log)")
        #expect(!server.log.contains("warning"), "a silent connection is no fault: \(server.log)")
    }
}
