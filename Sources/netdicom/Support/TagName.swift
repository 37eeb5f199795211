import ArgumentParser
import DICOMCore
import Foundation

/// A tag as a command line names it: a PS3.6 keyword (case-sensitive, as PatientName),
/// `(gggg,eeee)` or `gggg,eeee` in hexadecimal (findscu's -k, dump's +P).
enum TagName {
    /// The tag `name` names; `context` begins the error message (`-k 'KEY=VALUE'`).
    static func tag(_ name: String, in context: String) throws -> Tag {
        let name = name.trimmingCharacters(in: .whitespaces)
        if name.contains(",") || name.hasPrefix("(") {
            guard let parsed = Tag(parsing: name), isTagText(name) else {
                throw ValidationError("\(context): '\(name)' is not a tag; write (gggg,eeee) or gggg,eeee in hexadecimal")
            }
            return parsed
        }
        guard let found = DataDictionary.tag(forKeyword: name) else {
            throw ValidationError("\(context): '\(name)' is not a data dictionary keyword (keywords are case-sensitive, as PatientName), nor a tag (gggg,eeee)")
        }
        return found
    }

    /// Whether `text` is exactly `(gggg,eeee)` or `gggg,eeee`, so that a stray comma or
    /// parenthesis is not silently dropped.
    static func isTagText(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("(") {
            guard body.hasSuffix(")") else { return false }
            body = body.dropFirst().dropLast()
        }
        let halves = body.split(separator: ",", omittingEmptySubsequences: false)
        return halves.count == 2 && halves.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }
}
