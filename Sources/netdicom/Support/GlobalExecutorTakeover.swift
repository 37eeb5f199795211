import CConcurrencyHook
import NIOCore
import NIOPosix

/// Makes NIO's event loops Swift Concurrency's global executor, so that a task woken by a socket
/// event goes on on the thread that read it instead of hopping to the concurrency pool and back.
///
/// ``NIOSingletons/unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()``
/// finds the runtime's enqueue hook with `dlsym`, which succeeds in a debug build (the runtime is
/// a shared library) but not in the release binary, which links the runtime statically and hides
/// its symbols: there the takeover failed without a word, and the tests (debug) and the tool
/// (release) scheduled tasks differently. When NIO's way fails, the hook is reached through
/// `CConcurrencyHook`, whose reference the static linker resolves, and set to what NIO sets.
enum GlobalExecutorTakeover {
    /// The hook's type in the runtime: a Swift function of the job and the default enqueue.
    private typealias EnqueueHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the takeover; whether the global executor is now NIO's. Call once, from the
    /// main thread, before any task is started.
    @discardableResult
    static func install() -> Bool {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() { return true }
        let slot = netdicom_concurrency_enqueue_global_hook()
        // Someone else's hook: leave it.
        guard slot.pointee == nil else { return false }
        return withUnsafeTemporaryAllocation(of: EnqueueHook.self, capacity: 1) { hook in
            // `any()` is the current loop when called on one of the group's threads.
            hook.baseAddress!.initialize(to: { job, _ in
                MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
            })
            // A thin function value is its entry point: the pointer the runtime calls through.
            slot.pointee = hook.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 1) { $0.pointee }
            return slot.pointee != nil
        }
    }
}
