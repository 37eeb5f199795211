extension UID {
    /// The registry's row for this UID, if it is registered (PS3.6 Annex A).
    public var registryEntry: UIDRegistry.Entry? { UIDRegistry.entry(for: self) }

    /// The registered name, "CT Image Storage" for 1.2.840.10008.5.1.4.1.1.2; `nil` if unknown.
    public var name: String? { UIDRegistry.name(for: self) }
}

extension UID {
    /// A registered UID from the generated constants: the literal is already clean, so it is
    /// stored as is, with none of the padding checks (and copies) of ``init(_:)``.
    init(registered string: String) {
        self.string = string
    }
}
