extension Tag {
    /// The tag whose PS3.6 keyword is `keyword`: `Tag(keyword: "PatientName")` is (0010,0010).
    public init?(keyword: String) {
        guard let tag = DataDictionary.tag(forKeyword: keyword) else { return nil }
        self = tag
    }

    /// The dictionary's entry for this tag, if it is a public one (see
    /// ``DataDictionary/entry(for:)``).
    public var dictionaryEntry: DictionaryEntry? { DataDictionary.entry(for: self) }

    /// The PS3.6 keyword, "PatientName" for (0010,0010); `nil` for unknown and private tags.
    public var keyword: String? { DataDictionary.keyword(for: self) }

    /// The PS3.6 name, "Patient's Name" for (0010,0010); `nil` for unknown and private tags.
    public var name: String? { DataDictionary.entry(for: self)?.name }
}
