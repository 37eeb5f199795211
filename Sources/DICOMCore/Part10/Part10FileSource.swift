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
    /// The SOP Class UID: the data set's (0008,0016), else the meta information's (0002,0002).
    public let sopClassUID: UID
    /// The SOP Instance UID: the data set's (0008,0018), else the meta information's (0002,0003).
    public let sopInstanceUID: UID
    /// The file's size in bytes when it was opened.
    public let fileSize: Int

    private let file: FileIO.ReadableFile
    /// The file offset of the next chunk.
    private var position: Int

    /// Opens the file at `path` and reads its preamble and meta information.
    ///
    /// The SOP Class and Instance are the data set's own (0008,0016) and (0008,0018), which the
    /// C-STORE's command must match, read from its first elements as DCMTK's and pynetdicom's
    /// storescu read them; only a deflated data set (not inflated here) or one whose elements
    /// before them take more than ``maximumHeaderLength`` goes by the meta information's
    /// (0002,0002) and (0002,0003). So a bare data set, without "DICM" and meta information, is
    /// sent too, in the syntax its first element shows; a file of meta information only, or one
    /// whose data set lacks them, is not sent (DCMTK's storescu refuses it too: "No SOP Class or
    /// Instance UID in file").
    ///
    /// Throws a ``DICOMParsingError`` with code ``DICOMParsingError/Code/notPart10`` for a file
    /// that is no DICOM at all, or a bare data set that does not name its SOP Class and
    /// Instance; ``DICOMParsingError/Code/missingSOPIdentity`` for a Part 10 file whose data set
    /// does not; ``DICOMParsingError/Code/invalidFileMetaInformation`` for a file whose meta
    /// information is longer than ``maximumHeaderLength``, or, deflated, lacks them, or names a
    /// compressed syntax over a data set encoded in Implicit VR (DCMTK refuses it too); and the
    /// reader's error for a data set that ends or is malformed before them. A file whose "DICM"
    /// has no preamble before it is read, as ``DICOMFile/readHeader(_:)`` reads it.
    public init(path: String) throws(DICOMParsingError) {
        let file = try FileIO.ReadableFile(path: path)
        let (header, prefix) = try Self.readHeader(of: file)
        if let declared = header.meta.uid(.transferSyntaxUID).map({ TransferSyntax(uid: $0) }), declared.isEncapsulated,
           declared != header.transferSyntax {
            // Pixel data compressed as the meta information says, in a data set encoded as it does
            // not (Implicit VR): no transfer syntax describes it, and either name would lie.
            throw Self.error(
                .invalidFileMetaInformation, path,
                "its meta information names \(declared), an Explicit VR syntax, but its data set is encoded in \(header.transferSyntax)",
                tag: .transferSyntaxUID)
        }
        let identity: (sopClassUID: UID?, sopInstanceUID: UID?)?
        do {
            identity = try Self.identity(of: file, header: header, prefix: prefix)
        } catch {
            guard !header.meta.isEmpty else {
                throw Self.error(.notPart10, path, "no \"DICM\" prefix and no file meta information (PS3.10 §7.1), and no data set: \(error.detail)")
            }
            throw Self.error(error.code, path, error.detail, offset: error.offset, tag: error.tag)
        }
        let code: DICOMParsingError.Code
        let what: String
        switch (identity, header.meta.isEmpty) {
        case (_, true): (code, what) = (.notPart10, "no \"DICM\" prefix and no file meta information (PS3.10 §7.1), and the data set has")
        case (nil, false): (code, what) = (.invalidFileMetaInformation, "the data set is not read here, and the file meta information has")
        case (_?, false): (code, what) = (.missingSOPIdentity, "the data set has")
        }
        let fallback = identity == nil ? (Self.nonEmpty(header.meta.uid(.mediaStorageSOPClassUID)), Self.nonEmpty(header.meta.uid(.mediaStorageSOPInstanceUID))) : (nil, nil)
        guard let sopClassUID = identity?.sopClassUID ?? fallback.0 else {
            throw Self.error(code, path, "\(what) no SOP Class UID (0008,0016)\(identity == nil ? " or (0002,0002)" : "")", tag: .sopClassUID)
        }
        guard let sopInstanceUID = identity?.sopInstanceUID ?? fallback.1 else {
            throw Self.error(code, path, "\(what) no SOP Instance UID (0008,0018)\(identity == nil ? " or (0002,0003)" : "")", tag: .sopInstanceUID)
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

    /// Whether the data set is a deflated stream of odd length, written without the trailing
    /// NUL that PS3.5 §A.5 pads it with: it must be sent with one (``nextChunkToSend(maximumLength:)``),
    /// since a P-DATA fragment of odd length aborts the association with DCMTK (PS3.8 Annex E).
    public var lacksDeflatePadding: Bool {
        header.transferSyntax.isDeflated && dataSetLength % 2 == 1
    }

    /// ``nextChunk(maximumLength:)``, with the NUL a deflated stream lacks appended to the last
    /// chunk (``lacksDeflatePadding``): what goes on the wire.
    public mutating func nextChunkToSend(maximumLength: Int) throws(DICOMParsingError) -> ByteBuffer? {
        guard var chunk = try nextChunk(maximumLength: maximumLength) else { return nil }
        if position == fileSize, lacksDeflatePadding { chunk.padDeflatedDataSet() }
        return chunk
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

    /// The `length` bytes of the file at `offset`, which must be within it; throws when the
    /// file ends sooner.
    func read(at offset: Int, length: Int) throws(DICOMParsingError) -> ByteBuffer {
        let bytes = try file.read(at: offset, length: length)
        guard bytes.readableBytes == length else {
            let end = offset + bytes.readableBytes
            throw DICOMParsingError(.fileUnreadable, offset: end, tag: nil, "\(path): the file ends at byte \(end), but had \(fileSize) bytes when opened")
        }
        return bytes
    }

    /// Checks that the data set is whole and well formed (``DataSetStructureCheck``) before it
    /// is sent: a truncated file must fail alone, not after half of it went out (which only an
    /// abort of the association could end). Reads element headers only, seeking over values:
    /// for an image, the first few kilobytes and the pixel data's header. `prefix`, the data
    /// set's first bytes when the caller has read them already (a first chunk, or all of a
    /// small data set), is checked without reading it again.
    ///
    /// - Returns: the first element whose value has an odd length (``DataSetStructureCheck/oddLengthTag``),
    ///   which a sender pads (``DataSet/paddedToEvenLengths()``); nil when every length is even.
    @discardableResult
    public func checkStructure(startingWith prefix: ByteBuffer? = nil) throws(DICOMParsingError) -> Tag? {
        var check = DataSetStructureCheck(transferSyntax: header.transferSyntax, offsetBase: header.dataSetOffset)
        if let prefix { check.consume(prefix) }
        // The first read takes the small elements at the start at once; after a value sought
        // over (pixel data, a fragment) the next header is read with little around it, so that
        // thousands of fragments cost thousands of small reads, not of 16 KiB ones.
        var readLength = Self.structureReadLength
        while check.offset < fileSize, check.error == nil {
            if check.bytesToSkip > 0 {
                check.skip(fileSize - check.offset)
                readLength = Self.structureReadAfterSkip
                continue
            }
            let piece = try file.read(at: check.offset, length: min(readLength, fileSize - check.offset))
            guard piece.readableBytes > 0 else { break }
            check.consume(piece)
            readLength = min(readLength * 2, Self.structureReadLength)
        }
        if let error = check.finish() {
            throw DICOMParsingError(error.code, offset: error.offset, tag: error.tag, "\(path): \(error.detail)")
        }
        return check.oddLengthTag
    }

    /// How much of the file a structure check reads at once where it cannot seek, and right
    /// after seeking.
    static let structureReadLength = 16 << 10
    static let structureReadAfterSkip = 256

    // MARK: - Sending from the file

    /// The file offsets of the data set's bytes: from the end of the meta information to the
    /// size the file had when opened.
    public var dataSetRange: Range<Int> {
        header.dataSetOffset..<fileSize
    }

    /// A handle of its own on the open file, for sending `dataSetRange` with sendfile(2) after
    /// this source is gone; the caller closes it once the sends are done.
    public func duplicateFileHandle() throws(DICOMParsingError) -> NIOFileHandle {
        NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: try file.duplicateDescriptor())
    }

    /// Checks that the file still reaches the end of `range` and has the kernel start reading
    /// `range` into the page cache: called before sending a part of the data set from the file.
    public func prepareToSend(_ range: Range<Int>) throws(DICOMParsingError) {
        try file.prepareToSend(range)
    }

    // MARK: - Header

    /// Reads a prefix of the file and parses it with ``DICOMFile/readHeader(_:)``, doubling the
    /// prefix while the meta information runs past its end, up to ``maximumHeaderLength``;
    /// returns the header and the prefix read.
    private static func readHeader(of file: FileIO.ReadableFile) throws(DICOMParsingError) -> (DICOMFile.Header, prefix: ByteBuffer) {
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
                    return (header, prefix)
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

    /// The data set's SOP Class and Instance UIDs (0008,0016) and (0008,0018), each nil where
    /// absent or empty (both for an empty data set): read from the header's `prefix` when its
    /// elements reach past them, else from up to ``maximumHeaderLength`` bytes of the data set.
    /// Nil for a deflated data set, or one whose elements before them take more than that.
    /// Throws the reader's error for a data set that ends or is malformed before them.
    private static func identity(
        of file: FileIO.ReadableFile, header: DICOMFile.Header, prefix: ByteBuffer
    ) throws(DICOMParsingError) -> (sopClassUID: UID?, sopInstanceUID: UID?)? {
        let syntax = header.transferSyntax
        let rest = file.size - header.dataSetOffset
        guard rest > 0 else { return (nil, nil) }
        guard !syntax.isDeflated else { return nil }
        var available = prefix.getSlice(at: prefix.readerIndex + header.dataSetOffset, length: max(0, prefix.readableBytes - header.dataSetOffset)) ?? ByteBuffer()
        while true {
            let isWhole = available.readableBytes >= rest
            if let elements = try leadingElements(of: available, syntax: syntax, offsetBase: header.dataSetOffset, isWhole: isWhole) {
                return (nonEmpty(elements.uid(.sopClassUID)), nonEmpty(elements.uid(.sopInstanceUID)))
            }
            let longer = min(rest, maximumHeaderLength)
            guard !isWhole, longer > available.readableBytes else { return nil }
            available = try file.read(at: header.dataSetOffset, length: longer)
        }
    }

    /// The data set's elements up to (0008,0018), if `bytes` holds them all: its elements reach
    /// past that tag, or it is the whole data set (whose reading errors are thrown; those of a
    /// part are not, the rest may mend them).
    private static func leadingElements(of bytes: ByteBuffer, syntax: TransferSyntax, offsetBase: Int, isWhole: Bool) throws(DICOMParsingError) -> DataSet? {
        let elements: DataSet
        let end: Int
        do throws(DICOMParsingError) {
            (elements, end) = try DataSetReader.readGroup(
                bytes, explicit: syntax.isExplicitVR, bigEndian: syntax.isBigEndian, offsetBase: offsetBase,
                while: { $0 <= .sopInstanceUID })
        } catch {
            if isWhole { throw error }
            return nil
        }
        // Stopped at a later tag (4 bytes left to read it from), or at the end of the data set.
        return bytes.readableBytes - end >= 4 || isWhole ? elements : nil
    }

    private static func nonEmpty(_ uid: UID?) -> UID? {
        uid.flatMap { $0.string.isEmpty ? nil : $0 }
    }

    /// An error naming the file.
    private static func error(
        _ code: DICOMParsingError.Code, _ path: String, _ detail: String, offset: Int = 0, tag: Tag? = nil
    ) -> DICOMParsingError {
        DICOMParsingError(code, offset: offset, tag: tag, detail.isEmpty ? path : "\(path): \(detail)")
    }
}
