public import NIOCore

/// Reads a DICOM file (PS3.10 §7) for sending, without loading it: what a C-STORE SCU needs.
///
/// Opening reads only the preamble and meta information, enough to know the SOP Class and
/// Instance and the transfer syntax to offer; ``nextChunk(maximumLength:)`` then hands out the
/// data set's bytes as they stand in the file (still deflated for a deflated syntax), so that a
/// file of any size is sent with one chunk in memory at a time.
///
/// The file stays open until the source and its copies are released. Copies read independently
/// (pread(2), no shared position). Every call is blocking POSIX I/O: run it on a thread pool.
public struct Part10FileSource: Sendable {
    /// The longest preamble and meta information read, in bytes. Meta information takes a few
    /// hundred bytes; a (0002,xxxx) group that does not end within this many bytes is refused
    /// rather than read without bound.
    public static let maximumHeaderLength = 1 << 20

    /// What is read first; grown (doubled) until the meta information fits in it.
    static let initialHeaderReadLength = 4096

    /// The file's path.
    public let path: String
    /// The preamble, the meta information, the transfer syntax of the data set and where it
    /// starts.
    public let header: DICOMFile.Header
    /// The Media Storage SOP Class UID (0002,0002).
    public let sopClassUID: UID
    /// The Media Storage SOP Instance UID (0002,0003).
    public let sopInstanceUID: UID
    /// The file's size in bytes when it was opened.
    public let fileSize: Int

    private let file: FileIO.ReadableFile
    /// The file offset of the next chunk.
    private var position: Int

    /// Opens the file at `path` and reads its preamble and meta information.
    ///
    /// The SOP Class and Instance come from the meta information's (0002,0002) and (0002,0003);
    /// where either is missing, or the file is a bare data set without "DICM" and meta
    /// information, from the data set's own (0008,0016) and (0008,0018), as DCMTK's and
    /// pynetdicom's storescu take them. Throws a ``DICOMParsingError`` with code
    /// ``DICOMParsingError/Code/notPart10`` for a file that is no DICOM at all, or a bare data
    /// set that does not name its SOP Class and Instance, and
    /// ``DICOMParsingError/Code/invalidFileMetaInformation`` for meta information without them
    /// (nor a data set that has them) or longer than ``maximumHeaderLength``. A file whose
    /// "DICM" has no preamble before it is read, as ``DICOMFile/readHeader(_:)`` reads it.
    public init(path: String) throws(DICOMParsingError) {
        let file = try FileIO.ReadableFile(path: path)
        let header = try Self.readHeader(of: file)
        var sopClassUID = header.meta.uid(.mediaStorageSOPClassUID).flatMap { $0.string.isEmpty ? nil : $0 }
        var sopInstanceUID = header.meta.uid(.mediaStorageSOPInstanceUID).flatMap { $0.string.isEmpty ? nil : $0 }
        if sopClassUID == nil || sopInstanceUID == nil, let identity = Self.identity(of: file, header: header) {
            sopClassUID = sopClassUID ?? identity.sopClassUID
            sopInstanceUID = sopInstanceUID ?? identity.sopInstanceUID
        }
        let code: DICOMParsingError.Code = header.meta.isEmpty ? .notPart10 : .invalidFileMetaInformation
        let what = header.meta.isEmpty ? "no \"DICM\" prefix and no file meta information (PS3.10 §7.1), and the data set has" : "the file meta information has"
        guard let sopClassUID else {
            throw Self.error(code, path, "\(what) no SOP Class UID: neither (0002,0002) nor (0008,0016)", tag: .mediaStorageSOPClassUID)
        }
        guard let sopInstanceUID else {
            throw Self.error(code, path, "\(what) no SOP Instance UID: neither (0002,0003) nor (0008,0018)", tag: .mediaStorageSOPInstanceUID)
        }
        self.path = path
        self.header = header
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.fileSize = file.size
        self.file = file
        self.position = header.dataSetOffset
    }

    /// The transfer syntax of the data set.
    public var transferSyntax: TransferSyntax {
        header.transferSyntax
    }

    /// The data set's length in bytes: everything after the meta information.
    public var dataSetLength: Int {
        fileSize - header.dataSetOffset
    }

    /// The next at most `maximumLength` bytes of the data set, in order from its first byte; nil
    /// once all ``dataSetLength`` bytes have been returned.
    ///
    /// Throws when the file cannot be read, or ends before the size it had when opened.
    public mutating func nextChunk(maximumLength: Int) throws(DICOMParsingError) -> ByteBuffer? {
        precondition(maximumLength > 0, "maximumLength must be positive")
        let remaining = fileSize - position
        guard remaining > 0 else { return nil }
        let length = min(maximumLength, remaining)
        let chunk = try file.read(at: position, length: length)
        guard chunk.readableBytes == length else {
            let end = position + chunk.readableBytes
            throw DICOMParsingError(.fileUnreadable, offset: end, tag: nil, "\(path): the file ends at byte \(end), but had \(fileSize) bytes when opened")
        }
        position += length
        return chunk
    }

    // MARK: - Header

    /// Reads a prefix of the file and parses it with ``DICOMFile/readHeader(_:)``, doubling the
    /// prefix while the meta information runs past its end, up to ``maximumHeaderLength``.
    private static func readHeader(of file: FileIO.ReadableFile) throws(DICOMParsingError) -> DICOMFile.Header {
        var length = initialHeaderReadLength
        while true {
            let prefix = try file.read(at: 0, length: min(length, file.size))
            let isWholeFile = prefix.readableBytes >= file.size
            let canGrow = !isWholeFile && length < maximumHeaderLength
            do throws(DICOMParsingError) {
                let header = try DICOMFile.readHeader(prefix)
                // The group is known to have ended only when the next element's tag (and the 8
                // bytes readHeader peeks at to check the data set's encoding) are in the prefix.
                if isWholeFile || header.dataSetOffset + 8 <= prefix.readableBytes {
                    return header
                }
            } catch let error where error.code == .truncatedElementHeader || error.code == .valueLengthExceedsInput {
                // The meta information runs past the prefix; or the file is broken.
                if isWholeFile { throw Self.error(error.code, file.path, error.detail, offset: error.offset, tag: error.tag) }
            } catch {
                throw Self.error(error.code, file.path, error.detail, offset: error.offset, tag: error.tag)
            }
            guard canGrow else {
                throw Self.error(.invalidFileMetaInformation, file.path, "the file meta information does not end within the first \(maximumHeaderLength) bytes")
            }
            length = min(length * 2, maximumHeaderLength)
        }
    }

    /// The SOP Class and Instance UIDs (0008,0016) and (0008,0018) of the data set, read from
    /// its first elements (at most ``maximumHeaderLength`` bytes of them); nil when it has not
    /// both, cannot be read that far, or is deflated.
    private static func identity(of file: FileIO.ReadableFile, header: DICOMFile.Header) -> (sopClassUID: UID, sopInstanceUID: UID)? {
        let syntax = header.transferSyntax
        guard !syntax.isDeflated else { return nil }
        let length = min(file.size - header.dataSetOffset, maximumHeaderLength)
        guard length > 0, let prefix = try? file.read(at: header.dataSetOffset, length: length),
              let (elements, _) = try? DataSetReader.readGroup(
                prefix, explicit: syntax.isExplicitVR, bigEndian: syntax.isBigEndian, offsetBase: header.dataSetOffset,
                while: { $0 <= .sopInstanceUID }),
              let sopClassUID = elements.uid(.sopClassUID), !sopClassUID.string.isEmpty,
              let sopInstanceUID = elements.uid(.sopInstanceUID), !sopInstanceUID.string.isEmpty
        else { return nil }
        return (sopClassUID, sopInstanceUID)
    }

    /// An error naming the file.
    private static func error(
        _ code: DICOMParsingError.Code, _ path: String, _ detail: String, offset: Int = 0, tag: Tag? = nil
    ) -> DICOMParsingError {
        DICOMParsingError(code, offset: offset, tag: tag, detail.isEmpty ? path : "\(path): \(detail)")
    }
}
