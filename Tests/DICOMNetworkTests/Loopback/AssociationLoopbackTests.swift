import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Synchronization
import Testing

/// Our requestor against our acceptor, through real sockets on loopback.
@Suite("Associations on loopback, ours ↔ ours")
struct AssociationLoopbackTests {
    @Test("associate, echo many times, release")
    func echoAndRelease() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: server.port, calledAETitle: "TEST-SCP")
        #expect(association.acceptedContexts.map(\.abstractSyntax) == [.verification])
        #expect(association.peerMaximumPDUSize == ApplicationEntity.defaultMaximumPDUSize)
        #expect(association.peerAETitle == "TEST-SCP")
        for _ in 0..<50 {
            #expect(try await association.echo() == .success)
        }
        try await association.release()
        #expect(!association.isEstablished)
        await #expect(throws: AssociationError.self) { try await association.echo() }
    }

    @Test("the echo handler's status reaches the requestor")
    func echoHandler() async throws {
        let handlers = ServiceHandlers(echo: { request in
            request.association.callingAETitle == "TEST-SCU" ? DIMSEStatus(code: 0x0211) : .success
        })
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        #expect(try await association.echo().code == 0x0211)
        try await association.release()
    }

    @Test("IPv6 loopback")
    func ipv6() async throws {
        let server = try await Entities.scp().startServer(host: "::1", port: 0)
        defer { Task { await server.shutdown() } }
        let association = try await Entities.scu().associate(host: "::1", port: server.port)
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("the requestor aborts; the acceptor goes on serving others")
    func requestorAborts() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let first = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        await first.abort()
        #expect(!first.isEstablished)
        let second = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        #expect(try await second.echo() == .success)
        try await second.release()
    }

    @Test("a rejected presentation context leaves the association without it")
    func unsupportedContext() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        var scu = try Entities.scu()
        try scu.addRequestedContext(.ctImageStorage)
        let association = try await scu.associate(host: "127.0.0.1", port: server.port)
        #expect(association.acceptedContexts.map(\.abstractSyntax) == [.verification])
        #expect(association.rejectedContexts.map(\.abstractSyntax) == [.ctImageStorage])
        #expect(association.rejectedContexts.first?.result == .abstractSyntaxNotSupported)
        try await association.release()
    }

    @Test("rejections carry the standard's result, source and reason", arguments: [
        ("called AE title", "WRONG-SCP", "TEST-SCU", UInt8(1), UInt8(1), UInt8(7)),
        ("calling AE title", "TEST-SCP", "STRANGER", UInt8(1), UInt8(1), UInt8(3)),
    ])
    func rejections(_ name: String, called: String, calling: String, result: UInt8, source: UInt8, reason: UInt8) async throws {
        var scp = try Entities.scp()
        scp.requireCalledAETitle = true
        scp.requireCallingAETitle = ["TEST-SCU"]
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let scu = try Entities.scu(calling)
        do {
            _ = try await scu.associate(host: "127.0.0.1", port: server.port, calledAETitle: called)
            Issue.record("the association should have been rejected for its \(name)")
        } catch {
            #expect(error.code == .rejected)
            #expect(error.rejection?.result.rawValue == result)
            #expect(error.rejection?.source.rawValue == source)
            #expect(error.rejection?.reason.rawValue == reason)
        }
    }

    @Test("past the maximum, associations are rejected transient, provider (presentation), local limit exceeded")
    func maximumAssociations() async throws {
        var scp = try Entities.scp()
        scp.maximumAssociations = 2
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let first = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        let second = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        let scu = try Entities.scu()
        do {
            _ = try await scu.associate(host: "127.0.0.1", port: server.port)
            Issue.record("a third association should have been rejected")
        } catch {
            #expect(error.code == .rejected)
            #expect(error.rejection?.result == .rejectedTransient)
            #expect(error.rejection?.source == .serviceProviderPresentation)
            #expect(error.rejection?.reason == .localLimitExceeded)
        }
        try await first.release()
        try await second.release()
        // Once they are gone, there is room again.
        try await Task.sleep(for: .milliseconds(100))
        let third = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        try await third.release()
    }

    @Test("connections that never send an A-ASSOCIATE-RQ take no association's place: with five held open, two associations of a maximum of 2 are accepted, the third rejected")
    func silentConnectionsDoNotCount() async throws {
        var scp = try Entities.scp()
        scp.maximumAssociations = 2
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let silent = try (0..<5).map { _ in try SilentPeer(port: server.port) }
        defer { for peer in silent { Glibc.close(peer.descriptor) } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.activeAssociations == 0)
        let first = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        let second = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        #expect(try await first.echo() == .success)
        #expect(server.activeAssociations == 2)
        await #expect(throws: AssociationError.self) { _ = try await Entities.scu().associate(host: "127.0.0.1", port: server.port) }
        try await first.release()
        try await second.release()
    }

    @Test("a request PS3.8 forbids gets an A-ASSOCIATE-RJ with its reason: no presentation context (1, 2, 1), a called (1, 1, 7) or calling (1, 1, 3) AE title of spaces",
          arguments: [("none", [UInt8(1), 2, 1]), ("called", [1, 1, 7]), ("calling", [1, 1, 3])])
    func defectiveRequests(_ defect: String, _ expected: [UInt8]) async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let context = PDU.PresentationContextRQItem(presentationContextID: 1, abstractSyntax: .verification, transferSyntaxes: [.implicitVRLittleEndian])
        let pdu = PDU.AssociateRQ(
            calledAETitle: defect == "called" ? "                " : "TEST-SCP",
            callingAETitle: defect == "calling" ? "                " : "RAW-SCU",
            presentationContexts: defect == "none" ? [] : [context],
            userInformation: PDU.UserInformationItem(subItems: [.maximumLength(16384), .implementationClassUID("1.2.3.4")]))
        let (requestor, answer, body) = try await RawRequestor.request(port: server.port, pdu: pdu)
        requestor.close()
        #expect(answer == 0x03)
        // A-ASSOCIATE-RJ body: reserved, result, source, reason/diag.
        #expect(Array(body.suffix(3)) == expected)
    }

    @Test("one listener, several AE titles: an association calling one of otherAETitles is served by its handlers and sees it as the local AE title; any other by the server's own")
    func otherAETitles() async throws {
        let seen = Mutex<[String]>([])
        var handlers = ServiceHandlers(echo: { request in
            seen.withLock { $0.append("own:" + request.association.localAETitle) }
            return .success
        })
        handlers.otherAETitles["SECOND"] = ServiceHandlers(echo: { request in
            seen.withLock { $0.append("second:" + request.association.localAETitle) }
            return .success
        })
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        for called in ["SECOND", "TEST-SCP", " SECOND ", "ANYONE"] {
            let association = try await Entities.scu().associate(host: "127.0.0.1", port: server.port, calledAETitle: called)
            #expect(try await association.echo() == .success)
            try await association.release()
        }
        #expect(seen.withLock { $0 } == ["second:SECOND", "own:TEST-SCP", "second:SECOND", "own:TEST-SCP"])
    }

    @Test("stopping the server closes the connections that never sent an A-ASSOCIATE-RQ at once, not at ARTIM, and lets an open association go on")
    func shutdownClosesSilentConnections() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        let silent = try (0..<3).map { _ in try SilentPeer(port: server.port) }
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        try await Task.sleep(for: .milliseconds(100))
        await server.shutdown()
        for peer in silent {
            #expect(try peer.secondsUntilClosed(timeout: 10) < 2)
        }
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("a requestor whose Maximum Length Received leaves no room for a PDV item (1 to 7) is rejected, not accepted and dropped; 8 is accepted",
          arguments: [UInt32(1), 7, 8])
    func tooShortMaximumLength(_ length: UInt32) async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let (requestor, answer) = try await RawRequestor.request(
            port: server.port, calledAETitle: "TEST-SCP",
            contexts: [PresentationContext(abstractSyntax: .verification, transferSyntaxes: [.implicitVRLittleEndian])], maximumLength: length)
        requestor.close()
        // A-ASSOCIATE-RJ (03H) below 8, A-ASSOCIATE-AC (02H) from 8.
        #expect(answer == (length < 8 ? 0x03 : 0x02))
    }

    @Test("ARTIM closes a connection that never sends an A-ASSOCIATE-RQ")
    func artimExpiry() async throws {
        var scp = try Entities.scp()
        scp.acseTimeout = .milliseconds(300)
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let socket = try SilentPeer(port: server.port)
        let closedAfter = try socket.secondsUntilClosed(timeout: 5)
        // ARTIM (300 ms here) closed it: not at once, and before the 10 s network timeout.
        #expect(closedAfter >= 0.2 && closedAfter < 9, "closed after \(closedAfter) s")
        #expect(await eventually { server.activeAssociations == 0 })
    }

    @Test("a requestor whose peer never answers times out after the ACSE timeout")
    func acseTimeout() async throws {
        let listener = try SilentListener()
        var scu = try Entities.scu()
        scu.acseTimeout = .milliseconds(300)
        let start = ContinuousClock.now
        do {
            _ = try await scu.associate(host: "127.0.0.1", port: listener.port)
            Issue.record("associate should have timed out")
        } catch {
            #expect(error.code == .timedOut)
        }
        // The configured 300 ms ended the wait, not the 30 s default (a bound, not a speed test).
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test("a connection the listener never takes fails after the connection timeout, not the network timeout")
    func connectionTimeout() async throws {
        let listener = try SilentListener(backlog: 0)
        let waiting = try SilentPeer(port: listener.port)  // fills the backlog: later SYNs are dropped
        defer { close(waiting.descriptor) }
        var scu = try Entities.scu()
        scu.connectionTimeout = .milliseconds(300)
        let start = ContinuousClock.now
        await #expect { try await scu.associate(host: "127.0.0.1", port: listener.port) } throws: { error in
            (error as? AssociationError)?.code == .connectionFailed
        }
        // The 300 ms ended the wait, not the 60 s network timeout (a bound, not a speed test).
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test("connection refused is a connectionFailed error")
    func connectionRefused() async throws {
        let port = PeerProcess.freePort()
        await #expect { try await Entities.scu().associate(host: "127.0.0.1", port: port) } throws: { error in
            (error as? AssociationError)?.code == .connectionFailed
        }
    }

    @Test("notification events describe the association's life")
    func events() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let stream = server.events.subscribe()
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        _ = try await association.echo()
        try await association.release()
        var seen: [String] = []
        for await event in stream {
            switch event.kind {
            case .connectionOpened: seen.append("open")
            case .requested: seen.append("requested")
            case .accepted: seen.append("accepted")
            case .dimseReceived(let name): seen.append("received " + name)
            case .dimseSent(let name): seen.append("sent " + name)
            case .released: seen.append("released")
            case .connectionClosed: seen.append("closed")
            default: continue
            }
            if seen.last == "closed" { break }
        }
        #expect(seen == ["open", "requested", "accepted", "received C-ECHO-RQ", "sent C-ECHO-RSP", "released", "closed"])
    }
}
