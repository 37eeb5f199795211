import DICOMCore
import NIOCore

/// Reads what the index needs of a stored Part 10 file: its meta information and its data set
/// up to, not including, Pixel Data (7FE0,0010), so that indexing a 1 GB instance reads a few
/// kilobytes. A file that fits in the first read is read whole; a deflated data set is read and
/// inflated a chunk at a time, up to its Pixel Data.
enum InstanceReader {
    /// What was read.
    struct Instance {
        var meta: DataSet
        var dataSet: DataSet
        var transferSyntax: TransferSyntax
        var fileSize: Int
    }

    /// The first read; grown fourfold while the elements before Pixel Data do not fit.
    static let initialReadLength = 64 * 1024
    /// Past this many bytes before Pixel Data, the whole file is read instead.
    static let maximumPrefixLength = 64 * 1024 * 1024
    /// The deflated bytes read at a time.
    static let deflatedChunkLength = 1024 * 1024

    /// Reads the file at `path`, skipping the elements from `stop` on (top level only).
    static func read(_ path: String, stoppingAt stop: Tag = .pixelData) throws(ArchiveError) -> Instance {
        let source: Part10FileSource
        do {
            source = try Part10FileSource(path: path)
        } catch {
            throw ArchiveError(.unreadableInstance, "\(path): \(error)")
        }
        let header = source.header
        let syntax = header.transferSyntax
        let remaining = source.dataSetLength
        do {
            if syntax.isDeflated {
                let prefix = try DeflatedDataSetPrefix(offsetBase: header.dataSetOffset, stoppingAt: stop)
                var offset = 0
                var dataSet: DataSet?
                while dataSet == nil, offset < remaining {
                    let length = min(remaining - offset, deflatedChunkLength)
                    dataSet = try prefix.append(FileSystem.contents(of: path, offset: header.dataSetOffset + offset, length: length))
                    offset += length
                }
                return Instance(meta: header.meta, dataSet: try dataSet ?? prefix.finish(), transferSyntax: syntax, fileSize: source.fileSize)
            }
            var length = min(remaining, initialReadLength)
            while true {
                let prefix = try FileSystem.contents(of: path, offset: header.dataSetOffset, length: length)
                guard prefix.readableBytes == length else {
                    throw ArchiveError(.unreadableInstance, "\(path) is shorter than its size")
                }
                let scanner = ElementScanner(buffer: prefix, explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
                var cut: Int?
                if length == remaining {
                    cut = remaining
                } else if case .stop(let offset) = scanner.topLevelOffset(of: stop) {
                    cut = offset
                } else if length >= maximumPrefixLength {
                    cut = nil
                } else {
                    length = min(remaining, length * 4)
                    continue
                }
                let body: ByteBuffer
                if let cut {
                    body = prefix.getSlice(at: prefix.readerIndex, length: cut)!
                } else {
                    body = try FileSystem.contents(of: path, offset: header.dataSetOffset, length: remaining)
                }
                let dataSet = try DataSetReader.read(body, transferSyntax: syntax, offsetBase: header.dataSetOffset)
                return Instance(meta: header.meta, dataSet: dataSet, transferSyntax: syntax, fileSize: source.fileSize)
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.unreadableInstance, "\(path): \(error)")
        }
    }
}
