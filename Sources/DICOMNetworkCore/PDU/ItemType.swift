extension PDU {
    /// The item-type bytes of the items and sub-items of the A-ASSOCIATE PDUs.
    enum ItemType {
        /// Application Context Item, PS3.8 Table 9-12.
        static let applicationContext: UInt8 = 0x10
        /// Presentation Context Item of an A-ASSOCIATE-RQ, PS3.8 Table 9-13.
        static let presentationContextRQ: UInt8 = 0x20
        /// Presentation Context Item of an A-ASSOCIATE-AC, PS3.8 Table 9-18.
        static let presentationContextAC: UInt8 = 0x21
        /// Abstract Syntax Sub-Item, PS3.8 Table 9-14.
        static let abstractSyntax: UInt8 = 0x30
        /// Transfer Syntax Sub-Item, PS3.8 Tables 9-15 and 9-19.
        static let transferSyntax: UInt8 = 0x40
        /// User Information Item, PS3.8 Table 9-16.
        static let userInformation: UInt8 = 0x50
        /// Maximum Length Sub-Item, PS3.8 Table D.1-1.
        static let maximumLength: UInt8 = 0x51
        /// Implementation Class UID Sub-Item, PS3.7 Table D.3-1.
        static let implementationClassUID: UInt8 = 0x52
        /// Asynchronous Operations Window Sub-Item, PS3.7 Table D.3-7.
        static let asynchronousOperationsWindow: UInt8 = 0x53
        /// SCP/SCU Role Selection Sub-Item, PS3.7 Table D.3-9.
        static let roleSelection: UInt8 = 0x54
        /// Implementation Version Name Sub-Item, PS3.7 Table D.3-3.
        static let implementationVersionName: UInt8 = 0x55
        /// SOP Class Extended Negotiation Sub-Item, PS3.7 Table D.3-11.
        static let sopClassExtendedNegotiation: UInt8 = 0x56
        /// SOP Class Common Extended Negotiation Sub-Item, PS3.7 Table D.3-12.
        static let sopClassCommonExtendedNegotiation: UInt8 = 0x57
        /// User Identity Sub-Item of an A-ASSOCIATE-RQ, PS3.7 Table D.3-14.
        static let userIdentityRQ: UInt8 = 0x58
        /// User Identity Sub-Item of an A-ASSOCIATE-AC, PS3.7 Table D.3-15.
        static let userIdentityAC: UInt8 = 0x59
    }
}
