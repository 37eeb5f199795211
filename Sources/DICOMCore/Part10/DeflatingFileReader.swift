public import NIOCore

/// A Part 10 file's data set in Deflated Explicit VR Little Endian (PS3.5 §A.5), deflated as it
/// is read, a chunk at a time: what a C-STORE SCU sends when the peer accepted the file's SOP
/// class in that syntax only, without holding the instance (or its deflated form) in memory.
/// A file in Implicit VR Little Endian is converted to Explicit first, as it is read
/// (``TranscodingFileReader``).
///
/// Every chunk but the last has an even length, and the last makes the whole even (the one
/// trailing NUL of §A.5), so that the P-DATA fragments cut from them are even, as PS3.8 Annex E
/// wants (DCMTK aborts on one that is not).
///
/// Every call is blocking POSIX I/O: run it on a thread pool. Not for concurrent use: one task
/// reads it at a time (behind a lock where tasks take turns).
public final class DeflatingFileReader: @unchecked Sendable {
    /// The plain bytes read at a time.
    static let inputLength = 1 << 20

    /// Whether data sets in `source` can be read as `target` this way: Explicit or Implicit VR
    /// Little Endian to Deflated Explicit VR Little Endian.
    public static func converts(_ source: TransferSyntax, to target: TransferSyntax) -> Bool {
        target.isDeflated && !source.isDeflated && !source.isEncapsulated && !source.isBigEndian
    }

    private let source: Part10FileSource
    /// For a file in Implicit VR Little Endian: its data set as Explicit.
    private var transcoder: TranscodingFileReader?
    /// The file offset of the next bytes to deflate (a file in Explicit VR Little Endian).
    private var offset: Int
    private let deflater: Deflater
    /// Deflated bytes not handed out yet.
    private var pending = ByteBuffer()
    /// How many were handed out, for the last chunk's padding.
    private var handedOut = 0

    /// A reader of `source`'s data set, deflated.
    ///
    /// - Precondition: ``converts(_:to:)`` from `source`'s transfer syntax to a deflated one.
    public init(_ source: Part10FileSource) throws(DICOMEncodingError) {
        precondition(Self.converts(source.transferSyntax, to: .deflatedExplicitVRLittleEndian), "not a Little Endian data set to deflate")
        self.source = source
        transcoder = source.transferSyntax.isExplicitVR ? nil : TranscodingFileReader(source, to: .explicitVRLittleEndian)
        offset = source.header.dataSetOffset
        deflater = try Deflater()
    }

    /// The next at most `maximumLength` bytes (at least 2) of the deflated data set; nil at its end.
    ///
    /// Throws when the file cannot be read, ends early, or cannot be converted.
    public func nextChunk(maximumLength: Int) throws -> ByteBuffer? {
        precondition(maximumLength >= 2, "maximumLength must be at least 2")
        let limit = maximumLength & ~1
        if !deflater.isFinished, pending.readableBytes < limit {
            // The few bytes left move to a buffer of their own: the chunks handed out share the
            // old one, which writing more would copy whole.
            var rest = ByteBuffer()
            rest.writeImmutableBuffer(pending)
            pending = rest
        }
        while !deflater.isFinished, pending.readableBytes < limit {
            let plain = try nextPlainBytes()
            var failure: DICOMEncodingError?
            (plain ?? ByteBuffer()).withUnsafeReadableBytes { bytes in
                do throws(DICOMEncodingError) {
                    try deflater.deflate(bytes, finish: plain == nil) { pending.writeBytes($0) }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if deflater.isFinished, (handedOut + pending.readableBytes) % 2 == 1 { pending.writeInteger(UInt8(0)) }
        }
        var length = min(limit, pending.readableBytes)
        // An odd tail waits for the next bytes; once finished the whole is even already.
        if !deflater.isFinished { length &= ~1 }
        guard length > 0 else { return nil }
        handedOut += length
        return pending.readSlice(length: length)!
    }

    /// The next plain (Explicit VR Little Endian) bytes of the data set; nil at its end.
    private func nextPlainBytes() throws(DICOMParsingError) -> ByteBuffer? {
        if transcoder != nil { return try transcoder!.nextChunk(maximumLength: Self.inputLength) }
        guard offset < source.fileSize else { return nil }
        let length = min(Self.inputLength, source.fileSize - offset)
        let bytes = try source.read(at: offset, length: length)
        offset += length
        return bytes
    }
}
