/// Reading the tab-separated tables that scripts/generate-dictionary.py writes into
/// `Generated/`. The tables are text rather than array literals so that the compiler does not
/// type-check thousands of elements; they are parsed once, on first use.
enum TableText {
    /// Calls `body` with the tab-separated fields of each non-empty line of `text`.
    static func forEachRow(in text: String, _ body: ([Substring]) -> Void) {
        // Splitting the UTF-8 view avoids grapheme breaking over a megabyte of text.
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            body(fields.map { Substring($0) })
        }
    }

    /// `"US/SS"` → `(.US, [.SS])`; an empty field (the delimiters of group FFFE) → `(.UN, [])`.
    static func vrs(_ field: Substring) -> (vr: VR, alternatives: [VR]) {
        let vrs = field.split(separator: "/").map { VR(rawValue: String($0)) ?? .UN }
        guard let first = vrs.first else { return (.UN, []) }
        return (first, Array(vrs.dropFirst()))
    }

    /// The VM column; the generator checks every value, so a bad one is a generator bug.
    static func multiplicity(_ field: Substring) -> ValueMultiplicity {
        guard let multiplicity = ValueMultiplicity(field) else {
            preconditionFailure("generated table has an unreadable VM '\(field)'")
        }
        return multiplicity
    }

    /// A hexadecimal field of eight digits in which `x` stands for any digit: the value with
    /// each `x` read as 0, and the mask with 0 under each `x` and F elsewhere.
    static func pattern(_ field: Substring) -> (value: UInt32, mask: UInt32) {
        var value: UInt32 = 0
        var mask: UInt32 = 0
        for character in field.utf8 {
            value <<= 4
            mask <<= 4
            if character != UInt8(ascii: "x") {
                guard let digit = UInt32(String(UnicodeScalar(character)), radix: 16) else {
                    preconditionFailure("generated table has an unreadable tag '\(field)'")
                }
                value |= digit
                mask |= 0xF
            }
        }
        return (value, mask)
    }
}
