/// The encoding rules of each VR (PS3.5 §6.2, Table 6.2-1, and §7.1.2).
extension VR {
    /// Explicit VR encodings give these VRs two reserved bytes and a 32-bit length; all others a
    /// 16-bit length (PS3.5 §7.1.2, Table 7.1-1 and 7.1-2).
    @inlinable
    public var hasLongExplicitLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: true
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .IS, .LO, .LT, .PN, .SH, .SL, .SS, .ST,
             .TM, .UI, .UL, .US: false
        }
    }

    /// Character-string VRs, whose values are text padded to even length (PS3.5 §6.2).
    public var isString: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: true
        case .AT, .FL, .FD, .OB, .OD, .OF, .OL, .OV, .OW, .SL, .SQ, .SS, .SV, .UL, .UN, .US, .UV: false
        }
    }

    /// String VRs whose bytes are interpreted with the Specific Character Set (0008,0005);
    /// the others use the default repertoire only (PS3.5 §6.1.2.3).
    public var usesSpecificCharacterSet: Bool {
        switch self {
        case .LO, .LT, .PN, .SH, .ST, .UC, .UT: true
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .IS, .OB, .OD, .OF, .OL, .OV, .OW, .SL,
             .SQ, .SS, .SV, .TM, .UI, .UL, .UN, .UR, .US, .UV: false
        }
    }

    /// Text VRs hold one value that may contain backslashes; the others split values at `\`
    /// (PS3.5 §6.4).
    public var allowsMultipleValues: Bool {
        switch self {
        case .LT, .ST, .UT, .UR, .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .UN: false
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .IS, .LO, .PN, .SH, .SL, .SS, .SV, .TM,
             .UC, .UI, .UL, .US, .UV: true
        }
    }

    /// The byte that pads a value to even length: NUL for UI and the binary VRs, space for the
    /// other strings (PS3.5 §6.2).
    public var paddingByte: UInt8 {
        isString && self != .UI ? 0x20 : 0x00
    }

    /// The size of one binary value, or nil for strings, sequences, OB and UN. Also the unit of
    /// byte swapping between little and big endian (PS3.5 §7.3).
    @inlinable
    public var binaryValueSize: Int? {
        switch self {
        case .SS, .US, .OW: 2
        case .AT: 2  // swapped as two 16-bit numbers (PS3.5 §7.3)
        case .FL, .SL, .UL, .OF, .OL: 4
        case .FD, .SV, .UV, .OD, .OV: 8
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .OB, .PN, .SH, .SQ, .ST, .TM, .UC, .UI,
             .UN, .UR, .UT: nil
        }
    }

    /// The maximum length of one value, in bytes for the fixed-size and most string VRs, in
    /// characters for LO, LT, PN (per component group), SH, ST (PS3.5 Table 6.2-1). Nil when the
    /// only limit is the 32-bit length field.
    public var maximumValueLength: Int? {
        switch self {
        case .AE: 16
        case .AS: 4
        case .AT: 4
        case .CS: 16
        case .DA: 8  // 18 in a range query (PS3.4 C.2.2.2.5); checked by the matcher, not here
        case .DS: 16
        case .DT: 26
        case .FL: 4
        case .FD: 8
        case .IS: 12
        case .LO: 64
        case .LT: 10240
        case .PN: 64
        case .SH: 16
        case .SL: 4
        case .SS: 2
        case .ST: 1024
        case .SV: 8
        case .TM: 14
        case .UI: 64
        case .UL: 4
        case .US: 2
        case .UV: 8
        case .UC, .UR, .UT, .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .UN: nil
        }
    }
}
