import Testing

@testable import DICOMNetworkCore

// PS3.8 Table 9-10, written out cell by cell: one `Cell` per (state, event), in the table's
// order (events as rows, Sta1…Sta13 across). Two cells have two rows, one per outcome: Sta2 ×
// Evt6 (AE-6, acceptable or not) and Sta7 × Evt12 (AR-8, requestor or acceptor). The expected
// next states come from the "Next state is …" lines of Tables 9-6 to 9-9.
//
// Blank cells: a local primitive is rejected, any other event ignored; both keep the state.

// MARK: - The table's vocabulary, in the standard's names

private typealias Machine = UpperLayerStateMachine

private let sta1 = Machine.State.sta1Idle
private let sta2 = Machine.State.sta2TransportOpenAwaitingAssociateRQ
private let sta3 = Machine.State.sta3AwaitingLocalAssociateResponse
private let sta4 = Machine.State.sta4AwaitingTransportOpen
private let sta5 = Machine.State.sta5AwaitingAssociateACOrRJ
private let sta6 = Machine.State.sta6AssociationEstablished
private let sta7 = Machine.State.sta7AwaitingReleaseRP
private let sta8 = Machine.State.sta8AwaitingLocalReleaseResponse
private let sta9 = Machine.State.sta9CollisionRequestorAwaitingLocalReleaseResponse
private let sta10 = Machine.State.sta10CollisionAcceptorAwaitingReleaseRP
private let sta11 = Machine.State.sta11CollisionRequestorAwaitingReleaseRP
private let sta12 = Machine.State.sta12CollisionAcceptorAwaitingLocalReleaseResponse
private let sta13 = Machine.State.sta13AwaitingTransportClose

private let evt1 = Machine.Stimulus.associateRequested
private let evt2 = Machine.Stimulus.transportConnectConfirmed
private let evt3 = Machine.Stimulus.associateACReceived
private let evt4 = Machine.Stimulus.associateRJReceived
private let evt5 = Machine.Stimulus.transportConnectionIndicated
private let evt6 = Machine.Stimulus.associateRQReceived(acceptable: true)
private let evt6Acceptable = Machine.Stimulus.associateRQReceived(acceptable: true)
private let evt6Unacceptable = Machine.Stimulus.associateRQReceived(acceptable: false)
private let evt7 = Machine.Stimulus.associateResponseAccepted
private let evt8 = Machine.Stimulus.associateResponseRejected
private let evt9 = Machine.Stimulus.pDataRequested
private let evt10 = Machine.Stimulus.pDataTFReceived
private let evt11 = Machine.Stimulus.releaseRequested
private let evt12 = Machine.Stimulus.releaseRQReceived
private let evt13 = Machine.Stimulus.releaseRPReceived
private let evt14 = Machine.Stimulus.releaseResponded
private let evt15 = Machine.Stimulus.abortRequested
private let evt16 = Machine.Stimulus.abortReceived
private let evt17 = Machine.Stimulus.transportClosed
private let evt18 = Machine.Stimulus.artimExpired
private let evt19 = Machine.Stimulus.invalidPDUReceived(reason: .invalidPDUParameterValue)

private let ae1 = Machine.Action.openTransport
private let ae2 = Machine.Action.sendAssociateRQ
private let ae3 = Machine.Action.issueAssociateConfirmationAccept
private let ae4 = Machine.Action.issueAssociateConfirmationRejectAndCloseTransport
private let ae5 = Machine.Action.acceptTransportAndStartARTIM
private let ae6Acceptable = Machine.Action.stopARTIMAndHandleAssociateRQ(acceptable: true)
private let ae6Unacceptable = Machine.Action.stopARTIMAndHandleAssociateRQ(acceptable: false)
private let ae7 = Machine.Action.sendAssociateAC
private let ae8 = Machine.Action.sendAssociateRJAndStartARTIM
private let dt1 = Machine.Action.sendPDataTF
private let dt2 = Machine.Action.issuePDataIndication
private let ar1 = Machine.Action.sendReleaseRQ
private let ar2 = Machine.Action.issueReleaseIndication
private let ar3 = Machine.Action.issueReleaseConfirmationAndCloseTransport
private let ar4 = Machine.Action.sendReleaseRPAndStartARTIM
private let ar5 = Machine.Action.stopARTIM
private let ar6 = Machine.Action.issuePDataIndicationAwaitingReleaseRP
private let ar7 = Machine.Action.sendPDataTFAwaitingReleaseResponse
private let ar8 = Machine.Action.issueReleaseCollisionIndication
private let ar9 = Machine.Action.sendReleaseRP
private let ar10 = Machine.Action.issueReleaseConfirmation
private let aa1 = Machine.Action.sendAbortAndStartARTIM
private let aa2 = Machine.Action.stopARTIMAndCloseTransport
private let aa3 = Machine.Action.issueAbortIndicationAndCloseTransport
private let aa4 = Machine.Action.issueProviderAbortIndication
private let aa5 = Machine.Action.stopARTIMBeforeAssociation
private let aa6 = Machine.Action.ignorePDU
/// AA-7 for a PDU the table does not expect (Evt6 in Sta13).
private let aa7Unexpected = Machine.Action.sendAbort(reason: .unexpectedPDU)
/// AA-7 for Evt19, with the reason the decoder gave (`evt19` above).
private let aa7Invalid = Machine.Action.sendAbort(reason: .invalidPDUParameterValue)
/// AA-8 for a PDU the table does not expect (Evt3, 4, 6, 10, 12, 13).
private let aa8Unexpected = Machine.Action.sendAbortIssueProviderAbortIndicationAndStartARTIM(
    reason: .unexpectedPDU)
/// AA-8 for Evt19, with the reason the decoder gave (`evt19` above).
private let aa8Invalid = Machine.Action.sendAbortIssueProviderAbortIndicationAndStartARTIM(
    reason: .invalidPDUParameterValue)

/// A blank cell for a local primitive.
private func rejected(_ stimulus: Machine.Stimulus) -> Machine.Action {
    .rejectLocalPrimitive(stimulus.event)
}

/// A blank cell for a transport, PDU or timer event.
private func ignored(_ stimulus: Machine.Stimulus) -> Machine.Action {
    .ignore(stimulus.event)
}

// MARK: - Table 9-10

/// One row: in `state`, `stimulus` must return `action` and lead to `next`.
struct Table9_10Cell: Sendable, CustomTestStringConvertible {
    let state: UpperLayerStateMachine.State
    let stimulus: UpperLayerStateMachine.Stimulus
    let action: UpperLayerStateMachine.Action
    let next: UpperLayerStateMachine.State
    let role: UpperLayerStateMachine.Role?

    fileprivate init(
        _ state: UpperLayerStateMachine.State,
        _ stimulus: UpperLayerStateMachine.Stimulus,
        _ action: UpperLayerStateMachine.Action,
        _ next: UpperLayerStateMachine.State,
        as role: UpperLayerStateMachine.Role? = nil
    ) {
        self.state = state
        self.stimulus = stimulus
        self.action = action
        self.next = next
        self.role = role
    }

    var testDescription: String {
        let role = self.role.map { " (\($0))" } ?? ""
        return "\(state.standardName) + \(stimulus)\(role) -> \(action) -> \(next.standardName)"
    }
}

private typealias Cell = Table9_10Cell

/// PS3.8 Table 9-10, "DICOM Upper Layer Protocol State Transition Table".
let table9_10: [Table9_10Cell] = [
    // Evt1 A-ASSOCIATE request (local user)
    Cell(sta1, evt1, ae1, sta4),
    Cell(sta2, evt1, rejected(evt1), sta2),  // blank
    Cell(sta3, evt1, rejected(evt1), sta3),  // blank
    Cell(sta4, evt1, rejected(evt1), sta4),  // blank
    Cell(sta5, evt1, rejected(evt1), sta5),  // blank
    Cell(sta6, evt1, rejected(evt1), sta6),  // blank
    Cell(sta7, evt1, rejected(evt1), sta7),  // blank
    Cell(sta8, evt1, rejected(evt1), sta8),  // blank
    Cell(sta9, evt1, rejected(evt1), sta9),  // blank
    Cell(sta10, evt1, rejected(evt1), sta10),  // blank
    Cell(sta11, evt1, rejected(evt1), sta11),  // blank
    Cell(sta12, evt1, rejected(evt1), sta12),  // blank
    Cell(sta13, evt1, rejected(evt1), sta13),  // blank
    // Evt2 Transport connect confirmation
    Cell(sta1, evt2, ignored(evt2), sta1),  // blank
    Cell(sta2, evt2, ignored(evt2), sta2),  // blank
    Cell(sta3, evt2, ignored(evt2), sta3),  // blank
    Cell(sta4, evt2, ae2, sta5),
    Cell(sta5, evt2, ignored(evt2), sta5),  // blank
    Cell(sta6, evt2, ignored(evt2), sta6),  // blank
    Cell(sta7, evt2, ignored(evt2), sta7),  // blank
    Cell(sta8, evt2, ignored(evt2), sta8),  // blank
    Cell(sta9, evt2, ignored(evt2), sta9),  // blank
    Cell(sta10, evt2, ignored(evt2), sta10),  // blank
    Cell(sta11, evt2, ignored(evt2), sta11),  // blank
    Cell(sta12, evt2, ignored(evt2), sta12),  // blank
    Cell(sta13, evt2, ignored(evt2), sta13),  // blank
    // Evt3 A-ASSOCIATE-AC PDU received
    Cell(sta1, evt3, ignored(evt3), sta1),  // blank
    Cell(sta2, evt3, aa1, sta13),
    Cell(sta3, evt3, aa8Unexpected, sta13),
    Cell(sta4, evt3, ignored(evt3), sta4),  // blank
    Cell(sta5, evt3, ae3, sta6),
    Cell(sta6, evt3, aa8Unexpected, sta13),
    Cell(sta7, evt3, aa8Unexpected, sta13),
    Cell(sta8, evt3, aa8Unexpected, sta13),
    Cell(sta9, evt3, aa8Unexpected, sta13),
    Cell(sta10, evt3, aa8Unexpected, sta13),
    Cell(sta11, evt3, aa8Unexpected, sta13),
    Cell(sta12, evt3, aa8Unexpected, sta13),
    Cell(sta13, evt3, aa6, sta13),
    // Evt4 A-ASSOCIATE-RJ PDU received
    Cell(sta1, evt4, ignored(evt4), sta1),  // blank
    Cell(sta2, evt4, aa1, sta13),
    Cell(sta3, evt4, aa8Unexpected, sta13),
    Cell(sta4, evt4, ignored(evt4), sta4),  // blank
    Cell(sta5, evt4, ae4, sta1),
    Cell(sta6, evt4, aa8Unexpected, sta13),
    Cell(sta7, evt4, aa8Unexpected, sta13),
    Cell(sta8, evt4, aa8Unexpected, sta13),
    Cell(sta9, evt4, aa8Unexpected, sta13),
    Cell(sta10, evt4, aa8Unexpected, sta13),
    Cell(sta11, evt4, aa8Unexpected, sta13),
    Cell(sta12, evt4, aa8Unexpected, sta13),
    Cell(sta13, evt4, aa6, sta13),
    // Evt5 Transport connection indication
    Cell(sta1, evt5, ae5, sta2),
    Cell(sta2, evt5, ignored(evt5), sta2),  // blank
    Cell(sta3, evt5, ignored(evt5), sta3),  // blank
    Cell(sta4, evt5, ignored(evt5), sta4),  // blank
    Cell(sta5, evt5, ignored(evt5), sta5),  // blank
    Cell(sta6, evt5, ignored(evt5), sta6),  // blank
    Cell(sta7, evt5, ignored(evt5), sta7),  // blank
    Cell(sta8, evt5, ignored(evt5), sta8),  // blank
    Cell(sta9, evt5, ignored(evt5), sta9),  // blank
    Cell(sta10, evt5, ignored(evt5), sta10),  // blank
    Cell(sta11, evt5, ignored(evt5), sta11),  // blank
    Cell(sta12, evt5, ignored(evt5), sta12),  // blank
    Cell(sta13, evt5, ignored(evt5), sta13),  // blank
    // Evt6 A-ASSOCIATE-RQ PDU received
    Cell(sta1, evt6, ignored(evt6), sta1),  // blank
    Cell(sta2, evt6Acceptable, ae6Acceptable, sta3),
    Cell(sta2, evt6Unacceptable, ae6Unacceptable, sta13),
    Cell(sta3, evt6, aa8Unexpected, sta13),
    Cell(sta4, evt6, ignored(evt6), sta4),  // blank
    Cell(sta5, evt6, aa8Unexpected, sta13),
    Cell(sta6, evt6, aa8Unexpected, sta13),
    Cell(sta7, evt6, aa8Unexpected, sta13),
    Cell(sta8, evt6, aa8Unexpected, sta13),
    Cell(sta9, evt6, aa8Unexpected, sta13),
    Cell(sta10, evt6, aa8Unexpected, sta13),
    Cell(sta11, evt6, aa8Unexpected, sta13),
    Cell(sta12, evt6, aa8Unexpected, sta13),
    Cell(sta13, evt6, aa7Unexpected, sta13),
    // Evt7 A-ASSOCIATE response primitive (accept)
    Cell(sta1, evt7, rejected(evt7), sta1),  // blank
    Cell(sta2, evt7, rejected(evt7), sta2),  // blank
    Cell(sta3, evt7, ae7, sta6),
    Cell(sta4, evt7, rejected(evt7), sta4),  // blank
    Cell(sta5, evt7, rejected(evt7), sta5),  // blank
    Cell(sta6, evt7, rejected(evt7), sta6),  // blank
    Cell(sta7, evt7, rejected(evt7), sta7),  // blank
    Cell(sta8, evt7, rejected(evt7), sta8),  // blank
    Cell(sta9, evt7, rejected(evt7), sta9),  // blank
    Cell(sta10, evt7, rejected(evt7), sta10),  // blank
    Cell(sta11, evt7, rejected(evt7), sta11),  // blank
    Cell(sta12, evt7, rejected(evt7), sta12),  // blank
    Cell(sta13, evt7, rejected(evt7), sta13),  // blank
    // Evt8 A-ASSOCIATE response primitive (reject)
    Cell(sta1, evt8, rejected(evt8), sta1),  // blank
    Cell(sta2, evt8, rejected(evt8), sta2),  // blank
    Cell(sta3, evt8, ae8, sta13),
    Cell(sta4, evt8, rejected(evt8), sta4),  // blank
    Cell(sta5, evt8, rejected(evt8), sta5),  // blank
    Cell(sta6, evt8, rejected(evt8), sta6),  // blank
    Cell(sta7, evt8, rejected(evt8), sta7),  // blank
    Cell(sta8, evt8, rejected(evt8), sta8),  // blank
    Cell(sta9, evt8, rejected(evt8), sta9),  // blank
    Cell(sta10, evt8, rejected(evt8), sta10),  // blank
    Cell(sta11, evt8, rejected(evt8), sta11),  // blank
    Cell(sta12, evt8, rejected(evt8), sta12),  // blank
    Cell(sta13, evt8, rejected(evt8), sta13),  // blank
    // Evt9 P-DATA request primitive
    Cell(sta1, evt9, rejected(evt9), sta1),  // blank
    Cell(sta2, evt9, rejected(evt9), sta2),  // blank
    Cell(sta3, evt9, rejected(evt9), sta3),  // blank
    Cell(sta4, evt9, rejected(evt9), sta4),  // blank
    Cell(sta5, evt9, rejected(evt9), sta5),  // blank
    Cell(sta6, evt9, dt1, sta6),
    Cell(sta7, evt9, rejected(evt9), sta7),  // blank
    Cell(sta8, evt9, ar7, sta8),
    Cell(sta9, evt9, rejected(evt9), sta9),  // blank
    Cell(sta10, evt9, rejected(evt9), sta10),  // blank
    Cell(sta11, evt9, rejected(evt9), sta11),  // blank
    Cell(sta12, evt9, rejected(evt9), sta12),  // blank
    Cell(sta13, evt9, rejected(evt9), sta13),  // blank
    // Evt10 P-DATA-TF PDU received
    Cell(sta1, evt10, ignored(evt10), sta1),  // blank
    Cell(sta2, evt10, aa1, sta13),
    Cell(sta3, evt10, aa8Unexpected, sta13),
    Cell(sta4, evt10, ignored(evt10), sta4),  // blank
    Cell(sta5, evt10, aa8Unexpected, sta13),
    Cell(sta6, evt10, dt2, sta6),
    Cell(sta7, evt10, ar6, sta7),
    Cell(sta8, evt10, aa8Unexpected, sta13),
    Cell(sta9, evt10, aa8Unexpected, sta13),
    Cell(sta10, evt10, aa8Unexpected, sta13),
    Cell(sta11, evt10, aa8Unexpected, sta13),
    Cell(sta12, evt10, aa8Unexpected, sta13),
    Cell(sta13, evt10, aa6, sta13),
    // Evt11 A-RELEASE request primitive
    Cell(sta1, evt11, rejected(evt11), sta1),  // blank
    Cell(sta2, evt11, rejected(evt11), sta2),  // blank
    Cell(sta3, evt11, rejected(evt11), sta3),  // blank
    Cell(sta4, evt11, rejected(evt11), sta4),  // blank
    Cell(sta5, evt11, rejected(evt11), sta5),  // blank
    Cell(sta6, evt11, ar1, sta7),
    Cell(sta7, evt11, rejected(evt11), sta7),  // blank
    Cell(sta8, evt11, rejected(evt11), sta8),  // blank
    Cell(sta9, evt11, rejected(evt11), sta9),  // blank
    Cell(sta10, evt11, rejected(evt11), sta10),  // blank
    Cell(sta11, evt11, rejected(evt11), sta11),  // blank
    Cell(sta12, evt11, rejected(evt11), sta12),  // blank
    Cell(sta13, evt11, rejected(evt11), sta13),  // blank
    // Evt12 A-RELEASE-RQ PDU received
    Cell(sta1, evt12, ignored(evt12), sta1),  // blank
    Cell(sta2, evt12, aa1, sta13),
    Cell(sta3, evt12, aa8Unexpected, sta13),
    Cell(sta4, evt12, ignored(evt12), sta4),  // blank
    Cell(sta5, evt12, aa8Unexpected, sta13),
    Cell(sta6, evt12, ar2, sta8),
    Cell(sta7, evt12, ar8, sta9, as: .requestor),
    Cell(sta7, evt12, ar8, sta10, as: .acceptor),
    Cell(sta8, evt12, aa8Unexpected, sta13),
    Cell(sta9, evt12, aa8Unexpected, sta13),
    Cell(sta10, evt12, aa8Unexpected, sta13),
    Cell(sta11, evt12, aa8Unexpected, sta13),
    Cell(sta12, evt12, aa8Unexpected, sta13),
    Cell(sta13, evt12, aa6, sta13),
    // Evt13 A-RELEASE-RP PDU received
    Cell(sta1, evt13, ignored(evt13), sta1),  // blank
    Cell(sta2, evt13, aa1, sta13),
    Cell(sta3, evt13, aa8Unexpected, sta13),
    Cell(sta4, evt13, ignored(evt13), sta4),  // blank
    Cell(sta5, evt13, aa8Unexpected, sta13),
    Cell(sta6, evt13, aa8Unexpected, sta13),
    Cell(sta7, evt13, ar3, sta1),
    Cell(sta8, evt13, aa8Unexpected, sta13),
    Cell(sta9, evt13, aa8Unexpected, sta13),
    Cell(sta10, evt13, ar10, sta12),
    Cell(sta11, evt13, ar3, sta1),
    Cell(sta12, evt13, aa8Unexpected, sta13),
    Cell(sta13, evt13, aa6, sta13),
    // Evt14 A-RELEASE response primitive
    Cell(sta1, evt14, rejected(evt14), sta1),  // blank
    Cell(sta2, evt14, rejected(evt14), sta2),  // blank
    Cell(sta3, evt14, rejected(evt14), sta3),  // blank
    Cell(sta4, evt14, rejected(evt14), sta4),  // blank
    Cell(sta5, evt14, rejected(evt14), sta5),  // blank
    Cell(sta6, evt14, rejected(evt14), sta6),  // blank
    Cell(sta7, evt14, rejected(evt14), sta7),  // blank
    Cell(sta8, evt14, ar4, sta13),
    Cell(sta9, evt14, ar9, sta11),
    Cell(sta10, evt14, rejected(evt14), sta10),  // blank
    Cell(sta11, evt14, rejected(evt14), sta11),  // blank
    Cell(sta12, evt14, ar4, sta13),
    Cell(sta13, evt14, rejected(evt14), sta13),  // blank
    // Evt15 A-ABORT request primitive
    Cell(sta1, evt15, rejected(evt15), sta1),  // blank
    Cell(sta2, evt15, rejected(evt15), sta2),  // blank
    Cell(sta3, evt15, aa1, sta13),
    Cell(sta4, evt15, aa2, sta1),
    Cell(sta5, evt15, aa1, sta13),
    Cell(sta6, evt15, aa1, sta13),
    Cell(sta7, evt15, aa1, sta13),
    Cell(sta8, evt15, aa1, sta13),
    Cell(sta9, evt15, aa1, sta13),
    Cell(sta10, evt15, aa1, sta13),
    Cell(sta11, evt15, aa1, sta13),
    Cell(sta12, evt15, aa1, sta13),
    Cell(sta13, evt15, rejected(evt15), sta13),  // blank
    // Evt16 A-ABORT PDU received
    Cell(sta1, evt16, ignored(evt16), sta1),  // blank
    Cell(sta2, evt16, aa2, sta1),
    Cell(sta3, evt16, aa3, sta1),
    Cell(sta4, evt16, ignored(evt16), sta4),  // blank
    Cell(sta5, evt16, aa3, sta1),
    Cell(sta6, evt16, aa3, sta1),
    Cell(sta7, evt16, aa3, sta1),
    Cell(sta8, evt16, aa3, sta1),
    Cell(sta9, evt16, aa3, sta1),
    Cell(sta10, evt16, aa3, sta1),
    Cell(sta11, evt16, aa3, sta1),
    Cell(sta12, evt16, aa3, sta1),
    Cell(sta13, evt16, aa2, sta1),
    // Evt17 Transport connection closed indication
    Cell(sta1, evt17, ignored(evt17), sta1),  // blank
    Cell(sta2, evt17, aa5, sta1),
    Cell(sta3, evt17, aa4, sta1),
    Cell(sta4, evt17, aa4, sta1),
    Cell(sta5, evt17, aa4, sta1),
    Cell(sta6, evt17, aa4, sta1),
    Cell(sta7, evt17, aa4, sta1),
    Cell(sta8, evt17, aa4, sta1),
    Cell(sta9, evt17, aa4, sta1),
    Cell(sta10, evt17, aa4, sta1),
    Cell(sta11, evt17, aa4, sta1),
    Cell(sta12, evt17, aa4, sta1),
    Cell(sta13, evt17, ar5, sta1),
    // Evt18 ARTIM timer expired
    Cell(sta1, evt18, ignored(evt18), sta1),  // blank
    Cell(sta2, evt18, aa2, sta1),
    Cell(sta3, evt18, ignored(evt18), sta3),  // blank
    Cell(sta4, evt18, ignored(evt18), sta4),  // blank
    Cell(sta5, evt18, ignored(evt18), sta5),  // blank
    Cell(sta6, evt18, ignored(evt18), sta6),  // blank
    Cell(sta7, evt18, ignored(evt18), sta7),  // blank
    Cell(sta8, evt18, ignored(evt18), sta8),  // blank
    Cell(sta9, evt18, ignored(evt18), sta9),  // blank
    Cell(sta10, evt18, ignored(evt18), sta10),  // blank
    Cell(sta11, evt18, ignored(evt18), sta11),  // blank
    Cell(sta12, evt18, ignored(evt18), sta12),  // blank
    Cell(sta13, evt18, aa2, sta1),
    // Evt19 Unrecognized or invalid PDU received
    Cell(sta1, evt19, ignored(evt19), sta1),  // blank
    Cell(sta2, evt19, aa1, sta13),
    Cell(sta3, evt19, aa8Invalid, sta13),
    Cell(sta4, evt19, ignored(evt19), sta4),  // blank
    Cell(sta5, evt19, aa8Invalid, sta13),
    Cell(sta6, evt19, aa8Invalid, sta13),
    Cell(sta7, evt19, aa8Invalid, sta13),
    Cell(sta8, evt19, aa8Invalid, sta13),
    Cell(sta9, evt19, aa8Invalid, sta13),
    Cell(sta10, evt19, aa8Invalid, sta13),
    Cell(sta11, evt19, aa8Invalid, sta13),
    Cell(sta12, evt19, aa8Invalid, sta13),
    Cell(sta13, evt19, aa7Invalid, sta13),
]

// MARK: - Tests

@Suite("PS3.8 Table 9-10, cell by cell")
struct UpperLayerStateTransitionTableTests {
    @Test("Each cell returns its action and enters its next state", arguments: table9_10)
    func cell(_ cell: Table9_10Cell) {
        var machine = makeMachine(in: cell.state, role: cell.role)
        let action = machine.apply(cell.stimulus)
        #expect(action == cell.action)
        #expect(machine.state == cell.next)
        #expect(
            machine.lastTransition
                == .init(from: cell.state, event: cell.stimulus.event, action: cell.action, to: cell.next)
        )
    }

    @Test("The table has a row for each of the 13 × 19 cells, and two for AE-6 and AR-8")
    func everyCellHasARow() {
        struct Key: Hashable {
            let state: UpperLayerStateMachine.State
            let event: UpperLayerStateMachine.Event
        }
        var rows: [Key: Int] = [:]
        for cell in table9_10 {
            rows[Key(state: cell.state, event: cell.stimulus.event), default: 0] += 1
        }
        #expect(rows.count == 13 * 19)
        #expect(table9_10.count == 13 * 19 + 2)
        for state in UpperLayerStateMachine.State.allCases {
            for event in UpperLayerStateMachine.Event.allCases {
                let twoOutcomes =
                    (state == sta2 && event == .associateRQReceived)
                    || (state == sta7 && event == .releaseRQReceived)
                #expect(rows[Key(state: state, event: event)] == (twoOutcomes ? 2 : 1), "\(state) \(event)")
            }
        }
    }

    @Test("ARTIM runs after a cell exactly when its next state is Sta2 or Sta13", arguments: table9_10)
    func artimFollowsTheTable(_ cell: Table9_10Cell) {
        var running = cell.state == sta2 || cell.state == sta13
        switch cell.action.artim {
        case .start: running = true
        case .stop: running = false
        case .unchanged: break
        }
        #expect(running == (cell.next == sta2 || cell.next == sta13))
        #expect(cell.next.hasARTIMRunning == (cell.next == sta2 || cell.next == sta13))
    }

    @Test(
        "Each action carries its PS3.8 name",
        arguments: [
            (ae1, "AE-1"), (ae2, "AE-2"), (ae3, "AE-3"), (ae4, "AE-4"), (ae5, "AE-5"),
            (ae6Acceptable, "AE-6"), (ae6Unacceptable, "AE-6"), (ae7, "AE-7"), (ae8, "AE-8"),
            (dt1, "DT-1"), (dt2, "DT-2"),
            (ar1, "AR-1"), (ar2, "AR-2"), (ar3, "AR-3"), (ar4, "AR-4"), (ar5, "AR-5"), (ar6, "AR-6"),
            (ar7, "AR-7"), (ar8, "AR-8"), (ar9, "AR-9"), (ar10, "AR-10"),
            (aa1, "AA-1"), (aa2, "AA-2"), (aa3, "AA-3"), (aa4, "AA-4"), (aa5, "AA-5"), (aa6, "AA-6"),
            (aa7Unexpected, "AA-7"), (aa7Invalid, "AA-7"), (aa8Unexpected, "AA-8"), (aa8Invalid, "AA-8"),
        ] as [(UpperLayerStateMachine.Action, String)]
    )
    func standardName(_ action: UpperLayerStateMachine.Action, _ name: String) {
        #expect(action.standardName == name)
    }

    @Test("Blank-cell answers have no PS3.8 name")
    func blankCellsHaveNoName() {
        #expect(rejected(evt9).standardName == nil)
        #expect(ignored(evt17).standardName == nil)
    }
}
