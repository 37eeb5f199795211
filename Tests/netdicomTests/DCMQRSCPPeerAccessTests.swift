import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing
@testable import netdicom

/// A dcmqrscp configuration's AETable: who may associate with which AE title, as dcmqrscp reads
/// and enforces it (checked against dcmqrscp itself in `QRSCPDCMQRSCPAccessTests`).
@Suite("dcmqrscp configuration: the AETable's peers")
struct DCMQRSCPPeerAccessTests {
    /// Peers by name, by tuple, by a name of names, mixed, and ANY.
    static let file = """
        NetworkTCPPort = 11112
        HostTable BEGIN
        friend1 = (FRIEND1, localhost, 11113)
        friend2 = (FRIEND2, 127.0.0.1, 11114)
        friends = friend1, friend2
        faraway = (FARAWAY, 192.0.2.1, 104)
        HostTable END
        VendorTable BEGIN
        "Friendly" = friends
        VendorTable END
        AETable BEGIN
        ARCHIVE  /data/archive  RW (9, 1024mb)  friends
        OPEN     /data/open     R  (9,1024mb)   ANY
        MIXED    /data/mixed    R  (9, 1024mb)  faraway, (TUPLEAE, localhost, 1)
        AETable END
        """

    @Test("every entry's peers: names expanded (names of names too), tuples as (AETitle, host, port), ANY")
    func readsPeers() throws {
        let configuration = try DCMQRSCPConfiguration(parsing: Self.file)
        let friend1 = DCMQRSCPConfiguration.Peer(aeTitle: "FRIEND1", host: "localhost", port: 11113)
        let friend2 = DCMQRSCPConfiguration.Peer(aeTitle: "FRIEND2", host: "127.0.0.1", port: 11114)
        let faraway = DCMQRSCPConfiguration.Peer(aeTitle: "FARAWAY", host: "192.0.2.1", port: 104)
        let tuple = DCMQRSCPConfiguration.Peer(aeTitle: "TUPLEAE", host: "localhost", port: 1)
        #expect(configuration.entries == [
            .init(aeTitle: "ARCHIVE", storage: "/data/archive", access: "RW", peers: .listed([friend1, friend2])),
            .init(aeTitle: "OPEN", storage: "/data/open", access: "R", peers: .any),
            .init(aeTitle: "MIXED", storage: "/data/mixed", access: "R", peers: .listed([faraway, tuple])),
        ])
        #expect(configuration.aeTitle == "ARCHIVE" && configuration.port == 11112)
        // The entry served: the one --ae-title names, else the first.
        #expect(configuration.entry(servedAs: "ARCHIVE")?.storage == "/data/archive")
        #expect(configuration.entry(servedAs: "OPEN")?.storage == "/data/open")
        #expect(configuration.entry(servedAs: "RENAMED")?.storage == "/data/archive")
        // The HostTable's tuples are the move destinations, as before.
        #expect(configuration.destinations.map(\.aeTitle) == ["FRIEND1", "FRIEND2", "FARAWAY"])
    }

    @Test("MaxPDUSize and MaxAssociations are read (flags override them); values that are none are refused with the line")
    func readsLimits() throws {
        let configuration = try DCMQRSCPConfiguration(parsing: "NetworkTCPPort = 104\nMaxPDUSize = 16384\nMaxAssociations = 16\n")
        #expect(configuration.maximumPDUSize == 16384 && configuration.maximumAssociations == 16)
        #expect(configuration.networkDefaults.maximumPDUSize == 16384)
        #expect(throws: (any Error).self) { try DCMQRSCPConfiguration(parsing: "MaxPDUSize = 100\n") }
        #expect(throws: (any Error).self) { try DCMQRSCPConfiguration(parsing: "MaxAssociations = none\n") }
    }

    @Test("the VendorTable: each vendor's name without its quotes, and the peers of its names (for -ZV)")
    func readsVendors() throws {
        let configuration = try DCMQRSCPConfiguration(parsing: Self.file)
        #expect(configuration.vendors.map(\.name) == ["Friendly"])
        #expect(configuration.vendors.first?.peers.map(\.aeTitle) == ["FRIEND1", "FRIEND2"])
        #expect(throws: (any Error).self) { try DCMQRSCPConfiguration(parsing: "VendorTable BEGIN\n\"Nobody\" = nobody\nVendorTable END\n") }
    }

    @Test("a name the HostTable has not defined above, an entry without peers, a tuple that is not (AETitle, host, port): refused with the line",
          arguments: [
            ("HostTable BEGIN\nall = friend1\nfriend1 = (FRIEND1, localhost, 1)\nHostTable END\n", "line 2", "\"friend1\" is not a name the HostTable defines above"),
            ("AETable BEGIN\nARCHIVE /data RW (9, 1024mb)\nAETable END\n", "line 2", "no peers (ANY, HostTable names or (AETitle, host, port))"),
            ("AETable BEGIN\nARCHIVE /data RW\nAETable END\n", "line 2", "is not \"AETitle StorageArea Access (maxStudies, maxBytesPerStudy) Peers\""),
            ("AETable BEGIN\nARCHIVE /data RW (9, 1024mb) nobody\nAETable END\n", "line 2", "\"nobody\" is not a name"),
            ("AETable BEGIN\nARCHIVE /data RW (9, 1024mb) (FRIEND, localhost)\nAETable END\n", "line 2", "is not (AETitle, host, port)"),
          ])
    func refusesBadLines(text: String, line: String, message: String) {
        #expect {
            _ = try DCMQRSCPConfiguration(parsing: text)
        } throws: { error in
            "\(error)".contains(line) && "\(error)".contains(message)
        }
    }

    @Test("called AE title ours, calling AE title and host among its entry's peers: in; anything else: out, with the reason")
    func decides() throws {
        let configuration = try DCMQRSCPConfiguration(parsing: Self.file)
        let access = DCMQRSCPPeerAccess(configuration, aeTitle: "ARCHIVE")
        // localhost resolves to the loopback address; a peer listed by address matches it too.
        #expect(access.refusal(calledAETitle: "ARCHIVE", callingAETitle: "FRIEND1", address: "127.0.0.1") == nil)
        #expect(access.refusal(calledAETitle: "ARCHIVE ", callingAETitle: "FRIEND2   ", address: "::ffff:127.0.0.1") == nil)
        #expect(access.refusal(calledAETitle: "ARCHIVE", callingAETitle: "STRANGER", address: "127.0.0.1")?
            .contains("STRANGER at 127.0.0.1 is not a peer of ARCHIVE") == true)
        // A peer's AE title from another host is not that peer.
        #expect(access.refusal(calledAETitle: "ARCHIVE", callingAETitle: "FRIEND2", address: "192.0.2.7") != nil)
        // The other entries are other storage areas, which qrscp does not serve.
        #expect(access.refusal(calledAETitle: "OPEN", callingAETitle: "STRANGER", address: "127.0.0.1")?
            .contains("OPEN is another storage area of the dcmqrscp configuration's AETable: qrscp serves ARCHIVE only") == true)
        #expect(access.refusal(calledAETitle: "NOSUCH", callingAETitle: "FRIEND1", address: "127.0.0.1")?
            .contains("the called AE title NOSUCH is not in the AETable") == true)
        // AE titles compare as dcmqrscp compares them: exactly.
        #expect(access.refusal(calledAETitle: "archive", callingAETitle: "FRIEND1", address: "127.0.0.1") != nil)
        #expect(access.refusal(calledAETitle: "ARCHIVE", callingAETitle: "friend1", address: "127.0.0.1") != nil)

        // Served as the other entries: anyone for ANY; names and tuples mixed.
        let open = DCMQRSCPPeerAccess(configuration, aeTitle: "OPEN")
        #expect(open.refusal(calledAETitle: "OPEN", callingAETitle: "STRANGER", address: "198.51.100.3") == nil)
        let mixed = DCMQRSCPPeerAccess(configuration, aeTitle: "MIXED")
        #expect(mixed.refusal(calledAETitle: "MIXED", callingAETitle: "FARAWAY", address: "192.0.2.1") == nil)
        #expect(mixed.refusal(calledAETitle: "MIXED", callingAETitle: "TUPLEAE", address: "127.0.0.1") == nil)
        #expect(mixed.refusal(calledAETitle: "MIXED", callingAETitle: "FRIEND1", address: "127.0.0.1") != nil)
    }

    @Test("an AE title the table does not name (--ae-title) has the first entry's peers; the entries' own titles are not served")
    func ourTitle() throws {
        let access = DCMQRSCPPeerAccess(try DCMQRSCPConfiguration(parsing: Self.file), aeTitle: "RENAMED")
        #expect(access.refusal(calledAETitle: "RENAMED", callingAETitle: "FRIEND1", address: "127.0.0.1") == nil)
        #expect(access.refusal(calledAETitle: "RENAMED", callingAETitle: "STRANGER", address: "127.0.0.1") != nil)
        #expect(access.refusal(calledAETitle: "ARCHIVE", callingAETitle: "FRIEND1", address: "127.0.0.1") != nil)
    }

    @Test("a read-only entry (Access R) refuses the contexts that bring C-STOREs, but not those proposed for the SCP role (C-GET), Verification, the Query/Retrieve models or Storage Commitment")
    func readOnly() throws {
        let configuration = try DCMQRSCPConfiguration(parsing: Self.file)
        let request = AAssociate(callingAETitle: "FRIEND1", calledAETitle: "OPEN", presentationContextDefinitionList: [
            PresentationContext(contextID: 1, abstractSyntax: .ctImageStorage),
            PresentationContext(contextID: 3, abstractSyntax: .mrImageStorage, scuRole: false, scpRole: true),
            PresentationContext(contextID: 5, abstractSyntax: .verification),
            PresentationContext(contextID: 7, abstractSyntax: .studyRootQueryRetrieveInformationModelFind),
            PresentationContext(contextID: 9, abstractSyntax: .storageCommitmentPushModel),
            PresentationContext(contextID: 11, abstractSyntax: UID("1.2.3.4.5.6")),
        ])
        let open = DCMQRSCPPeerAccess(configuration, aeTitle: "OPEN")
        #expect(open.isReadOnly)
        #expect(open.refusedContexts(of: request) == [1, 11])
        let archive = DCMQRSCPPeerAccess(configuration, aeTitle: "ARCHIVE")
        #expect(!archive.isReadOnly && archive.refusedContexts(of: request).isEmpty)
    }

    @Test("a configuration without an AETable enforces nothing")
    func noTable() throws {
        let access = DCMQRSCPPeerAccess(try DCMQRSCPConfiguration(parsing: "NetworkTCPPort = 104\nHostTable BEGIN\nHostTable END\n"), aeTitle: "QRSCP")
        #expect(access.isEmpty)
    }
}
