/// When a C-GET or C-MOVE answers with a pending response while its sub-operations run. PS3.4
/// C.4.2.3 and C.4.3.3 leave them to the SCP; each one is a message the requestor must take in
/// between the C-STOREs of a C-GET. One goes out after the first sub-operation, so that the
/// requestor learns how many there are, then after a sub-operation only once `interval` has
/// passed since the last; with an interval of zero, after every one.
struct PendingResponsePacing {
    let interval: Duration
    private var lastSent: ContinuousClock.Instant?

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether a sub-operation that ends now is followed by a pending response; if so, counts
    /// it as sent. (The clock is read only when pacing.)
    mutating func isDue() -> Bool {
        interval > .zero ? isDue(at: .now) : true
    }

    /// Whether a sub-operation that ended at `now` is followed by a pending response; if so,
    /// counts it as sent.
    mutating func isDue(at now: ContinuousClock.Instant) -> Bool {
        guard interval > .zero else { return true }
        if let lastSent, now - lastSent < interval { return false }
        lastSent = now
        return true
    }
}
