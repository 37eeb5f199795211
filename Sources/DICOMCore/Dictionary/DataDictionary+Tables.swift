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

    /// What a tool needs of the fixed public tags without their names: each tag's VR, where its
    /// row starts in `publicTableText` (for its keyword), and where each keyword's row starts, by
    /// the keyword's hash. Read in one pass over the table's bytes with no string made, so that
    /// a tool that only looks up VRs (implicit VR data) or a few query keys does not pay for the
    /// 5,000 names and keywords of ``publicEntries`` at start-up.
    struct PublicIndex: Sendable {
        var vrs: [UInt32: VR] = [:]
        var rows: [UInt32: Int] = [:]
        var keywordRows: [UInt64: Int] = [:]
    }

    static let publicIndex: PublicIndex = {
        var index = PublicIndex()
        index.vrs.reserveCapacity(5_200)
        index.rows.reserveCapacity(5_200)
        index.keywordRows.reserveCapacity(5_200)
        TableText.forEachRow(in: publicTableText) { row in
            // tag, VRs, VM, keyword, retired, name
            let tag = row.hexadecimal(0)
            index.vrs[tag] = row.firstVR(1)
            index.rows[tag] = row.start
            guard !row.isEmpty(3) else { return }
            // Two keywords of one hash would keep the first, and the lookup, which checks the
            // text, would miss the second; none collide (KeywordStaticsTests looks up every one).
            let hash = row.hash(3)
            if index.keywordRows[hash] == nil { index.keywordRows[hash] = row.start }
        }
        return index
    }()

    /// The fixed public tag whose keyword is `keyword`.
    static func publicTag(forKeyword keyword: String) -> Tag? {
        guard let start = publicIndex.keywordRows[TableText.hash(keyword.utf8)] else { return nil }
        return TableText.row(in: publicTableText, startingAt: start) { row in
            row.field(3, equals: keyword) ? Tag(row.hexadecimal(0)) : nil
        } ?? nil
    }

    /// The keyword of a fixed public tag, read from its row: nil when the tag is not in the
    /// table (`isPublic` false) or its row has no keyword.
    static func publicKeyword(for tag: Tag) -> (isPublic: Bool, keyword: String?) {
        guard let start = publicIndex.rows[tag.rawValue] else { return (false, nil) }
        let keyword = TableText.row(in: publicTableText, startingAt: start) { row in row.isEmpty(3) ? nil : row.string(3) } ?? nil
        return (true, keyword)
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
