import Testing

@testable import DICOMNetworkCore

/// Two upper layers, a requestor and an acceptor, joined by an in-memory transport.
///
/// The wire plays the channel handler for both ends and performs every returned action as a
/// handler would: a send-action puts a segment in flight toward the peer; AE-1 connects at once
/// (the acceptor sees Evt5, then the requestor Evt2); an action that closes the transport drops
/// what was still coming toward the closing end, puts the close behind everything it already
/// sent, and reports the close to the closing end as well (as NIO's `channelInactive` would);
/// an action that issues a primitive is recorded as seen by that end's user. After each action it
/// checks that ARTIM, as the actions start and stop it, runs exactly in Sta2 and Sta13.
///
/// Segments stay in flight until a test delivers them, so the test decides interleavings (two
/// A-RELEASE-RQs crossing) and can let ARTIM expire first.
struct UpperLayerWire {
    /// One end of the association.
    enum Side: Hashable, Sendable, CustomStringConvertible {
        case requestor
        case acceptor

        var peer: Side {
            switch self {
            case .requestor: .acceptor
            case .acceptor: .requestor
            }
        }

        var description: String {
            switch self {
            case .requestor: "requestor"
            case .acceptor: "acceptor"
            }
        }
    }

    /// What travels toward one end: a PDU, bytes that do not decode, or the transport's close.
    enum Segment: Hashable, Sendable {
        case associateRQ
        case associateAC
        case associateRJ
        case pDataTF
        case releaseRQ
        case releaseRP
        case abort
        case undecodable(UpperLayerStateMachine.ProviderAbortReason)
        case close
    }

    private(set) var requestor = UpperLayerStateMachine()
    private(set) var acceptor = UpperLayerStateMachine()
    /// Every step either machine took, oldest first: "requestor: Sta1 + Evt1 -> AE-1 -> Sta4".
    private(set) var transcript: [String] = []
    /// The actions that issued a primitive to each end's local user, oldest first.
    private(set) var userSaw: [Side: [UpperLayerStateMachine.Action]] = [.requestor: [], .acceptor: []]
    /// Whether each end's ARTIM runs, as the actions started and stopped it.
    private(set) var artimRunning: [Side: Bool] = [.requestor: false, .acceptor: false]
    /// Segments on their way toward each end, oldest first.
    private(set) var inFlight: [Side: [Segment]] = [.requestor: [], .acceptor: []]
    /// Whether each end of the transport is open.
    private var isOpen: [Side: Bool] = [.requestor: false, .acceptor: false]

    /// AE-6's decision on the acceptor's side.
    var acceptorFindsRequestAcceptable = true

    /// A wire whose two ends have just established an association (both in Sta6), with an empty
    /// transcript and nothing seen by either user yet.
    static func associated() -> UpperLayerWire {
        var wire = UpperLayerWire()
        wire.user(.requestor) { $0.associateRequested() }
        wire.deliverAll()
        wire.user(.acceptor) { $0.associateResponseAccepted() }
        wire.deliverAll()
        #expect(wire.state(of: .requestor) == .sta6AssociationEstablished)
        #expect(wire.state(of: .acceptor) == .sta6AssociationEstablished)
        wire.transcript = []
        wire.userSaw = [.requestor: [], .acceptor: []]
        return wire
    }

    /// The state of one end.
    func state(of side: Side) -> UpperLayerStateMachine.State {
        machine(side).state
    }

    /// The steps one end took, without the "requestor: " prefix.
    func steps(of side: Side) -> [String] {
        let prefix = "\(side): "
        return transcript.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    // MARK: - Driving the wire

    /// The local user of `side` issues a primitive.
    @discardableResult
    mutating func user(
        _ side: Side,
        _ primitive: (inout UpperLayerStateMachine) -> UpperLayerStateMachine.Action
    ) -> UpperLayerStateMachine.Action {
        feed(side, primitive)
    }

    /// The ARTIM timer of `side` fires.
    @discardableResult
    mutating func expireARTIM(_ side: Side) -> UpperLayerStateMachine.Action {
        feed(side) { $0.artimExpired() }
    }

    /// Puts `segment` in flight toward `side`, as if the peer had sent it.
    mutating func inject(_ segment: Segment, toward side: Side) {
        inFlight[side, default: []].append(segment)
    }

    /// The network fails: both ends see their transport close, and what was in flight is lost.
    mutating func loseTransport() {
        isOpen = [.requestor: false, .acceptor: false]
        inFlight = [.requestor: [], .acceptor: []]
        feed(.requestor) { $0.transportClosed() }
        feed(.acceptor) { $0.transportClosed() }
    }

    /// Delivers the oldest segment in flight toward `side`; `nil` if there was none.
    @discardableResult
    mutating func deliverNext(to side: Side) -> UpperLayerStateMachine.Action? {
        guard let segment = inFlight[side]?.first else { return nil }
        inFlight[side]?.removeFirst()
        let acceptable = acceptorFindsRequestAcceptable
        switch segment {
        case .associateRQ: return feed(side) { $0.associateRQReceived(acceptable: acceptable) }
        case .associateAC: return feed(side) { $0.associateACReceived() }
        case .associateRJ: return feed(side) { $0.associateRJReceived() }
        case .pDataTF: return feed(side) { $0.pDataTFReceived() }
        case .releaseRQ: return feed(side) { $0.releaseRQReceived() }
        case .releaseRP: return feed(side) { $0.releaseRPReceived() }
        case .abort: return feed(side) { $0.abortReceived() }
        case .undecodable(let reason): return feed(side) { $0.invalidPDUReceived(reason: reason) }
        case .close:
            isOpen[side] = false
            inFlight[side] = []
            return feed(side) { $0.transportClosed() }
        }
    }

    /// Delivers everything in flight, one segment toward each end in turn, starting with
    /// `first`, until nothing moves.
    mutating func deliverAll(startingWith first: Side = .acceptor) {
        var side = first
        var idleTurns = 0
        var turns = 0
        while idleTurns < 2 {
            turns += 1
            if turns > 1_000 {
                Issue.record("The ends are still talking after 1000 turns")
                return
            }
            idleTurns = deliverNext(to: side) == nil ? idleTurns + 1 : 0
            side = side.peer
        }
    }

    // MARK: - The handler's part

    private func machine(_ side: Side) -> UpperLayerStateMachine {
        switch side {
        case .requestor: requestor
        case .acceptor: acceptor
        }
    }

    /// Feeds one event to `side`'s machine, records the step and performs the action.
    @discardableResult
    private mutating func feed(
        _ side: Side,
        _ event: (inout UpperLayerStateMachine) -> UpperLayerStateMachine.Action
    ) -> UpperLayerStateMachine.Action {
        var machine = machine(side)
        let action = event(&machine)
        switch side {
        case .requestor: requestor = machine
        case .acceptor: acceptor = machine
        }
        if let transition = machine.lastTransition {
            transcript.append("\(side): \(transition)")
        } else {
            Issue.record("\(side) recorded no transition for \(action)")
        }
        perform(action, by: side)
        return action
    }

    private mutating func perform(_ action: UpperLayerStateMachine.Action, by side: Side) {
        switch action.artim {
        case .start: artimRunning[side] = true
        case .stop: artimRunning[side] = false
        case .unchanged: break
        }
        #expect(
            artimRunning[side] == state(of: side).hasARTIMRunning,
            "\(side): ARTIM running \(artimRunning[side] ?? false) in \(state(of: side)) after \(action)"
        )

        switch action {
        case .openTransport:
            isOpen = [.requestor: true, .acceptor: true]
            feed(side.peer) { $0.transportConnectionIndicated() }
            feed(side) { $0.transportConnectConfirmed() }
        case .sendAssociateRQ:
            send(.associateRQ, from: side)
        case .stopARTIMAndHandleAssociateRQ(let acceptable):
            if acceptable {
                userSaw[side, default: []].append(action)
            } else {
                send(.associateRJ, from: side)
            }
        case .sendAssociateAC:
            send(.associateAC, from: side)
        case .sendAssociateRJAndStartARTIM:
            send(.associateRJ, from: side)
        case .sendPDataTF, .sendPDataTFAwaitingReleaseResponse:
            send(.pDataTF, from: side)
        case .sendReleaseRQ:
            send(.releaseRQ, from: side)
        case .sendReleaseRP, .sendReleaseRPAndStartARTIM:
            send(.releaseRP, from: side)
        case .sendAbortAndStartARTIM, .sendAbort:
            send(.abort, from: side)
        case .sendAbortIssueProviderAbortIndicationAndStartARTIM:
            send(.abort, from: side)
            userSaw[side, default: []].append(action)
        case .issueAssociateConfirmationAccept, .issuePDataIndication, .issueReleaseIndication,
            .issuePDataIndicationAwaitingReleaseRP, .issueReleaseCollisionIndication,
            .issueReleaseConfirmation, .issueProviderAbortIndication:
            userSaw[side, default: []].append(action)
        case .issueAssociateConfirmationRejectAndCloseTransport,
            .issueReleaseConfirmationAndCloseTransport, .issueAbortIndicationAndCloseTransport:
            userSaw[side, default: []].append(action)
            close(side)
        case .stopARTIMAndCloseTransport:
            close(side)
        case .acceptTransportAndStartARTIM, .stopARTIM, .stopARTIMBeforeAssociation, .ignorePDU,
            .rejectLocalPrimitive, .ignore:
            break
        }
    }

    private mutating func send(_ segment: Segment, from side: Side) {
        guard isOpen[side] == true else {
            Issue.record("\(side) sent \(segment) on a closed transport")
            return
        }
        // Bytes sent to an end that already closed are lost.
        if isOpen[side.peer] == true {
            inFlight[side.peer, default: []].append(segment)
        }
    }

    private mutating func close(_ side: Side) {
        guard isOpen[side] == true else { return }
        isOpen[side] = false
        inFlight[side] = []
        if isOpen[side.peer] == true {
            inFlight[side.peer, default: []].append(.close)
        }
        feed(side) { $0.transportClosed() }
    }
}
