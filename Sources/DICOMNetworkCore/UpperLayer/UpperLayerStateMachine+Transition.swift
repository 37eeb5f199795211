extension UpperLayerStateMachine {
    /// One step of the machine: the state it was in, the event fed in, the action it returned and
    /// the state it went to. ``UpperLayerStateMachine/lastTransition`` holds the latest one, for
    /// the EVT_FSM_TRANSITION notification and for logs; recording it does no I/O.
    ///
    /// Steps through blank cells of PS3.8 Table 9-10 are recorded too, with `from == to` and an
    /// action whose ``Action/standardName`` is `nil`.
    public struct Transition: Hashable, Sendable, CustomStringConvertible {
        /// The state before the event.
        public var from: State
        /// The event fed in.
        public var event: Event
        /// The action returned for it.
        public var action: Action
        /// The state after the action.
        public var to: State

        /// Creates a transition record.
        public init(from: State, event: Event, action: Action, to: State) {
            self.from = from
            self.event = event
            self.action = action
            self.to = to
        }

        /// "Sta6 + Evt10 -> DT-2 -> Sta6"; a blank cell reads "Sta1 + Evt17 -> ignore Evt17 -> Sta1".
        public var description: String {
            "\(from.standardName) + \(event.standardName) -> \(action) -> \(to.standardName)"
        }
    }
}
