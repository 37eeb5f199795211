// MARK: - Public elements

extension DataDictionary {
    /// The fixed public tags of `publicTableText`, parsed once.
    struct PublicEntries: Sendable {
        /// Entries by `Tag.rawValue`.
        var byTag: [UInt32: DictionaryEntry] = [:]
        /// Just the VRs, so that `vr(for:)`, on the reading hot path, copies no strings.
        var vrByTag: [UInt32: VR] = [:]
    }

    static let publicEntries: PublicEntries = {
        var entries = PublicEntries()
        entries.byTag.reserveCapacity(5_200)
        entries.vrByTag.reserveCapacity(5_200)
        TableText.forEachRow(in: publicTableText) { row in
            // tag, VRs, VM, keyword, retired, name
            let tag = Tag(row.hexadecimal(0))
            let vrs = row.vrs(1)
            let entry = DictionaryEntry(
                tag: tag, vr: vrs.vr, alternativeVRs: vrs.alternatives,
                valueMultiplicity: row.multiplicity(2), name: row.string(5),
                keyword: row.isEmpty(3) ? nil : row.string(3), isRetired: row.field(4, is: "R"))
            entries.byTag[tag.rawValue] = entry
            entries.vrByTag[tag.rawValue] = entry.vr
        }
        return entries
    }()

    /// Public and repeating entries by keyword; a repeating entry under its first group's tag.
    static let keywordIndex: [String: DictionaryEntry] = {
        var index: [String: DictionaryEntry] = [:]
        index.reserveCapacity(publicEntries.byTag.count + 100)
        for entry in publicEntries.byTag.values {
            if let keyword = entry.keyword { index[keyword] = entry }
        }
        for group in repeatingGroups {
            for entry in group.entries.values {
                if let keyword = entry.keyword { index[keyword] = entry }
            }
        }
        return index
    }()
}

// MARK: - Repeating groups and elements

extension DataDictionary {
    /// The rows of `repeatingTableText` that share one mask, by masked tag.
    struct RepeatingGroup: Sendable {
        /// The bits of a tag that must match; 0 under each `x` of the pattern.
        var mask: UInt32
        /// Entries by `rawValue & mask`, each under its pattern with `x` read as 0.
        var entries: [UInt32: DictionaryEntry]
    }

    /// A handful of masks (60xx,eeee; 0020,31xx; 1000,xxx0; …), so a lookup is at most a few
    /// hash probes.
    static let repeatingGroups: [RepeatingGroup] = {
        var groups: [RepeatingGroup] = []
        TableText.forEachRow(in: repeatingTableText) { row in
            // pattern, VRs, VM, keyword, retired, name
            var (value, mask) = row.pattern(0)
            if mask & 0x000F_0000 != 0x000F_0000 {
                // Repeating groups (50xx, 60xx, 7Fxx) are the even groups only (PS3.5 §7.6):
                // the odd ones are private.
                mask |= 0x0001_0000
            }
            let vrs = row.vrs(1)
            let entry = DictionaryEntry(
                tag: Tag(value), vr: vrs.vr, alternativeVRs: vrs.alternatives,
                valueMultiplicity: row.multiplicity(2), name: row.string(5),
                keyword: row.isEmpty(3) ? nil : row.string(3), isRetired: row.field(4, is: "R"))
            if let index = groups.firstIndex(where: { $0.mask == mask }) {
                groups[index].entries[value] = entry
            } else {
                groups.append(RepeatingGroup(mask: mask, entries: [value: entry]))
            }
        }
        return groups
    }()

    static func repeatingEntry(for tag: Tag) -> DictionaryEntry? {
        for group in repeatingGroups {
            if let entry = group.entries[tag.rawValue & group.mask] {
                return entry.describing(tag)
            }
        }
        return nil
    }
}
