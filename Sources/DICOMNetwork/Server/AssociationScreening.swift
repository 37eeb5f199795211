public import DICOMNetworkCore

/// What an acceptor's ``ServiceHandlers/screenAssociation`` decides about an A-ASSOCIATE-RQ
/// the acceptance policy let through, before its presentation contexts are negotiated: reject
/// the whole association, or refuse some of its contexts whatever the supported ones say.
public struct AssociationScreening: Sendable, Hashable {
    /// The rejection to send (A-ASSOCIATE-RJ); nil to go on and negotiate.
    public var rejection: AAssociate.Rejection?
    /// The Presentation-context-IDs to answer with result 1 (user-rejection).
    public var refusedContextIDs: Set<UInt8>

    /// Rejects the association with `rejection`, or negotiates it without the contexts
    /// `refusedContextIDs`.
    public init(rejection: AAssociate.Rejection? = nil, refusedContextIDs: Set<UInt8> = []) {
        self.rejection = rejection
        self.refusedContextIDs = refusedContextIDs
    }

    /// Negotiate the request as the supported contexts say.
    public static let proceed = AssociationScreening()

    /// Reject the association.
    public static func reject(_ rejection: AAssociate.Rejection) -> AssociationScreening {
        AssociationScreening(rejection: rejection)
    }

    /// `response` with the refused contexts answered user-rejection (no roles), the rest as
    /// they were.
    func applied(to response: AAssociate) -> AAssociate {
        guard !refusedContextIDs.isEmpty else { return response }
        var response = response
        for index in response.presentationContextDefinitionResultList.indices {
            let context = response.presentationContextDefinitionResultList[index]
            guard let id = context.contextID, refusedContextIDs.contains(id), context.isAccepted else { continue }
            response.presentationContextDefinitionResultList[index].result = .userRejection
            response.presentationContextDefinitionResultList[index].asSCU = false
            response.presentationContextDefinitionResultList[index].asSCP = false
        }
        // No answer to an extended negotiation for a class left without a context.
        response.userInformation.sopClassExtendedNegotiations = AssociationNegotiation.sopClassExtendedNegotiationAnswers(
            to: response.userInformation.sopClassExtendedNegotiations,
            answers: response.userInformation.sopClassExtendedNegotiations,
            acceptedContexts: response.presentationContextDefinitionResultList)
        return response
    }
}
