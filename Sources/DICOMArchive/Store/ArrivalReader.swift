import DICOMCore
import NIOCore

/// Reads an arrival of `incoming/` for its index record. Most arrivals are small (worklist
/// items, structured reports, tiny images): such a file is read whole with one open and one
/// read, and parsed from memory. A larger file, a deflated one, or one that does not parse
/// goes to ``InstanceReader``, which reads only up to Pixel Data (and says what is wrong).
enum ArrivalReader {
    /// Files up to this size are read whole.
    static let wholeFileLimit = 64 * 1024

    /// Reads the Part 10 file at `path`, as ``InstanceReader/read(_:stoppingAt:)`` does.
    static func read(_ path: String) throws(ArchiveError) -> InstanceReader.Instance {
        // One byte more than the limit tells a file that is longer.
        if let file = try? FileSystem.contents(of: path, offset: 0, length: wholeFileLimit + 1),
           file.readableBytes <= wholeFileLimit, let instance = parse(file) {
            return instance
        }
        return try InstanceReader.read(path)
    }

    /// The instance in `file`, a whole Part 10 file; nil unless it has meta information naming
    /// its SOP Class and Instance and a data set that parses, in a syntax that is not deflated.
    private static func parse(_ file: ByteBuffer) -> InstanceReader.Instance? {
        guard let header = try? DICOMFile.readHeader(file), !header.transferSyntax.isDeflated,
              header.meta.uid(.mediaStorageSOPClassUID).map({ !$0.string.isEmpty }) == true,
              header.meta.uid(.mediaStorageSOPInstanceUID).map({ !$0.string.isEmpty }) == true,
              let body = file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset),
              let dataSet = try? DataSetReader.read(body, transferSyntax: header.transferSyntax, offsetBase: header.dataSetOffset) else {
            return nil
        }
        return InstanceReader.Instance(meta: header.meta, dataSet: dataSet, transferSyntax: header.transferSyntax, fileSize: file.readableBytes)
    }
}
