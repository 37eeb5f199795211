public import DICOMCore
public import DICOMNetworkCore

extension ApplicationEntity {
    /// Supports every SOP class of `serviceClass` as acceptor, as
    /// ``addSupportedContext(_:transferSyntaxes:scuRole:scpRole:)`` would one by one (transfer
    /// syntaxes merge into contexts already supported). On error nothing changes.
    ///
    /// ```swift
    /// try scp.addSupportedContexts(for: .storage)
    /// try scp.addSupportedContexts(for: .modalityPerformedProcedureStep)
    /// ```
    public mutating func addSupportedContexts(
        for serviceClass: ServiceClass,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil
    ) throws(ACSEError) {
        var list = contexts
        for sopClass in serviceClass.sopClassUIDs {
            try list.addSupportedContext(sopClass, transferSyntaxes: transferSyntaxes, scuRole: scuRole, scpRole: scpRole)
        }
        contexts = list
    }

    /// Requests the SOP classes of `serviceClass` as requestor, one context each in the service
    /// class's order, as far as the 128 contexts an A-ASSOCIATE-RQ holds allow (PS3.8 §9.3.2.2),
    /// counting those already requested. Returns the SOP classes left out for want of room.
    ///
    /// Only ``ServiceClass/storage`` is larger than that: its common SOP classes come first, so a
    /// requestor gets the ones archives hold and loses rare and retired ones. A Storage SCU that
    /// knows its instances does better to request just their SOP classes; a C-GET SCU requests
    /// its C-GET context first, then Storage with `scpRole: true` to receive the instances:
    ///
    /// ```swift
    /// try scu.addRequestedContext(.studyRootQueryRetrieveInformationModelGet)
    /// let leftOut = try scu.addRequestedContexts(for: .storage, scuRole: false, scpRole: true)
    /// ```
    ///
    /// - Throws: ``ACSEError/Code/noTransferSyntax`` for an empty `transferSyntaxes`,
    ///   ``ACSEError/Code/invalidUID``; then nothing changes.
    @discardableResult
    public mutating func addRequestedContexts(
        for serviceClass: ServiceClass,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil
    ) throws(ACSEError) -> [UID] {
        var list = contexts
        let room = max(0, PresentationContextList.maximumRequestedContexts - list.requestedContexts.count)
        let uids = serviceClass.sopClassUIDs
        for sopClass in uids.prefix(room) {
            try list.addRequestedContext(sopClass, transferSyntaxes: transferSyntaxes, scuRole: scuRole, scpRole: scpRole)
        }
        contexts = list
        return Array(uids.dropFirst(room))
    }
}
