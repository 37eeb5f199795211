/// Reading and writing person names (PS3.5 §6.2.1).
extension DataSet {
    /// The names of a PN element, decoded with the data set's character set, split at `\`. Empty
    /// when the element is absent, empty or not PN, or when any value is not a valid name (more
    /// than three groups or five components).
    public func personNames(_ tag: Tag) -> [PersonName] {
        parsedValues(tag, vr: .PN) { PersonName($0) }
    }

    /// The first of ``personNames(_:)``.
    public func personName(_ tag: Tag) -> PersonName? {
        personNames(tag).first
    }

    /// Stores `names` as a PN element, encoded with the data set's character set.
    public mutating func setPersonNames(_ names: [PersonName], for tag: Tag) {
        setStrings(names.map(\.description), for: tag, vr: .PN)
    }

    /// Stores `name` as a PN element of one value.
    public mutating func setPersonName(_ name: PersonName, for tag: Tag) {
        setPersonNames([name], for: tag)
    }
}
