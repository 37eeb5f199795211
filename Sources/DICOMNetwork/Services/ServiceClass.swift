public import DICOMCore

/// A service class of PS3.4 with its SOP classes and the DIMSE services each is made of: what an
/// application entity supports or requests, a service class at a time (pynetdicom's
/// `StoragePresentationContexts`, `QueryRetrievePresentationContexts`…, here with the services
/// said too).
///
/// The catalogue (``verification``, ``storage``, ``queryRetrieve``, ``modalityWorklist``,
/// ``storageCommitment``, ``modalityPerformedProcedureStep``, ``instanceAvailabilityNotification``)
/// takes its UIDs from the generated registry; ``normalized(_:sopClasses:invokedBySCU:invokedBySCP:)``
/// describes any other DIMSE-N service, whose requests reach ``ServiceHandlers/nService`` as those
/// of the catalogue's do. Add one to an AE with
/// ``ApplicationEntity/addSupportedContexts(for:transferSyntaxes:scuRole:scpRole:)`` or
/// ``ApplicationEntity/addRequestedContexts(for:transferSyntaxes:scuRole:scpRole:)``.
public struct ServiceClass: Hashable, Sendable {
    /// The name, as PS3.4's annex calls the service class: "Storage", "Query/Retrieve".
    public var name: String

    /// The SOP classes, in the order their contexts are requested.
    public var sopClasses: [SOPClass]

    /// Creates a service class from its SOP classes.
    public init(name: String, sopClasses: [SOPClass]) {
        self.name = name
        self.sopClasses = sopClasses
    }

    /// The SOP Class UIDs, in order.
    public var sopClassUIDs: [UID] { sopClasses.map(\.uid) }

    /// The entry for `uid`, if this service class has that SOP class.
    public func sopClass(_ uid: UID) -> SOPClass? {
        sopClasses.first { $0.uid == uid }
    }

    /// Whether this service class has the SOP class `uid`.
    public func contains(_ uid: UID) -> Bool {
        sopClass(uid) != nil
    }

    /// Every DIMSE service the SOP classes use, either way, in ``DIMSEService``'s order.
    public var dimseServices: [DIMSEService] {
        let used = Set(sopClasses.flatMap { $0.invokedBySCU + $0.invokedBySCP })
        return DIMSEService.allCases.filter(used.contains)
    }
}

extension ServiceClass {
    /// One SOP class of a service class, and which DIMSE services each role invokes.
    public struct SOPClass: Hashable, Sendable {
        /// The SOP Class UID: the abstract syntax of its presentation contexts.
        public var uid: UID
        /// The services the SCU invokes on the SCP (for Storage, C-STORE; for MPPS, N-CREATE and
        /// N-SET).
        public var invokedBySCU: [DIMSEService]
        /// The services the SCP invokes on the SCU: Storage Commitment's N-EVENT-REPORT with
        /// the commitment result; a C-GET's C-STORE sub-operations (on the Storage contexts
        /// the SCU proposed with the SCP role, not on the C-GET's own).
        public var invokedBySCP: [DIMSEService]

        /// Creates an entry.
        public init(_ uid: UID, invokedBySCU: [DIMSEService], invokedBySCP: [DIMSEService] = []) {
            self.uid = uid
            self.invokedBySCU = invokedBySCU
            self.invokedBySCP = invokedBySCP
        }

        /// The registry's name, "CT Image Storage"; the UID itself when it is not registered.
        public var name: String { uid.name ?? uid.string }

        /// Whether the standard has retired the SOP class (PS3.6 Table A-1).
        public var isRetired: Bool { uid.registryEntry?.isRetired ?? false }
    }
}

extension ServiceClass: CustomStringConvertible {
    /// "Storage (171 SOP classes)".
    public var description: String {
        "\(name) (\(sopClasses.count) SOP class\(sopClasses.count == 1 ? "" : "es"))"
    }
}
