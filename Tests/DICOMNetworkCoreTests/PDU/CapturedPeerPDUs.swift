/// PDUs captured from real peers on 127.0.0.1 (see CapturedPeerPDUTests). The hex is exactly what
/// arrived on the socket; scripts: a Python listener that records the first PDU and answers with
/// an A-ASSOCIATE-RJ, and a Python requestor that replays a captured -RQ and records the -AC.
enum CapturedPeerPDUs {
    /// The A-ASSOCIATE-RQ of DCMTK 3.6.7 `echoscu 127.0.0.1 PORT` (default options), as
    /// received by a plain socket listener. Note byte 105 (69H): DCMTK sends FFH in a reserved byte
    /// of the Presentation Context Item (PS3.8 Table 9-13, byte 7).
    static let dcmtkEchoSCUAssociateRQ = PDUTest.bytes(hex: """
        0100 0000 00cd 0001 0000 414e 592d 5343
        5020 2020 2020 2020 2020 4543 484f 5343
        5520 2020 2020 2020 2020 0000 0000 0000
        0000 0000 0000 0000 0000 0000 0000 0000
        0000 0000 0000 0000 0000 1000 0015 312e
        322e 3834 302e 3130 3030 382e 332e 312e
        312e 3120 0000 2e01 00ff 0030 0000 1131
        2e32 2e38 3430 2e31 3030 3038 2e31 2e31
        4000 0011 312e 322e 3834 302e 3130 3030
        382e 312e 3250 0000 3a51 0000 0400 0040
        0052 0000 1b31 2e32 2e32 3736 2e30 2e37
        3233 3030 3130 2e33 2e30 2e33 2e36 2e37
        5500 000f 4f46 4649 535f 4443 4d54 4b5f
        3336 37
        """)

    /// The A-ASSOCIATE-RQ of pynetdicom 3.0.4 `python -m pynetdicom echoscu 127.0.0.1 PORT`:
    /// four transfer syntaxes and a Maximum-length-received of 16382.
    static let pynetdicomEchoSCUAssociateRQ = PDUTest.bytes(hex: """
        0100 0000 0119 0001 0000 414e 592d 5343
        5020 2020 2020 2020 2020 4543 484f 5343
        5520 2020 2020 2020 2020 0000 0000 0000
        0000 0000 0000 0000 0000 0000 0000 0000
        0000 0000 0000 0000 0000 1000 0015 312e
        322e 3834 302e 3130 3030 382e 332e 312e
        312e 3120 0000 7601 0000 0030 0000 1131
        2e32 2e38 3430 2e31 3030 3038 2e31 2e31
        4000 0013 312e 322e 3834 302e 3130 3030
        382e 312e 322e 3140 0000 1131 2e32 2e38
        3430 2e31 3030 3038 2e31 2e32 4000 0016
        312e 322e 3834 302e 3130 3030 382e 312e
        322e 312e 3939 4000 0013 312e 322e 3834
        302e 3130 3030 382e 312e 322e 3250 0000
        3e51 0000 0400 003f fe52 0000 2031 2e32
        2e38 3236 2e30 2e31 2e33 3638 3030 3433
        2e39 2e33 3831 312e 332e 302e 3455 0000
        0e50 594e 4554 4449 434f 4d5f 3330 34
        """)

    /// The A-ASSOCIATE-AC of DCMTK 3.6.7 `storescp PORT` answering
    /// ``dcmtkEchoSCUAssociateRQ``.
    static let dcmtkStoreSCPAssociateAC = PDUTest.bytes(hex: """
        0200 0000 00b8 0001 0000 414e 592d 5343
        5020 2020 2020 2020 2020 4543 484f 5343
        5520 2020 2020 2020 2020 0000 0000 0000
        0000 0000 0000 0000 0000 0000 0000 0000
        0000 0000 0000 0000 0000 1000 0015 312e
        322e 3834 302e 3130 3030 382e 332e 312e
        312e 3121 0000 1901 0000 0040 0000 1131
        2e32 2e38 3430 2e31 3030 3038 2e31 2e32
        5000 003a 5100 0004 0000 4000 5200 001b
        312e 322e 3237 362e 302e 3732 3330 3031
        302e 332e 302e 332e 362e 3755 0000 0f4f
        4646 4953 5f44 434d 544b 5f33 3637
        """)

    /// The A-ASSOCIATE-AC of pynetdicom 3.0.4 `python -m pynetdicom echoscp PORT` answering
    /// ``pynetdicomEchoSCUAssociateRQ``: it picks Implicit VR Little Endian though Explicit VR
    /// Little Endian was offered first.
    static let pynetdicomEchoSCPAssociateAC = PDUTest.bytes(hex: """
        0200 0000 00bc 0001 0000 414e 592d 5343
        5020 2020 2020 2020 2020 4543 484f 5343
        5520 2020 2020 2020 2020 0000 0000 0000
        0000 0000 0000 0000 0000 0000 0000 0000
        0000 0000 0000 0000 0000 1000 0015 312e
        322e 3834 302e 3130 3030 382e 332e 312e
        312e 3121 0000 1901 0000 0040 0000 1131
        2e32 2e38 3430 2e31 3030 3038 2e31 2e32
        5000 003e 5100 0004 0000 3ffe 5200 0020
        312e 322e 3832 362e 302e 312e 3336 3830
        3034 332e 392e 3338 3131 2e33 2e30 2e34
        5500 000e 5059 4e45 5444 4943 4f4d 5f33
        3034
        """)

    /// The A-RELEASE-RP both peers answered an A-RELEASE-RQ with.
    static let releaseRP = PDUTest.bytes(hex: "0600 0000 0004 0000 0000")
}
