import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `Process.exitStatus` sees a child that has exited even when nothing has reaped it (what
/// Foundation's Process can miss), from the status the kernel keeps for the zombie.
@Suite("Exit status of a child nothing has reaped")
struct ProcessExitTests {
    @Test("a zombie's exit code and a killed zombie's signal are read from /proc; a running child has none")
    func zombies() throws {
        for (script, expected) in [("exit 3", Int32(3)), ("kill -9 $$", Int32(SIGKILL)), ("sleep 5", nil)] {
            var pid: pid_t = 0
            let arguments = ["/bin/sh", "-c", script]
            var argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            #expect(posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0)
            var seen: Int32?
            for _ in 0..<200 {
                seen = Process.zombieStatus(of: pid)
                if seen != nil || expected == nil { break }
                usleep(10_000)
            }
            #expect(seen == expected, "\(script)")
            if expected == nil { kill(pid, SIGKILL) }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}
