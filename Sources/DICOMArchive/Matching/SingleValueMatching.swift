import DICOMCore

/// Single Value Matching (PS3.4 §C.2.2.2.1): one key value without wild cards (or one date, time
/// or date-time without a range `-`) matches the entities whose value is that value.
///
/// "Exactly" is read per VR:
/// - text VRs (AE, AS, CS, LO, LT, SH, ST, UC, UI, UR, UT): the same characters once padding is
///   stripped (PS3.5 §6.2); case-sensitive, as §C.2.2.2.1 requires for all but PN;
/// - PN: component by component (see ``PersonNameMatching``), ignoring case unless
///   ``MatchingOptions/personNamesIgnoreCase`` is off (§C.2.2.2.1 lets PN be either);
/// - DA, TM, DT: the key names a period as long as its precision (a day; `1030` the minute
///   10:30; `2024` the year) and matches the values that start within it (``RangeMatching``);
/// - IS, DS and the binary numbers (US, SS, UL, SL, SV, UV, FL, FD): the same number, so that
///   `1.5` matches `1.50`;
/// - AT: the same tag; OB, OW and the other byte VRs: the same bytes.
enum SingleValueMatching {
    /// Whether the stored `value` matches the single key value `key`.
    static func matches(key: String, value: String, vr: VR, options: MatchingOptions) -> Bool {
        switch vr {
        case .PN:
            return PersonNameMatching.matches(key: key, value: value, isWildcard: false, ignoresCase: options.personNamesIgnoreCase)
        case .DA, .TM, .DT:
            return RangeMatching.matches(lower: key, upper: key, value: value, vr: vr)
        case .IS, .DS, .US, .SS, .UL, .SL, .SV, .UV, .FL, .FD:
            if let keyNumber = Double(key), let number = Double(value) {
                return keyNumber == number
            }
            return key == value
        case .AE, .AS, .AT, .CS, .LO, .LT, .OB, .OD, .OF, .OL, .OV, .OW, .SH, .SQ, .ST, .UC, .UI, .UN,
             .UR, .UT:
            return key == value
        }
    }
}
