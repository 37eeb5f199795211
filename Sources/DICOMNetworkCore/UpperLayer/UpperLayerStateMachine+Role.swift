extension UpperLayerStateMachine {
    /// Which end of the association the local upper layer is (PS3.8 §7.1.2).
    ///
    /// Table 9-10 is the same for both ends except for AR-8, the release collision: the
    /// association-requestor goes to Sta9 and the acceptor to Sta10 (PS3.8 Table 9-8). The machine
    /// learns its role from the event that leaves Sta1: AE-1 (Evt1, the local user asked for an
    /// association) makes it the requestor, AE-5 (Evt5, the peer connected) the acceptor.
    public enum Role: Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// The association-requestor: the local user issued the A-ASSOCIATE request.
        case requestor
        /// The association-acceptor: the peer opened the transport connection.
        case acceptor

        public var description: String {
            switch self {
            case .requestor: "requestor"
            case .acceptor: "acceptor"
            }
        }
    }
}
