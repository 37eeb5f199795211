extension CodeExtensions {
    /// Encodes `string` with escape sequences, or returns nil when a character is in none of the
    /// sets the terms name (PS3.5 §6.1.2.5).
    ///
    /// ASCII characters go out in the initial G0 set (switching back to it first if a
    /// multi-byte set holds G0). Any other character uses the set already designated when that
    /// set has it, else the first set in term order that has it, designated by its escape
    /// sequence. Before each delimiter that resets the designations, and at the end of the value,
    /// G0 returns to its initial set (§6.1.2.5.3); after a delimiter G1 counts as reset too, so a
    /// G1 set is designated again when next needed, as in PS3.5 Annex I.
    func encode(_ string: String, resets: DesignationResets) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        var state = initial
        for scalar in string.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if state.g0 != initialG0 {
                    bytes += initialG0.escapeSequence
                    state.g0 = initialG0
                }
                bytes.append(byte)
                if resets.contains(byte) { state = initial }
                continue
            }
            if let g1 = state.g1, let code = g1.code(for: scalar) {
                bytes += code
                continue
            }
            if state.g0.isDoubleByte, let code = state.g0.code(for: scalar) {
                bytes += code
                continue
            }
            guard let (set, code) = designatable.lazy.compactMap({ set in set.code(for: scalar).map { (set, $0) } }).first else {
                return nil
            }
            bytes += set.escapeSequence
            state.designate(set)
            bytes += code
        }
        if state.g0 != initialG0 { bytes += initialG0.escapeSequence }
        return bytes
    }
}
