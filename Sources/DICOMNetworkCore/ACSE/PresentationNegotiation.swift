public import DICOMCore

/// Presentation context negotiation as pure functions (PS3.8 §7.1.1.13 and §7.1.1.14, PS3.7
/// Annex D.3.2 and the role selection of D.3.3.4): contexts and role selections in, results out.
public enum PresentationNegotiation {
    /// Whose order of preference picks the transfer syntax of an accepted context.
    ///
    /// PS3.7 D.3.2 lets "the Association-acceptor select a suitable Transfer Syntax"; PS3.8 sets
    /// no order. pynetdicom walks the acceptor's supported transfer syntaxes and takes the first
    /// the requestor proposed, so a supported list in order of preference (say, a lossless
    /// compressed syntax before Explicit VR Little Endian, to store as received) decides.
    public enum TransferSyntaxPreference: Hashable, Sendable {
        /// The first of the acceptor's supported transfer syntaxes that the requestor proposed
        /// (pynetdicom's behaviour, and the default).
        case acceptor
        /// The first of the requestor's proposed transfer syntaxes that the acceptor supports.
        case requestor
    }

    /// What the acceptor answers: the results and the role selections to return.
    public struct AcceptorResult: Hashable, Sendable {
        /// One result per proposed context, in increasing ID order, with the roles the acceptor
        /// may play in ``PresentationContext/asSCU`` and ``PresentationContext/asSCP``.
        public var contexts: [PresentationContext]

        /// The SCP/SCU Role Selections to return, one per SOP class, in the order of the contexts.
        public var roleSelections: [RoleSelection]

        /// Creates a result.
        public init(contexts: [PresentationContext], roleSelections: [RoleSelection]) {
            self.contexts = contexts
            self.roleSelections = roleSelections
        }
    }

    /// Negotiates the requestor's proposed contexts as the association-acceptor.
    ///
    /// For each proposed context, in increasing ID order:
    /// - an abstract syntax the acceptor does not support: result 3
    ///   (abstract-syntax-not-supported);
    /// - no proposed transfer syntax the acceptor supports: result 4
    ///   (transfer-syntaxes-not-supported);
    /// - otherwise accepted with one transfer syntax, picked by `transferSyntaxPreference` (see
    ///   ``chooseTransferSyntax(proposed:supported:preference:acceptorSends:)`` for a context the
    ///   acceptor sends in), and the roles of ``roles(proposal:reply:)`` for the acceptor's ``roleReply(to:scuRole:scpRole:)``;
    ///   a context left with no role at all is rejected instead, result 1 (user-rejection), as
    ///   pynetdicom does.
    ///
    /// A rejected context echoes the first proposed transfer syntax, which PS3.8 Table 9-18 makes
    /// insignificant (pynetdicom sends it too). A context with an even ID gets result 2 (no-reason,
    /// provider rejection); one that repeats an earlier ID, or has none, gets no result (PS3.8
    /// §7.1.1.14 pairs one result with each distinct context).
    ///
    /// - Parameters:
    ///   - requested: The Presentation Context Definition List of the A-ASSOCIATE-RQ.
    ///   - roleProposals: The requestor's SCP/SCU Role Selections; the first per SOP class counts.
    ///   - supported: The acceptor's supported contexts (``PresentationContextList/supportedContexts``);
    ///     the first per abstract syntax counts.
    ///   - transferSyntaxPreference: Whose order picks the transfer syntax; by default the
    ///     acceptor's.
    public static func negotiateAsAcceptor(
        requested: [PresentationContext],
        roleProposals: [RoleSelection],
        supported: [PresentationContext],
        transferSyntaxPreference: TransferSyntaxPreference = .acceptor
    ) -> AcceptorResult {
        let supportedBySyntax = Dictionary(supported.map { ($0.abstractSyntax, $0) }, uniquingKeysWith: { first, _ in first })
        let proposals = Dictionary(roleProposals.map { ($0.sopClassUID, $0) }, uniquingKeysWith: { first, _ in first })
        var seenIDs = Set<UInt8>()
        var contexts: [PresentationContext] = []
        var replies: [RoleSelection] = []
        var repliedSOPClasses = Set<UID>()

        for proposed in requested {
            guard let id = proposed.contextID, seenIDs.insert(id).inserted else { continue }
            var answer = PresentationContext(
                contextID: id,
                abstractSyntax: proposed.abstractSyntax,
                transferSyntaxes: Self.echoedTransferSyntax(of: proposed),
                asSCU: false,
                asSCP: false
            )
            guard PresentationContext.isValidContextID(id) else {
                answer.result = .noReason
                contexts.append(answer)
                continue
            }
            guard let supportedContext = supportedBySyntax[proposed.abstractSyntax] else {
                answer.result = .abstractSyntaxNotSupported
                contexts.append(answer)
                continue
            }
            let reply = roleReply(
                to: proposals[proposed.abstractSyntax],
                scuRole: supportedContext.scuRole,
                scpRole: supportedContext.scpRole
            )
            let agreed = roles(proposal: proposals[proposed.abstractSyntax], reply: reply)
            guard let transferSyntax = chooseTransferSyntax(
                proposed: proposed.transferSyntaxes,
                supported: supportedContext.transferSyntaxes,
                preference: transferSyntaxPreference,
                acceptorSends: agreed.acceptorIsSCU,
                abstractSyntax: proposed.abstractSyntax
            ) else {
                answer.result = .transferSyntaxesNotSupported
                contexts.append(answer)
                continue
            }
            answer.transferSyntaxes = [transferSyntax]
            guard !agreed.isNone else {
                answer.result = .userRejection
                contexts.append(answer)
                continue
            }
            answer.result = .acceptance
            answer.asSCU = agreed.acceptorIsSCU
            answer.asSCP = agreed.acceptorIsSCP
            contexts.append(answer)
            if let reply, repliedSOPClasses.insert(reply.sopClassUID).inserted {
                replies.append(reply)
            }
        }
        contexts.sort { ($0.contextID ?? 0) < ($1.contextID ?? 0) }
        return AcceptorResult(contexts: contexts, roleSelections: replies)
    }

    /// The transfer syntax a rejected context's answer names, which PS3.8 Table 9-18 makes not
    /// significant: the requestor's first, echoed; none when it proposed none, or when its first
    /// is no UID an A-ASSOCIATE-AC can carry (more than 64 characters). Echoed, such a UID made
    /// the whole answer unencodable, and the association was aborted instead of answered.
    static func echoedTransferSyntax(of proposed: PresentationContext) -> [UID] {
        guard let first = proposed.transferSyntaxes.first, first.hasValidLength else { return [] }
        return [first]
    }

    /// The transfer syntax an acceptor picks, or `nil` when the two lists share none.
    ///
    /// - Parameter acceptorSends: whether the acceptor will send data sets in the context (the
    ///   SCP role a C-GET SCU takes for the Storage classes, PS3.7 D.3.3.4). Under the
    ///   requestor's preference, its first uncompressed syntax then wins over a compressed one
    ///   listed before it: the acceptor can convert any uncompressed data set into it, while a
    ///   compressed syntax serves only the instances already encoded in it. (DCMTK's getscu
    ///   `+xs` proposes JPEG Lossless first in its one context per class; accepting that would
    ///   fail every uncompressed instance. dcmqrscp and pynetdicom's qrscp take an uncompressed
    ///   syntax there too, by their own order.) A requestor that wants a compressed syntax
    ///   proposes it in a context of its own.
    /// - Parameter abstractSyntax: the context's; for one of ``videoStorageClasses``, whose
    ///   instances are never uncompressed, the requestor's first choice stands even when the
    ///   acceptor sends (DCMTK getscu's +x2 puts MPEG-4 first in every class's context).
    public static func chooseTransferSyntax(
        proposed: [UID],
        supported: [UID],
        preference: TransferSyntaxPreference,
        acceptorSends: Bool = false,
        abstractSyntax: UID? = nil
    ) -> UID? {
        switch preference {
        case .acceptor:
            let offered = Set(proposed)
            return supported.first { offered.contains($0) }
        case .requestor:
            let accepted = Set(supported)
            let candidates = proposed.filter { accepted.contains($0) }
            let video = abstractSyntax.map(videoStorageClasses.contains) ?? false
            if acceptorSends, !video, let uncompressed = candidates.first(where: { TransferSyntax(uid: $0).isUncompressed }) {
                return uncompressed
            }
            return candidates.first
        }
    }

    /// The Storage SOP classes of the video IODs (PS3.3 A.32.5, A.32.7, A.32.9), whose pixel data
    /// is always an MPEG-2, MPEG-4 AVC/H.264 or HEVC/H.265 stream.
    public static let videoStorageClasses: Set<UID> = [
        .videoEndoscopicImageStorage, .videoMicroscopicImageStorage, .videoPhotographicImageStorage,
    ]

    /// The contexts an A-ASSOCIATE-AC accepts with a transfer syntax that was not proposed for
    /// them, against PS3.8 §7.1.1.14: ``negotiateAsRequestor(requested:roleProposals:results:roleReplies:)``
    /// counts them as rejected; this names them, for the log to say why.
    public static func acceptedWithUnproposedSyntax(
        requested: [PresentationContext], results: [PDU.PresentationContextACItem]
    ) -> [(contextID: UInt8, abstractSyntax: UID, transferSyntax: UID?)] {
        let proposed = Dictionary(requested.compactMap { context in context.contextID.map { ($0, context) } }, uniquingKeysWith: { first, _ in first })
        return results.compactMap { item in
            guard PresentationContext.Result(rawValue: item.resultReason.rawValue) == .acceptance, let context = proposed[item.presentationContextID],
                  !(item.transferSyntax.map(context.transferSyntaxes.contains) ?? false) else { return nil }
            return (item.presentationContextID, context.abstractSyntax, item.transferSyntax)
        }
    }

    /// Reads the acceptor's answer as the association-requestor: one context per proposed one, in
    /// increasing ID order, with its result, its transfer syntax and the roles the requestor may
    /// play (``PresentationContext/asSCU``, ``PresentationContext/asSCP``).
    ///
    /// - A proposed context the acceptor did not answer counts as rejected with result 2
    ///   (no-reason), as pynetdicom counts it.
    /// - An accepted context whose transfer syntax was not proposed for it breaks PS3.8
    ///   §7.1.1.14 and counts as result 2 as well: no data may flow in a syntax this side did not
    ///   offer.
    /// - Roles follow ``roles(proposal:reply:)``; rejected contexts get no role.
    /// - Answers for IDs that were not proposed are ignored.
    ///
    /// - Parameters:
    ///   - requested: The contexts proposed, with their IDs.
    ///   - roleProposals: The role selections proposed (``AAssociate/proposedRoleSelections``).
    ///   - results: The Presentation Context Definition Result List received.
    ///   - roleReplies: The acceptor's SCP/SCU Role Selections; the first per SOP class counts.
    public static func negotiateAsRequestor(
        requested: [PresentationContext],
        roleProposals: [RoleSelection],
        results: [PresentationContext],
        roleReplies: [RoleSelection]
    ) -> [PresentationContext] {
        let resultsByID = Dictionary(
            results.compactMap { result in result.contextID.map { ($0, result) } },
            uniquingKeysWith: { first, _ in first }
        )
        let proposals = Dictionary(roleProposals.map { ($0.sopClassUID, $0) }, uniquingKeysWith: { first, _ in first })
        let replies = Dictionary(roleReplies.map { ($0.sopClassUID, $0) }, uniquingKeysWith: { first, _ in first })
        var seenIDs = Set<UInt8>()
        var negotiated: [PresentationContext] = []

        for proposed in requested {
            guard let id = proposed.contextID, seenIDs.insert(id).inserted else { continue }
            var context = PresentationContext(
                contextID: id,
                abstractSyntax: proposed.abstractSyntax,
                transferSyntaxes: Array(proposed.transferSyntaxes.prefix(1)),
                result: .noReason,
                asSCU: false,
                asSCP: false
            )
            if let answer = resultsByID[id], let result = answer.result {
                context.result = result
                if !answer.transferSyntaxes.isEmpty {
                    context.transferSyntaxes = Array(answer.transferSyntaxes.prefix(1))
                }
                if result == .acceptance {
                    if let transferSyntax = answer.transferSyntaxes.first, proposed.transferSyntaxes.contains(transferSyntax) {
                        let agreed = roles(
                            proposal: proposals[proposed.abstractSyntax],
                            reply: replies[proposed.abstractSyntax]
                        )
                        context.asSCU = agreed.requestorIsSCU
                        context.asSCP = agreed.requestorIsSCP
                    } else {
                        context.result = .noReason
                    }
                }
            }
            negotiated.append(context)
        }
        return negotiated.sorted { ($0.contextID ?? 0) < ($1.contextID ?? 0) }
    }
}
