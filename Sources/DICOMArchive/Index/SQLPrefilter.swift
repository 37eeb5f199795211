import DICOMCore
import SQLKit

/// Query keys as SQL conditions: a prefilter that lets the database skip the rows that cannot
/// match, before ``Query/matches(_:)`` decides on the rest in Swift. So the matching rules stay
/// those of `Matching/`, and each condition here only has to be *sound*: it may keep rows that
/// do not match, never drop one that does.
///
/// What is translated (anything else, such as TM and DT ranges or sequence keys, is left to
/// Swift):
/// - Single Value Matching of text: `column = value`; of IS columns: `column = number`; of PN:
///   the case-folded wild card form below.
/// - List of UID Matching: `column IN (…)`.
/// - Wild Card Matching: `column LIKE pattern` with `*` → `%`, `?` → `_%` (one character or
///   more: a Swift Character may be several code points), literal `%`, `_` and `!` escaped with
///   `!`. SQLite's LIKE ignores ASCII case, PostgreSQL's does not; both are sound, as the case
///   rules are applied in Swift afterwards.
/// - PN keys, single or wild card: the case-folded column must contain the key's literal runs in
///   order (`SMITH^J*` → `%smith%j%`), as component groups, padding and case make an exact
///   translation impossible; and, for a key of one group starting with a literal, start with
///   that run (`smith%`) unless it starts with a space or has several groups.
/// - DA single values and ranges: `column BETWEEN lower AND upper` on the 8-digit form, OR the
///   same on the ACR-NEMA `YYYY.MM.DD` form: two ranges an index on the column serves.
/// - Empty Value Matching: `column IS NULL`.
/// - Multiple values: OR of the values' conditions (AND when every value must match, which a
///   single-valued column allows); none when one value has no condition.
/// - Modalities in Study: `EXISTS` a series of the study with that modality.
///
/// A key whose tag is in ``MatchingOptions/unknownValuesMatchEveryKey`` also passes NULL.
enum SQLPrefilter {
    /// The condition for `key` on the index, or nil when the key gives none.
    static func condition(for key: QueryKey) -> SQLQueryString? {
        if key.tag == .modalitiesInStudy {
            guard !key.options.unknownValuesMatchEveryKey.contains(key.tag) else { return nil }
            if case .multipleValues(let values, requiresEveryValue: true) = key.matching {
                // Each value in a series of its own: one EXISTS per value.
                var conditions: [SQLQueryString] = []
                for value in values {
                    guard let condition = modalitiesInStudy(value) else { return nil }
                    conditions.append(condition)
                }
                return conditions.isEmpty ? nil : "(\(conditions.joined(separator: " AND ")))"
            }
            return modalitiesInStudy(key.matching)
        }
        guard let column = IndexSchema.column(for: key.tag) else { return nil }
        if case .emptyValue = key.matching {
            return "\(unsafeRaw: column.name) IS NULL"
        }
        guard let condition = condition(key.matching, column: column) else { return nil }
        if key.options.unknownValuesMatchEveryKey.contains(key.tag) {
            return "(\(condition) OR \(unsafeRaw: column.name) IS NULL)"
        }
        return condition
    }

    private static func condition(_ matching: QueryKey.Matching, column: IndexSchema.Column) -> SQLQueryString? {
        let name = column.name
        switch matching {
        case .single(let value):
            if column.vr == .PN {
                return personName(value, column: column)
            }
            switch column.storage {
            case .integer:
                guard let number = Double(value), number.rounded() == number, abs(number) < 1e15 else { return nil }
                return "\(unsafeRaw: name) = \(bind: Int(number))"
            case .text:
                switch column.vr {
                case .DA:
                    return dateRange(lower: value, upper: value, column: column)
                case .TM, .DT:
                    return nil
                default:
                    return "\(unsafeRaw: name) = \(bind: IndexText.normalized(value))"
                }
            }
        case .uidList(let uids):
            guard column.storage == .text, !uids.isEmpty else { return nil }
            return "\(unsafeRaw: name) IN (\(binds: uids.map(IndexText.normalized)))"
        case .wildcard(let pattern):
            if column.vr == .PN {
                return personName(pattern, column: column)
            }
            guard column.storage == .text else { return nil }
            return "\(unsafeRaw: name) LIKE \(bind: likePattern(pattern)) ESCAPE '!'"
        case .range(let lower, let upper):
            guard column.vr == .DA else { return nil }
            return dateRange(lower: lower, upper: upper, column: column)
        case .multipleValues(let values, let requiresEveryValue):
            var conditions: [SQLQueryString] = []
            for value in values {
                guard let condition = condition(value, column: column) else { return nil }
                conditions.append(condition)
            }
            guard !conditions.isEmpty else { return nil }
            return "(\(conditions.joined(separator: requiresEveryValue ? " AND " : " OR ")))"
        case .universal, .combinedDateTimeRange, .sequence, .emptyValue:
            return nil
        }
    }

    /// The LIKE pattern of a wild card key (`!` escapes).
    static func likePattern(_ pattern: String) -> String {
        var result = ""
        for character in IndexText.normalized(pattern) {
            switch character {
            case "*": result += "%"
            case "?": result += "_%"
            case "%", "_", "!": result += "!" + String(character)
            default: result.append(character)
            }
        }
        return result
    }

    /// The case-folded containment pattern of a PN key: its literal runs, in order, with
    /// anything between; nil when the key has no literal character.
    static func personNamePattern(_ key: String) -> String? {
        var result = "%"
        var endsWithWildcard = true
        var hasLiteral = false
        for character in IndexText.folded(key) {
            switch character {
            case "*", "?", "^", "=", " ":
                if !endsWithWildcard { result += "%" }
                endsWithWildcard = true
            case "%", "_", "!":
                result += "!" + String(character)
                endsWithWildcard = false
                hasLiteral = true
            default:
                result.append(character)
                endsWithWildcard = false
                hasLiteral = true
            }
        }
        if !endsWithWildcard { result += "%" }
        return hasLiteral ? result : nil
    }

    /// The LIKE pattern of the literal run a key of one component group starts with (`SMITH^J*`
    /// → `smith%`), case-folded; nil when the key starts with no literal or has several groups.
    /// A stored name matches such a key only in a group starting with that run (its components'
    /// surrounding spaces aside): its first group, unless it starts with a space or has another.
    static func personNamePrefix(_ key: String) -> String? {
        let folded = IndexText.folded(key)
        guard !folded.contains("=") else { return nil }
        var result = ""
        scan: for character in folded {
            switch character {
            case "*", "?", "^", " ": break scan
            case "%", "_", "!": result += "!" + String(character)
            default: result.append(character)
            }
        }
        return result.isEmpty ? nil : result + "%"
    }

    private static func personName(_ key: String, column: IndexSchema.Column) -> SQLQueryString? {
        guard let pattern = personNamePattern(key) else { return nil }
        let folded = column.name + "_folded"
        let contains: SQLQueryString = "\(unsafeRaw: folded) LIKE \(bind: pattern) ESCAPE '!'"
        // The prefix narrows `SMITH*` from every name containing "smith" to those starting with
        // it: far fewer rows to match in Swift.
        guard let prefix = personNamePrefix(key) else { return contains }
        return "(\(contains) AND (\(unsafeRaw: folded) LIKE \(bind: prefix) ESCAPE '!' OR \(unsafeRaw: folded) LIKE ' %' OR \(unsafeRaw: folded) LIKE '%=%'))"
    }

    /// A DA range as two index range scans: one on the 8-digit form, one on the ACR-NEMA
    /// `YYYY.MM.DD` form, the only two a stored date matches in (``RangeMatching`` matches no
    /// value that does not parse). Each form sorts as its dates do, so each term keeps every
    /// date of its form in the range; nil when a bound is no date.
    private static func dateRange(lower: String?, upper: String?, column: IndexSchema.Column) -> SQLQueryString? {
        var lowerDate: DICOMDate?
        var upperDate: DICOMDate?
        if let lower {
            guard let date = DICOMDate(lower) else { return nil }
            lowerDate = date
        }
        if let upper {
            guard let date = DICOMDate(upper) else { return nil }
            upperDate = date
        }
        guard lowerDate != nil || upperDate != nil else { return nil }
        func term(_ text: (DICOMDate) -> String) -> SQLQueryString {
            var bounds: [SQLQueryString] = []
            if let lowerDate { bounds.append("\(unsafeRaw: column.name) >= \(bind: text(lowerDate))") }
            if let upperDate { bounds.append("\(unsafeRaw: column.name) <= \(bind: text(upperDate))") }
            return "(\(bounds.joined(separator: " AND ")))"
        }
        return "(\(term(\.description)) OR \(term(legacyForm)))"
    }

    /// A date in the ACR-NEMA form `YYYY.MM.DD`.
    static func legacyForm(_ date: DICOMDate) -> String {
        let text = date.description
        let digits = Array(text)
        return "\(String(digits[0..<4])).\(String(digits[4..<6])).\(String(digits[6..<8]))"
    }

    /// Modalities in Study (0008,0061): a series of the study (the outer `study` row) whose
    /// Modality satisfies the key.
    private static func modalitiesInStudy(_ matching: QueryKey.Matching) -> SQLQueryString? {
        guard let modality = IndexSchema.column(for: .modality),
              let condition = condition(matching, column: modality) else { return nil }
        return """
            EXISTS (SELECT 1 FROM series AS modality_series WHERE modality_series.series_study_uid = study.study_uid \
            AND \(condition))
            """
    }
}
