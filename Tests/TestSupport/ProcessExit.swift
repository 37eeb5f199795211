public import Foundation

extension Process {
    /// The exit status once the process has exited; nil while it runs.
    ///
    /// Foundation's Process learns of an exit from SIGCHLD, and it can miss one when several
    /// children start and end together (seen in the two-node qrscp test: a node that had exited
    /// stayed a zombie, `isRunning` stayed true, and `waitUntilExit` never returned, hanging the
    /// test run). A zombie is therefore recognised from /proc, with the status the kernel keeps
    /// for it.
    ///
    /// A zombie is given 200 ms for Foundation to reap it first, as it nearly always does: only a
    /// reaped child counts in this process's RUSAGE_CHILDREN, and Foundation's own state then
    /// agrees.
    public var exitStatus: Int32? {
        if !isRunning { return terminationStatus }
        guard let status = Self.zombieStatus(of: processIdentifier) else { return nil }
        for _ in 0..<40 where isRunning { usleep(5_000) }
        return isRunning ? status : terminationStatus
    }

    /// Waits, polling, until the process has exited (``exitStatus``), and returns its status:
    /// `waitUntilExit` without the hang.
    public func waitForExitStatus() -> Int32 {
        while true {
            if let status = exitStatus { return status }
            usleep(5_000)
        }
    }

    /// The exit status of `pid` if it is a zombie: field 52 of /proc/PID/stat is the status
    /// waitpid(2) would report (Linux 3.5 and later), from which the exit code or signal is taken
    /// as `terminationStatus` gives them.
    public static func zombieStatus(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name (which may hold spaces): field 3, the state, onwards.
        let fields = stat[stat.index(after: close)...].split { $0 == " " || $0 == "\n" }
        guard fields.first == "Z", fields.count > 49, let code = Int32(fields[49]) else { return nil }
        return code & 0x7F == 0 ? (code >> 8) & 0xFF : code & 0x7F
    }
}
