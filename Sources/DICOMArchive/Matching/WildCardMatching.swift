import DICOMCore

/// Wild Card Matching (PS3.4 §C.2.2.2.4): in a key of VR AE, CS, LO, LT, PN, SH, ST, UC, UR or
/// UT, `*` matches any run of characters (none included) and `?` any one character.
///
/// The match is case-sensitive except for PN, whose wild card matching §C.2.2.2.4 leaves to the
/// implementation: see ``PersonNameMatching``. Other VRs (dates, numbers, UIDs) take `*` and `?`
/// literally; a key of only `*` is universal in every VR (``UniversalMatching``).
enum WildCardMatching {
    /// Whether `vr` allows wild cards (§C.2.2.2.4, first paragraph).
    static func allowsWildCards(_ vr: VR) -> Bool {
        switch vr {
        case .AE, .CS, .LO, .LT, .PN, .SH, .ST, .UC, .UR, .UT:
            true
        case .AS, .AT, .DA, .DS, .DT, .FL, .FD, .IS, .OB, .OD, .OF, .OL, .OV, .OW, .SL, .SQ, .SS, .SV,
             .TM, .UI, .UL, .UN, .US, .UV:
            false
        }
    }

    /// Whether `value` holds `*` or `?`.
    static func hasWildCards(_ value: String) -> Bool {
        value.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    /// Whether the stored `value` matches `pattern`.
    static func matches(pattern: String, value: String, vr: VR, options: MatchingOptions) -> Bool {
        if vr == .PN {
            return PersonNameMatching.matches(key: pattern, value: value, isWildcard: true, ignoresCase: options.personNamesIgnoreCase)
        }
        return WildCardPattern(pattern).matches(value)
    }
}

/// A `*` and `?` pattern over Characters (grapheme clusters), so that `?` stands for one
/// character as a person reads it, whatever its encoding took.
struct WildCardPattern {
    let characters: [Character]

    init(_ pattern: String) {
        characters = Array(pattern)
    }

    /// Whether the whole of `text` matches. Greedy with one backtrack point, the last `*` seen:
    /// linear in practice, and never worse than the product of the two lengths.
    func matches(_ text: String) -> Bool {
        let text = Array(text)
        var patternIndex = 0
        var textIndex = 0
        var lastStar: Int?
        var textIndexAtStar = 0
        while textIndex < text.count {
            if patternIndex < characters.count, characters[patternIndex] == "*" {
                lastStar = patternIndex
                textIndexAtStar = textIndex
                patternIndex += 1
            } else if patternIndex < characters.count,
                      characters[patternIndex] == "?" || characters[patternIndex] == text[textIndex] {
                patternIndex += 1
                textIndex += 1
            } else if let star = lastStar {
                // Let the last `*` swallow one more character and try again from there.
                patternIndex = star + 1
                textIndexAtStar += 1
                textIndex = textIndexAtStar
            } else {
                return false
            }
        }
        while patternIndex < characters.count, characters[patternIndex] == "*" {
            patternIndex += 1
        }
        return patternIndex == characters.count
    }
}
