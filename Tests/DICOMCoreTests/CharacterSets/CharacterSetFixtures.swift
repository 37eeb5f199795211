import DICOMCore

/// Helpers shared by the character-set tests.
enum CharacterSetFixtures {
    /// The bytes of a hex string; spaces are ignored ("1b 24 42" and "1b2442" are the same).
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.unicodeScalars.filter { $0 != " " })
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(hex)")
        return stride(from: 0, to: digits.count, by: 2).map { index in
            UInt8(String(String.UnicodeScalarView(digits[index...index + 1])), radix: 16)!
        }
    }

    /// Every Defined Term of PS3.3 Tables C.12-2 to C.12-5.
    static let definedTerms = [
        "ISO_IR 6", "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144",
        "ISO_IR 127", "ISO_IR 126", "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13",
        "ISO_IR 166", "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109",
        "ISO 2022 IR 110", "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126",
        "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 13",
        "ISO 2022 IR 166", "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149",
        "ISO 2022 IR 58", "ISO_IR 192", "GB18030", "GBK",
    ]

    /// The VRs whose values use the Specific Character Set (PS3.5 §6.1.2.3).
    static let textVRs: [VR] = [.LO, .LT, .PN, .SH, .ST, .UC, .UT]
}
