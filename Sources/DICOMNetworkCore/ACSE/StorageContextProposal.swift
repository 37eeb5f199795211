public import DICOMCore

/// The presentation contexts to propose for sending instances (C-STORE): storescu's files, a
/// C-MOVE's sub-operations.
///
/// An acceptor agrees to one transfer syntax per context, so each transfer syntax found among a
/// SOP class's instances gets a context of its own, led by that syntax: a JPEG CT and an
/// Explicit VR Little Endian CT can then both go as they are. An uncompressed syntax's context
/// also lists Explicit and Implicit VR Little Endian, to convert to when the acceptor does not
/// take the instances' own (not deflate or big endian: an acceptor that prefers those would have
/// every instance converted); an encapsulated syntax cannot be converted, so its context lists
/// it alone.
///
/// At most 128 contexts fit in one association (PS3.8 §9.3.2.2): every SOP class gets a context
/// for its first syntax before any gets a second, so the instances left without their own
/// syntax's context are those that may still be converted, and the SOP classes past the limit
/// are named in ``unproposed``.
public struct StorageContextProposal: Equatable, Sendable {
    /// The contexts, in the order to propose them.
    public private(set) var contexts: [PresentationContext] = []
    /// SOP classes that found no room: their instances cannot be sent on this association.
    public private(set) var unproposed: [UID] = []

    /// Plans for instances of these SOP classes and transfer syntaxes, in the instances' order.
    ///
    /// - Parameter uncompressedSyntaxes: when given, what the context of every uncompressed
    ///   instance proposes instead of its own syntax and the fallbacks, in this order
    ///   (storescu's -xi: Implicit VR Little Endian alone); the instances are converted to the
    ///   one accepted. Encapsulated instances still go as they are.
    public init(
        _ instances: some Sequence<(sopClass: UID, transferSyntax: UID)>,
        limit: Int = PresentationContextList.maximumRequestedContexts,
        uncompressedSyntaxes: [UID]? = nil
    ) {
        var order: [UID] = []
        // The transfer syntax lists to propose, per SOP class.
        var lists: [UID: [[UID]]] = [:]
        for instance in instances {
            if lists[instance.sopClass] == nil {
                order.append(instance.sopClass)
                lists[instance.sopClass] = []
            }
            let list = Self.syntaxes(for: instance.transferSyntax, uncompressedSyntaxes: uncompressedSyntaxes)
            if lists[instance.sopClass]?.contains(list) == false {
                lists[instance.sopClass]?.append(list)
            }
        }
        let proposed = order.prefix(max(0, limit))
        unproposed = Array(order.dropFirst(max(0, limit)))
        contexts = proposed.map { PresentationContext(abstractSyntax: $0, transferSyntaxes: lists[$0]![0]) }
        for sopClass in proposed {
            for list in lists[sopClass]!.dropFirst() where contexts.count < limit {
                contexts.append(PresentationContext(abstractSyntax: sopClass, transferSyntaxes: list))
            }
        }
    }

    /// What an uncompressed instance may be converted to: the syntaxes every peer takes.
    private static let fallbackSyntaxes: [UID] = [.explicitVRLittleEndian, .implicitVRLittleEndian]

    /// The transfer syntaxes of the context for an instance in `syntax`.
    private static func syntaxes(for syntax: UID, uncompressedSyntaxes: [UID]?) -> [UID] {
        let transferSyntax = TransferSyntax(uid: syntax)
        guard transferSyntax.isKnown, transferSyntax.isUncompressed else { return [syntax] }
        if let uncompressedSyntaxes, !uncompressedSyntaxes.isEmpty { return uncompressedSyntaxes }
        return [syntax] + fallbackSyntaxes.filter { $0 != syntax }
    }
}
