import NIOCore

/// Runs a task's jobs on one channel's event loop.
///
/// An association's own task (reading indications, routing responses, answering C-ECHO) prefers
/// its channel's event loop, so a request read from the socket is answered on the thread that
/// read it: no hop to the concurrency pool and back for each message, which is most of the cost
/// of a small operation. Work that may block (user handlers, file I/O) is run on the global
/// concurrent executor with ``offLoop(_:)``.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

/// Runs `body` on the global concurrent executor: for user handlers and blocking work called
/// from an association's task, which runs on an event loop.
func offLoop<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
    await withTaskExecutorPreference(globalConcurrentExecutor, operation: body)
}
