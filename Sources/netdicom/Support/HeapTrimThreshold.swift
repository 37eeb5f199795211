#if canImport(Glibc)
import Glibc
#endif

/// Raises glibc's heap trim threshold for the process, so that freed memory up to ``bytes``
/// stays in the heap instead of going back to the kernel at each free.
///
/// While a large data set arrives, the association holds several reads' buffers at once (the
/// fragments gathered for its task, see DataSetFragmentGatherer), so NIO cannot reuse its
/// receive buffer and fills a fresh 64 KiB one per read, freed soon after. With glibc's default
/// threshold (128 KiB, or twice the dynamic mmap threshold) the top of the heap went back to the
/// kernel and was faulted in again, read after read: our getscu took about 9,500 page faults per
/// C-GET of the 105 MB CT study, and 20 ms more CPU. At 16 MiB it takes about 1,400, and a
/// process keeps at most that much more when idle.
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
