extension CodeExtensions {
    /// Decodes a value that may contain escape sequences (PS3.5 §6.1.2.5).
    ///
    /// Bytes 0x00–0x7F are read in the G0 set and bytes 0x80–0xFF in the G1 set. An escape
    /// sequence DICOM defines designates its set even when (0008,0005) does not list it; an
    /// unknown one is kept as text (U+001B and what follows), so that encoding writes it back.
    /// GR bytes with no G1 set designated are read as ISO 8859-1, as pydicom reads them; an
    /// incomplete or unmapped double-byte code becomes U+FFFD.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, resets: DesignationResets) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        var state = initial
        var g0Table: DoubleByteTable?
        var g1Single: SingleByteTable?
        var g1Double: DoubleByteTable?
        func load(_ state: Designations) {
            g0Table = state.g0.doubleByteTable
            g1Single = state.g1?.singleByteTable
            g1Double = state.g1?.doubleByteTable
        }
        load(state)

        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x1B, let (set, length) = GraphicCharacterSet.designated(in: bytes, at: index) {
                state.designate(set)
                load(state)
                index += length
                continue
            }
            if byte < 0x80 {
                if let table = g0Table, (0x21...0x7E).contains(byte) {
                    if index + 1 < count, (0x21...0x7E).contains(bytes[index + 1]) {
                        scalars.append(table.scalar(row: byte, column: bytes[index + 1]))
                        index += 2
                    } else {
                        scalars.append(SingleByteTable.replacement)
                        index += 1
                    }
                    continue
                }
                scalars.append(Unicode.Scalar(byte))
                index += 1
                if resets.contains(byte), state != initial {
                    state = initial
                    load(state)
                }
            } else if let table = g1Double {
                if (0xA1...0xFE).contains(byte), index + 1 < count, (0xA1...0xFE).contains(bytes[index + 1]) {
                    scalars.append(table.scalar(row: byte, column: bytes[index + 1]))
                    index += 2
                } else {
                    scalars.append(SingleByteTable.replacement)
                    index += 1
                }
            } else {
                scalars.append(g1Single?.scalar(for: byte) ?? Unicode.Scalar(byte))
                index += 1
            }
        }
        return String(scalars)
    }
}
