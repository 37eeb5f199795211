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
        if let row = privateRow(for: tag, creator: normalizedCreator(privateCreator)) {
            return row.describing(tag)
        }
        return tag.element < 0x1000 ? DataDictionary.entry(for: tag) : nil
    }

    /// The VR of the private element `tag` in the block of `privateCreator`, or `UN`: the VR
    /// of ``entry(for:privateCreator:)``, without building the entry (an Implicit VR reader asks
    /// once per private element).
    public static func vr(for tag: Tag, privateCreator: String) -> VR {
        guard tag.isPrivate else { return .UN }
        if let row = privateRow(for: tag, creator: normalizedCreator(privateCreator)) {
            return row.vr
        }
        return tag.element < 0x1000 ? DataDictionary.vr(for: tag) : .UN
    }

    /// The vendor's row for `tag` under `creator` (already normalized), as the table has it:
    /// the exact tag, then group and low byte, then first byte of the group and low byte.
    private static func privateRow(for tag: Tag, creator: String) -> DictionaryEntry? {
        guard let elements = privateElements[creator] else { return nil }
        if let row = elements.exact[tag.rawValue] {
            return row
        }
        guard tag.element >= 0x1000 else { return nil }
        let lowByte = UInt32(tag.element & 0xFF)
        return elements.inBlock[UInt32(tag.group) << 8 | lowByte]
            ?? elements.inGroupRange[UInt32(tag.group >> 8) << 8 | lowByte]
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
        TableText.forEachRow(in: privateTableText) { row in
            guard row.count > 1 else {
                // A line without a tab starts the next creator's rows.
                if !creator.isEmpty { dictionaries[creator] = elements }
                creator = row.string(0)
                elements = PrivateElements()
                return
            }
            // pattern, VRs, VM, name
            let (value, mask) = row.pattern(0)
            let vrs = row.vrs(1)
            let entry = DictionaryEntry(
                tag: Tag(value), vr: vrs.vr, alternativeVRs: vrs.alternatives,
                valueMultiplicity: row.multiplicity(2), name: row.string(3),
                keyword: nil)
            switch mask {
            case 0xFFFF_FFFF:
                elements.exact[value] = entry
            case 0xFFFF_00FF:
                elements.inBlock[value >> 8 & 0xFFFF00 | value & 0xFF] = entry
            case 0xFF00_00FF:
                elements.inGroupRange[value >> 16 & 0xFF00 | value & 0xFF] = entry
            default:
                preconditionFailure("generated private table has an unexpected pattern '\(row.string(0))'")
            }
        }
        if !creator.isEmpty { dictionaries[creator] = elements }
        return dictionaries
    }()

    /// `creator` without the padding an LO value may carry.
    static func normalizedCreator(_ creator: String) -> String {
        // Spaces and NULs are single bytes in UTF-8: trimming bytes is exact, and cheaper than
        // comparing Characters for every private element of a data set.
        let utf8 = creator.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x00 { start = utf8.index(after: start) }
        while end > start {
            let last = utf8.index(before: end)
            guard utf8[last] == 0x20 || utf8[last] == 0x00 else { break }
            end = last
        }
        if start == utf8.startIndex && end == utf8.endIndex { return creator }
        return String(Substring(utf8[start..<end]))
    }
}
