public import DICOMCore

extension AAssociate {
    /// The User Information parameter (PS3.8 §7.1.1.6): the negotiations of PS3.8 Annex D and
    /// PS3.7 Annex D.3.3, as meaning rather than sub-items.
    ///
    /// From the wire, the first sub-item of a kind that may appear once counts; sub-items of
    /// unknown types are dropped, as PS3.8 Annex D.2 asks.
    public struct UserInformation: Hashable, Sendable {
        /// Maximum Length Received (PS3.8 Annex D.1): the longest P-DATA-TF variable field the
        /// sender accepts; 0 means no limit. Mandatory on the wire.
        public var maximumLengthReceived: UInt32?

        /// The Implementation Class UID (PS3.7 D.3.3.2). Mandatory on the wire.
        public var implementationClassUID: UID?

        /// The Implementation Version Name: 1 to 16 characters (PS3.7 D.3.3.2).
        public var implementationVersionName: String?

        /// The Asynchronous Operations Window (PS3.7 D.3.3.3); `nil` means synchronous.
        public var asynchronousOperationsWindow: AsynchronousOperationsWindow?

        /// The SCP/SCU Role Selections (PS3.7 D.3.3.4).
        public var roleSelections: [RoleSelection]

        /// The SOP Class Extended Negotiations (PS3.7 D.3.3.5).
        public var sopClassExtendedNegotiations: [SOPClassExtendedNegotiation]

        /// The SOP Class Common Extended Negotiations (PS3.7 D.3.3.6); request only.
        public var sopClassCommonExtendedNegotiations: [SOPClassCommonExtendedNegotiation]

        /// The User Identity Negotiation of a request (PS3.7 D.3.3.7.1).
        public var userIdentityRequest: UserIdentityRequest?

        /// The User Identity Negotiation of an acceptance (PS3.7 D.3.3.7.2).
        public var userIdentityResponse: UserIdentityResponse?

        /// Creates user information; every parameter defaults to absent.
        public init(
            maximumLengthReceived: UInt32? = nil,
            implementationClassUID: UID? = nil,
            implementationVersionName: String? = nil,
            asynchronousOperationsWindow: AsynchronousOperationsWindow? = nil,
            roleSelections: [RoleSelection] = [],
            sopClassExtendedNegotiations: [SOPClassExtendedNegotiation] = [],
            sopClassCommonExtendedNegotiations: [SOPClassCommonExtendedNegotiation] = [],
            userIdentityRequest: UserIdentityRequest? = nil,
            userIdentityResponse: UserIdentityResponse? = nil
        ) {
            self.maximumLengthReceived = maximumLengthReceived
            self.implementationClassUID = implementationClassUID
            self.implementationVersionName = implementationVersionName
            self.asynchronousOperationsWindow = asynchronousOperationsWindow
            self.roleSelections = roleSelections
            self.sopClassExtendedNegotiations = sopClassExtendedNegotiations
            self.sopClassCommonExtendedNegotiations = sopClassCommonExtendedNegotiations
            self.userIdentityRequest = userIdentityRequest
            self.userIdentityResponse = userIdentityResponse
        }

        /// The default Maximum Length Received, 16382 bytes: pynetdicom's `DEFAULT_MAX_LENGTH`
        /// (a 16 KiB PDU less its header).
        public static let defaultMaximumLengthReceived: UInt32 = 16382

        /// NetDICOM's own user information: ``defaultMaximumLengthReceived`` and NetDICOM's
        /// Implementation Class UID and Version Name (`FileMetaInformation`), nothing else.
        public static let netDICOM = UserInformation(
            maximumLengthReceived: defaultMaximumLengthReceived,
            implementationClassUID: FileMetaInformation.implementationClassUID,
            implementationVersionName: FileMetaInformation.implementationVersionName
        )

        /// The longest Implementation Version Name, in characters (PS3.7 D.3.3.2).
        public static let maximumImplementationVersionNameLength = 16

        /// The first role selection for `sopClassUID`, the one that counts (PS3.7 D.3.3.4 allows
        /// one per SOP class).
        public func roleSelection(for sopClassUID: UID) -> RoleSelection? {
            roleSelections.first { $0.sopClassUID == sopClassUID }
        }
    }
}

// MARK: - Wire value

extension AAssociate.UserInformation {
    /// The meaning of a User Information Item (50H).
    init(_ wire: PDU.UserInformationItem) {
        self.init(
            maximumLengthReceived: wire.maximumLength,
            implementationClassUID: wire.implementationClassUID,
            implementationVersionName: wire.implementationVersionName,
            asynchronousOperationsWindow: wire.asynchronousOperationsWindow.map(AsynchronousOperationsWindow.init),
            roleSelections: wire.scpSCURoleSelections.map(RoleSelection.init),
            sopClassExtendedNegotiations: wire.sopClassExtendedNegotiations.map(SOPClassExtendedNegotiation.init),
            sopClassCommonExtendedNegotiations: wire.sopClassCommonExtendedNegotiations.map(SOPClassCommonExtendedNegotiation.init),
            userIdentityRequest: wire.userIdentityRQ.map(UserIdentityRequest.init),
            userIdentityResponse: wire.userIdentityAC.map(UserIdentityResponse.init)
        )
    }

    /// Which A-ASSOCIATE PDU the item is for: some sub-items belong to one of them only.
    enum Direction {
        case request
        case acceptance
    }

    /// The User Information Item for `direction`, sub-items in increasing type order: Maximum
    /// Length, Implementation Class UID, Asynchronous Operations Window, role selections,
    /// Implementation Version Name, SOP Class Extended, then, for a request, SOP Class Common
    /// Extended and the User Identity request, for an acceptance the User Identity response.
    ///
    /// - Throws: ``ACSEError/Code/invalidPrimitive`` without the mandatory Maximum Length
    ///   (PS3.8 Annex D.1) or Implementation Class UID (PS3.7 D.3.3.2);
    ///   ``ACSEError/Code/invalidUserInformation`` for an Implementation Version Name that is not
    ///   1 to 16 characters; ``ACSEError/Code/invalidUID``.
    func wireValue(for direction: Direction, roleSelections: [RoleSelection]) throws(ACSEError) -> PDU.UserInformationItem {
        guard let maximumLengthReceived else {
            throw ACSEError(.invalidPrimitive, reason: "the user information has no Maximum Length Received (mandatory, PS3.8 Annex D.1)")
        }
        guard let implementationClassUID else {
            throw ACSEError(.invalidPrimitive, reason: "the user information has no Implementation Class UID (mandatory, PS3.7 D.3.3.2)")
        }
        try implementationClassUID.validateForACSE("Implementation Class UID")
        var subItems: [PDU.UserInformationItem.SubItem] = [
            .maximumLength(maximumLengthReceived),
            .implementationClassUID(implementationClassUID),
        ]
        if let asynchronousOperationsWindow {
            subItems.append(.asynchronousOperationsWindow(asynchronousOperationsWindow.wireValue))
        }
        for selection in roleSelections {
            try selection.sopClassUID.validateForACSE("SOP Class UID of a role selection")
            subItems.append(.scpSCURoleSelection(selection.wireValue))
        }
        if let implementationVersionName {
            let count = implementationVersionName.unicodeScalars.count
            guard (1...Self.maximumImplementationVersionNameLength).contains(count),
                implementationVersionName.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "\\" })
            else {
                throw ACSEError(
                    .invalidUserInformation,
                    reason: "Implementation Version Name \"\(implementationVersionName)\" is not 1 to 16 characters of the default repertoire (PS3.7 D.3.3.2)"
                )
            }
            subItems.append(.implementationVersionName(implementationVersionName))
        }
        for negotiation in sopClassExtendedNegotiations {
            try negotiation.sopClassUID.validateForACSE("SOP Class UID of a SOP Class Extended Negotiation")
            subItems.append(.sopClassExtendedNegotiation(negotiation.wireValue))
        }
        switch direction {
        case .request:
            for negotiation in sopClassCommonExtendedNegotiations {
                try negotiation.sopClassUID.validateForACSE("SOP Class UID of a SOP Class Common Extended Negotiation")
                try negotiation.serviceClassUID.validateForACSE("Service Class UID of a SOP Class Common Extended Negotiation")
                for related in negotiation.relatedGeneralSOPClassUIDs {
                    try related.validateForACSE("Related General SOP Class UID")
                }
                subItems.append(.sopClassCommonExtendedNegotiation(negotiation.wireValue))
            }
            if let userIdentityRequest {
                subItems.append(.userIdentityRQ(userIdentityRequest.wireValue))
            }
        case .acceptance:
            if let userIdentityResponse {
                subItems.append(.userIdentityAC(userIdentityResponse.wireValue))
            }
        }
        return PDU.UserInformationItem(subItems: subItems)
    }
}
