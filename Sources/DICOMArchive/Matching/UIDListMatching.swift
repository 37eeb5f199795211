/// List of UID Matching (PS3.4 §C.2.2.2.2): a UI key of several UIDs separated by `\`; "Each UID
/// in the list contained in the Identifier of the request may generate a match."
enum UIDListMatching {
    /// Whether the stored UID `value` is one of `uids`. UIDs compare exactly: they hold digits and
    /// dots only (PS3.5 §9.1), so there is no case to fold.
    static func matches(_ uids: [String], value: String) -> Bool {
        uids.contains(value)
    }
}
