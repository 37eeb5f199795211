extension SpecificCharacterSet {
    /// Encodes a whole value of `vr` (backslashes between values included, no padding added), or
    /// returns nil when a character is not representable in the character sets.
    ///
    /// VRs that do not use the Specific Character Set take ASCII only. A value 1 read with a
    /// fallback (see ``unsupportedTerms``) is written with the same fallback, so what was read
    /// is written back byte for byte.
    public func encode(_ string: String, vr: VR) -> [UInt8]? {
        let utf8 = string.utf8
        // ASCII reads the same in every set, and G0 starts out as ASCII (PS3.5 §6.1.2.5.3).
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return Array(utf8)
        }
        guard vr.usesSpecificCharacterSet else { return nil }
        switch scheme {
        case .defaultRepertoire:
            return nil
        case .singleByte(let g1):
            guard let table = g1.singleByteTable else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count)
            for scalar in string.unicodeScalars {
                if scalar.isASCII {
                    bytes.append(UInt8(scalar.value))
                } else if let byte = table.byte(for: scalar) {
                    bytes.append(byte)
                } else {
                    return nil
                }
            }
            return bytes
        case .utf8:
            return Array(utf8)
        case .multiByte(let codec):
            return codec.encode(string)
        case .codeExtensions(let codeExtensions):
            return codeExtensions.encode(string, resets: DesignationResets(vr: vr))
        }
    }
}
