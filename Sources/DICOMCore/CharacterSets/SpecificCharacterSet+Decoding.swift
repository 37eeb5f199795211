extension SpecificCharacterSet {
    /// Decodes the bytes of a whole value of `vr`, backslashes between values included, padding
    /// left as it is.
    ///
    /// VRs that do not use the Specific Character Set (`!vr.usesSpecificCharacterSet`: AE, CS,
    /// DA, UI, …) are read in the default repertoire, leniently: bytes above 0x7F as ISO 8859-1.
    /// Values whose bytes are all below 0x80 and hold no escape sequence are ASCII in every set
    /// and are decoded without Foundation or tables.
    public func decode(_ bytes: some Collection<UInt8>, vr: VR) -> String {
        if let decoded = bytes.withContiguousStorageIfAvailable({ decode($0, vr: vr) }) {
            return decoded
        }
        return Array(bytes).withUnsafeBufferPointer { decode($0, vr: vr) }
    }

    private func decode(_ bytes: UnsafeBufferPointer<UInt8>, vr: VR) -> String {
        if Self.isASCIIWithoutEscape(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        guard vr.usesSpecificCharacterSet else { return Self.decodeLatin1(bytes) }
        switch scheme {
        case .defaultRepertoire:
            return Self.decodeLatin1(bytes)
        case .singleByte(let g1):
            return Self.decodeSingleByte(bytes, g1: g1.singleByteTable ?? .latin1)
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .multiByte(let codec):
            return codec.decode(bytes)
        case .codeExtensions(let codeExtensions):
            return codeExtensions.decode(bytes, resets: DesignationResets(vr: vr))
        }
    }

    /// Whether every byte is below 0x80 and none is ESC: such a value reads the same in every
    /// character set DICOM defines, because G0 is ASCII (or JIS X 0201 romaji, read as ASCII)
    /// until an escape sequence says otherwise.
    @inline(__always)
    private static func isASCIIWithoutEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 || byte == 0x1B {
            return false
        }
        return true
    }

    /// ISO 8859-1: each byte is the scalar of the same value.
    private static func decodeLatin1(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// ASCII below 0x80, `g1` above.
    private static func decodeSingleByte(_ bytes: UnsafeBufferPointer<UInt8>, g1: SingleByteTable) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : g1.scalar(for: byte))
        }
        return String(scalars)
    }
}
