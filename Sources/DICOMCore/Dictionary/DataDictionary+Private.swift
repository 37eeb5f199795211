// MARK: - Private elements

extension DataDictionary {
    /// The entry for the private element `tag` of the block reserved by `privateCreator`, the
    /// value of the creator element (gggg,00xx) of that block (PS3.5 §7.8.1).
    ///
    /// Vendors publish elements by group and low byte of the element, whatever block the creator
    /// received: (0019,xx0C) of "GEMS_ACQU_01" is (0019,100C) when the creator is in (0019,0010),
    /// (0019,110C) when it is in (0019,0011). Finding which block `privateCreator` reserved is the
    /// caller's part. Looks first for the exact tag, then for group and low byte, then for the
    /// first byte of the group and the low byte (a few vendors publish `60xx,xxee` rows).
    /// Spaces and NULs around `privateCreator` are ignored (LO padding, PS3.5 §6.2); case is not.
    ///
    /// Returns the generic Private Creator or Group Length entry for (gggg,0010–00FF) and
    /// (gggg,0000) when the vendor has no row for them, and `nil` for public tags and unknown
    /// creators or elements.
    public static func entry(for tag: Tag, privateCreator: String) -> DictionaryEntry? {
        guard tag.isPrivate else { return nil }
        let elements = privateElements[normalizedCreator(privateCreator)]
        if let entry = elements?.exact[tag.rawValue] {
            return entry.describing(tag)
        }
        guard tag.element >= 0x1000 else {
            return DataDictionary.entry(for: tag)
        }
        let lowByte = UInt32(tag.element & 0xFF)
        if let entry = elements?.inBlock[UInt32(tag.group) << 8 | lowByte] {
            return entry.describing(tag)
        }
        if let entry = elements?.inGroupRange[UInt32(tag.group >> 8) << 8 | lowByte] {
            return entry.describing(tag)
        }
        return nil
    }

    /// The VR of the private element `tag` in the block of `privateCreator`, or `UN`.
    public static func vr(for tag: Tag, privateCreator: String) -> VR {
        entry(for: tag, privateCreator: privateCreator)?.vr ?? .UN
    }

    /// Every private creator the dictionary has elements for, sorted.
    public static var privateCreators: [String] {
        privateElements.keys.sorted()
    }

    /// One creator's rows of `privateTableText`.
    struct PrivateElements: Sendable {
        /// Rows for a whole tag (`ggggeeee`), by `Tag.rawValue`.
        var exact: [UInt32: DictionaryEntry] = [:]
        /// Rows for any block (`ggggxxee`), by `group << 8 | ee`.
        var inBlock: [UInt32: DictionaryEntry] = [:]
        /// Rows for any block of a range of groups (`ggxxxxee`), by `gg << 8 | ee`.
        var inGroupRange: [UInt32: DictionaryEntry] = [:]
    }

    static let privateElements: [String: PrivateElements] = {
        var dictionaries: [String: PrivateElements] = [:]
        var creator = ""
        var elements = PrivateElements()
        TableText.forEachRow(in: privateTableText) { fields in
            guard fields.count > 1 else {
                // A line without a tab starts the next creator's rows.
                if !creator.isEmpty { dictionaries[creator] = elements }
                creator = String(fields[0])
                elements = PrivateElements()
                return
            }
            // pattern, VRs, VM, name
            let (value, mask) = TableText.pattern(fields[0])
            let vrs = TableText.vrs(fields[1])
            let entry = DictionaryEntry(
                tag: Tag(value), vr: vrs.vr, alternativeVRs: vrs.alternatives,
                valueMultiplicity: TableText.multiplicity(fields[2]), name: String(fields[3]),
                keyword: nil)
            switch mask {
            case 0xFFFF_FFFF:
                elements.exact[value] = entry
            case 0xFFFF_00FF:
                elements.inBlock[value >> 8 & 0xFFFF00 | value & 0xFF] = entry
            case 0xFF00_00FF:
                elements.inGroupRange[value >> 16 & 0xFF00 | value & 0xFF] = entry
            default:
                preconditionFailure("generated private table has an unexpected pattern '\(fields[0])'")
            }
        }
        if !creator.isEmpty { dictionaries[creator] = elements }
        return dictionaries
    }()

    /// `creator` without the padding an LO value may carry.
    static func normalizedCreator(_ creator: String) -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\0" }
        guard let first = creator.firstIndex(where: { !isPadding($0) }),
            let last = creator.lastIndex(where: { !isPadding($0) })
        else { return "" }
        return String(creator[first...last])
    }
}
