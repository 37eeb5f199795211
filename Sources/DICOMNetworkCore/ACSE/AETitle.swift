/// The rules of an Application Entity title: the AE value representation of PS3.5 §6.2, as the
/// Calling-AE-title and Called-AE-title fields of PS3.8 Table 9-11 carry it.
///
/// A title is 1 to 16 characters of the Default Character Repertoire (ASCII) without the backslash
/// (5CH) or control characters, and not all spaces (PS3.8 Table 9-11 forbids a title of 16
/// spaces). Leading and trailing spaces are not significant: the wire pads with spaces, and
/// ``matches(_:_:)`` ignores them.
public enum AETitle {
    /// The longest AE title, in characters (PS3.5 §6.2, PS3.8 Table 9-11).
    public static let maximumLength = 16

    /// Throws ``ACSEError/Code/invalidAETitle`` unless `title` follows the rules above.
    public static func validate(_ title: String, file: String = #fileID, line: UInt = #line) throws(ACSEError) {
        if let problem = problem(with: title) {
            throw ACSEError(.invalidAETitle, reason: "AE title \"\(title)\" \(problem) (PS3.5 §6.2)", file: file, line: line)
        }
    }

    /// Whether `title` is a valid AE title.
    public static func isValid(_ title: String) -> Bool {
        problem(with: title) == nil
    }

    /// Whether two AE titles name the same entity: equal once leading and trailing spaces are
    /// dropped (PS3.5 §6.2 makes them insignificant). Case matters.
    public static func matches(_ lhs: String, _ rhs: String) -> Bool {
        significant(lhs) == significant(rhs)
    }

    /// `title` without its leading and trailing spaces.
    public static func significant(_ title: String) -> Substring {
        let scalars = title.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " }),
            let last = scalars.lastIndex(where: { $0 != " " })
        else { return title[title.endIndex...] }
        return title[first...last]
    }

    private static func problem(with title: String) -> String? {
        let scalars = title.unicodeScalars
        if scalars.isEmpty { return "is empty" }
        if scalars.count > maximumLength { return "is \(scalars.count) characters, more than \(maximumLength)" }
        if scalars.allSatisfy({ $0 == " " }) { return "is all spaces" }
        for scalar in scalars {
            if !scalar.isASCII { return "holds the non-ASCII character U+\(String(scalar.value, radix: 16, uppercase: true))" }
            if scalar == "\\" { return "holds a backslash" }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                return "holds the control character 0x\(String(scalar.value, radix: 16, uppercase: true))"
            }
        }
        return nil
    }
}
