import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

/// Helpers shared by the DIMSE tests. Golden bytes are written out in the tests themselves.
enum DIMSETest {
    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }

    /// `count` bytes of a pattern that differs from one offset to the next (modulo 251, a prime,
    /// so that it never lines up with a power-of-two fragment length).
    static func pattern(count: Int, seed: Int = 0) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: ($0 + seed) % 251) })
    }

    /// The encoded command set of `message`.
    static func command(_ commandSet: DataSet) throws -> ByteBuffer {
        try CommandSet.encode(commandSet)
    }

    /// A command set decoded from its encoding, as a peer would send it.
    static func roundTrip(_ commandSet: DataSet) throws -> DataSet {
        try CommandSet.decode(CommandSet.encode(commandSet))
    }

    /// `commandSet` with `tag` removed.
    static func removing(_ tag: DICOMCore.Tag, from commandSet: DataSet) -> DataSet {
        var copy = commandSet
        copy.remove(tag)
        return copy
    }

    /// A US element holding `value`.
    static func us(_ tag: DICOMCore.Tag, _ value: UInt16) -> DataElement {
        var bytes = ByteBuffer()
        bytes.writeInteger(value, endianness: .little)
        return DataElement(tag: tag, vr: .US, bytes: bytes)
    }

    /// The PDUs on the wire, written one after another.
    static func wire(_ pdus: [PDU.PDataTF]) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for pdu in pdus {
            _ = try buffer.writePDU(.pDataTF(pdu))
        }
        return buffer
    }

    /// A PDV.
    static func pdv(_ contextID: UInt8, _ header: PDU.MessageControlHeader, _ bytes: [UInt8]) -> PDU.PresentationDataValueItem {
        PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: header, fragment: ByteBuffer(bytes: bytes))
    }

    /// The error `body` throws, or nil (recording an issue) when it does not throw a DIMSEError.
    static func error<T>(_ body: () throws(DIMSEError) -> T, sourceLocation: SourceLocation = #_sourceLocation) -> DIMSEError? {
        do {
            let value = try body()
            Issue.record("expected a DIMSEError, got \(value)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
