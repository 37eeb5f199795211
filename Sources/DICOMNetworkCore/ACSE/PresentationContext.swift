public import DICOMCore

/// A presentation context: an abstract syntax, the transfer syntaxes it may be encoded with, and,
/// once negotiated, the outcome (PS3.8 §7.1.1.13 and §7.1.1.14, PS3.7 Annex D.3.2).
///
/// One type serves the three places a context appears, as in pynetdicom:
/// - **requested** (proposed by the association-requestor): ``contextID``, ``abstractSyntax``, one
///   or more ``transferSyntaxes``, and optionally the SCP/SCU roles to propose for the abstract
///   syntax (``scuRole``, ``scpRole``);
/// - **supported** (configured on the association-acceptor): ``abstractSyntax``, the
///   ``transferSyntaxes`` accepted, in order of preference, and whether a proposed SCU or SCP role
///   is accepted (``scuRole``, ``scpRole``; `nil` ignores role proposals);
/// - **negotiated** (the result of ``PresentationNegotiation``): ``contextID``, ``result``, the
///   accepted ``transferSyntax``, and the roles the local AE may play (``asSCU``, ``asSCP``).
public struct PresentationContext: Hashable, Sendable, CustomStringConvertible {
    /// The Presentation-context-ID, an odd number from 1 to 255 (PS3.8 §9.3.2.2); `nil` for a
    /// supported context, and for a requested one until it is placed in an A-ASSOCIATE-RQ.
    public var contextID: UInt8?

    /// The Abstract Syntax Name: a SOP Class or Meta SOP Class UID, or a private abstract syntax.
    public var abstractSyntax: UID

    /// The Transfer Syntax Names: in a requested context the ones proposed, in a supported context
    /// the ones accepted (in order of preference), in an accepted context the one agreed to.
    public var transferSyntaxes: [UID]

    /// In a requested context, whether to propose the SCU role for the requestor in an SCP/SCU
    /// Role Selection (PS3.7 D.3.3.4); in a supported context, whether to accept the requestor's
    /// proposal of the SCU role. `nil` proposes nothing, or ignores the proposal (with
    /// ``scpRole`` `nil` too: either one `nil` makes both count as `nil`, as in pynetdicom).
    public var scuRole: Bool?

    /// Like ``scuRole``, for the SCP role.
    public var scpRole: Bool?

    /// The Result/Reason of the negotiation (PS3.8 Table 9-18); `nil` before negotiation.
    public var result: Result?

    /// Whether the local AE may act as SCU on this context; `nil` before negotiation.
    public var asSCU: Bool?

    /// Whether the local AE may act as SCP on this context; `nil` before negotiation.
    public var asSCP: Bool?

    /// Creates a context. The defaults make a context to request or to support with pynetdicom's
    /// default transfer syntaxes and no role selection.
    public init(
        contextID: UInt8? = nil,
        abstractSyntax: UID,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil,
        result: Result? = nil,
        asSCU: Bool? = nil,
        asSCP: Bool? = nil
    ) {
        self.contextID = contextID
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
        self.scuRole = scuRole
        self.scpRole = scpRole
        self.result = result
        self.asSCU = asSCU
        self.asSCP = asSCP
    }

    /// The transfer syntaxes a context gets when none are named, in pynetdicom's order
    /// (`pynetdicom._globals.DEFAULT_TRANSFER_SYNTAXES`): Implicit VR Little Endian, Explicit VR
    /// Little Endian, Deflated Explicit VR Little Endian, Explicit VR Big Endian.
    ///
    /// Implicit VR Little Endian comes first because it is the one syntax every DICOM AE must
    /// support (PS3.5 §10.1).
    public static let defaultTransferSyntaxes: [UID] = [
        .implicitVRLittleEndian, .explicitVRLittleEndian, .deflatedExplicitVRLittleEndian, .explicitVRBigEndian,
    ]

    /// The transfer syntax agreed to, when the context was accepted.
    public var transferSyntax: UID? {
        result == .acceptance ? transferSyntaxes.first : nil
    }

    /// Whether the context was accepted (result 0).
    public var isAccepted: Bool {
        result == .acceptance
    }

    /// Whether `id` is a valid Presentation-context-ID: odd, hence from 1 to 255 (PS3.8 §9.3.2.2).
    public static func isValidContextID(_ id: UInt8) -> Bool {
        id % 2 == 1
    }

    /// The Presentation-context-ID of the `index`th context of an A-ASSOCIATE-RQ (from 0):
    /// 1, 3, 5 … 255, the order pynetdicom and DCMTK assign them in.
    public static func contextID(forIndex index: Int) -> UInt8? {
        guard index >= 0, index < PresentationContextList.maximumRequestedContexts else { return nil }
        return UInt8(2 * index + 1)
    }

    /// Throws unless the context follows PS3.8: an odd ID if it has one, UIDs of 1 to 64
    /// characters, and at least one transfer syntax unless the context was rejected (a rejected
    /// context's transfer syntax "shall not be significant", PS3.8 Table 9-18). An answer (a
    /// context with a ``result``) goes out without its abstract syntax (Table 9-18), so a
    /// requestor's malformed one, which the answer only remembers, is not held against it.
    public func validate() throws(ACSEError) {
        if let contextID, !Self.isValidContextID(contextID) {
            throw ACSEError(
                .invalidContextID,
                reason: "presentation context ID \(contextID) is not an odd number from 1 to 255 (PS3.8 §9.3.2.2)"
            )
        }
        if result == nil {
            try abstractSyntax.validateForACSE("Abstract syntax")
        }
        for transferSyntax in transferSyntaxes {
            try transferSyntax.validateForACSE("Transfer syntax of \(abstractSyntax)")
        }
        if transferSyntaxes.isEmpty && (result == nil || result == .acceptance) {
            throw ACSEError(
                .noTransferSyntax,
                reason: result == nil
                    ? "presentation context for \(abstractSyntax) has no transfer syntax (PS3.8 §7.1.1.13)"
                    : "accepted presentation context \(contextID.map(String.init) ?? "") names no transfer syntax (PS3.8 §7.1.1.14)"
            )
        }
    }

    /// A multi-line account in the manner of pynetdicom's: ID, abstract syntax, transfer syntaxes,
    /// result and roles, each where known.
    public var description: String {
        var lines: [String] = []
        if let contextID { lines.append("ID: \(contextID)") }
        lines.append("Abstract Syntax: \(abstractSyntax.nameAndValue)")
        lines.append("Transfer Syntax(es):")
        if transferSyntaxes.isEmpty {
            lines.append("    (none)")
        } else {
            lines += transferSyntaxes.map { "    =\($0.nameAndValue)" }
        }
        if let result { lines.append("Result: \(result)") }
        if let asSCU, let asSCP {
            switch (asSCU, asSCP) {
            case (true, false): lines.append("Role: SCU only")
            case (true, true): lines.append("Role: SCU and SCP")
            case (false, true): lines.append("Role: SCP only")
            case (false, false): lines.append("Role: (none)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
