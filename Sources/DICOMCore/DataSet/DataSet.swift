import NIOCore

/// An ordered collection of data elements (PS3.5 §7): a whole data set, or one item of a sequence.
///
/// Elements are kept in the order they were read, which for a valid encoding is increasing tag
/// order (PS3.5 §7.1); lookups are binary searches then. Data sets from writers that break the
/// order are kept as they came, so that they write back unchanged, and looked up by a scan.
public struct DataSet: Sendable {
    /// The elements, in encoding order.
    public private(set) var elements: [DataElement]
    /// Whether `elements` is in strictly increasing tag order.
    private var isOrdered: Bool

    /// For an item: whether it was (or is to be) encoded with undefined length (PS3.5 §7.5).
    public var itemHasUndefinedLength: Bool = true

    /// The character set that applies when this data set has no (0008,0005) of its own: an item
    /// inherits the set of the data set containing it (PS3.5 §7.5.1 via PS3.3 C.12.1.1.2).
    public var inheritedCharacterSet: SpecificCharacterSet?

    /// This data set's own Specific Character Set (0008,0005), parsed whenever that element is
    /// stored or removed: every text accessor needs it, and parsing the terms on each call cost
    /// more than decoding the value.
    private(set) var ownCharacterSet: SpecificCharacterSet?

    /// An empty data set.
    public init() {
        elements = []
        isOrdered = true
    }

    /// A data set of `elements`, sorted by tag; later duplicates replace earlier ones.
    public init(_ elements: some Sequence<DataElement>) {
        self.init()
        for element in elements { insert(element) }
    }

    /// Reserves room for `count` elements, for a reader that knows how many are coming.
    package mutating func reserveCapacity(_ count: Int) {
        elements.reserveCapacity(count)
    }

    /// Appends an element as read from an encoding, without reordering. For readers.
    package mutating func appendAsRead(_ element: DataElement) {
        if let last = elements.last, last.tag >= element.tag { isOrdered = false }
        elements.append(element)
        if element.tag == .specificCharacterSet { updateOwnCharacterSet() }
    }

    /// The number of elements.
    public var count: Int { elements.count }
    /// Whether there are no elements.
    public var isEmpty: Bool { elements.isEmpty }
    /// The tags, in encoding order.
    public var tags: [Tag] { elements.map(\.tag) }

    /// The element with `tag`, if present. Setting `nil` removes it; setting an element stores it
    /// under `tag` at its place in tag order.
    public subscript(tag: Tag) -> DataElement? {
        get {
            guard let index = index(of: tag) else { return nil }
            return elements[index]
        }
        set {
            if var newValue {
                newValue.tag = tag
                insert(newValue)
            } else {
                remove(tag)
            }
        }
    }

    /// Whether an element with `tag` is present.
    public func contains(_ tag: Tag) -> Bool { index(of: tag) != nil }

    /// Stores `element`, replacing any element with its tag, keeping tag order.
    public mutating func insert(_ element: DataElement) {
        if let index = index(of: element.tag) {
            elements[index] = element
        } else if isOrdered {
            elements.insert(element, at: insertionIndex(for: element.tag))
        } else {
            elements.append(element)
        }
        if element.tag == .specificCharacterSet { updateOwnCharacterSet() }
    }

    /// Removes the element with `tag` and returns it, if present.
    @discardableResult
    public mutating func remove(_ tag: Tag) -> DataElement? {
        guard let index = index(of: tag) else { return nil }
        let removed = elements.remove(at: index)
        if tag == .specificCharacterSet { updateOwnCharacterSet() }
        return removed
    }

    /// Removes every element for which `shouldRemove` is true.
    public mutating func removeAll(where shouldRemove: (DataElement) throws -> Bool) rethrows {
        try elements.removeAll(where: shouldRemove)
        updateOwnCharacterSet()
    }

    private mutating func updateOwnCharacterSet() {
        if let bytes = self[.specificCharacterSet]?.bytes {
            ownCharacterSet = SpecificCharacterSet.parsing(bytes.readableBytesView)
        } else {
            ownCharacterSet = nil
        }
    }

    private func index(of tag: Tag) -> Int? {
        if isOrdered {
            let index = insertionIndex(for: tag)
            return index < elements.count && elements[index].tag == tag ? index : nil
        }
        return elements.firstIndex { $0.tag == tag }
    }

    /// The first index whose tag is not less than `tag` (for ordered storage).
    private func insertionIndex(for tag: Tag) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if elements[middle].tag < tag { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension DataSet: Sequence {
    /// Iterates over the elements in encoding order.
    public func makeIterator() -> IndexingIterator<[DataElement]> { elements.makeIterator() }
}

extension DataSet: Equatable {
    /// Data sets are equal when their elements are, in the same order, and items share their
    /// length form.
    public static func == (lhs: DataSet, rhs: DataSet) -> Bool {
        lhs.elements == rhs.elements && lhs.itemHasUndefinedLength == rhs.itemHasUndefinedLength
    }
}
