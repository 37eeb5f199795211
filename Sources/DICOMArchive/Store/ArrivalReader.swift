public import DICOMCore
public import NIOCore

/// Reads an arrival of `incoming/` for its index record. Most arrivals are small (worklist
/// items, structured reports, tiny images): such a data set is taken from the bytes the
/// network kept while it streamed to the file (``ArrivalDataSet``), or else the file is read
/// whole with one open and one read, and parsed from memory. Of a larger data set the network
/// keeps the first bytes, which hold an image's attributes up to its Pixel Data. A larger file
/// without them, a deflated one, or one that does not parse goes to ``InstanceReader``, which
/// reads only up to Pixel Data (and says what is wrong).
enum ArrivalReader {
    /// Files up to this size are read whole.
    static let wholeFileLimit = 64 * 1024

    /// What the index record needs of an arrival.
    struct Arrival {
        var dataSet: DataSet
        var transferSyntax: TransferSyntax
        var fileSize: Int
    }

    /// Reads the Part 10 file at `path`, as ``InstanceReader/read(_:stoppingAt:)`` does, or
    /// `kept`, its data set's bytes, when given and parsable (with the file's length, when
    /// `kept` does not tell it).
    static func read(_ path: String, kept: ArrivalDataSet? = nil) throws(ArchiveError) -> Arrival {
        if let kept, let dataSet = dataSet(of: kept), let fileSize = kept.fileLength ?? FileSystem.fileSize(path) {
            return Arrival(dataSet: dataSet, transferSyntax: kept.transferSyntax, fileSize: fileSize)
        }
        // One byte more than the limit tells a file that is longer.
        if let file = try? FileSystem.contents(of: path, offset: 0, length: wholeFileLimit + 1),
           file.readableBytes <= wholeFileLimit, let arrival = parse(file) {
            return arrival
        }
        let read = try InstanceReader.read(path)
        return Arrival(dataSet: read.dataSet, transferSyntax: read.transferSyntax, fileSize: read.fileSize)
    }

    /// `kept`, read without its file, whose length is 0 unless `kept` tells it; nil when it
    /// does not parse.
    static func read(kept: ArrivalDataSet) -> Arrival? {
        dataSet(of: kept).map { Arrival(dataSet: $0, transferSyntax: kept.transferSyntax, fileSize: kept.fileLength ?? 0) }
    }

    /// The data set in `kept` (up to Pixel Data, of first bytes); nil when it does not parse,
    /// is deflated, or (first bytes) does not reach Pixel Data.
    private static func dataSet(of kept: ArrivalDataSet) -> DataSet? {
        guard !kept.transferSyntax.isDeflated else { return nil }
        return kept.isPrefix ? beforePixelData(kept) : try? DataSetReader.read(kept.bytes, transferSyntax: kept.transferSyntax)
    }

    /// The data set up to, not including, its Pixel Data, as ``InstanceReader`` reads it, from
    /// `kept`, a data set's first bytes; nil when they do not reach Pixel Data (or do not parse).
    private static func beforePixelData(_ kept: ArrivalDataSet) -> DataSet? {
        let syntax = kept.transferSyntax
        let scanner = ElementScanner(buffer: kept.bytes, explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
        guard case .stop(let offset) = scanner.topLevelOffset(of: .pixelData),
              let body = kept.bytes.getSlice(at: kept.bytes.readerIndex, length: offset) else { return nil }
        return try? DataSetReader.read(body, transferSyntax: syntax)
    }

    /// The instance in `file`, a whole Part 10 file; nil unless it has meta information naming
    /// its SOP Class and Instance and a data set that parses, in a syntax that is not deflated.
    private static func parse(_ file: ByteBuffer) -> Arrival? {
        guard let header = try? DICOMFile.readHeader(file), !header.transferSyntax.isDeflated,
              header.meta.uid(.mediaStorageSOPClassUID).map({ !$0.string.isEmpty }) == true,
              header.meta.uid(.mediaStorageSOPInstanceUID).map({ !$0.string.isEmpty }) == true,
              let body = file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset),
              let dataSet = try? DataSetReader.read(body, transferSyntax: header.transferSyntax, offsetBase: header.dataSetOffset) else {
            return nil
        }
        return Arrival(dataSet: dataSet, transferSyntax: header.transferSyntax, fileSize: file.readableBytes)
    }
}

/// An arrival's data set as the network received it, kept in memory while it streamed to its
/// file in `incoming/` (`ReceivedInstance.dataSetBytes`, or of a larger one its first bytes,
/// `ReceivedInstance.dataSetPrefix`), so that storing it need not read the file back.
public struct ArrivalDataSet: Sendable {
    /// The data set's bytes, without file meta information: all of them, or its first ones.
    public var bytes: ByteBuffer
    /// Their transfer syntax.
    public var transferSyntax: TransferSyntax
    /// The length of the arrival's file, meta information included, when the receiver knows it
    /// (nil: the file system is asked).
    public var fileLength: Int?
    /// Whether ``bytes`` are only the data set's first bytes: what precedes Pixel Data is read
    /// from them when they reach it, else the file is read.
    public var isPrefix: Bool

    /// An arrival's data set (or its first bytes), and its file's length when known.
    public init(bytes: ByteBuffer, transferSyntax: TransferSyntax, fileLength: Int? = nil, isPrefix: Bool = false) {
        self.bytes = bytes
        self.transferSyntax = transferSyntax
        self.fileLength = fileLength
        self.isPrefix = isPrefix
    }
}
