import DICOMCore

/// Sequence Matching (PS3.4 §C.2.2.2.6): an SQ key holds a single item whose elements are item
/// keys, matched item by item: "If all the Item Key Attributes match, for at least one of the
/// Items of the Attribute against which the match is performed, a successful match is
/// generated." Item keys take every matching type, Sequence Matching included.
///
/// An SQ key without items, or whose item is empty, is universal: it asks for the whole sequence
/// to be returned.
enum SequenceMatching {
    /// The matching of the SQ key `tag` in `identifier`.
    static func matching(tag: Tag, in identifier: DataSet, options: MatchingOptions) throws(QueryError) -> QueryKey.Matching {
        let items = identifier.sequence(tag) ?? []
        guard items.count <= 1 else {
            throw QueryError(.sequenceKeyWithSeveralItems, tag: tag, "\(items.count) items; Sequence Matching takes one")
        }
        guard let item = items.first else { return .universal }
        let itemKeys = try Query.keys(in: item, options: options)
        return itemKeys.isEmpty ? .universal : .sequence(itemKeys)
    }

    /// Whether one item of `candidate`'s sequence `tag` matches every item key.
    static func matches(_ itemKeys: [QueryKey], tag: Tag, candidate: DataSet, options: MatchingOptions) -> Bool {
        let items = candidate.sequence(tag) ?? []
        guard !items.isEmpty else {
            return itemKeys.allSatisfy(\.isUniversal) || options.unknownValuesMatchEveryKey.contains(tag)
        }
        return items.contains { matchingItem($0, itemKeys) }
    }

    /// Whether `item` matches every key of `itemKeys`.
    static func matchingItem(_ item: DataSet, _ itemKeys: [QueryKey]) -> Bool {
        itemKeys.allSatisfy { $0.matches(item) }
    }
}
