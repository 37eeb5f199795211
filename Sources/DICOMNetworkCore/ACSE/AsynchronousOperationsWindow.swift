/// The Asynchronous Operations Window (PS3.7 D.3.3.3): how many operations may be outstanding at
/// once in each direction. 0 means unlimited; without negotiation both are 1 (synchronous).
///
/// In an A-ASSOCIATE request the numbers are the requestor's: how many operations it may invoke
/// without waiting for their responses, and how many it may perform without sending theirs. In the
/// response they are what the acceptor grants the requestor, each no more than proposed. So the
/// negotiated window reads from the requestor's side; the acceptor performs up to
/// ``maximumNumberOperationsInvoked`` and invokes up to ``maximumNumberOperationsPerformed``.
public struct AsynchronousOperationsWindow: Hashable, Sendable, CustomStringConvertible {
    /// Maximum-number-operations-invoked; 0 means unlimited.
    public var maximumNumberOperationsInvoked: UInt16

    /// Maximum-number-operations-performed; 0 means unlimited.
    public var maximumNumberOperationsPerformed: UInt16

    /// Creates a window.
    public init(maximumNumberOperationsInvoked: UInt16, maximumNumberOperationsPerformed: UInt16) {
        self.maximumNumberOperationsInvoked = maximumNumberOperationsInvoked
        self.maximumNumberOperationsPerformed = maximumNumberOperationsPerformed
    }

    /// One operation at a time each way: the default of PS3.7 D.3.3.3 when the item is absent, and
    /// the default values of pynetdicom's `AsynchronousOperationsWindowNegotiation`.
    public static let synchronous = AsynchronousOperationsWindow(
        maximumNumberOperationsInvoked: 1,
        maximumNumberOperationsPerformed: 1
    )

    /// Whether this is the synchronous window (1, 1).
    public var isSynchronous: Bool {
        self == .synchronous
    }

    /// The smaller of two window limits, where 0 (unlimited) is larger than any number.
    static func smallerLimit(_ lhs: UInt16, _ rhs: UInt16) -> UInt16 {
        switch (lhs, rhs) {
        case (0, _): rhs
        case (_, 0): lhs
        default: min(lhs, rhs)
        }
    }

    /// Each limit the smaller of this window's and `other`'s (0 counting as unlimited).
    public func narrowed(to other: AsynchronousOperationsWindow) -> AsynchronousOperationsWindow {
        AsynchronousOperationsWindow(
            maximumNumberOperationsInvoked: Self.smallerLimit(maximumNumberOperationsInvoked, other.maximumNumberOperationsInvoked),
            maximumNumberOperationsPerformed: Self.smallerLimit(maximumNumberOperationsPerformed, other.maximumNumberOperationsPerformed)
        )
    }

    /// "invoked 5, performed unlimited".
    public var description: String {
        func limit(_ value: UInt16) -> String { value == 0 ? "unlimited" : String(value) }
        return "invoked \(limit(maximumNumberOperationsInvoked)), performed \(limit(maximumNumberOperationsPerformed))"
    }
}

// MARK: - Wire value

extension AsynchronousOperationsWindow {
    /// The value of an Asynchronous Operations Window Sub-Item (53H).
    init(_ wire: PDU.AsynchronousOperationsWindowSubItem) {
        self.init(
            maximumNumberOperationsInvoked: wire.maximumNumberOperationsInvoked,
            maximumNumberOperationsPerformed: wire.maximumNumberOperationsPerformed
        )
    }

    var wireValue: PDU.AsynchronousOperationsWindowSubItem {
        PDU.AsynchronousOperationsWindowSubItem(
            maximumNumberOperationsInvoked: maximumNumberOperationsInvoked,
            maximumNumberOperationsPerformed: maximumNumberOperationsPerformed
        )
    }
}
