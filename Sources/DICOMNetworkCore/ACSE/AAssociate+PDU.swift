internal import DICOMCore

// The A-ASSOCIATE primitive and its three PDUs (PS3.8 §9.3.2 to §9.3.4). The conversions are
// public so that the association layer above DICOMNetworkCore can use them; towards the wire they
// check what PS3.8 asks of a sender and throw, from the wire they carry whatever came, since
// judging a peer's request is the negotiation's job (an answer, never an error).

// MARK: - Primitive to PDU

extension PDU.AssociateRQ {
    /// The A-ASSOCIATE-RQ PDU of a request primitive, with protocol version 1.
    ///
    /// The role selection sub-items are ``AAssociate/proposedRoleSelections``.
    ///
    /// - Throws: ``ACSEError/Code/invalidAETitle`` for a calling or called AE title that is not
    ///   valid; ``ACSEError/Code/invalidPrimitive`` for an empty presentation context definition
    ///   list or user information without a mandatory item;
    ///   ``ACSEError/Code/tooManyRequestedContexts`` past 128 contexts;
    ///   ``ACSEError/Code/invalidContextID`` for a context without an odd ID;
    ///   ``ACSEError/Code/duplicateContextID``; ``ACSEError/Code/noTransferSyntax``;
    ///   ``ACSEError/Code/invalidUID``; ``ACSEError/Code/invalidUserInformation``.
    public init(_ request: AAssociate) throws(ACSEError) {
        try AETitle.validate(request.callingAETitle)
        try AETitle.validate(request.calledAETitle)
        try request.applicationContextName.validateForACSE("Application Context Name")
        let contexts = request.presentationContextDefinitionList
        guard !contexts.isEmpty else {
            throw ACSEError(.invalidPrimitive, reason: "the request proposes no presentation context (PS3.8 §7.1.1.13 asks for one or more)")
        }
        guard contexts.count <= PresentationContextList.maximumRequestedContexts else {
            throw ACSEError(
                .tooManyRequestedContexts,
                reason: "the request proposes \(contexts.count) presentation contexts, more than the \(PresentationContextList.maximumRequestedContexts) IDs 1 to 255 allow (PS3.8 §9.3.2.2)"
            )
        }
        var items: [PDU.PresentationContextRQItem] = []
        var ids = Set<UInt8>()
        for context in contexts {
            let id = try Self.checkedID(of: context, among: &ids)
            try context.validate()
            guard !context.transferSyntaxes.isEmpty else {
                throw ACSEError(.noTransferSyntax, reason: "presentation context \(id) proposes no transfer syntax (PS3.8 §7.1.1.13)")
            }
            items.append(PDU.PresentationContextRQItem(
                presentationContextID: id,
                abstractSyntax: context.abstractSyntax,
                transferSyntaxes: context.transferSyntaxes
            ))
        }
        self.init(
            calledAETitle: request.calledAETitle,
            callingAETitle: request.callingAETitle,
            applicationContextName: request.applicationContextName,
            presentationContexts: items,
            userInformation: try request.userInformation.wireValue(
                for: .request,
                roleSelections: request.proposedRoleSelections
            )
        )
    }

    /// The ID of `context`, checked to be present, odd and not in `ids` (then added to it).
    static func checkedID(of context: PresentationContext, among ids: inout Set<UInt8>) throws(ACSEError) -> UInt8 {
        guard let id = context.contextID else {
            throw ACSEError(
                .invalidContextID,
                reason: "the presentation context for \(context.abstractSyntax) has no ID (PS3.8 §7.1.1.13)"
            )
        }
        guard PresentationContext.isValidContextID(id) else {
            throw ACSEError(.invalidContextID, reason: "presentation context ID \(id) is not an odd number from 1 to 255 (PS3.8 §9.3.2.2)")
        }
        guard ids.insert(id).inserted else {
            throw ACSEError(.duplicateContextID, reason: "two presentation contexts have the ID \(id) (PS3.8 §7.1.1.13)")
        }
        return id
    }
}

extension PDU.AssociateAC {
    /// The A-ASSOCIATE-AC PDU of an accepting response primitive.
    ///
    /// Bytes 11-42 carry the primitive's called and calling AE titles, which for a response are
    /// those of the request (PS3.8 Table 9-17). Each context of the result list gives one
    /// Presentation Context Item: an accepted one with its ``PresentationContext/transferSyntax``,
    /// a rejected one with its first transfer syntax, if any (not significant, Table 9-18). User
    /// information that belongs to a request only (SOP Class Common Extended Negotiation, the
    /// User Identity request) is left out.
    ///
    /// - Throws: ``ACSEError/Code/invalidPrimitive`` when ``AAssociate/result`` is not
    ///   ``AAssociate/Result/accepted``, a result context has no result, or the user information
    ///   lacks a mandatory item; ``ACSEError/Code/invalidContextID``;
    ///   ``ACSEError/Code/duplicateContextID``; ``ACSEError/Code/noTransferSyntax`` for an
    ///   accepted context without one; ``ACSEError/Code/invalidUID``;
    ///   ``ACSEError/Code/invalidUserInformation``.
    public init(_ acceptance: AAssociate) throws(ACSEError) {
        guard acceptance.result == .accepted else {
            throw ACSEError(
                .invalidPrimitive,
                reason: "an A-ASSOCIATE-AC answers an accepted association, this one's result is \(acceptance.resultDescription)"
            )
        }
        try acceptance.applicationContextName.validateForACSE("Application Context Name")
        var items: [PDU.PresentationContextACItem] = []
        var ids = Set<UInt8>()
        for context in acceptance.presentationContextDefinitionResultList {
            let id = try PDU.AssociateRQ.checkedID(of: context, among: &ids)
            guard let result = context.result else {
                throw ACSEError(.invalidPrimitive, reason: "presentation context \(id) has no result (PS3.8 §7.1.1.14)")
            }
            try context.validate()
            items.append(PDU.PresentationContextACItem(
                presentationContextID: id,
                resultReason: result.wireValue,
                transferSyntax: context.transferSyntaxes.first
            ))
        }
        self.init(
            calledAETitle: acceptance.calledAETitle,
            callingAETitle: acceptance.callingAETitle,
            applicationContextName: acceptance.applicationContextName,
            presentationContexts: items,
            userInformation: try acceptance.userInformation.wireValue(
                for: .acceptance,
                roleSelections: acceptance.userInformation.roleSelections
            )
        )
    }
}

extension PDU.AssociateRJ {
    /// The A-ASSOCIATE-RJ PDU of a rejecting response primitive.
    ///
    /// - Throws: ``ACSEError/Code/invalidPrimitive`` without a result, result source or
    ///   diagnostic; ``ACSEError/Code/invalidRejection`` for a combination PS3.8 Table 9-21 does
    ///   not define.
    public init(_ rejection: AAssociate) throws(ACSEError) {
        guard let result = rejection.result, let source = rejection.resultSource, let diagnostic = rejection.diagnostic else {
            throw ACSEError(
                .invalidPrimitive,
                reason: "an A-ASSOCIATE-RJ needs a Result, a Result Source and a Diagnostic (PS3.8 Table 9-21)"
            )
        }
        self = try AAssociate.Rejection(result: result, source: source, diagnostic: diagnostic).pdu
    }
}

// MARK: - PDU to primitive

extension AAssociate {
    /// The A-ASSOCIATE indication of a received A-ASSOCIATE-RQ: its AE titles, application
    /// context, presentation contexts (without roles: the role selections stay in the
    /// ``userInformation``) and user information, and the transport's addresses if given.
    ///
    /// Nothing is checked; ``AssociationAcceptancePolicy`` and ``PresentationNegotiation`` judge.
    public init(
        request: PDU.AssociateRQ,
        callingPresentationAddress: PresentationAddress? = nil,
        calledPresentationAddress: PresentationAddress? = nil
    ) {
        self.init(
            applicationContextName: request.applicationContextName,
            callingAETitle: request.callingAETitle,
            calledAETitle: request.calledAETitle,
            userInformation: UserInformation(request.userInformation),
            callingPresentationAddress: callingPresentationAddress,
            calledPresentationAddress: calledPresentationAddress,
            presentationContextDefinitionList: request.presentationContexts.map {
                PresentationContext(
                    contextID: $0.presentationContextID,
                    abstractSyntax: $0.abstractSyntax,
                    transferSyntaxes: $0.transferSyntaxes
                )
            }
        )
    }

    /// The A-ASSOCIATE confirmation (accept) of a received A-ASSOCIATE-AC, for `request`: the
    /// request's AE titles, addresses and definition list, the acceptor's application context and
    /// user information, result "accepted" from the service-user, and the result list in the
    /// order received.
    ///
    /// The -AC names no abstract syntaxes, so each result takes its abstract syntax from the
    /// request's context with the same ID; a result for an ID the request did not propose gets an
    /// empty abstract syntax (``PresentationNegotiation`` ignores it). Negotiated roles are left
    /// `nil`: ``PresentationNegotiation/negotiateAsRequestor(requested:roleProposals:results:roleReplies:)``
    /// works them out.
    public init(acceptance: PDU.AssociateAC, request: AAssociate) {
        let abstractSyntaxes = Dictionary(
            request.presentationContextDefinitionList.compactMap { context in
                context.contextID.map { ($0, context.abstractSyntax) }
            },
            uniquingKeysWith: { first, _ in first }
        )
        self = request
        applicationContextName = acceptance.applicationContextName
        userInformation = UserInformation(acceptance.userInformation)
        result = .accepted
        resultSource = .serviceUser
        diagnostic = nil
        presentationContextDefinitionResultList = acceptance.presentationContexts.map { item in
            PresentationContext(
                contextID: item.presentationContextID,
                abstractSyntax: abstractSyntaxes[item.presentationContextID] ?? UID(""),
                transferSyntaxes: item.transferSyntax.map { [$0] } ?? [],
                result: PresentationContext.Result(item.resultReason)
            )
        }
    }

    /// The A-ASSOCIATE confirmation (reject) of a received A-ASSOCIATE-RJ, for `request`: the
    /// request's AE titles, addresses and definition list, the rejection's result, source and
    /// diagnostic as received, and no user information.
    public init(rejection: PDU.AssociateRJ, request: AAssociate) {
        self = request
        userInformation = UserInformation()
        result = Result(rawValue: rejection.result.rawValue)
        resultSource = ResultSource(rawValue: rejection.source.rawValue)
        diagnostic = Diagnostic(rawValue: rejection.reason.rawValue)
        presentationContextDefinitionResultList = []
    }

    /// The A-ASSOCIATE response (reject) to `request` for `rejection`.
    public init(rejecting request: AAssociate, with rejection: Rejection) {
        self = request
        userInformation = UserInformation()
        result = rejection.result
        resultSource = rejection.source
        diagnostic = rejection.diagnostic
        presentationContextDefinitionResultList = []
    }
}
