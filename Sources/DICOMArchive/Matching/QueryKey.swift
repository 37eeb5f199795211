public import DICOMCore

/// One key attribute of a C-FIND identifier: its tag, its VR and how it selects entities
/// (PS3.4 §C.2.2.2).
///
/// A key is built from the identifier element by ``init(tag:in:options:)``, which decides its
/// ``Matching`` from the VR and the value as §C.2.2.2 lays out, or directly from a
/// ``Matching`` by ``init(tag:vr:matching:options:)``. ``matches(_:)`` tells whether a stored
/// data set (an instance, or a record of the index shaped like one) satisfies the key.
///
/// The ``Matching`` is a plain description with the key's text, so that code other than
/// ``matches(_:)`` (an SQL index, a log line) can act on the same decision.
public struct QueryKey: Hashable, Sendable {
    /// The key's tag.
    public var tag: Tag
    /// The key's VR: as the identifier encoded it, or the dictionary's when it came as UN.
    public var vr: VR
    /// How the key selects entities.
    public var matching: Matching
    /// The matching behaviour this key applies (see ``MatchingOptions``).
    public var options: MatchingOptions

    /// How one key attribute selects entities: the matching types of PS3.4 §C.2.2.2.
    ///
    /// Text is decoded (with the identifier's Specific Character Set) and stripped of its padding.
    public enum Matching: Hashable, Sendable {
        /// Universal Matching (§C.2.2.2.3): a zero-length value, only spaces, or only `*`. Every
        /// entity matches; the key only asks for the attribute to be returned.
        case universal
        /// Single Value Matching (§C.2.2.2.1): one value without wild cards, or one date, time or
        /// date-time without `-`. See ``QueryKey`` for the comparison each VR gets.
        case single(String)
        /// List of UID Matching (§C.2.2.2.2): several UIDs separated by `\` in a UI key; an entity
        /// matches when its UID is one of them.
        case uidList([String])
        /// Wild Card Matching (§C.2.2.2.4): a value of VR AE, CS, LO, LT, PN, SH, ST, UC, UR or UT
        /// containing `*` (any run of characters, including none) or `?` (any one character).
        case wildcard(pattern: String)
        /// Range Matching (§C.2.2.2.5) of a DA, TM or DT key: `lower-upper`, `-upper` or `lower-`,
        /// bounds inclusive. Nil stands for an open end.
        case range(lower: String?, upper: String?)
        /// Range Matching of a date key and its time key combined as one date-time range
        /// (§C.2.2.2.5, when the SCU and SCP negotiated combined date-time matching): the key's
        /// date with the value of `timeTag`. The bounds are DT strings, the dates and times
        /// concatenated.
        case combinedDateTimeRange(timeTag: Tag, lower: String?, upper: String?)
        /// Sequence Matching (§C.2.2.2.6): an SQ key with one item holding the item keys. An
        /// entity matches when one of its items matches every item key.
        case sequence([QueryKey])
        /// Empty Value Matching (§C.2.2.2.7, when negotiated): a value of two QUOTATION MARKs
        /// (`""`) matches entities whose attribute is absent or zero length.
        case emptyValue
        /// A key of several values separated by `\` outside UI (Multiple Value Matching,
        /// §C.2.2.2.8). With `requiresEveryValue` (negotiated Multiple Value Matching) an entity
        /// matches when each key value matches one of its values; without it (whose meaning
        /// §C.2.2.2.8 Note 4 leaves undefined) when any key value matches one of its values.
        case multipleValues([Matching], requiresEveryValue: Bool)
    }

    /// A key of the given matching, taken as is.
    public init(tag: Tag, vr: VR, matching: Matching, options: MatchingOptions = MatchingOptions()) {
        self.tag = tag
        self.vr = vr
        self.matching = matching
        self.options = options
    }

    /// Whether the key is a return key only: Universal Matching, which every entity satisfies.
    public var isUniversal: Bool {
        if case .universal = matching { return true }
        return false
    }

    /// Whether `candidate` satisfies the key.
    ///
    /// The candidate's text is decoded with its own character set, so an identifier and an
    /// instance in different character sets compare as text. When the candidate holds several
    /// values, one matching value is enough (PS3.4 §C.2.2.3). An attribute the candidate lacks
    /// or holds with zero length is unknown: it satisfies only a universal key, an empty-value
    /// key, or any key whose tag is in ``MatchingOptions/unknownValuesMatchEveryKey``.
    public func matches(_ candidate: DataSet) -> Bool {
        switch matching {
        case .universal:
            return true
        case .emptyValue:
            return EmptyValueMatching.isEmpty(tag, in: candidate)
        case .sequence(let itemKeys):
            return SequenceMatching.matches(itemKeys, tag: tag, candidate: candidate, options: options)
        case .combinedDateTimeRange(let timeTag, let lower, let upper):
            return CombinedDateTimeMatching.matches(
                dateTag: tag, timeTag: timeTag, lower: lower, upper: upper, candidate: candidate, options: options)
        case .single, .uidList, .wildcard, .range, .multipleValues:
            let values = AttributeText.values(of: tag, in: candidate)
            guard !values.isEmpty else { return options.unknownValuesMatchEveryKey.contains(tag) }
            return Self.matches(matching, anyOf: values, vr: vr, options: options)
        }
    }

    /// Whether one of `values` (the candidate's, none empty) satisfies `matching`.
    static func matches(_ matching: Matching, anyOf values: [String], vr: VR, options: MatchingOptions) -> Bool {
        switch matching {
        case .multipleValues(let keyValues, let requiresEveryValue):
            return MultipleValueMatching.matches(
                keyValues, requiresEveryValue: requiresEveryValue, values: values, vr: vr, options: options)
        case .universal, .single, .uidList, .wildcard, .range, .combinedDateTimeRange, .sequence, .emptyValue:
            return values.contains { matches(matching, value: $0, vr: vr, options: options) }
        }
    }

    /// Whether one stored value satisfies one key value.
    static func matches(_ matching: Matching, value: String, vr: VR, options: MatchingOptions) -> Bool {
        switch matching {
        case .universal:
            return true
        case .single(let key):
            return SingleValueMatching.matches(key: key, value: value, vr: vr, options: options)
        case .uidList(let uids):
            return UIDListMatching.matches(uids, value: value)
        case .wildcard(let pattern):
            return WildCardMatching.matches(pattern: pattern, value: value, vr: vr, options: options)
        case .range(let lower, let upper):
            return RangeMatching.matches(lower: lower, upper: upper, value: value, vr: vr)
        case .multipleValues:
            return matches(matching, anyOf: [value], vr: vr, options: options)
        case .combinedDateTimeRange, .sequence, .emptyValue:
            // Not value-wise: ``matches(_:)`` handles them on the whole candidate.
            return false
        }
    }
}

extension QueryKey: CustomStringConvertible {
    /// The tag, keyword, VR and matching, for logs: `(0010,0010) PatientName PN wildcard "SMITH*"`.
    public var description: String {
        let keyword = tag.keyword.map { " \($0)" } ?? ""
        return "\(tag)\(keyword) \(vr.rawValue) \(matching)"
    }
}

extension QueryKey.Matching: CustomStringConvertible {
    /// The matching type and its text.
    public var description: String {
        func text(_ bound: String?) -> String { bound.map { "\"\($0)\"" } ?? "open" }
        switch self {
        case .universal:
            return "universal"
        case .single(let value):
            return "single \"\(value)\""
        case .uidList(let uids):
            return "UID list [\(uids.joined(separator: ", "))]"
        case .wildcard(let pattern):
            return "wildcard \"\(pattern)\""
        case .range(let lower, let upper):
            return "range \(text(lower)) to \(text(upper))"
        case .combinedDateTimeRange(let timeTag, let lower, let upper):
            return "date-time range with \(timeTag) \(text(lower)) to \(text(upper))"
        case .sequence(let keys):
            return "sequence [\(keys.map(\.description).joined(separator: "; "))]"
        case .emptyValue:
            return "empty value"
        case .multipleValues(let values, let requiresEveryValue):
            return "\(requiresEveryValue ? "every" : "any") of [\(values.map(\.description).joined(separator: ", "))]"
        }
    }
}
