import Foundation

/// The forms text takes in the index, shared by what is stored and what is looked for, so that
/// an SQL comparison never rejects what Swift's comparison accepts.
enum IndexText {
    /// Unicode Normalization Form C: canonically equivalent spellings (a precomposed `é` and an
    /// `e` with a combining accent) become the same scalars, which SQL compares.
    static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// The case-folded form of a PN value, for case-insensitive prefiltering: lower-cased as
    /// ``PersonNameMatching`` lower-cases, then normalized.
    static func folded(_ text: String) -> String {
        text.lowercased().precomposedStringWithCanonicalMapping
    }
}
