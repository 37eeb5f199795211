import Foundation
import TestSupport

/// A small, private file system for a server to fill: a tmpfs mounted by `unshare` in a mount
/// namespace of the server's own, so that neither root on the host nor a disk of the machine's
/// is needed, and nothing outside sees it. The server's files are read through
/// `/proc/PID/root`, its view of the world.
enum FullDisk {
    /// `unshare`'s options that give a process a mount namespace it may mount in here: as root,
    /// a mount namespace; otherwise a user namespace too. Nil when neither works.
    static let unshareOptions: [String]? = {
        guard let unshare = ExternalTools.executable("unshare") else { return nil }
        for options in [["--mount"], ["--map-root-user", "--mount"]] {
            let probe = try? ExternalTools.run(unshare, options + ["sh", "-c", "mount -t tmpfs -o size=64k tmpfs /tmp"])
            if probe?.status == 0 { return options }
        }
        return nil
    }()

    /// Whether a server can be given a full disk here.
    static var isAvailable: Bool { unshareOptions != nil }

    /// `executable arguments`, run with a tmpfs of `size` (as mount(8) takes it: "3m") mounted
    /// at `directory`.
    static func serve(_ executable: String, _ arguments: [String], at directory: String, size: String) throws -> PeerProcess {
        guard let options = unshareOptions, let unshare = ExternalTools.executable("unshare") else {
            throw ExternalTools.MissingTool(name: "unshare with mount namespaces")
        }
        // sh mounts, then execs the server: the process the test holds is the server itself.
        return try PeerProcess(unshare, options + [
            "sh", "-c", "mount -t tmpfs -o size=\(size) tmpfs \"$0\" && exec \"$@\"", directory, executable,
        ] + arguments)
    }

    /// The path of `path` as the server `peer` sees it.
    static func path(_ path: String, seenBy peer: PeerProcess) -> String {
        "/proc/\(peer.process.processIdentifier)/root\(path)"
    }
}
