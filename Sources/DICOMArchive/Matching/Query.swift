public import DICOMCore

/// A C-FIND request identifier read as a query: its level, its keys, and what they match
/// (PS3.4 §C.2.2, §C.4.1.2).
///
/// ```swift
/// let query = try Query(identifier: identifier)
/// for candidate in studies where query.matches(candidate) {
///     try await respond(query.response(for: candidate))
/// }
/// ```
///
/// Every element of the identifier but Specific Character Set (0008,0005) and Query/Retrieve
/// Level (0008,0052) is a key. Keys with Universal Matching are return keys only; the others are
/// matching keys, and every matching key is returned too (PS3.4 §C.2.2.1.2).
public struct Query: Hashable, Sendable {
    /// Query/Retrieve Level (0008,0052); nil when the identifier has none, as in Modality
    /// Worklist queries.
    public var level: QueryRetrieveLevel?
    /// Every key, in tag order.
    public var keys: [QueryKey]
    /// The character set of the identifier's text, from its Specific Character Set (0008,0005).
    /// The keys hold decoded text already; this tells what the SCU used, and which terms this
    /// package could not decode (``SpecificCharacterSet/unsupportedTerms``).
    public var specificCharacterSet: SpecificCharacterSet
    /// The matching behaviour of the keys.
    public var options: MatchingOptions

    /// A query of the given keys. With ``MatchingOptions/combinedDateTimeMatching``, date and
    /// time range keys are paired as ``QueryKey/Matching/combinedDateTimeRange(timeTag:lower:upper:)``.
    public init(
        level: QueryRetrieveLevel?,
        keys: [QueryKey],
        specificCharacterSet: SpecificCharacterSet = .defaultRepertoire,
        options: MatchingOptions = MatchingOptions()
    ) {
        let sorted = keys.sorted { $0.tag < $1.tag }
        self.level = level
        self.keys = options.combinedDateTimeMatching ? CombinedDateTimeMatching.combining(sorted) : sorted
        self.specificCharacterSet = specificCharacterSet
        self.options = options
    }

    /// Reads a C-FIND identifier.
    ///
    /// - Throws: ``QueryError/Code/invalidQueryRetrieveLevel`` when (0008,0052) holds something
    ///   other than a level; the errors of ``QueryKey/init(tag:in:options:)`` for a key.
    public init(identifier: DataSet, options: MatchingOptions = MatchingOptions()) throws(QueryError) {
        var level: QueryRetrieveLevel?
        if let text = identifier.string(.queryRetrieveLevel), !text.isEmpty {
            guard let parsed = QueryRetrieveLevel(rawValue: text) else {
                throw QueryError(.invalidQueryRetrieveLevel, tag: .queryRetrieveLevel, "\"\(text)\"")
            }
            level = parsed
        }
        self.init(
            level: level,
            keys: try Self.keys(in: identifier, options: options),
            specificCharacterSet: identifier.specificCharacterSet,
            options: options)
    }

    /// The keys of an identifier or of a sequence key's item: every element but (0008,0005),
    /// (0008,0052) and group lengths.
    ///
    /// Two kinds of element describe the other keys rather than select entities, and are return
    /// keys whatever their value: a Private Creator, which names the block of the private keys
    /// after it (an entity without that block, or with another creator in that slot, is not
    /// thereby excluded); and Timezone Offset From UTC (0008,0201), which says in which offset
    /// the date and time keys are meant, not an offset to find.
    static func keys(in identifier: DataSet, options: MatchingOptions) throws(QueryError) -> [QueryKey] {
        var keys: [QueryKey] = []
        for element in identifier {
            let tag = element.tag
            guard tag != .specificCharacterSet, tag != .queryRetrieveLevel, !tag.isGroupLength else { continue }
            var key = try QueryKey(tag: tag, in: identifier, options: options)
            if tag.isPrivateCreator || tag == .timezoneOffsetFromUTC { key.matching = .universal }
            keys.append(key)
        }
        return keys
    }

    /// The key for `tag`, if the query has one.
    public subscript(tag: Tag) -> QueryKey? {
        keys.first { $0.tag == tag }
    }

    /// The keys that select entities: all but the universal ones.
    public var matchingKeys: [QueryKey] {
        keys.filter { !$0.isUniversal }
    }

    /// The keys that only ask for a value to be returned (Universal Matching, PS3.4 §C.2.2.2.3).
    public var returnKeys: [QueryKey] {
        keys.filter(\.isUniversal)
    }

    /// Whether `candidate` (an instance, or an index record shaped like one) matches every key.
    public func matches(_ candidate: DataSet) -> Bool {
        keys.allSatisfy { $0.matches(candidate) }
    }
}
