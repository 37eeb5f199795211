public import NIOCore

/// One data element: a tag, its VR and its value (PS3.5 §7.1).
///
/// Values hold the bytes as read, as `ByteBuffer` slices of the input, and are decoded only when
/// asked for (see `DataSet`'s typed accessors). Numbers are kept little endian whatever the
/// transfer syntax: the Explicit VR Big Endian reader and writer swap at the edge.
public struct DataElement: Sendable {
    /// The element's tag.
    public var tag: Tag
    /// The element's VR: as encoded for explicit VR input, from the dictionary for implicit VR.
    public var vr: VR
    /// The element's value.
    public var value: Value

    /// The three shapes a value takes on the wire (PS3.5 §7.1, §7.5 and §A.4).
    public enum Value: Sendable {
        /// The value bytes, little endian, unpadded only if the writer left them odd.
        case bytes(ByteBuffer)
        /// The items of a sequence (VR SQ, or UN of undefined length, PS3.5 §6.2.2).
        case sequence([DataSet])
        /// Encapsulated pixel data: the basic offset table, then the fragments (PS3.5 §A.4).
        case fragments(EncapsulatedFragments)
    }

    /// Whether the element was (or is to be) encoded with undefined length, closed by a delimiter.
    /// Only sequences and encapsulated pixel data may be (PS3.5 §7.1.1); kept so that a data set
    /// read and written again comes out byte for byte as it came in.
    public var hasUndefinedLength: Bool

    /// Creates an element with a byte value.
    public init(tag: Tag, vr: VR, bytes: ByteBuffer) {
        self.tag = tag
        self.vr = vr
        self.value = .bytes(bytes)
        self.hasUndefinedLength = false
    }

    /// Creates a sequence element; sequences are written with undefined length unless told otherwise.
    public init(tag: Tag, vr: VR = .SQ, items: [DataSet], hasUndefinedLength: Bool = true) {
        self.tag = tag
        self.vr = vr
        self.value = .sequence(items)
        self.hasUndefinedLength = hasUndefinedLength
    }

    /// Creates an encapsulated pixel data element, always of undefined length (PS3.5 §A.4).
    public init(tag: Tag, vr: VR = .OB, fragments: EncapsulatedFragments) {
        self.tag = tag
        self.vr = vr
        self.value = .fragments(fragments)
        self.hasUndefinedLength = true
    }

    /// The value bytes for a byte value, nil for sequences and fragments.
    public var bytes: ByteBuffer? {
        if case .bytes(let bytes) = value { return bytes }
        return nil
    }

    /// The items for a sequence, nil otherwise.
    public var items: [DataSet]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// The fragments for encapsulated pixel data, nil otherwise.
    public var fragments: EncapsulatedFragments? {
        if case .fragments(let fragments) = value { return fragments }
        return nil
    }

    /// The byte length of a byte value, or nil for sequences and fragments.
    public var valueLength: Int? { bytes?.readableBytes }
}

/// The content of encapsulated pixel data: a basic offset table item, then one item per fragment
/// (PS3.5 §A.4, Table A.4-1).
public struct EncapsulatedFragments: Sendable {
    /// The basic offset table, empty when the writer gave none.
    public var basicOffsetTable: ByteBuffer
    /// The fragments, in order.
    public var fragments: [ByteBuffer]

    /// Creates encapsulated content.
    public init(basicOffsetTable: ByteBuffer = ByteBuffer(), fragments: [ByteBuffer]) {
        self.basicOffsetTable = basicOffsetTable
        self.fragments = fragments
    }
}

// MARK: - Equality of content

extension DataElement: Equatable {
    /// Elements are equal when tag, VR, length form and value bytes are.
    public static func == (lhs: DataElement, rhs: DataElement) -> Bool {
        guard lhs.tag == rhs.tag, lhs.vr == rhs.vr, lhs.hasUndefinedLength == rhs.hasUndefinedLength else { return false }
        switch (lhs.value, rhs.value) {
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.sequence(let a), .sequence(let b)): return a == b
        case (.fragments(let a), .fragments(let b)): return a == b
        case (.bytes, _), (.sequence, _), (.fragments, _): return false
        }
    }
}

extension EncapsulatedFragments: Equatable {}
