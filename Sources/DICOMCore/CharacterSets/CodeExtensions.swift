/// ISO 2022 code extensions as DICOM restricts them (PS3.5 §6.1.2.5): the sets designated to G0
/// and G1 at the start of a value and after each delimiter, and the sets escape sequences may
/// switch to.
struct CodeExtensions: Hashable, Sendable {
    /// The G0 set in force initially: ASCII, or JIS X 0201 romaji when value 1 is ISO 2022 IR 13.
    /// A multi-byte G0 set named by value 1 (ISO 2022 IR 87, 159) is never in force without its
    /// escape sequence.
    var initialG0: GraphicCharacterSet
    /// The G1 set value 1 of (0008,0005) designates, if any.
    var initialG1: GraphicCharacterSet?
    /// The non-ASCII sets the terms name, in term order: the encoder's preference.
    var designatable: [GraphicCharacterSet]

    /// The designations in force at one point of a value.
    struct Designations: Equatable {
        var g0: GraphicCharacterSet
        var g1: GraphicCharacterSet?

        mutating func designate(_ set: GraphicCharacterSet) {
            if set.isG1 { g1 = set } else { g0 = set }
        }
    }

    /// The designations at the start of a value.
    var initial: Designations { Designations(g0: initialG0, g1: initialG1) }
}

/// The bytes after which the initial designations are back in force: the encoder switches back
/// before them and the decoder resets after them (PS3.5 §6.1.2.5.3). These are CR, LF, FF and
/// TAB in every VR, '\' between values of multi-valued VRs, and '^' and '=' in PN.
struct DesignationResets: Hashable, Sendable {
    var atValueDelimiter: Bool
    var atComponentDelimiters: Bool

    init(vr: VR) {
        atValueDelimiter = vr.allowsMultipleValues
        atComponentDelimiters = vr == .PN
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09, 0x0A, 0x0C, 0x0D: true  // TAB, LF, FF, CR
        case 0x5C: atValueDelimiter  // '\'
        case 0x3D, 0x5E: atComponentDelimiters  // '=', '^'
        default: false
        }
    }
}
