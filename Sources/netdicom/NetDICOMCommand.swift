import ArgumentParser

/// The `netdicom` tool: one binary whose subcommands mirror DCMTK's and pynetdicom's apps.

struct NetDICOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netdicom",
        abstract: "DICOM networking and files: verify, store, query and retrieve, run an archive, dump files.",
        discussion: """
            Each subcommand mirrors the DCMTK or pynetdicom application of the same name and takes \
            compatible flags where it can. Run `netdicom help SUBCOMMAND` for its options.
            """,
        version: "0.1.0",
        subcommands: [Dump.self, EchoSCU.self, EchoSCP.self, StoreSCU.self, StoreSCP.self, FindSCU.self, GetSCU.self, MoveSCU.self, QRSCP.self]
    )
}
