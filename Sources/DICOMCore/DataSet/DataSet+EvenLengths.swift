import NIOCore

extension DataSet {
    /// This data set with every value of odd length padded to even, items and encapsulated
    /// fragments included: with a space for the string VRs, a NUL for UI and the binary VRs
    /// (``VR/paddingByte``). PS3.5 §7.1.1 allows only even lengths; a file that breaks the rule
    /// reads, and is sent this way, as DCMTK's storescu sends it, since a data set of odd length
    /// cannot go out in P-DATA (DCMTK's receivers abort the association on its odd last fragment).
    ///
    /// A group length (gggg,0000) present grows by the padding added in its group, so that it
    /// still gives the group's length (PS3.5 §7.2), as DCMTK recalculates it.
    public func paddedToEvenLengths() -> DataSet {
        var growth: [UInt16: Int] = [:]
        var padded = DataSet(map { element in
            let grown = element.paddingGrowth
            if grown > 0 { growth[element.tag.group, default: 0] += grown }
            return element.paddedToEvenLength()
        })
        for (group, grown) in growth {
            let tag = Tag(group: group, element: 0x0000)
            guard let lengthElement = padded[tag], lengthElement.vr == .UL, let bytes = lengthElement.bytes, bytes.readableBytes == 4,
                  let length = bytes.getInteger(at: bytes.readerIndex, endianness: .little, as: UInt32.self) else { continue }
            var value = ByteBuffer()
            value.writeInteger(length &+ UInt32(grown), endianness: .little)
            padded[tag] = DataElement(tag: tag, vr: .UL, bytes: value)
        }
        padded.itemHasUndefinedLength = itemHasUndefinedLength
        padded.inheritedCharacterSet = inheritedCharacterSet
        return padded
    }

    /// How many bytes padding adds to this data set's encoding.
    fileprivate var paddingGrowth: Int {
        reduce(0) { $0 + $1.paddingGrowth }
    }
}

extension DataElement {
    /// How many bytes padding adds to this element's encoding: one per value or fragment of
    /// odd length, its items' included (whose lengths, when defined, it adds to).
    fileprivate var paddingGrowth: Int {
        switch value {
        case .bytes(let bytes):
            return bytes.readableBytes % 2
        case .sequence(let items):
            return items.reduce(0) { $0 + $1.paddingGrowth }
        case .fragments(let fragments):
            return fragments.fragments.reduce(fragments.basicOffsetTable.readableBytes % 2) { $0 + $1.readableBytes % 2 }
        }
    }

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
