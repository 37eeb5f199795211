import Testing
@testable import netdicom

/// storescp --exec-on-reception's placeholders and the cleaning of the peer's values.
@Suite("storescp --exec-on-reception")
struct ReceptionCommandTests {
    @Test("placeholders are replaced in one pass; other # are kept")
    func substitution() {
        let values: [Character: String] = ["p": "/data/#a", "f": "1.2.3.dcm", "a": "MODALITY"]
        #expect(ReceptionCommand.substitute("run #p/#f for #a", values) == "run /data/#a/1.2.3.dcm for MODALITY")
        #expect(ReceptionCommand.substitute("# comment #x ends with #", values) == "# comment #x ends with #")
        // "##" is a kept "#" followed by "#f".
        #expect(ReceptionCommand.substitute("##f", values) == "##f")
    }

    @Test("the peer's values keep letters, digits and . _ - : only")
    func safe() {
        #expect(ReceptionCommand.safe("A;echo $(id) `x` \"q\" 'r'|&>") == "A_echo___id___x___q___r____")
        #expect(ReceptionCommand.safe("CT-SCANNER_1.2") == "CT-SCANNER_1.2")
        #expect(ReceptionCommand.safe("127.0.0.1:4242") == "127.0.0.1:4242")
        #expect(ReceptionCommand.safe("::1") == "::1")
        #expect(ReceptionCommand.safe("ÉTAGE") == "_TAGE")
    }

    @Test("#p is the file's directory as written: relative under a relative -od, as DCMTK's and as -xcs's")
    func directoryAsWritten() {
        #expect(ReceptionCommand.split("in/1.2.3.dcm") == ("in", "1.2.3.dcm"))
        #expect(ReceptionCommand.split("in/study/1.2.3.dcm") == ("in/study", "1.2.3.dcm"))
        #expect(ReceptionCommand.split("/data/in/1.2.3.dcm") == ("/data/in", "1.2.3.dcm"))
        #expect(ReceptionCommand.split("1.2.3.dcm") == (".", "1.2.3.dcm"))
        #expect(ReceptionCommand.split("/1.2.3.dcm") == ("/", "1.2.3.dcm"))
    }
}
