/// A person's name, one value of a PN element (PS3.5 §6.2 Table 6.2-1 and §6.2.1).
///
/// A name has up to three component groups separated by `=`: alphabetic, ideographic and
/// phonetic. Each group has up to five components separated by `^`: family name, given name,
/// middle name, prefix, suffix. PS3.5 §6.2.1 lets a writer leave off trailing empty components and
/// groups with their delimiters, and requires the delimiters of empty ones inside: ``description``
/// leaves off every trailing empty one, so `"Doe^John^^^"` and `"Doe^John"` are the same name and
/// format as `"Doe^John"`, while `"=Yamada^Tarou"` keeps its leading `=`.
///
/// Components are kept as written (inner spaces included); only the value's trailing padding is
/// dropped when parsing. A component must not contain `^`, `=` or `\` for the name to format
/// back to the same components.
public struct PersonName: Hashable, Sendable {
    /// The five components of one group, in their order of occurrence (PS3.5 §6.2.1).
    public struct ComponentGroup: Hashable, Sendable {
        /// The family name complex.
        public var familyName: String
        /// The given name complex.
        public var givenName: String
        /// The middle name.
        public var middleName: String
        /// The name prefix, such as a title.
        public var namePrefix: String
        /// The name suffix.
        public var nameSuffix: String

        /// A group of the given components; any may be empty.
        public init(familyName: String = "", givenName: String = "", middleName: String = "", namePrefix: String = "", nameSuffix: String = "") {
            self.familyName = familyName
            self.givenName = givenName
            self.middleName = middleName
            self.namePrefix = namePrefix
            self.nameSuffix = nameSuffix
        }

        /// Parses one group, `family^given^middle^prefix^suffix` with trailing components optional.
        /// Nil with more than five components or a `=` or `\` in the text.
        public init?(_ text: some StringProtocol) {
            guard !text.contains("="), !text.contains("\\") else { return nil }
            let parts = text.split(separator: Character("^"), omittingEmptySubsequences: false).map { String($0) }
            guard parts.count <= 5 else { return nil }
            let padded = parts + Array(repeating: "", count: 5 - parts.count)
            self.init(familyName: padded[0], givenName: padded[1], middleName: padded[2], namePrefix: padded[3], nameSuffix: padded[4])
        }

        /// The five components in order: family, given, middle, prefix, suffix.
        public var components: [String] { [familyName, givenName, middleName, namePrefix, nameSuffix] }

        /// Whether every component is empty.
        public var isEmpty: Bool { components.allSatisfy(\.isEmpty) }
    }

    /// The alphabetic (single-byte) group, the first.
    public var alphabetic: ComponentGroup
    /// The ideographic group, the second.
    public var ideographic: ComponentGroup
    /// The phonetic group, the third.
    public var phonetic: ComponentGroup

    /// A name of the given groups; any may be empty.
    public init(alphabetic: ComponentGroup = ComponentGroup(), ideographic: ComponentGroup = ComponentGroup(), phonetic: ComponentGroup = ComponentGroup()) {
        self.alphabetic = alphabetic
        self.ideographic = ideographic
        self.phonetic = phonetic
    }

    /// A name with only an alphabetic group of the given components.
    public init(familyName: String, givenName: String = "", middleName: String = "", namePrefix: String = "", nameSuffix: String = "") {
        self.init(alphabetic: ComponentGroup(familyName: familyName, givenName: givenName, middleName: middleName, namePrefix: namePrefix, nameSuffix: nameSuffix))
    }

    /// Parses one PN value. Trailing spaces and NULs (padding) are dropped. Nil with more than
    /// three groups, more than five components in a group, or a `\` (which separates values).
    public init?(_ text: some StringProtocol) {
        var text = Substring(text)
        while let last = text.last, last == " " || last == "\0" { text.removeLast() }
        let groups = text.split(separator: Character("="), omittingEmptySubsequences: false)
        guard groups.count <= 3 else { return nil }
        var parsed: [ComponentGroup] = []
        for group in groups {
            guard let components = ComponentGroup(group) else { return nil }
            parsed.append(components)
        }
        while parsed.count < 3 { parsed.append(ComponentGroup()) }
        self.init(alphabetic: parsed[0], ideographic: parsed[1], phonetic: parsed[2])
    }

    /// The three groups in order: alphabetic, ideographic, phonetic.
    public var componentGroups: [ComponentGroup] { [alphabetic, ideographic, phonetic] }

    /// Whether every component of every group is empty.
    public var isEmpty: Bool { componentGroups.allSatisfy(\.isEmpty) }
}

extension PersonName.ComponentGroup: CustomStringConvertible {
    /// The components joined by `^`, trailing empty ones and their delimiters left off.
    public var description: String {
        PersonName.joinedDroppingTrailingEmpty(components, separator: "^")
    }
}

extension PersonName: CustomStringConvertible {
    /// The PN form: groups joined by `=`, trailing empty components and groups and their
    /// delimiters left off (PS3.5 §6.2.1).
    public var description: String {
        PersonName.joinedDroppingTrailingEmpty(componentGroups.map(\.description), separator: "=")
    }

    static func joinedDroppingTrailingEmpty(_ parts: [String], separator: String) -> String {
        var parts = parts[...]
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        return parts.joined(separator: separator)
    }
}
