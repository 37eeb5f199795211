import DICOMCore

/// Empty Value Matching (PS3.4 §C.2.2.2.7, with Extended Negotiation): a key of two QUOTATION
/// MARK characters asks for the entities whose attribute has no value, so that an SCU can find
/// what lacks, say, an Accession Number, which Universal Matching cannot single out.
enum EmptyValueMatching {
    /// The key value that asks for Empty Value Matching: two QUOTATION MARKs.
    static let keyValue = "\"\""

    /// Whether `candidate` has no value for `tag`: absent, zero length, only padding or empty
    /// values, or a sequence without items.
    static func isEmpty(_ tag: Tag, in candidate: DataSet) -> Bool {
        guard let element = candidate[tag] else { return true }
        if let items = element.items {
            return items.isEmpty
        }
        return AttributeText.values(of: tag, in: candidate).isEmpty
    }
}
