internal import CompressNIO
// zlib itself, for an inflating stream that says where the deflate stream ends: CompressNIO's
// C module (its target links libz), which its streaming API does not tell.
internal import CCompressZlib
public import NIOCore

/// Raw deflate (RFC 1951, no zlib or gzip wrapper) for Deflated Explicit VR Little Endian
/// (PS3.5 §A.5).
enum Deflate {
    /// Inflates a deflated data set. `offset` is where it starts in the file, for errors. A
    /// stream cut short is an error, as for any truncated data set; bytes after the stream's end
    /// (the padding PS3.5 §A.5 asks for) are ignored.
    static func inflate(_ input: ByteBuffer, offset: Int) throws(DICOMParsingError) -> ByteBuffer {
        let (output, error) = inflatePartially(input, offset: offset)
        if let error { throw error }
        return output
    }

    /// Inflates as much of a deflated data set as inflates: all of it, or what comes before the
    /// stream breaks or is cut short, with that error.
    static func inflatePartially(_ input: ByteBuffer, offset: Int) -> (ByteBuffer, DICOMParsingError?) {
        let inflater: Inflater
        do {
            inflater = try Inflater(offset: offset)
        } catch {
            return (ByteBuffer(), error)
        }
        var output = ByteBuffer()
        output.reserveCapacity(input.readableBytes * 4)
        let failure = input.withUnsafeReadableBytes { bytes -> DICOMParsingError? in
            do throws(DICOMParsingError) {
                try inflater.inflate(bytes) { output.writeBytes($0) }
                return nil
            } catch {
                return error
            }
        }
        return (output, failure ?? inflater.endError())
    }

    /// Deflates an encoded data set, padded to an even length with one trailing NUL
    /// (PS3.5 §A.5), which inflating ignores.
    static func deflate(_ input: ByteBuffer) throws(DICOMEncodingError) -> ByteBuffer {
        var plain = input
        var deflated: ByteBuffer
        do {
            deflated = try plain.compress(with: .deflate())
        } catch {
            throw DICOMEncodingError(.deflateFailed, tag: nil, "\(error)")
        }
        deflated.padDeflatedDataSet()
        return deflated
    }
}

/// A raw deflate stream inflated a piece at a time, with what it inflates handed on as it comes:
/// the reader's whole data set, or the structure check of one arriving in fragments (whose
/// memory then stays at zlib's window and one output buffer, whatever the size).
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    /// Where the deflated bytes start in their file, and how many have been given: for errors.
    private let offset: Int
    private var consumed = 0
    /// Whether the deflate stream has ended; bytes given after its end are ignored.
    private(set) var isFinished = false

    static let outputLength = 64 << 10

    init(offset: Int) throws(DICOMParsingError) {
        self.offset = offset
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: Self.outputLength, alignment: 16)
        // Negative window bits: raw deflate, no zlib header (PS3.5 §A.5). On failure the
        // instance is whole, so deinit frees what it holds (inflateEnd of a stream zlib did not
        // start only reports an error).
        guard CCompressZlib_inflateInit2(stream, -15) == Z_OK else {
            throw DICOMParsingError(.deflateFailed, offset: offset, tag: nil, "zlib could not start inflating")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Inflates `input`, the next deflated bytes, giving `handle` each piece inflated.
    func inflate(_ input: UnsafeRawBufferPointer, _ handle: (UnsafeRawBufferPointer) throws(DICOMParsingError) -> Void) throws(DICOMParsingError) {
        guard !isFinished, let base = input.baseAddress, input.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)
        defer {
            consumed += input.count - Int(stream.pointee.avail_in)
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = CCompressZlib.inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try handle(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
            switch status {
            case Z_STREAM_END:
                isFinished = true
                return
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR: no progress possible until more input comes.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                if status == Z_BUF_ERROR && produced == 0 { return }
            default:
                let consumedNow = input.count - Int(stream.pointee.avail_in)
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw DICOMParsingError(
                    .deflateFailed, offset: offset + consumed + consumedNow, tag: nil, "the deflated data set is not a deflate stream: \(reason)")
            }
        }
    }

    /// The error of a stream given whole that has not ended: a deflated data set cut short.
    func endError() -> DICOMParsingError? {
        isFinished ? nil : DICOMParsingError(
            .deflateFailed, offset: offset + consumed, tag: nil, "the deflated data set ends before its deflate stream does (\(consumed) bytes)")
    }
}

/// A raw deflate stream made a piece at a time (PS3.5 §A.5), with what it makes handed on as it
/// comes: a data set deflated as it is read, in zlib's memory and one output buffer.
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    /// Whether the stream was finished; nothing more is deflated.
    private(set) var isFinished = false

    init() throws(DICOMEncodingError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: Inflater.outputLength, alignment: 16)
        // Negative window bits: raw deflate, no zlib header; the default level and memory.
        guard CCompressZlib_deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw DICOMEncodingError(.deflateFailed, tag: nil, "zlib could not start deflating")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Deflates `input`, the next bytes (with `finish`, the last: the stream is ended), giving
    /// `handle` each piece deflated.
    func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, _ handle: (UnsafeRawBufferPointer) -> Void) throws(DICOMEncodingError) {
        guard !isFinished else { return }
        stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
        stream.pointee.avail_in = UInt32(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = CCompressZlib.deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { handle(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
            switch status {
            case Z_STREAM_END:
                isFinished = true
                return
            case Z_OK, Z_BUF_ERROR:
                // More output to come while the buffer filled; else all input is taken.
                if stream.pointee.avail_out == 0 { continue }
                if !finish { return }
            default:
                throw DICOMEncodingError(.deflateFailed, tag: nil, "zlib status \(status) while deflating")
            }
        }
    }
}

extension ByteBuffer {
    /// Pads a deflated data set of odd length with the one trailing NUL that PS3.5 §A.5 asks
    /// for (inflating ignores it): every P-DATA fragment must be even (PS3.8 Annex E), and DCMTK
    /// aborts the association on one that is not.
    public mutating func padDeflatedDataSet() {
        if readableBytes % 2 == 1 { writeInteger(UInt8(0)) }
    }
}
