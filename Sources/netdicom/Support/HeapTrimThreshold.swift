#if canImport(Glibc)
import Glibc
#endif

/// Raises glibc's heap trim threshold for the process, so that freed memory up to ``bytes``
/// stays in the heap instead of going back to the kernel at each free.
///
/// A data set arrives in reads of up to 64 KiB, each into a fresh buffer freed as soon as its
/// bytes are written or dropped. With glibc's default threshold (128 KiB, or twice the dynamic
/// mmap threshold) the top of the heap was handed back and faulted in again over and over: our
/// getscu took about 7,500 page faults per C-GET of the 105 MB CT study, a fifth of its CPU. At
/// 16 MiB it takes about 1,400, and a process holds at most that much more when idle.
enum HeapTrimThreshold {
    static let bytes: Int32 = 16 << 20

    static func raise() {
        #if canImport(Glibc)
        // mallopt(3) is declared in <malloc.h>, which the Glibc module leaves out: found by name
        // and called through a C function pointer. M_TRIM_THRESHOLD is -1 there.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-1, bytes)
        #endif
    }
}
