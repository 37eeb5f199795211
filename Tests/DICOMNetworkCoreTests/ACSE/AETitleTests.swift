import DICOMNetworkCore
import Testing

@Suite("AE title rules (PS3.5 §6.2 AE, PS3.8 Table 9-11)")
struct AETitleTests {
    @Test(
        "valid titles",
        arguments: ["A", "STORESCP", "ANY-SCP", "1234567890123456", " PADDED ", "with space", "lower_case.1", "~!@#$%^&*()"]
    )
    func valid(title: String) throws {
        #expect(AETitle.isValid(title))
        try AETitle.validate(title)
    }

    @Test(
        "invalid titles",
        arguments: [
            ("", "is empty"),
            ("12345678901234567", "is 17 characters, more than 16"),
            ("                ", "is all spaces"),
            (" ", "is all spaces"),
            ("BACK\\SLASH", "holds a backslash"),
            ("TAB\tHERE", "holds the control character 0x9"),
            ("NEW\nLINE", "holds the control character 0xA"),
            ("ESC\u{1B}", "holds the control character 0x1B"),
            ("DEL\u{7F}", "holds the control character 0x7F"),
            ("NUL\u{0}", "holds the control character 0x0"),
            ("CAFÉ", "holds the non-ASCII character U+C9"),
        ]
    )
    func invalid(title: String, problem: String) {
        #expect(!AETitle.isValid(title))
        let error = #expect(throws: ACSEError.self) { try AETitle.validate(title) }
        #expect(error?.code == .invalidAETitle)
        #expect(error?.reason.contains(problem) == true, "\(error?.reason ?? "")")
    }

    @Test(
        "leading and trailing spaces are not significant; case is",
        arguments: [
            ("STORE", "STORE", true),
            ("STORE", "  STORE  ", true),
            ("STORE ", "STORE", true),
            ("STORE", "store", false),
            ("STO RE", "STORE", false),
            ("STORE", "STORE2", false),
        ]
    )
    func matching(lhs: String, rhs: String, matches: Bool) {
        #expect(AETitle.matches(lhs, rhs) == matches)
    }

    @Test("significant part drops only outer spaces")
    func significant() {
        #expect(AETitle.significant("  A B  ") == "A B")
        #expect(AETitle.significant("    ") == "")
    }
}
