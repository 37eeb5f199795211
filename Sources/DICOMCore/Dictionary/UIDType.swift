/// The kind of a registered UID: the "UID Type" column of PS3.6 Table A-1.
public enum UIDType: Hashable, Sendable {
    /// "Transfer Syntax".
    case transferSyntax
    /// "SOP Class".
    case sopClass
    /// "Meta SOP Class".
    case metaSOPClass
    /// "Well-known SOP Instance".
    case wellKnownSOPInstance
    /// "Application Context Name".
    case applicationContextName
    /// "Coding Scheme".
    case codingScheme
    /// "LDAP OID".
    case ldapOID
    /// "Synchronization Frame of Reference".
    case synchronizationFrameOfReference
    /// "Well-known frame of reference".
    case wellKnownFrameOfReference
    /// "Application Hosting Model".
    case applicationHostingModel
    /// "Mapping Resource".
    case mappingResource
    /// "Service Class".
    case serviceClass
    /// "DICOM UIDs as a Coding Scheme".
    case dicomUIDsAsCodingScheme
    /// "Context Group Name".
    case contextGroupName
    /// A type this version does not know, as the registry spells it.
    case other(String)

    /// The types with a case of their own, in the order above.
    public static let known: [UIDType] = [
        .transferSyntax, .sopClass, .metaSOPClass, .wellKnownSOPInstance, .applicationContextName,
        .codingScheme, .ldapOID, .synchronizationFrameOfReference, .wellKnownFrameOfReference,
        .applicationHostingModel, .mappingResource, .serviceClass, .dicomUIDsAsCodingScheme,
        .contextGroupName,
    ]

    /// The type PS3.6 calls `registryName`, ignoring case; ``other(_:)`` for names it does not
    /// know.
    public init(registryName: String) {
        // The registry spells each type as `registryName` does: no case folding needed then.
        if let exact = UIDType.known.first(where: { $0.registryName == registryName }) {
            self = exact
            return
        }
        let folded = registryName.lowercased()
        self = UIDType.known.first { $0.registryName.lowercased() == folded } ?? .other(registryName)
    }

    /// The type as PS3.6 Table A-1 spells it.
    public var registryName: String {
        switch self {
        case .transferSyntax: "Transfer Syntax"
        case .sopClass: "SOP Class"
        case .metaSOPClass: "Meta SOP Class"
        case .wellKnownSOPInstance: "Well-known SOP Instance"
        case .applicationContextName: "Application Context Name"
        case .codingScheme: "Coding Scheme"
        case .ldapOID: "LDAP OID"
        case .synchronizationFrameOfReference: "Synchronization Frame of Reference"
        case .wellKnownFrameOfReference: "Well-known frame of reference"
        case .applicationHostingModel: "Application Hosting Model"
        case .mappingResource: "Mapping Resource"
        case .serviceClass: "Service Class"
        case .dicomUIDsAsCodingScheme: "DICOM UIDs as a Coding Scheme"
        case .contextGroupName: "Context Group Name"
        case .other(let name): name
        }
    }
}

extension UIDType: CustomStringConvertible {
    /// ``registryName``.
    public var description: String { registryName }
}
