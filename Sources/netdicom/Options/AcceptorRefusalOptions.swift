import ArgumentParser
import DICOMNetwork
import DICOMNetworkCore

/// DCMTK's acceptor options that turn associations away before negotiation (storescp's and
/// dcmqrscp's --refuse and --reject).
struct AcceptorRefusalOptions: ParsableArguments {
    @Flag(name: .customLong("refuse"), help: "Reject every association (rejected-permanent, no reason given).")
    var refuse = false

    @Flag(name: .customLong("reject"), help: "Reject an association whose request carries no Implementation Class UID.")
    var rejectWithoutImplementationClassUID = false

    /// Whether any association is turned away.
    var refuses: Bool { refuse || rejectWithoutImplementationClassUID }

    /// The rejection of `request`, if it is turned away.
    func rejection(of request: AAssociate) -> AAssociate.Rejection? {
        if refuse { return .noReasonGiven }
        if rejectWithoutImplementationClassUID, request.implementationClassUID == nil { return .noReasonGiven }
        return nil
    }

    /// A screening handler for an acceptor that turns away what these options say; nil when
    /// they let everything in.
    var screening: (@Sendable (AssociationInfo) async -> AssociationScreening)? {
        guard refuses else { return nil }
        let options = self
        return { info in options.rejection(of: info.request).map(AssociationScreening.reject) ?? .proceed }
    }
}
