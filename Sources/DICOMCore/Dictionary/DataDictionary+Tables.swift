// MARK: - Public elements

extension DataDictionary {
    /// The fixed public tags of `publicTableText`, parsed once, when an entry is first asked
    /// for by tag. Entries by `Tag.rawValue`.
    static let publicEntries: [UInt32: DictionaryEntry] = {
        var entries: [UInt32: DictionaryEntry] = [:]
        entries.reserveCapacity(5_200)
        TableText.forEachRow(in: publicTableText) { row in
            // tag, VRs, VM, keyword, retired, name
            let tag = Tag(row.hexadecimal(0))
            let vrs = row.vrs(1)
            entries[tag.rawValue] = DictionaryEntry(
                tag: tag, vr: vrs.vr, alternativeVRs: vrs.alternatives,
                valueMultiplicity: row.multiplicity(2), name: row.string(5),
                keyword: row.isEmpty(3) ? nil : row.string(3), isRetired: row.field(4, is: "R"))
        }
        return entries
    }()

    /// Just the VRs of the fixed public tags, so that `vr(for:)`, on the reading hot path,
    /// copies no strings; parsed apart from the entries (tag and VR columns only, no string
    /// made), because a tool that only needs VRs (a query key's, implicit VR data) should not
    /// pay for 5,000 names and keywords at start-up.
    static let publicVRs: [UInt32: VR] = {
        var vrs: [UInt32: VR] = [:]
        vrs.reserveCapacity(5_200)
        TableText.forEachRow(in: publicTableText) { row in
            vrs[row.hexadecimal(0)] = row.firstVR(1)
        }
        return vrs
    }()

    /// Where each keyword's row starts in `publicTableText`, by the keyword's hash: built
    /// without making a string of any keyword, so that looking up a few query keys at a tool's
    /// start does not cost the milliseconds of an index of 5,000 strings.
    static let keywordRows: [UInt64: Int] = {
        var rows: [UInt64: Int] = [:]
        rows.reserveCapacity(5_200)
        TableText.forEachRow(in: publicTableText) { row in
            // tag, VRs, VM, keyword, retired, name
            guard !row.isEmpty(3) else { return }
            // Two keywords of one hash would keep the first, and the lookup, which checks the
            // text, would miss the second; none collide (KeywordStaticsTests looks up every one).
            let hash = row.hash(3)
            if rows[hash] == nil { rows[hash] = row.start }
        }
        return rows
    }()

    /// The fixed public tag whose keyword is `keyword`.
    static func publicTag(forKeyword keyword: String) -> Tag? {
        guard let start = keywordRows[TableText.hash(keyword.utf8)] else { return nil }
        return TableText.row(in: publicTableText, startingAt: start) { row in
            row.field(3, equals: keyword) ? Tag(row.hexadecimal(0)) : nil
        } ?? nil
    }
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

    /// The repeating element whose keyword is `keyword` ("OverlayData"), under its first
    /// group's tag.
    static func repeatingEntry(forKeyword keyword: String) -> DictionaryEntry? {
        for group in repeatingGroups {
            if let entry = group.entries.values.first(where: { $0.keyword == keyword }) { return entry }
        }
        return nil
    }
}
