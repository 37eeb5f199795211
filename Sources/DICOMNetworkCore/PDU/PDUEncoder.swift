public import NIOCore

/// Writes ``PDU``s for a `MessageToByteHandler`, byte for byte as `ByteBuffer.writePDU(_:)`.
public struct PDUEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = PDU

    /// Creates an encoder.
    public init() {}

    public func encode(data: PDU, out: inout ByteBuffer) throws {
        try out.writePDU(data)
    }
}
