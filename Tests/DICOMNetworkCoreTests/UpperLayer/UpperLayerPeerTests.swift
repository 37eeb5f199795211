import Testing

@testable import DICOMNetworkCore

/// A requestor and an acceptor machine pumped against each other through ``UpperLayerWire``.
@Suite("Upper layer machines back to back")
struct UpperLayerPeerTests {
    // MARK: - Establishment and release

    @Test("Association, data both ways, release by the requestor")
    func associateTransferAndRelease() {
        var wire = UpperLayerWire()
        #expect(wire.user(.requestor) { $0.associateRequested() } == .openTransport)
        wire.deliverAll()
        #expect(wire.state(of: .acceptor) == .sta3AwaitingLocalAssociateResponse)
        #expect(wire.user(.acceptor) { $0.associateResponseAccepted() } == .sendAssociateAC)
        wire.deliverAll()
        wire.user(.requestor) { $0.pDataRequested() }
        wire.user(.acceptor) { $0.pDataRequested() }
        wire.deliverAll()
        #expect(wire.user(.requestor) { $0.releaseRequested() } == .sendReleaseRQ)
        wire.deliverAll()
        // The acceptor may still send data before it answers the release (AR-7).
        #expect(wire.user(.acceptor) { $0.pDataRequested() } == .sendPDataTFAwaitingReleaseResponse)
        #expect(wire.user(.acceptor) { $0.releaseResponded() } == .sendReleaseRPAndStartARTIM)
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta1 + Evt1 -> AE-1 -> Sta4",
                "acceptor: Sta1 + Evt5 -> AE-5 -> Sta2",
                "requestor: Sta4 + Evt2 -> AE-2 -> Sta5",
                "acceptor: Sta2 + Evt6 -> AE-6 (acceptable: true) -> Sta3",
                "acceptor: Sta3 + Evt7 -> AE-7 -> Sta6",
                "requestor: Sta5 + Evt3 -> AE-3 -> Sta6",
                "requestor: Sta6 + Evt9 -> DT-1 -> Sta6",
                "acceptor: Sta6 + Evt9 -> DT-1 -> Sta6",
                "acceptor: Sta6 + Evt10 -> DT-2 -> Sta6",
                "requestor: Sta6 + Evt10 -> DT-2 -> Sta6",
                "requestor: Sta6 + Evt11 -> AR-1 -> Sta7",
                "acceptor: Sta6 + Evt12 -> AR-2 -> Sta8",
                "acceptor: Sta8 + Evt9 -> AR-7 -> Sta8",
                "acceptor: Sta8 + Evt14 -> AR-4 -> Sta13",
                "requestor: Sta7 + Evt10 -> AR-6 -> Sta7",
                "requestor: Sta7 + Evt13 -> AR-3 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "acceptor: Sta13 + Evt17 -> AR-5 -> Sta1",
            ]
        )
        #expect(
            wire.userSaw[.requestor] == [
                .issueAssociateConfirmationAccept, .issuePDataIndication,
                .issuePDataIndicationAwaitingReleaseRP, .issueReleaseConfirmationAndCloseTransport,
            ]
        )
        #expect(
            wire.userSaw[.acceptor] == [
                .stopARTIMAndHandleAssociateRQ(acceptable: true), .issuePDataIndication,
                .issueReleaseIndication,
            ]
        )
        #expect(wire.requestor.role == .requestor)
        #expect(wire.acceptor.role == .acceptor)
        #expect(wire.artimRunning == [.requestor: false, .acceptor: false])
    }

    @Test("The acceptor's user rejects the association (AE-8, AE-4)")
    func rejectedByAcceptorUser() {
        var wire = UpperLayerWire()
        wire.user(.requestor) { $0.associateRequested() }
        wire.deliverAll()
        #expect(wire.user(.acceptor) { $0.associateResponseRejected() } == .sendAssociateRJAndStartARTIM)
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta1 + Evt1 -> AE-1 -> Sta4",
                "acceptor: Sta1 + Evt5 -> AE-5 -> Sta2",
                "requestor: Sta4 + Evt2 -> AE-2 -> Sta5",
                "acceptor: Sta2 + Evt6 -> AE-6 (acceptable: true) -> Sta3",
                "acceptor: Sta3 + Evt8 -> AE-8 -> Sta13",
                "requestor: Sta5 + Evt4 -> AE-4 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "acceptor: Sta13 + Evt17 -> AR-5 -> Sta1",
            ]
        )
        #expect(wire.userSaw[.requestor] == [.issueAssociateConfirmationRejectAndCloseTransport])
    }

    @Test("The service-provider rejects an unacceptable A-ASSOCIATE-RQ before the user sees it (AE-6)")
    func rejectedByServiceProvider() {
        var wire = UpperLayerWire()
        wire.acceptorFindsRequestAcceptable = false
        wire.user(.requestor) { $0.associateRequested() }
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta1 + Evt1 -> AE-1 -> Sta4",
                "acceptor: Sta1 + Evt5 -> AE-5 -> Sta2",
                "requestor: Sta4 + Evt2 -> AE-2 -> Sta5",
                "acceptor: Sta2 + Evt6 -> AE-6 (acceptable: false) -> Sta13",
                "requestor: Sta5 + Evt4 -> AE-4 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "acceptor: Sta13 + Evt17 -> AR-5 -> Sta1",
            ]
        )
        #expect(wire.userSaw[.acceptor] == [])
        #expect(wire.userSaw[.requestor] == [.issueAssociateConfirmationRejectAndCloseTransport])
    }

    // MARK: - Release collision

    /// Both users ask for release at once; the two A-RELEASE-RQs cross and `first` receives its
    /// peer's first. The requestor answers first, as PS3.8 §9.2 has it (Sta9 → Sta11), and the
    /// acceptor, which must wait for that A-RELEASE-RP, answers last (Sta10 → Sta12 → Sta13).
    private func releaseCollision(firstToReceive first: UpperLayerWire.Side) -> UpperLayerWire {
        var wire = UpperLayerWire.associated()
        #expect(wire.user(.requestor) { $0.releaseRequested() } == .sendReleaseRQ)
        #expect(wire.user(.acceptor) { $0.releaseRequested() } == .sendReleaseRQ)
        wire.deliverAll(startingWith: first)
        #expect(wire.state(of: .requestor) == .sta9CollisionRequestorAwaitingLocalReleaseResponse)
        #expect(wire.state(of: .acceptor) == .sta10CollisionAcceptorAwaitingReleaseRP)
        #expect(wire.user(.acceptor) { $0.releaseResponded() } == .rejectLocalPrimitive(.releaseResponded))
        #expect(wire.user(.requestor) { $0.releaseResponded() } == .sendReleaseRP)
        wire.deliverAll()
        #expect(wire.state(of: .acceptor) == .sta12CollisionAcceptorAwaitingLocalReleaseResponse)
        #expect(wire.user(.acceptor) { $0.releaseResponded() } == .sendReleaseRPAndStartARTIM)
        wire.deliverAll()
        return wire
    }

    @Test(
        "Release collision, requestor side: Sta7 → Sta9 → Sta11 → Sta1",
        arguments: [UpperLayerWire.Side.requestor, .acceptor]
    )
    func releaseCollisionRequestorSide(firstToReceive first: UpperLayerWire.Side) {
        let wire = releaseCollision(firstToReceive: first)
        #expect(
            wire.steps(of: .requestor) == [
                "Sta6 + Evt11 -> AR-1 -> Sta7",
                "Sta7 + Evt12 -> AR-8 -> Sta9",
                "Sta9 + Evt14 -> AR-9 -> Sta11",
                "Sta11 + Evt13 -> AR-3 -> Sta1",
                "Sta1 + Evt17 -> ignore Evt17 -> Sta1",
            ]
        )
        #expect(
            wire.userSaw[.requestor] == [
                .issueReleaseCollisionIndication, .issueReleaseConfirmationAndCloseTransport,
            ]
        )
    }

    @Test(
        "Release collision, acceptor side: Sta7 → Sta10 → Sta12 → Sta13 → Sta1",
        arguments: [UpperLayerWire.Side.requestor, .acceptor]
    )
    func releaseCollisionAcceptorSide(firstToReceive first: UpperLayerWire.Side) {
        let wire = releaseCollision(firstToReceive: first)
        #expect(
            wire.steps(of: .acceptor) == [
                "Sta6 + Evt11 -> AR-1 -> Sta7",
                "Sta7 + Evt12 -> AR-8 -> Sta10",
                "Sta10 + Evt14 -> reject Evt14 -> Sta10",
                "Sta10 + Evt13 -> AR-10 -> Sta12",
                "Sta12 + Evt14 -> AR-4 -> Sta13",
                "Sta13 + Evt17 -> AR-5 -> Sta1",
            ]
        )
        #expect(wire.userSaw[.acceptor] == [.issueReleaseCollisionIndication, .issueReleaseConfirmation])
    }

    // MARK: - Abort

    @Test(
        "A user aborts and the peer's user is told (AA-1, AA-3)",
        arguments: [UpperLayerWire.Side.requestor, .acceptor]
    )
    func userAbort(by aborter: UpperLayerWire.Side) {
        var wire = UpperLayerWire.associated()
        let other = aborter.peer
        #expect(wire.user(aborter) { $0.abortRequested() } == .sendAbortAndStartARTIM)
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "\(aborter): Sta6 + Evt15 -> AA-1 -> Sta13",
                "\(other): Sta6 + Evt16 -> AA-3 -> Sta1",
                "\(other): Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "\(aborter): Sta13 + Evt17 -> AR-5 -> Sta1",
            ]
        )
        #expect(wire.userSaw[other] == [.issueAbortIndicationAndCloseTransport])
        #expect(wire.userSaw[aborter] == [])
    }

    @Test("Both users abort at once; each A-ABORT arrives in Sta13 (AA-2)")
    func abortCollision() {
        var wire = UpperLayerWire.associated()
        wire.user(.requestor) { $0.abortRequested() }
        wire.user(.acceptor) { $0.abortRequested() }
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta6 + Evt15 -> AA-1 -> Sta13",
                "acceptor: Sta6 + Evt15 -> AA-1 -> Sta13",
                "acceptor: Sta13 + Evt16 -> AA-2 -> Sta1",
                "acceptor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "requestor: Sta13 + Evt16 -> AA-2 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
            ]
        )
        #expect(wire.userSaw == [.requestor: [], .acceptor: []])
    }

    @Test("An undecodable PDU makes the provider abort both ends (AA-8, AA-3)")
    func providerAbortOnInvalidPDU() {
        var wire = UpperLayerWire.associated()
        wire.inject(.undecodable(.unrecognizedPDU), toward: .acceptor)
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "acceptor: Sta6 + Evt19 -> AA-8 (unrecognized-PDU) -> Sta13",
                "requestor: Sta6 + Evt16 -> AA-3 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "acceptor: Sta13 + Evt17 -> AR-5 -> Sta1",
            ]
        )
        #expect(
            wire.userSaw[.acceptor] == [
                .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unrecognizedPDU)
            ]
        )
        #expect(wire.userSaw[.requestor] == [.issueAbortIndicationAndCloseTransport])
    }

    @Test("The network fails under an association; both users get an A-P-ABORT (AA-4)")
    func transportLost() {
        var wire = UpperLayerWire.associated()
        wire.loseTransport()
        #expect(
            wire.transcript == [
                "requestor: Sta6 + Evt17 -> AA-4 -> Sta1",
                "acceptor: Sta6 + Evt17 -> AA-4 -> Sta1",
            ]
        )
        #expect(
            wire.userSaw == [
                .requestor: [.issueProviderAbortIndication], .acceptor: [.issueProviderAbortIndication],
            ]
        )
    }

    // MARK: - ARTIM

    @Test("ARTIM expires in Sta2: the acceptor drops a connection that sent no A-ASSOCIATE-RQ")
    func artimExpiresAwaitingAssociateRQ() {
        var wire = UpperLayerWire()
        wire.user(.requestor) { $0.associateRequested() }
        // The A-ASSOCIATE-RQ is still in flight.
        #expect(wire.state(of: .acceptor) == .sta2TransportOpenAwaitingAssociateRQ)
        #expect(wire.artimRunning[.acceptor] == true)
        #expect(wire.expireARTIM(.acceptor) == .stopARTIMAndCloseTransport)
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta1 + Evt1 -> AE-1 -> Sta4",
                "acceptor: Sta1 + Evt5 -> AE-5 -> Sta2",
                "requestor: Sta4 + Evt2 -> AE-2 -> Sta5",
                "acceptor: Sta2 + Evt18 -> AA-2 -> Sta1",
                "acceptor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "requestor: Sta5 + Evt17 -> AA-4 -> Sta1",
            ]
        )
        #expect(wire.userSaw[.requestor] == [.issueProviderAbortIndication])
        #expect(wire.userSaw[.acceptor] == [])
    }

    @Test("ARTIM expires in Sta13 after AR-4: the acceptor closes; the late A-RELEASE-RP still confirms")
    func artimExpiresAfterReleaseResponse() {
        var wire = UpperLayerWire.associated()
        wire.user(.requestor) { $0.releaseRequested() }
        wire.deliverAll()
        wire.user(.acceptor) { $0.releaseResponded() }
        // The requestor has not read the A-RELEASE-RP when the acceptor's ARTIM fires.
        #expect(wire.artimRunning[.acceptor] == true)
        #expect(wire.expireARTIM(.acceptor) == .stopARTIMAndCloseTransport)
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta6 + Evt11 -> AR-1 -> Sta7",
                "acceptor: Sta6 + Evt12 -> AR-2 -> Sta8",
                "acceptor: Sta8 + Evt14 -> AR-4 -> Sta13",
                "acceptor: Sta13 + Evt18 -> AA-2 -> Sta1",
                "acceptor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "requestor: Sta7 + Evt13 -> AR-3 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
            ]
        )
        #expect(wire.userSaw[.requestor] == [.issueReleaseConfirmationAndCloseTransport])
    }

    @Test("ARTIM expires in Sta13 after AA-1: the aborting end closes without waiting for the peer")
    func artimExpiresAfterAbort() {
        var wire = UpperLayerWire.associated()
        wire.user(.requestor) { $0.abortRequested() }
        #expect(wire.expireARTIM(.requestor) == .stopARTIMAndCloseTransport)
        // A late expiry, after the timer was already stopped, is ignored.
        #expect(wire.expireARTIM(.requestor) == .ignore(.artimExpired))
        wire.deliverAll()

        #expect(
            wire.transcript == [
                "requestor: Sta6 + Evt15 -> AA-1 -> Sta13",
                "requestor: Sta13 + Evt18 -> AA-2 -> Sta1",
                "requestor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
                "requestor: Sta1 + Evt18 -> ignore Evt18 -> Sta1",
                "acceptor: Sta6 + Evt16 -> AA-3 -> Sta1",
                "acceptor: Sta1 + Evt17 -> ignore Evt17 -> Sta1",
            ]
        )
        #expect(wire.userSaw[.acceptor] == [.issueAbortIndicationAndCloseTransport])
    }
}
