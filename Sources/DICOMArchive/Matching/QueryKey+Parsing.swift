public import DICOMCore

/// Deciding the matching type of a key from its VR and value (PS3.4 §C.2.2.2).
extension QueryKey {
    /// The key for the element with `tag` in `identifier`, its matching type decided as PS3.4
    /// §C.2.2.2 says:
    ///
    /// - zero length, only spaces, or only `*` (any VR): ``Matching/universal`` (§C.2.2.2.3,
    ///   and §C.2.2.2.4: "Wild Card Matching on a value of "*" is equivalent to Universal
    ///   Matching"); an SQ key with no item or an empty item too (§C.2.2.2.6);
    /// - `""` when ``MatchingOptions/emptyValueMatching`` is on: ``Matching/emptyValue``;
    /// - an SQ key with one item: ``Matching/sequence(_:)`` of the item's keys;
    /// - several UI values: ``Matching/uidList(_:)``; several values of another VR:
    ///   ``Matching/multipleValues(_:requiresEveryValue:)``, each value decided as below;
    /// - a value with `*` or `?` in a VR that allows wild cards (AE, CS, LO, LT, PN, SH, ST, UC,
    ///   UR, UT): ``Matching/wildcard(pattern:)``;
    /// - a DA, TM or DT value with a range `-`: ``Matching/range(lower:upper:)``;
    /// - anything else: ``Matching/single(_:)``.
    ///
    /// Text is decoded with the identifier's character set, which an item inherits. An element
    /// of VR UN takes the dictionary's VR.
    ///
    /// - Throws: ``QueryError/Code/keyAbsent`` when `identifier` has no element `tag`;
    ///   ``QueryError/Code/invalidValue`` for a DA, TM or DT value or range bound that is not a
    ///   valid date, time or date-time; ``QueryError/Code/sequenceKeyWithSeveralItems``.
    public init(tag: Tag, in identifier: DataSet, options: MatchingOptions = MatchingOptions()) throws(QueryError) {
        guard let element = identifier[tag] else {
            throw QueryError(.keyAbsent, tag: tag)
        }
        let vr = AttributeText.effectiveVR(of: element)
        if element.items != nil || vr == .SQ {
            let matching = try SequenceMatching.matching(tag: tag, in: identifier, options: options)
            self.init(tag: tag, vr: .SQ, matching: matching, options: options)
            return
        }
        let values = AttributeText.values(of: element, in: identifier)
        let matching = try Self.matching(values: values, tag: tag, vr: vr, options: options)
        self.init(tag: tag, vr: vr, matching: matching, options: options)
    }

    /// The matching of a key whose values (as text, padding stripped) are `values`.
    static func matching(values: [String], tag: Tag, vr: VR, options: MatchingOptions) throws(QueryError) -> Matching {
        let values = values.filter { !$0.isEmpty }
        switch values.count {
        case 0:
            return .universal
        case 1:
            if options.emptyValueMatching && values[0] == EmptyValueMatching.keyValue {
                return .emptyValue
            }
            return try matching(value: values[0], tag: tag, vr: vr)
        default:
            if vr == .UI {
                return .uidList(values)
            }
            var matchings: [Matching] = []
            for value in values {
                let matching = try matching(value: value, tag: tag, vr: vr)
                // One universal value makes the whole key universal: it matches whatever the
                // other values do not.
                if case .universal = matching, !options.multipleValueMatching { return .universal }
                matchings.append(matching)
            }
            return .multipleValues(matchings, requiresEveryValue: options.multipleValueMatching)
        }
    }

    /// The matching of one non-empty key value.
    static func matching(value: String, tag: Tag, vr: VR) throws(QueryError) -> Matching {
        if UniversalMatching.isUniversal(value, vr: vr) {
            return .universal
        }
        if WildCardMatching.allowsWildCards(vr), WildCardMatching.hasWildCards(value) {
            return .wildcard(pattern: value)
        }
        if RangeMatching.appliesTo(vr) {
            return try RangeMatching.matching(value, tag: tag, vr: vr)
        }
        return .single(value)
    }
}
