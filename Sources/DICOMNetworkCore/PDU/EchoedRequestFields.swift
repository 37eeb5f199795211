public import DICOMCore

extension PDU {
    /// Bytes 11-74 of an A-ASSOCIATE-RQ as received: its Called-AE-title, Calling-AE-title and 32
    /// reserved bytes, padding and all. The A-ASSOCIATE-AC's fields at those bytes are reserved,
    /// "sent with a value identical to the value received in the same field of the
    /// A-ASSOCIATE-RQ PDU" (PS3.8 Table 9-17): a title sent with leading spaces or NUL padding,
    /// or reserved bytes that are not zero, go back as they came.
    public struct EchoedRequestFields: Hashable, Sendable {
        /// The 64 bytes.
        public let bytes: [UInt8]

        /// The bytes of the fields; nil unless there are exactly 64.
        public init?(_ bytes: [UInt8]) {
            guard bytes.count == Self.length else { return nil }
            self.bytes = bytes
        }

        /// Called-AE-title (16), Calling-AE-title (16), reserved (32).
        public static let length = 2 * PDU.aeTitleLength + 32
    }
}

/// A stored property that is no part of its owner's value: fields PS3.8 says "shall not be
/// tested when received", so two PDUs that differ only there are equal.
struct NotCompared<Value: Sendable>: Hashable, Sendable {
    var value: Value

    static func == (_: Self, _: Self) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
