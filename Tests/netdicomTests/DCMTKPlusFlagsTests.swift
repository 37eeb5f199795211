import ArgumentParser
import DICOMCore
import Testing
@testable import netdicom

/// DCMTK's "+" flags that ask for what a subcommand always does are dropped before parsing.
@Suite("DCMTK + flags")
struct DCMTKPlusFlagsTests {
    @Test("storescu drops +sd, +r and their long forms, up to --")
    func storescu() {
        let arguments = ["netdicom", "storescu", "+sd", "+r", "-aet", "A", "--recurse", "127.0.0.1", "104", "dir", "--", "+r"]
        #expect(DCMTKPlusFlags.dropAccepted(from: arguments) == ["netdicom", "storescu", "-aet", "A", "127.0.0.1", "104", "dir", "--", "+r"])
    }

    @Test("storescu drops -nh, -R and pynetdicom's -r; storescp drops +xa, +B and --fork")
    func noHaltAndAcceptAll() {
        let storescu = ["netdicom", "storescu", "-nh", "-R", "-r", "--no-halt", "127.0.0.1", "104", "f.dcm"]
        #expect(DCMTKPlusFlags.dropAccepted(from: storescu) == ["netdicom", "storescu", "127.0.0.1", "104", "f.dcm"])
        let storescp = ["netdicom", "storescp", "+xa", "+B", "--fork", "-od", "/tmp/in", "11112"]
        #expect(DCMTKPlusFlags.dropAccepted(from: storescp) == ["netdicom", "storescp", "-od", "/tmp/in", "11112"])
    }

    @Test("movescu's +P N becomes --store-port N, up to --")
    func movescuPort() {
        let arguments = ["netdicom", "movescu", "+P", "11113", "-aem", "ME", "127.0.0.1", "104", "--", "+P"]
        #expect(DCMTKPlusFlags.dropAccepted(from: arguments) == ["netdicom", "movescu", "--store-port", "11113", "-aem", "ME", "127.0.0.1", "104", "--", "+P"])
    }

    @Test("getscu's +xs, +xr, +x= become their long names; dump drops +E")
    func getscuPreferences() throws {
        let arguments = ["netdicom", "getscu", "+xs", "-k", "PatientID=1", "127.0.0.1", "104"]
        #expect(DCMTKPlusFlags.dropAccepted(from: arguments) == ["netdicom", "getscu", "--prefer-lossless", "-k", "PatientID=1", "127.0.0.1", "104"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "getscu", "+xr"]) == ["netdicom", "getscu", "--prefer-rle"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "getscu", "+x="]) == ["netdicom", "getscu", "--prefer-uncompr"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "dump", "+E", "f.dcm"]) == ["netdicom", "dump", "f.dcm"])
        let parsed = try GetSCU.parse(["--prefer-j2k-lossless", "127.0.0.1", "104"])
        #expect(parsed.transferSyntaxes.preference.compressed == .jpeg2000Lossless)
        #expect(parsed.transferSyntaxes.preference.uncompressed.first == .explicitVRLittleEndian)
        #expect(try GetSCU.parse(["--implicit", "127.0.0.1", "104"]).transferSyntaxes.preference.uncompressed == [.implicitVRLittleEndian])
        #expect(try GetSCU.parse(["127.0.0.1", "104"]).asyncWindow == 8)
    }

    @Test("storescu drops DCMTK's proposed syntaxes (-xs, -xv, --propose-rle…): it proposes each file's own; -xi stays, an option of its own")
    func storescuProposals() throws {
        let arguments = ["netdicom", "storescu", "-xs", "--propose-rle", "-x=", "127.0.0.1", "104", "f.dcm"]
        #expect(DCMTKPlusFlags.dropAccepted(from: arguments) == ["netdicom", "storescu", "127.0.0.1", "104", "f.dcm"])
        // -xi is an option of its own, under DCMTK's and pynetdicom's names.
        for name in ["-xi", "--propose-implicit", "--request-implicit"] {
            let kept = DCMTKPlusFlags.dropAccepted(from: ["netdicom", "storescu", name, "127.0.0.1", "104", "f.dcm"])
            #expect(kept == ["netdicom", "storescu", name, "127.0.0.1", "104", "f.dcm"])
            #expect(try StoreSCU.parse(Array(kept.dropFirst(2))).proposeImplicit)
        }
    }

    @Test("storescp, qrscp and movescu (its Storage SCP) take DCMTK's preferred network syntaxes (+xs, +xi…) under their long names")
    func storageSCPPreferences() throws {
        let storescp = ["netdicom", "storescp", "+xs", "-od", "/tmp/in", "11112"]
        let renamed = DCMTKPlusFlags.dropAccepted(from: storescp)
        #expect(renamed == ["netdicom", "storescp", "--prefer-lossless", "-od", "/tmp/in", "11112"])
        #expect(try StoreSCP.parse(Array(renamed.dropFirst(2))).transferSyntaxes.preference == .lossless)
        #expect(try StoreSCP.parse(["11112"]).transferSyntaxes.preference == nil)
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "qrscp", "+xi", "11112"]) == ["netdicom", "qrscp", "--implicit", "11112"])
        #expect(StorageTransferSyntaxPreference.implicit.acceptedSyntaxes == [.implicitVRLittleEndian])
        #expect(StorageTransferSyntaxPreference.big.acceptedSyntaxes.prefix(2) == [.explicitVRBigEndian, .explicitVRLittleEndian])
        #expect(StorageTransferSyntaxPreference.lossless.acceptedSyntaxes.first == TransferSyntax.jpegLosslessSV1.uid)
        #expect(Set(StorageTransferSyntaxPreference.lossless.acceptedSyntaxes) == Set(TransferSyntax.allKnown.map(\.uid)))
        let movescu = ["netdicom", "movescu", "+xv", "+B", "-xe", "+P", "11113", "-aem", "ME", "127.0.0.1", "104"]
        let movescuRenamed = DCMTKPlusFlags.dropAccepted(from: movescu)
        #expect(movescuRenamed == ["netdicom", "movescu", "--prefer-j2k-lossless", "--store-port", "11113", "-aem", "ME", "127.0.0.1", "104"])
        #expect(try MoveSCU.parse(Array(movescuRenamed.dropFirst(2))).transferSyntaxes.preference == .j2kLossless)
        let getscu = ["netdicom", "getscu", "+B", "-dhl", "+xs", "127.0.0.1", "104"]
        #expect(DCMTKPlusFlags.dropAccepted(from: getscu) == ["netdicom", "getscu", "--prefer-lossless", "127.0.0.1", "104"])
    }

    @Test("storescp drops -dhl (else read as -d -h -l, which prints the help); movescu drops -pi, -pr and --no-port")
    func hostLookupAndPending() throws {
        let storescp = ["netdicom", "storescp", "-dhl", "--disable-host-lookup", "-od", "/tmp/in", "11112"]
        let dropped = DCMTKPlusFlags.dropAccepted(from: storescp)
        #expect(dropped == ["netdicom", "storescp", "-od", "/tmp/in", "11112"])
        #expect(try StoreSCP.parse(Array(dropped.dropFirst(2))).port == 11112)
        let movescu = ["netdicom", "movescu", "-pi", "-pr", "--pending-read", "--no-port", "127.0.0.1", "104"]
        #expect(DCMTKPlusFlags.dropAccepted(from: movescu) == ["netdicom", "movescu", "127.0.0.1", "104"])
    }

    @Test("storescu drops pynetdicom's --request-little, -cx…; echoscp and storescp take its preferred syntaxes -xe, -xb, -xi under their long names")
    func pynetdicomNames() {
        let storescu = ["netdicom", "storescu", "--request-little", "-cx", "--required-contexts", "127.0.0.1", "104", "f.dcm"]
        #expect(DCMTKPlusFlags.dropAccepted(from: storescu) == ["netdicom", "storescu", "127.0.0.1", "104", "f.dcm"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "echoscp", "-xb", "11112"]) == ["netdicom", "echoscp", "--prefer-big", "11112"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "storescp", "-xi", "11112"]) == ["netdicom", "storescp", "--implicit", "11112"])
    }

    @Test("DCMTK's TLS options: +tls KEY CERT, +cf, +tla; -ic for a requestor, -rc for an acceptor; -tls and -pem dropped")
    func tlsOptions() throws {
        let storescu = ["netdicom", "storescu", "+tls", "k.pem", "c.pem", "-pem", "+cf", "ca.pem", "-ic", "127.0.0.1", "104", "f.dcm"]
        #expect(DCMTKPlusFlags.dropAccepted(from: storescu) == [
            "netdicom", "storescu", "--tls", "--tls-key", "k.pem", "--tls-cert", "c.pem", "--tls-ca", "ca.pem", "--tls-no-verify",
            "127.0.0.1", "104", "f.dcm",
        ])
        let storescp = ["netdicom", "storescp", "--enable-tls", "k.pem", "c.pem", "--add-cert-file", "ca.pem", "-rc", "-tls", "11112"]
        let dropped = DCMTKPlusFlags.dropAccepted(from: storescp)
        #expect(dropped == ["netdicom", "storescp", "--tls", "--tls-key", "k.pem", "--tls-cert", "c.pem", "--tls-ca", "ca.pem", "--tls-require-client-cert", "11112"])
        let parsed = try StoreSCP.parse(Array(dropped.dropFirst(2)))
        #expect(parsed.tls.enabled && parsed.tls.key == "k.pem" && parsed.tls.certificate == "c.pem" && parsed.tls.requireClientCertificate)
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "echoscu", "+tla", "-rc", "h", "1"]) == ["netdicom", "echoscu", "--tls", "h", "1"])
        // dump has no TLS: its words stay.
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "dump", "+tls", "a", "b"]) == ["netdicom", "dump", "+tls", "a", "b"])
    }

    @Test("findscu and getscu drop DCMTK's proposed request syntaxes (-x=, -xi…)")
    func requestSyntaxes() {
        let findscu = ["netdicom", "findscu", "-xi", "-S", "-k", "PatientID=1", "127.0.0.1", "104"]
        #expect(DCMTKPlusFlags.dropAccepted(from: findscu) == ["netdicom", "findscu", "-S", "-k", "PatientID=1", "127.0.0.1", "104"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "getscu", "--propose-little"]) == ["netdicom", "getscu"])
    }

    @Test("other subcommands, and storescu's other + words, are left alone")
    func othersUntouched() {
        let findscu = ["netdicom", "findscu", "+sd", "127.0.0.1", "104"]
        #expect(DCMTKPlusFlags.dropAccepted(from: findscu) == findscu)
        let unknown = ["netdicom", "storescu", "+xy", "127.0.0.1", "104", "f.dcm"]
        #expect(DCMTKPlusFlags.dropAccepted(from: unknown) == unknown)
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom"]) == ["netdicom"])
    }
}
