#if canImport(Glibc)
import Glibc
#endif

/// Raises glibc's heap thresholds for the process: blocks up to ``mmapBytes`` come from the
/// heap, and freed memory up to ``trimBytes`` stays in it, instead of each going back to the
/// kernel when freed and being faulted in, zeroed, again.
///
/// While a large data set arrives, the association holds several reads' buffers at once (the
/// fragments gathered for its task, see DataSetFragmentGatherer), so NIO cannot reuse its
/// receive buffer and fills a fresh 64 KiB one per read, freed soon after. With glibc's default
/// trim threshold the top of the heap went back to the kernel and was faulted in again, read
/// after read: our getscu took about 9,500 page faults per C-GET of the 105 MB CT study, and
/// 20 ms more CPU. At 16 MiB it takes about 1,400, and a process keeps at most that much more
/// when idle.
///
/// Setting the trim threshold also fixes the mmap threshold (mallopt(3): no more dynamic
/// adjustment) at its default, 128 KiB: every chunk read from a file to send (up to 1 MiB)
/// was then a mapping of its own, faulted in page by page and unmapped when sent. qrscp's CPU
/// for a C-GET of that study by DCMTK's getscu (16 KiB PDUs, so chunks read, not sendfile):
/// about 175 ms with it, 95 ms with the blocks from the heap; its peak memory 37 and 39 MiB.
enum HeapThresholds {
    static let trimBytes: Int32 = 16 << 20
    static let mmapBytes: Int32 = 4 << 20

    static func raise() {
        #if canImport(Glibc)
        // mallopt(3) is declared in <malloc.h>, which the Glibc module leaves out: found by name
        // and called through a C function pointer. M_TRIM_THRESHOLD is -1 there,
        // M_MMAP_THRESHOLD -3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-1, trimBytes)
        _ = mallopt(-3, mmapBytes)
        #endif
    }
}
