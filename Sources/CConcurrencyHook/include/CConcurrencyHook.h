#ifndef NETDICOM_CONCURRENCY_HOOK_H
#define NETDICOM_CONCURRENCY_HOOK_H

/// The address of the Swift runtime's global-enqueue hook, `swift_task_enqueueGlobal_hook`:
/// the function pointer through which Swift Concurrency hands every job without an executor of
/// its own to the global executor.
///
/// SwiftNIO finds this variable with `dlsym`, which works only when the runtime is a shared
/// library: the release `netdicom` links the runtime statically (with `--exclude-libs ALL`), so
/// the symbol is not in its dynamic table and NIO's takeover of the global executor silently
/// failed. Referenced here, it is resolved by the static linker instead.
void *_Nullable *_Nonnull netdicom_concurrency_enqueue_global_hook(void);

#endif
