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
    public init(
        _ instances: some Sequence<(sopClass: UID, transferSyntax: UID)>,
        limit: Int = PresentationContextList.maximumRequestedContexts
    ) {
        var order: [UID] = []
        var syntaxes: [UID: [UID]] = [:]
        for instance in instances {
            if syntaxes[instance.sopClass] == nil {
                order.append(instance.sopClass)
                syntaxes[instance.sopClass] = []
            }
            if syntaxes[instance.sopClass]?.contains(instance.transferSyntax) == false {
                syntaxes[instance.sopClass]?.append(instance.transferSyntax)
            }
        }
        let proposed = order.prefix(max(0, limit))
        unproposed = Array(order.dropFirst(max(0, limit)))
        contexts = proposed.map { Self.context($0, syntaxes[$0]![0]) }
        for sopClass in proposed {
            for syntax in syntaxes[sopClass]!.dropFirst() where contexts.count < limit {
                contexts.append(Self.context(sopClass, syntax))
            }
        }
    }

    /// What an uncompressed instance may be converted to: the syntaxes every peer takes.
    private static let fallbackSyntaxes: [UID] = [.explicitVRLittleEndian, .implicitVRLittleEndian]

    private static func context(_ sopClass: UID, _ syntax: UID) -> PresentationContext {
        var list = [syntax]
        let transferSyntax = TransferSyntax(uid: syntax)
        if transferSyntax.isKnown, transferSyntax.isUncompressed {
            for other in fallbackSyntaxes where other != syntax { list.append(other) }
        }
        return PresentationContext(abstractSyntax: sopClass, transferSyntaxes: list)
    }
}
