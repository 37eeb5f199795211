public import DICOMCore

/// The matching behaviour a query applies where PS3.4 §C.2.2.2 leaves a choice to the SCP or makes
/// it depend on Extended Negotiation.
public struct MatchingOptions: Hashable, Sendable {
    /// Whether Person Name (PN) keys ignore case, in Single Value and Wild Card Matching alike.
    ///
    /// §C.2.2.2.1 lets PN literal matching be case-sensitive or insensitive to some or all aspects
    /// of case, and §C.2.2.2.4 leaves PN wild card matching to the implementation. The default
    /// ignores case (`smith^john` finds `SMITH^JOHN`), which is what people typing names expect;
    /// accents and other character variants still count. Every other VR matches case-sensitively,
    /// as §C.2.2.2.1 and §C.2.2.2.4 require.
    public var personNamesIgnoreCase: Bool

    /// The tags whose unknown value (attribute absent or zero length in the stored entity)
    /// matches every key, not only universal ones.
    ///
    /// PS3.4 §C.2.2.1.1 asks this of the Required Keys of the Query/Retrieve information models
    /// ("all matching against the zero length Required Key shall be considered a successful
    /// match"), while §K.2.2.1.1.1 asks the opposite of worklists ("the unknown value shall fail
    /// to match any Matching Key value"). Empty by default: an unknown value satisfies only
    /// universal keys (and empty-value keys), so that `PatientName=SMITH*` does not return the
    /// studies whose name is missing. An archive that wants §C.2.2.1.1 to the letter lists its
    /// model's Required Keys here.
    public var unknownValuesMatchEveryKey: Set<Tag>

    /// Combined date-time matching (Extended Negotiation, PS3.4 §C.2.2.2.5 and Table C.5-2 byte
    /// 2): a date key and its time key (`StudyDate` and `StudyTime`, any `…Date` with its
    /// `…Time`) that both give the same form of range match as one date-time range.
    public var combinedDateTimeMatching: Bool

    /// Empty Value Matching (Extended Negotiation, PS3.4 §C.2.2.2.7): a key of two QUOTATION MARK
    /// characters (`""`) matches entities whose attribute is absent or zero length. Without it,
    /// `""` is an ordinary value.
    public var emptyValueMatching: Bool

    /// Multiple Value Matching (Extended Negotiation, PS3.4 §C.2.2.2.8): a key with several
    /// values matches an entity only when every key value matches one of the entity's values.
    /// Without it a key with several values matches when any of them does (§C.2.2.2.8 Note 4
    /// leaves the meaning undefined; "any" is the common reading, as for Modalities in Study).
    public var multipleValueMatching: Bool

    /// Options with the given behaviour; the defaults are the behaviour without Extended
    /// Negotiation.
    public init(
        personNamesIgnoreCase: Bool = true,
        unknownValuesMatchEveryKey: Set<Tag> = [],
        combinedDateTimeMatching: Bool = false,
        emptyValueMatching: Bool = false,
        multipleValueMatching: Bool = false
    ) {
        self.personNamesIgnoreCase = personNamesIgnoreCase
        self.unknownValuesMatchEveryKey = unknownValuesMatchEveryKey
        self.combinedDateTimeMatching = combinedDateTimeMatching
        self.emptyValueMatching = emptyValueMatching
        self.multipleValueMatching = multipleValueMatching
    }
}
