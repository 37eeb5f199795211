package import NIOCore

/// Builds a small data set whose values share one buffer.
///
/// Setting elements one by one gives each value a `ByteBuffer` of its own (two allocations) and
/// a sorted insert; for the data sets made for every message or file (command sets, file meta
/// information) that was a large part of their cost. Here values are appended to one buffer and
/// the elements, slices of it, are put in tag order once, by ``dataSet``.
package struct PackedDataSetBuilder {
    private var values = ByteBuffer()
    private var fields: [(tag: Tag, vr: VR, offset: Int, length: Int)] = []

    /// Room for `count` elements of `bytes` value bytes in all.
    package init(reservingElements count: Int, bytes: Int) {
        values.reserveCapacity(bytes)
        fields.reserveCapacity(count)
    }

    /// Appends `tag`'s value as `write` writes it, padded to even length with the VR's padding
    /// byte (PS3.5 §7.1.1).
    package mutating func append(_ tag: Tag, _ vr: VR, _ write: (inout ByteBuffer) -> Void) {
        let offset = values.writerIndex
        write(&values)
        if (values.writerIndex - offset) % 2 == 1 { values.writeInteger(vr.paddingByte) }
        fields.append((tag, vr, offset, values.writerIndex - offset))
    }

    /// The bytes the elements take in Explicit VR Little Endian (PS3.5 §7.1.2): what a group
    /// length counts.
    package var explicitVRLittleEndianLength: Int {
        fields.reduce(0) { $0 + ($1.vr.hasLongExplicitLength ? 12 : 8) + $1.length }
    }

    /// The data set, in tag order; an element appended twice keeps its last value.
    package var dataSet: DataSet {
        // Insertion sort, stable: a handful of elements, most already in order.
        var ordered = fields
        for index in ordered.indices.dropFirst() {
            var position = index
            while position > 0, ordered[position - 1].tag > ordered[position].tag {
                ordered.swapAt(position - 1, position)
                position -= 1
            }
        }
        var dataSet = DataSet()
        dataSet.reserveCapacity(ordered.count)
        for (index, field) in ordered.enumerated() {
            if index + 1 < ordered.count, ordered[index + 1].tag == field.tag { continue }
            dataSet.appendAsRead(DataElement(tag: field.tag, vr: field.vr, bytes: values.getSlice(at: field.offset, length: field.length)!))
        }
        return dataSet
    }
}
