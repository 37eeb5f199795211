import NIOPosix

/// Where blocking file I/O runs, off the event loops: reading and writing data sets on one
/// pool, making them durable and putting them in place (fsync, link) on another.
///
/// Two pools because an fsync takes milliseconds: queued behind several of them, the write of
/// the instance arriving now would stall the socket. With its own threads, many fsyncs run at
/// once (the file system commits them together), which is how an operations window overlaps the
/// durability of one instance with the transfer of the next.
enum BlockingIO {
    /// Reads and writes of data set chunks.
    static let transfer: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// fsync, link and the directory fsync of received instances.
    static let durability: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()
}
