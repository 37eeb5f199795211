public import NIOCore

/// The elements of a deflated data set (Deflated Explicit VR Little Endian, PS3.5 §A.5) before
/// a top-level tag, its Pixel Data say, inflated from the deflated bytes as they are read and no
/// further: what an archive's index needs of a large deflated instance, in the memory of those
/// elements rather than of the instance.
///
/// Give the deflated bytes in order with ``append(_:)`` until it returns the data set, or
/// ``finish()`` once they are all given.
public final class DeflatedDataSetPrefix {
    private let inflater: Inflater
    private let stop: Tag
    private var inflated = ByteBuffer()

    /// Starts reading a deflated data set whose bytes begin at `offsetBase` in their file (for
    /// errors), up to, not including, the top-level element `stop`.
    public init(offsetBase: Int, stoppingAt stop: Tag) throws(DICOMParsingError) {
        inflater = try Inflater(offset: offsetBase)
        self.stop = stop
    }

    /// Inflates `deflated`, the next bytes; returns the data set once the inflated bytes reach
    /// `stop` or the deflate stream ends, nil while more are needed.
    public func append(_ deflated: ByteBuffer) throws(DICOMParsingError) -> DataSet? {
        let result = deflated.withUnsafeReadableBytes { bytes in
            Result { () throws(DICOMParsingError) in try inflater.inflate(bytes) { inflated.writeBytes($0) } }
        }
        try result.get()
        let scanner = ElementScanner(buffer: inflated, explicitVR: true, bigEndian: false)
        if case .stop(let offset) = scanner.topLevelOffset(of: stop) {
            return try DataSetReader.read(inflated.getSlice(at: inflated.readerIndex, length: offset)!, transferSyntax: .explicitVRLittleEndian)
        }
        return inflater.isFinished ? try finish() : nil
    }

    /// The whole data set, once every deflated byte was given without reaching `stop`.
    ///
    /// - Throws: a ``DICOMParsingError`` when the deflate stream has not ended (the data set was
    ///   cut short) or the inflated bytes do not parse.
    public func finish() throws(DICOMParsingError) -> DataSet {
        if let error = inflater.endError() { throw error }
        return try DataSetReader.read(inflated, transferSyntax: .explicitVRLittleEndian)
    }
}
