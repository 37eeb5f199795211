import Testing

@testable import DICOMNetworkCore

@Suite("Upper layer state machine: role, inputs and names")
struct UpperLayerStateMachineTests {
    @Test("A new machine is idle, without a role or a transition")
    func newMachineIsIdle() {
        let machine = UpperLayerStateMachine()
        #expect(machine.state == .sta1Idle)
        #expect(machine.role == nil)
        #expect(machine.lastTransition == nil)
    }

    @Test("AE-1 makes the machine the association-requestor")
    func associateRequestMakesRequestor() {
        var machine = UpperLayerStateMachine()
        #expect(machine.associateRequested() == .openTransport)
        #expect(machine.role == .requestor)
    }

    @Test("AE-5 makes the machine the association-acceptor")
    func transportIndicationMakesAcceptor() {
        var machine = UpperLayerStateMachine()
        #expect(machine.transportConnectionIndicated() == .acceptTransportAndStartARTIM)
        #expect(machine.role == .acceptor)
    }

    @Test("Events in blank cells leave the role alone", arguments: UpperLayerStateMachine.Role.allCases)
    func blankCellsKeepTheRole(_ role: UpperLayerStateMachine.Role) {
        var machine = makeMachine(in: .sta6AssociationEstablished, role: role)
        #expect(machine.associateRequested() == .rejectLocalPrimitive(.associateRequested))
        #expect(machine.transportConnectionIndicated() == .ignore(.transportConnectionIndicated))
        #expect(machine.role == role)
        #expect(machine.state == .sta6AssociationEstablished)
    }

    @Test(
        "Only AR-8 depends on the role",
        arguments: [
            UpperLayerStateMachine.State.sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta13AwaitingTransportClose,
        ],
        UpperLayerStateMachine.Stimulus.oneOfEachEvent
    )
    func onlyReleaseCollisionDependsOnRole(
        _ state: UpperLayerStateMachine.State,
        _ stimulus: UpperLayerStateMachine.Stimulus
    ) {
        var requestor = makeMachine(in: state, role: .requestor)
        var acceptor = makeMachine(in: state, role: .acceptor)
        let requestorAction = requestor.apply(stimulus)
        let acceptorAction = acceptor.apply(stimulus)
        #expect(requestorAction == acceptorAction)
        if state == .sta7AwaitingReleaseRP && stimulus == .releaseRQReceived {
            #expect(requestor.state == .sta9CollisionRequestorAwaitingLocalReleaseResponse)
            #expect(acceptor.state == .sta10CollisionAcceptorAwaitingReleaseRP)
        } else {
            #expect(requestor.state == acceptor.state)
        }
    }

    @Test("AE-6's decision matters in Sta2 only", arguments: UpperLayerStateMachine.State.allCases)
    func acceptabilityMattersInSta2Only(_ state: UpperLayerStateMachine.State) {
        var acceptable = makeMachine(in: state)
        var unacceptable = makeMachine(in: state)
        let whenAcceptable = acceptable.associateRQReceived(acceptable: true)
        let whenUnacceptable = unacceptable.associateRQReceived(acceptable: false)
        if state == .sta2TransportOpenAwaitingAssociateRQ {
            #expect(whenAcceptable == .stopARTIMAndHandleAssociateRQ(acceptable: true))
            #expect(whenUnacceptable == .stopARTIMAndHandleAssociateRQ(acceptable: false))
            #expect(acceptable.state == .sta3AwaitingLocalAssociateResponse)
            #expect(unacceptable.state == .sta13AwaitingTransportClose)
        } else {
            #expect(whenAcceptable == whenUnacceptable)
            #expect(acceptable.state == unacceptable.state)
        }
    }

    @Test(
        "Evt19's reason reaches the A-ABORT of AA-7 and AA-8",
        arguments: UpperLayerStateMachine.ProviderAbortReason.allCases
    )
    func invalidPDUReasonIsCarried(_ reason: UpperLayerStateMachine.ProviderAbortReason) {
        var established = makeMachine(in: .sta6AssociationEstablished)
        #expect(
            established.invalidPDUReceived(reason: reason)
                == .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: reason)
        )
        var closing = makeMachine(in: .sta13AwaitingTransportClose)
        #expect(closing.invalidPDUReceived(reason: reason) == .sendAbort(reason: reason))
    }

    @Test("A rejected local primitive changes nothing but the last transition")
    func rejectedPrimitiveChangesNothing() {
        let before = makeMachine(in: .sta7AwaitingReleaseRP)
        var machine = before
        #expect(machine.pDataRequested() == .rejectLocalPrimitive(.pDataRequested))
        #expect(machine.state == before.state)
        #expect(machine.role == before.role)
        #expect(
            machine.lastTransition
                == .init(
                    from: .sta7AwaitingReleaseRP, event: .pDataRequested,
                    action: .rejectLocalPrimitive(.pDataRequested), to: .sta7AwaitingReleaseRP)
        )
    }

    @Test("The last transition reads like PS3.8")
    func transitionDescription() {
        var machine = makeMachine(in: .sta6AssociationEstablished)
        _ = machine.pDataTFReceived()
        #expect(machine.lastTransition?.description == "Sta6 + Evt10 -> DT-2 -> Sta6")

        var acceptor = makeMachine(in: .sta2TransportOpenAwaitingAssociateRQ)
        _ = acceptor.associateRQReceived(acceptable: false)
        #expect(acceptor.lastTransition?.description == "Sta2 + Evt6 -> AE-6 (acceptable: false) -> Sta13")

        var idle = UpperLayerStateMachine()
        _ = idle.transportClosed()
        #expect(idle.lastTransition?.description == "Sta1 + Evt17 -> ignore Evt17 -> Sta1")

        var broken = makeMachine(in: .sta6AssociationEstablished)
        _ = broken.invalidPDUReceived(reason: .unrecognizedPDU)
        #expect(broken.lastTransition?.description == "Sta6 + Evt19 -> AA-8 (unrecognized-PDU) -> Sta13")
    }

    @Test("States are Sta1 to Sta13 and events Evt1 to Evt19, in the standard's order")
    func standardNumbering() {
        #expect(
            UpperLayerStateMachine.State.allCases.map(\.standardName)
                == (1...13).map { "Sta\($0)" }
        )
        #expect(
            UpperLayerStateMachine.Event.allCases.map(\.standardName)
                == (1...19).map { "Evt\($0)" }
        )
        #expect(UpperLayerStateMachine.Event.artimExpired.rawValue == 18)
        #expect(UpperLayerStateMachine.State.sta13AwaitingTransportClose.rawValue == 13)
    }

    @Test("The local user's primitives are Evt1, 7, 8, 9, 11, 14 and 15")
    func localPrimitives() {
        let local = UpperLayerStateMachine.Event.allCases.filter(\.isLocalPrimitive).map(\.rawValue)
        #expect(local == [1, 7, 8, 9, 11, 14, 15])
    }

    @Test("Provider abort reasons carry their PS3.8 Table 9-26 codes")
    func providerAbortReasonCodes() {
        #expect(UpperLayerStateMachine.ProviderAbortReason.allCases.map(\.rawValue) == [0, 1, 2, 4, 5, 6])
    }
}
