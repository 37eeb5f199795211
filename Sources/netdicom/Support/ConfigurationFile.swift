/// A line of a configuration file (dcmqrscp's, pynetdicom qrscp's) that cannot be used.
struct ConfigurationFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension StringProtocol {
    /// Without the leading and trailing characters among `characters`.
    func trimmed(of characters: String) -> String {
        let set = Set(characters)
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
