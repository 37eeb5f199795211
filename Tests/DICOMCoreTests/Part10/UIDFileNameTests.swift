import DICOMCore
import Testing

/// ``UIDFileName``: a peer's UID becomes a file name only when it is digits and dots.
@Suite("File names from received UIDs")
struct UIDFileNameTests {
    @Test("real UIDs are their own file names", arguments: [
        "1.2.840.10008.5.1.4.1.1.2",
        "2.25.148179758419080019080563060578182541283",
        "1.2.826.0.1.3680043.8.498.12345678901234567890123456789012345678",  // 64 characters
        "0",
        "1.02.3",  // a leading zero breaks PS3.5 §9.1 but is harmless in a name
    ])
    func accepted(uid: String) {
        #expect(UIDFileName.isSafe(uid))
        #expect(UIDFileName.fileName(for: uid) == uid)
    }

    @Test("anything but digits and single inner dots is refused", arguments: [
        "", "../x", "..", ".", "1.2/3", "/1.2", "1..2", ".1", "1.", "1.2\u{0}", "1.2 ", "1.2\n3", "1,2", "1.2a",
        "１.２",  // full-width digits
        String(repeating: "1", count: 65),
        "1." + String(repeating: "2", count: 63),
    ])
    func refused(uid: String) {
        #expect(!UIDFileName.isSafe(uid))
        #expect(UIDFileName.fileName(for: uid) == nil)
    }

    @Test("the 64-character limit is UID's")
    func limit() {
        #expect(UIDFileName.isSafe(String(repeating: "1", count: UID.maximumLength)))
        #expect(!UIDFileName.isSafe(String(repeating: "1", count: UID.maximumLength + 1)))
    }
}
