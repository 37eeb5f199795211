internal import DICOMCore

extension UID {
    /// Throws ``ACSEError/Code/invalidUID`` unless the UID is 1 to 64 characters (PS3.5 §9.1).
    ///
    /// Only the length is enforced, as pynetdicom does by default: peers use UIDs with leading
    /// zeros and other slips, and refusing them helps nobody; ``UID/isValid`` tells them apart.
    func validateForACSE(_ what: String, file: String = #fileID, line: UInt = #line) throws(ACSEError) {
        let count = string.utf8.count
        guard count > 0 else {
            throw ACSEError(.invalidUID, reason: "\(what) is empty (PS3.5 §9.1)", file: file, line: line)
        }
        guard count <= UID.maximumLength else {
            throw ACSEError(
                .invalidUID,
                reason: "\(what) \"\(messageText)\" is \(count) characters, more than \(UID.maximumLength) (PS3.5 §9.1)",
                file: file,
                line: line
            )
        }
    }

    /// "Verification SOP Class (1.2.840.10008.1.1)", or the bare UID when it is not registered.
    var nameAndValue: String {
        if let name = UIDRegistry.name(for: self) { "\(name) (\(string))" } else { string }
    }
}
