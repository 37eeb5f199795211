import Foundation

/// The forms text takes in the index, shared by what is stored and what is looked for, so that
/// an SQL comparison never rejects what Swift's comparison accepts.
enum IndexText {
    /// Unicode Normalization Form C: canonically equivalent spellings (a precomposed `é` and an
    /// `e` with a combining accent) become the same scalars, which SQL compares.
    /// ASCII text is its own normal form, and skips Foundation's normalization, which costs a
    /// few percent of storing an instance.
    static func normalized(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The case-folded form of a PN value, for case-insensitive prefiltering: lower-cased as
    /// ``PersonNameMatching`` lower-cases, then normalized.
    static func folded(_ text: String) -> String {
        normalized(text.lowercased())
    }
}
