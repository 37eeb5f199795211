extension UIDRegistry {
    /// One row of PS3.6 Table A-1.
    public struct Entry: Hashable, Sendable {
        /// The registered UID.
        public let uid: UID
        /// The name, such as "CT Image Storage" (empty for the two retired rows PS3.6 leaves
        /// unnamed).
        public let name: String
        /// The keyword, such as "CTImageStorage"; `nil` when the registry gives none.
        public let keyword: String?
        /// What the UID identifies.
        public let type: UIDType
        /// Whether the standard has retired the UID.
        public let isRetired: Bool

        /// Creates an entry.
        public init(uid: UID, name: String, keyword: String?, type: UIDType, isRetired: Bool = false) {
            self.uid = uid
            self.name = name
            self.keyword = keyword
            self.type = type
            self.isRetired = isRetired
        }

        /// Whether the UID is a Storage SOP Class of PS3.4 Annex B (see
        /// ``UIDRegistry/storageSOPClasses``).
        public var isStorageSOPClass: Bool {
            type == .sopClass && Self.namesStorageSOPClass(name)
        }

        /// Whether a SOP Class named `name` is a Storage SOP Class.
        static func namesStorageSOPClass(_ name: String) -> Bool {
            // "Digital X-Ray Image Storage - For Presentation": the variant after " - " aside,
            // and the " SOP Class" of a few old names, the name ends in the word "Storage".
            // "Storage Commitment Push Model SOP Class" does not.
            var words = name.split(separator: " ")
            if let dash = words.firstIndex(of: "-") {
                words.removeSubrange(dash...)
            }
            if words.suffix(2) == ["SOP", "Class"] {
                words.removeLast(2)
            }
            return words.last == "Storage"
        }
    }
}
