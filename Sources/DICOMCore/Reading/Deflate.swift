internal import CompressNIO
public import NIOCore

/// Raw deflate (RFC 1951, no zlib or gzip wrapper) for Deflated Explicit VR Little Endian
/// (PS3.5 §A.5).
enum Deflate {
    /// Inflates a deflated data set. `offset` is where it starts in the file, for errors.
    static func inflate(_ input: ByteBuffer, offset: Int) throws(DICOMParsingError) -> ByteBuffer {
        var compressed = input
        do {
            return try compressed.decompress(with: .deflate(), maxSize: .max)
        } catch {
            throw DICOMParsingError(.deflateFailed, offset: offset, tag: nil, "\(error)")
        }
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

extension ByteBuffer {
    /// Pads a deflated data set of odd length with the one trailing NUL that PS3.5 §A.5 asks
    /// for (inflating ignores it): every P-DATA fragment must be even (PS3.8 Annex E), and DCMTK
    /// aborts the association on one that is not.
    public mutating func padDeflatedDataSet() {
        if readableBytes % 2 == 1 { writeInteger(UInt8(0)) }
    }
}
