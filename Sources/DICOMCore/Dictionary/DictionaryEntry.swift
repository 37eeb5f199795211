/// What the data dictionary knows of one data element: PS3.6's row for a public tag, a
/// vendor's row for a private one.
public struct DictionaryEntry: Hashable, Sendable {
    /// The tag described. For repeating groups, group lengths and private elements, the tag
    /// that was looked up rather than the pattern of the dictionary row.
    public let tag: Tag
    /// The value representation, or the first of several (`US` of "US or SS", `OB` of "OB or
    /// OW"). The item and delimitation tags of group FFFE have no VR and give `UN`.
    public let vr: VR
    /// The other VRs the element may take after ``vr``: `[.SS]` for "US or SS", `[]` for most.
    public let alternativeVRs: [VR]
    /// How many values the element holds.
    public let valueMultiplicity: ValueMultiplicity
    /// The name, such as "Patient's Name".
    public let name: String
    /// The keyword, such as "PatientName"; `nil` for private elements and the few public rows
    /// without one.
    public let keyword: String?
    /// Whether the standard has retired the element.
    public let isRetired: Bool

    /// Creates an entry.
    public init(
        tag: Tag,
        vr: VR,
        alternativeVRs: [VR] = [],
        valueMultiplicity: ValueMultiplicity,
        name: String,
        keyword: String?,
        isRetired: Bool = false
    ) {
        self.tag = tag
        self.vr = vr
        self.alternativeVRs = alternativeVRs
        self.valueMultiplicity = valueMultiplicity
        self.name = name
        self.keyword = keyword
        self.isRetired = isRetired
    }

    /// Every VR the element may take: ``vr`` then ``alternativeVRs``.
    public var allowedVRs: [VR] { [vr] + alternativeVRs }

    /// The same entry describing `tag` (a concrete tag matched by a pattern row).
    func describing(_ tag: Tag) -> DictionaryEntry {
        DictionaryEntry(
            tag: tag, vr: vr, alternativeVRs: alternativeVRs, valueMultiplicity: valueMultiplicity,
            name: name, keyword: keyword, isRetired: isRetired)
    }
}
