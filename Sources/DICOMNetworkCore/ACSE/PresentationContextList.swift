public import DICOMCore

/// An application entity's two sets of presentation contexts: those it **requests** when it
/// starts an association (the Presentation Context Definition List of PS3.8 §7.1.1.13) and those it
/// **supports** when it accepts one. `ApplicationEntity` wraps it; the rules are pynetdicom's
/// (`ApplicationEntity.add_requested_context` and friends):
///
/// - Requested contexts are a list, in the order added. The same abstract syntax may be requested
///   several times (with different transfer syntaxes, so that each can be accepted on its own
///   context, PS3.8 §7.1.1.13 note). At most 128 (PS3.8 §9.3.2.2: IDs are odd, 1 to 255). Their
///   IDs are their positions: 1, 3, 5 … in the order of ``requestedContexts``, assigned afresh for
///   each association.
/// - Supported contexts are keyed by abstract syntax, in the order first added: adding an
///   abstract syntax again merges the new transfer syntaxes into the existing context (after the
///   ones it has, so the preference order stays) and replaces its roles.
/// - Removing with transfer syntaxes removes only those; a context left without any is removed.
///   Removing without transfer syntaxes removes the abstract syntax's contexts outright.
/// - Transfer syntaxes are kept once each, in the order given.
public struct PresentationContextList: Hashable, Sendable {
    /// The most presentation contexts one A-ASSOCIATE-RQ can hold: the odd IDs from 1 to 255
    /// (PS3.8 §9.3.2.2).
    public static let maximumRequestedContexts = 128

    /// The requested contexts, without IDs (assigned by position when read).
    private var requested: [PresentationContext] = []

    /// The supported contexts, one per abstract syntax, in the order first added.
    private var supported: [PresentationContext] = []

    /// An empty list: nothing requested, nothing supported.
    public init() {}

    // MARK: Requested contexts

    /// The contexts to propose in an A-ASSOCIATE-RQ, in the order added, with IDs 1, 3, 5 …
    public var requestedContexts: [PresentationContext] {
        requested.enumerated().map { index, context in
            var context = context
            context.contextID = PresentationContext.contextID(forIndex: index)
            return context
        }
    }

    /// Adds a context to request, proposing `abstractSyntax` with `transferSyntaxes`.
    ///
    /// - Parameters:
    ///   - abstractSyntax: The SOP class (or private abstract syntax) to propose.
    ///   - transferSyntaxes: The transfer syntaxes to propose, in order; by default
    ///     ``PresentationContext/defaultTransferSyntaxes``.
    ///   - scuRole: The SCU role to propose for the requestor in an SCP/SCU Role Selection item
    ///     (PS3.7 D.3.3.4); `nil` (the default) proposes no role selection.
    ///   - scpRole: The SCP role to propose, likewise; a C-GET SCU proposes `true` for the storage
    ///     SOP classes it receives.
    /// - Throws: ``ACSEError/Code/tooManyRequestedContexts`` past 128 contexts,
    ///   ``ACSEError/Code/noTransferSyntax`` for an empty list, ``ACSEError/Code/invalidUID``.
    public mutating func addRequestedContext(
        _ abstractSyntax: UID,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil
    ) throws(ACSEError) {
        try addRequestedContext(PresentationContext(
            abstractSyntax: abstractSyntax,
            transferSyntaxes: transferSyntaxes,
            scuRole: scuRole,
            scpRole: scpRole
        ))
    }

    /// Adds `context` to the requested contexts; its ID, result and negotiated roles are dropped
    /// (the position decides the ID), its abstract syntax, transfer syntaxes and role proposal kept.
    public mutating func addRequestedContext(_ context: PresentationContext) throws(ACSEError) {
        guard requested.count < Self.maximumRequestedContexts else {
            throw ACSEError(
                .tooManyRequestedContexts,
                reason: "cannot request \(context.abstractSyntax): \(Self.maximumRequestedContexts) presentation contexts are already requested, the most an A-ASSOCIATE-RQ can hold (PS3.8 §9.3.2.2)"
            )
        }
        let clean = PresentationContext(
            abstractSyntax: context.abstractSyntax,
            transferSyntaxes: Self.uniqued(context.transferSyntaxes),
            scuRole: context.scuRole,
            scpRole: context.scpRole
        )
        try clean.validate()
        requested.append(clean)
    }

    /// Stops requesting `abstractSyntax`: every context proposing it loses `transferSyntaxes`, or
    /// goes altogether when `transferSyntaxes` is `nil` or when none of its transfer syntaxes is
    /// left. An abstract syntax not requested is no error.
    public mutating func removeRequestedContext(_ abstractSyntax: UID, transferSyntaxes: [UID]? = nil) {
        requested = Self.removing(abstractSyntax, transferSyntaxes: transferSyntaxes, from: requested)
    }

    /// Replaces every requested context with `contexts`, as ``addRequestedContext(_:)``
    /// would add them one by one; on error nothing changes.
    public mutating func setRequestedContexts(_ contexts: [PresentationContext]) throws(ACSEError) {
        var list = self
        list.requested = []
        for context in contexts {
            try list.addRequestedContext(context)
        }
        self = list
    }

    // MARK: Supported contexts

    /// The contexts supported as association-acceptor, one per abstract syntax, in the order
    /// first added; they carry no IDs.
    public var supportedContexts: [PresentationContext] {
        supported
    }

    /// The supported context for `abstractSyntax`, if any.
    public func supportedContext(for abstractSyntax: UID) -> PresentationContext? {
        supported.first { $0.abstractSyntax == abstractSyntax }
    }

    /// Supports `abstractSyntax` with `transferSyntaxes`, or, if it is supported already, adds the
    /// transfer syntaxes it lacks (after its own) and sets its roles to `scuRole` and `scpRole`.
    ///
    /// - Parameters:
    ///   - abstractSyntax: The SOP class (or private abstract syntax) to support.
    ///   - transferSyntaxes: The transfer syntaxes to accept, in order of preference; by default
    ///     ``PresentationContext/defaultTransferSyntaxes``.
    ///   - scuRole: Whether to accept a requestor's proposal to be SCU (PS3.7 D.3.3.4); `nil`, the
    ///     default, ignores role proposals and keeps the default roles.
    ///   - scpRole: Whether to accept a requestor's proposal to be SCP; `nil` likewise.
    /// - Throws: ``ACSEError/Code/noTransferSyntax`` when a new context would have none,
    ///   ``ACSEError/Code/invalidUID``.
    public mutating func addSupportedContext(
        _ abstractSyntax: UID,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil
    ) throws(ACSEError) {
        var context: PresentationContext
        if let index = supported.firstIndex(where: { $0.abstractSyntax == abstractSyntax }) {
            context = supported[index]
            context.transferSyntaxes = Self.uniqued(context.transferSyntaxes + transferSyntaxes)
            context.scuRole = scuRole
            context.scpRole = scpRole
            try context.validate()
            supported[index] = context
        } else {
            context = PresentationContext(
                abstractSyntax: abstractSyntax,
                transferSyntaxes: Self.uniqued(transferSyntaxes),
                scuRole: scuRole,
                scpRole: scpRole
            )
            try context.validate()
            supported.append(context)
        }
    }

    /// Supports `context`'s abstract syntax with its transfer syntaxes and roles, merging as
    /// ``addSupportedContext(_:transferSyntaxes:scuRole:scpRole:)`` does.
    public mutating func addSupportedContext(_ context: PresentationContext) throws(ACSEError) {
        try addSupportedContext(
            context.abstractSyntax,
            transferSyntaxes: context.transferSyntaxes,
            scuRole: context.scuRole,
            scpRole: context.scpRole
        )
    }

    /// Stops supporting `transferSyntaxes` for `abstractSyntax`, or the abstract syntax altogether
    /// when `transferSyntaxes` is `nil` or when none of its transfer syntaxes is left. An abstract
    /// syntax not supported is no error.
    public mutating func removeSupportedContext(_ abstractSyntax: UID, transferSyntaxes: [UID]? = nil) {
        supported = Self.removing(abstractSyntax, transferSyntaxes: transferSyntaxes, from: supported)
    }

    /// Replaces every supported context with `contexts`, merged as
    /// ``addSupportedContext(_:)`` would; on error nothing changes.
    public mutating func setSupportedContexts(_ contexts: [PresentationContext]) throws(ACSEError) {
        var list = self
        list.supported = []
        for context in contexts {
            try list.addSupportedContext(context)
        }
        self = list
    }

    // MARK: Helpers

    private static func uniqued(_ uids: [UID]) -> [UID] {
        var seen = Set<UID>()
        return uids.filter { seen.insert($0).inserted }
    }

    private static func removing(
        _ abstractSyntax: UID,
        transferSyntaxes: [UID]?,
        from contexts: [PresentationContext]
    ) -> [PresentationContext] {
        guard let transferSyntaxes else {
            return contexts.filter { $0.abstractSyntax != abstractSyntax }
        }
        let removed = Set(transferSyntaxes)
        return contexts.compactMap { context in
            guard context.abstractSyntax == abstractSyntax else { return context }
            var context = context
            context.transferSyntaxes.removeAll { removed.contains($0) }
            return context.transferSyntaxes.isEmpty ? nil : context
        }
    }
}
