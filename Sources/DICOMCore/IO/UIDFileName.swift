/// File names made from UIDs a peer sent, such as the SOP Instance UID of a received C-STORE.
///
/// A UID is 1–64 characters of digits and dots (PS3.5 §9.1). Anything else is refused rather than
/// escaped: a peer's UID then can never become `..`, contain a `/` or a control character, or name
/// a hidden file, whatever it sends.
public enum UIDFileName {
    /// The file name for `uid`: the UID itself, or nil when it is not safe as one (see
    /// ``isSafe(_:)``). Strip the NUL or space padding of an encoded UI value first (``UID``
    /// does): padding is refused.
    public static func fileName(for uid: String) -> String? {
        isSafe(uid) ? uid : nil
    }

    /// Whether `uid` is safe as a file name: 1–64 characters (``UID/maximumLength``), only ASCII
    /// digits and dots, neither first nor last a dot, no two dots in a row.
    ///
    /// The rules of PS3.5 §9.1 that do not bear on safety (no leading zero in a component) are
    /// not checked, so that a sloppy peer's instances are still stored.
    public static func isSafe(_ uid: String) -> Bool {
        let bytes = uid.utf8
        guard !bytes.isEmpty, bytes.count <= UID.maximumLength,
              bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".")
        else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                break
            case UInt8(ascii: ".") where previous != UInt8(ascii: "."):
                break
            default:
                return false
            }
            previous = byte
        }
        return true
    }
}
