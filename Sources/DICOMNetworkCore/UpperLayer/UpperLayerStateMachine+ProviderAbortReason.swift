extension UpperLayerStateMachine {
    /// Why the upper layer service-provider aborts: the Reason/Diag. field of an A-ABORT PDU whose
    /// source is the service-provider (PS3.8 Table 9-26), and the provider reason of the A-P-ABORT
    /// indication (PS3.8 §7.4.1, Table 7-6). The raw value is the wire value; 3 is reserved.
    public enum ProviderAbortReason: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// 0: reason-not-specified.
        case reasonNotSpecified = 0
        /// 1: unrecognized-PDU (an unknown PDU-type).
        case unrecognizedPDU = 1
        /// 2: unexpected-PDU (a known PDU that Table 9-10 does not allow in the current state).
        case unexpectedPDU = 2
        /// 4: unrecognized-PDU parameter.
        case unrecognizedPDUParameter = 4
        /// 5: unexpected-PDU parameter.
        case unexpectedPDUParameter = 5
        /// 6: invalid-PDU-parameter value.
        case invalidPDUParameterValue = 6

        public var description: String {
            switch self {
            case .reasonNotSpecified: "reason-not-specified"
            case .unrecognizedPDU: "unrecognized-PDU"
            case .unexpectedPDU: "unexpected-PDU"
            case .unrecognizedPDUParameter: "unrecognized-PDU parameter"
            case .unexpectedPDUParameter: "unexpected-PDU parameter"
            case .invalidPDUParameterValue: "invalid-PDU-parameter value"
            }
        }
    }
}
