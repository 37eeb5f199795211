/// How PN keys match, for Single Value Matching (PS3.4 §C.2.2.2.1) and Wild Card Matching
/// (§C.2.2.2.4), which leave PN case handling and PN wild cards to the implementation.
///
/// A name is up to three component groups (alphabetic, ideographic, phonetic) separated by `=`,
/// each up to five components (family, given, middle, prefix, suffix) separated by `^` (PS3.5
/// §6.2.1). This matcher compares them so:
///
/// - Groups. A key of one group (no `=`) matches when it matches any non-empty group of the
///   stored name: `SMITH^JOHN` finds `SMITH^JOHN=…`, and `山田^太郎` finds `Yamada^Tarou=山田^太郎`.
///   A key with `=` matches group by group, and its empty groups ask nothing (`=山田*` looks at
///   the ideographic group only).
/// - Components. Trailing empty components are insignificant (PS3.5 §6.2.1): `SMITH^JOHN` and
///   `SMITH^JOHN^^^` are the same name. Spaces around a component are padding.
/// - Single value: every component equal, so `SMITH` does not find `SMITH^JOHN` (`SMITH*` does).
/// - Wild cards: the pattern runs over the group's text, components joined by `^`, so `*` may
///   span components (`SMITH*` finds `SMITH^JOHN`). The stored group is first given as many
///   components as the key has, so `*^*` and `SMITH^*` also find a bare `SMITH`.
/// - Case: ignored when ``MatchingOptions/personNamesIgnoreCase`` is on (the default), by
///   lower-casing both sides; accents and other variants still count.
enum PersonNameMatching {
    /// Whether the stored PN `value` matches `key`, a single value or a wild card pattern.
    static func matches(key: String, value: String, isWildcard: Bool, ignoresCase: Bool) -> Bool {
        let keyGroups = groups(ignoresCase ? key.lowercased() : key)
        let valueGroups = groups(ignoresCase ? value.lowercased() : value)
        if keyGroups.count == 1 {
            return valueGroups.contains { !$0.isEmpty && groupMatches(keyGroups[0], $0, isWildcard: isWildcard) }
        }
        for (index, keyGroup) in keyGroups.enumerated() where !keyGroup.isEmpty {
            let valueGroup = index < valueGroups.count ? valueGroups[index] : []
            guard groupMatches(keyGroup, valueGroup, isWildcard: isWildcard) else { return false }
        }
        return true
    }

    /// Whether one stored group matches one key group, both as trimmed components without the
    /// trailing empty ones.
    static func groupMatches(_ key: [Substring], _ value: [Substring], isWildcard: Bool) -> Bool {
        var value = value
        if value.count < key.count {
            value += Array(repeating: "", count: key.count - value.count)
        }
        if isWildcard {
            return WildCardPattern(key.joined(separator: "^")).matches(value.joined(separator: "^"))
        }
        return key == value
    }

    /// The component groups of a PN value, each as its components stripped of surrounding
    /// spaces, trailing empty components left off.
    static func groups(_ name: String) -> [[Substring]] {
        name.split(separator: "=", omittingEmptySubsequences: false).map { group in
            var components = group.split(separator: "^", omittingEmptySubsequences: false).map(trimmingSpaces)
            while let last = components.last, last.isEmpty { components.removeLast() }
            return components
        }
    }

    private static func trimmingSpaces(_ text: Substring) -> Substring {
        var text = text
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
