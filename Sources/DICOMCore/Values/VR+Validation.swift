public import NIOCore

/// One way an element's value breaks the rules of its VR (PS3.5 §6.2 Table 6.2-1, §6.4, §7.1.1).
///
/// Problems are findings, not errors: data sets from the field break these rules often, NetDICOM
/// reads and writes them anyway, and a validator reports them.
public struct VRValueProblem: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case oddLength
            case wrongPadding
            case valueTooLong
            case invalidCharacter
            case invalidValue
            case partialBinaryValue
            case valueMultiplicity
        }

        let base: Base

        /// The value has an odd number of bytes; PS3.5 §7.1.1 requires an even length.
        public static let oddLength = Code(base: .oddLength)
        /// The value ends in the other padding byte: NUL after a text value, or a space after a UI
        /// value (PS3.5 §6.2: text is padded with a space, UI with a NUL).
        public static let wrongPadding = Code(base: .wrongPadding)
        /// One value, padding included, is longer than Table 6.2-1 allows: in bytes for the
        /// default-repertoire VRs, in characters for LO, LT, SH, ST and each PN component group.
        public static let valueTooLong = Code(base: .valueTooLong)
        /// A character outside the VR's repertoire (Table 6.2-1), such as a lower-case letter in
        /// CS or a control character in LO.
        public static let invalidCharacter = Code(base: .invalidCharacter)
        /// A value made of allowed characters that still does not have the VR's form: a date that
        /// does not exist, a DS that is not a number, a UID component with a leading zero, a PN
        /// with four component groups.
        public static let invalidValue = Code(base: .invalidValue)
        /// A binary value whose length is not a whole number of values (2 bytes for US, 4 for AT).
        public static let partialBinaryValue = Code(base: .partialBinaryValue)
        /// The number of values is not one the element's value multiplicity allows (PS3.5 §6.4).
        public static let valueMultiplicity = Code(base: .valueMultiplicity)

        public var description: String { base.rawValue }
    }

    /// What was wrong.
    public var code: Code
    /// The position of the value at fault among the element's values, from 0, when the problem is
    /// in one value.
    public var valueIndex: Int?
    /// Details for a person.
    public var detail: String

    /// Creates a problem.
    public init(_ code: Code, valueIndex: Int? = nil, _ detail: String = "") {
        self.code = code
        self.valueIndex = valueIndex
        self.detail = detail
    }

    public var description: String {
        var text = code.description
        if let valueIndex { text += " in value \(valueIndex + 1)" }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }
}

// MARK: - Validation

extension VR {
    /// The ways `value`, the bytes of an element of this VR (little endian), breaks the rules of
    /// PS3.5: even length (§7.1.1), the padding byte (§6.2), each value's maximum length, character
    /// repertoire and form (Table 6.2-1), binary values of whole size, and the value count.
    ///
    /// - Parameters:
    ///   - multiplicity: the values the element may hold, such as its dictionary entry's VM; not
    ///     checked when nil, nor for an empty value, which elements of Type 2 and 3 may have
    ///     whatever their VM (PS3.5 §7.4).
    ///   - characterSet: the data set's Specific Character Set, to decode LO, LT, PN, SH, ST, UC and
    ///     UT, whose limits count characters.
    /// - Returns: the problems found, in the order above; empty for a valid value.
    public func validate(
        _ value: ByteBuffer,
        multiplicity: ValueMultiplicity? = nil,
        characterSet: SpecificCharacterSet = .defaultRepertoire
    ) -> [VRValueProblem] {
        var problems: [VRValueProblem] = []
        let length = value.readableBytes
        if length % 2 == 1 {
            problems.append(VRValueProblem(.oddLength, "\(length) bytes"))
        }
        let count: Int
        if isString {
            count = validateText(Array(value.readableBytesView), characterSet: characterSet, into: &problems)
        } else if let size = fixedValueSize {
            if length % size != 0 {
                problems.append(VRValueProblem(.partialBinaryValue, "\(length) bytes is not a multiple of \(size)"))
            }
            count = length / size
        } else {
            count = length > 0 ? 1 : 0  // OB, UN, SQ: one value of any length
        }
        if count > 0, let multiplicity, !multiplicity.contains(count) {
            problems.append(VRValueProblem(.valueMultiplicity, "\(count) values, VM \(multiplicity)"))
        }
        return problems
    }

    /// The size of one binary value: ``binaryValueSize`` but for AT, a pair of 16-bit numbers.
    private var fixedValueSize: Int? {
        self == .AT ? 4 : binaryValueSize
    }

    /// Checks a text value and returns its number of values.
    private func validateText(_ bytes: [UInt8], characterSet: SpecificCharacterSet, into problems: inout [VRValueProblem]) -> Int {
        // Padding: the bytes after the last significant one must be this VR's padding byte.
        let content = DICOMText.trimmingTrailingPadding(bytes)
        if bytes[content.endIndex...].contains(where: { $0 != paddingByte }) {
            problems.append(VRValueProblem(.wrongPadding, paddingByte == 0 ? "UI is padded with NUL" : "text is padded with spaces"))
        }
        if content.isEmpty { return 0 }

        // Values as Unicode scalars: decoded for the VRs that use the character set, byte for
        // byte (one scalar per byte) for the default-repertoire ones, whose limits count bytes.
        let scalars: [Unicode.Scalar] = usesSpecificCharacterSet
            ? Array(characterSet.decode(bytes, vr: self).unicodeScalars)
            : bytes.map { Unicode.Scalar($0) }
        let padded: [ArraySlice<Unicode.Scalar>] = allowsMultipleValues
            ? scalars.split(separator: "\\", omittingEmptySubsequences: false)
            : [scalars[...]]

        for (index, paddedValue) in padded.enumerated() {
            var value = paddedValue
            var counted = paddedValue
            if index == padded.count - 1 {
                while let last = value.last, last == " " || last == "\0" { value.removeLast() }
                // The one byte that evens the field's length is not the last value's own: two
                // 8-byte dates are 17 bytes padded to 18 (PS3.5 §6.2, "except in the case of the
                // last Value of a multi-valued field", and §6.4).
                if bytes.count % 2 == 0, let last = counted.last, last == " " || last == "\0" { counted.removeLast() }
            }
            checkLength(counted, index: index, into: &problems)
            if let bad = value.first(where: { !allowsCharacter($0) }) {
                let shown = VR.isControl(bad.value) || bad.value > 0x7E ? VR.hexadecimal(bad.value) : "'\(bad)'"
                problems.append(VRValueProblem(.invalidCharacter, valueIndex: index, "\(shown) is not allowed in \(self)"))
            } else if !value.isEmpty, let reason = formProblem(value) {
                problems.append(VRValueProblem(.invalidValue, valueIndex: index, reason))
            }
        }
        return padded.count
    }

    private func checkLength(_ value: ArraySlice<Unicode.Scalar>, index: Int, into problems: inout [VRValueProblem]) {
        guard let maximum = maximumValueLength else { return }
        // PS3.5 §6.2.1: the 64-character limit of PN applies to each component group.
        let pieces = self == .PN ? value.split(separator: "=", omittingEmptySubsequences: false) : [value]
        if let longest = pieces.map(\.count).max(), longest > maximum {
            let unit = usesSpecificCharacterSet ? "characters" : "bytes"
            problems.append(VRValueProblem(.valueTooLong, valueIndex: index, "\(longest) \(unit), at most \(maximum)"))
        }
    }

    // MARK: Character repertoires (Table 6.2-1)

    /// Whether `scalar` may appear in a value of this VR, trailing padding aside.
    func allowsCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let isDigit = (0x30...0x39).contains(value)
        switch self {
        case .AE:
            // Default repertoire, no backslash, no control characters.
            return (0x20...0x7E).contains(value) && value != 0x5C
        case .AS:
            return isDigit || "DWMY".unicodeScalars.contains(scalar)
        case .CS:
            return isDigit || (0x41...0x5A).contains(value) || value == 0x20 || value == 0x5F
        case .DA:
            return isDigit
        case .DS:
            return isDigit || "+-Ee. ".unicodeScalars.contains(scalar)
        case .DT:
            return isDigit || "+-.".unicodeScalars.contains(scalar)
        case .IS:
            return isDigit || "+- ".unicodeScalars.contains(scalar)
        case .TM:
            return isDigit || value == 0x2E
        case .UI:
            return isDigit || value == 0x2E
        case .UR:
            // RFC 3986 §2: unreserved, reserved and '%' of percent-encoding; no spaces but the
            // trailing padding (leading spaces are not allowed).
            return (0x21...0x7E).contains(value) && !"\"<>\\^`{|}".unicodeScalars.contains(scalar)
        case .LO, .PN, .SH, .UC:
            // Any character of the character set; of the control characters ESC only (§6.1.3).
            return !VR.isControl(value) || value == 0x1B
        case .LT, .ST, .UT:
            // Text may also hold CR, LF, FF, and TAB (PS3.5 §6.1.3, Table 6.1-1).
            return !VR.isControl(value) || [0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(value)
        case .AT, .FL, .FD, .OB, .OD, .OF, .OL, .OV, .OW, .SL, .SQ, .SS, .SV, .UL, .UN, .US, .UV:
            return true
        }
    }

    private static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || value == 0x7F
    }

    // MARK: Forms (Table 6.2-1)

    /// Why `value` (padding removed, characters allowed) lacks this VR's form, or nil.
    private func formProblem(_ value: ArraySlice<Unicode.Scalar>) -> String? {
        // Only default-repertoire VRs are parsed here, and their scalars are single bytes.
        let bytes = ArraySlice(value.map { UInt8(truncatingIfNeeded: $0.value) })
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .AE:
            return bytes.allSatisfy({ $0 == 0x20 }) ? "an AE title of spaces only" : nil
        case .AS:
            return AgeString(dicomText: bytes) == nil ? "'\(text)' is not nnnD, nnnW, nnnM or nnnY" : nil
        case .DA:
            return DICOMDate(dicomText: bytes, allowsLegacyForm: false) == nil ? "'\(text)' is not a YYYYMMDD date" : nil
        case .TM:
            return DICOMTime(dicomText: bytes) == nil ? "'\(text)' is not an HHMMSS.FFFFFF time" : nil
        case .DT:
            return DICOMDateTime(dicomText: bytes, strict: true) == nil ? "'\(text)' is not a YYYYMMDDHHMMSS.FFFFFF&ZZXX date-time" : nil
        case .DS:
            let number = DICOMText.trimmingPadding(Array(bytes))
            return number.isEmpty || Double(String(decoding: number, as: UTF8.self)) == nil ? "'\(text)' is not a decimal number" : nil
        case .IS:
            let number = DICOMText.trimmingPadding(Array(bytes))
            return number.isEmpty || Int32(String(decoding: number, as: UTF8.self)) == nil ? "'\(text)' is not an integer from -2^31 to 2^31-1" : nil
        case .UI:
            return UID(text).isValid ? nil : "'\(text)' is not a UID of digit components without leading zeros"
        case .PN:
            return PersonName(String(String.UnicodeScalarView(value))) == nil ? "more than 3 component groups or 5 components" : nil
        case .CS, .LO, .LT, .SH, .ST, .UC, .UR, .UT,
             .AT, .FL, .FD, .OB, .OD, .OF, .OL, .OV, .OW, .SL, .SQ, .SS, .SV, .UL, .UN, .US, .UV:
            return nil
        }
    }
}

extension VR {
    /// A character's code as `U+XXXX`, for characters that do not print.
    fileprivate static func hexadecimal(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
