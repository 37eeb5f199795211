/// Reading and writing sequences of items (PS3.5 §7.5).
extension DataSet {
    /// The items of a sequence element (SQ, or UN of undefined length read as a sequence,
    /// PS3.5 §6.2.2), or nil when the element is absent or holds bytes.
    ///
    /// Each item's ``inheritedCharacterSet`` is set to this data set's character set, so that an
    /// item without its own Specific Character Set (0008,0005) decodes text as its container does
    /// (PS3.3 C.12.1.1.2), also for items built in memory.
    public func sequence(_ tag: Tag) -> [DataSet]? {
        guard var items = self[tag]?.items else { return nil }
        let characterSet = specificCharacterSet
        for index in items.indices {
            items[index].inheritedCharacterSet = characterSet
        }
        return items
    }

    /// Stores `items` as an SQ element, written with undefined length unless told otherwise (as
    /// ``DataElement/init(tag:vr:items:hasUndefinedLength:)`` does).
    public mutating func setSequence(_ items: [DataSet], for tag: Tag, hasUndefinedLength: Bool = true) {
        self[tag] = DataElement(tag: tag, vr: .SQ, items: items, hasUndefinedLength: hasUndefinedLength)
    }
}
