import NIOCore

extension DataSet {
    /// This data set with every value of odd length padded to even, items and encapsulated
    /// fragments included: with a space for the string VRs, a NUL for UI and the binary VRs
    /// (``VR/paddingByte``). PS3.5 §7.1.1 allows only even lengths; a file that breaks the rule
    /// reads, and is sent this way, as DCMTK's storescu sends it, since a data set of odd length
    /// cannot go out in P-DATA (DCMTK's receivers abort the association on its odd last fragment).
    public func paddedToEvenLengths() -> DataSet {
        var padded = DataSet(map { $0.paddedToEvenLength() })
        padded.itemHasUndefinedLength = itemHasUndefinedLength
        padded.inheritedCharacterSet = inheritedCharacterSet
        return padded
    }
}

extension DataElement {
    /// This element with its value, its items' values or its fragments padded to even length.
    func paddedToEvenLength() -> DataElement {
        switch value {
        case .bytes(let bytes):
            guard bytes.readableBytes % 2 == 1 else { return self }
            return DataElement(tag: tag, vr: vr, bytes: bytes.padded(with: vr.paddingByte))
        case .sequence(let items):
            return DataElement(tag: tag, vr: vr, items: items.map { $0.paddedToEvenLengths() }, hasUndefinedLength: hasUndefinedLength)
        case .fragments(let fragments):
            return DataElement(tag: tag, vr: vr, fragments: EncapsulatedFragments(
                basicOffsetTable: fragments.basicOffsetTable.padded(with: 0),
                fragments: fragments.fragments.map { $0.padded(with: 0) }))
        }
    }
}

extension ByteBuffer {
    /// These bytes, with `byte` after them when their count is odd.
    fileprivate func padded(with byte: UInt8) -> ByteBuffer {
        guard readableBytes % 2 == 1 else { return self }
        var copy = self
        copy.writeInteger(byte)
        return copy
    }
}
