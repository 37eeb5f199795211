#include "CConcurrencyHook.h"

// Defined by libswift_Concurrency, shared or static: a pointer to a Swift function, stored here
// as an untyped pointer of the same size.
extern void *swift_task_enqueueGlobal_hook;

void *_Nullable *_Nonnull netdicom_concurrency_enqueue_global_hook(void) {
    return &swift_task_enqueueGlobal_hook;
}
