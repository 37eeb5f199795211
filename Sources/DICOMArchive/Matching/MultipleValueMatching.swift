import DICOMCore

/// Keys with several values outside UI (PS3.4 §C.2.2.2.8, Multiple Value Matching).
///
/// With Extended Negotiation of Multiple Value Matching, "a match is successful only if each and
/// every value in the Key Attribute matches a value in the corresponding Attribute in the
/// entity" (a logical AND: `CT\PT` in Modalities in Study finds studies with both). Without it
/// the standard leaves the meaning undefined (§C.2.2.2.8 Note 4); this SCP then matches when any
/// key value matches a value of the entity (a logical OR: `CT\PT` finds studies with either),
/// the reading most SCUs expect.
///
/// Each key value is itself a single value, a wild card pattern or a range.
enum MultipleValueMatching {
    /// Whether the stored `values` satisfy the key values.
    static func matches(_ keyValues: [QueryKey.Matching], requiresEveryValue: Bool, values: [String], vr: VR, options: MatchingOptions) -> Bool {
        let matchesOneValue = { (keyValue: QueryKey.Matching) in
            QueryKey.matches(keyValue, anyOf: values, vr: vr, options: options)
        }
        return requiresEveryValue ? keyValues.allSatisfy(matchesOneValue) : keyValues.contains(where: matchesOneValue)
    }
}
