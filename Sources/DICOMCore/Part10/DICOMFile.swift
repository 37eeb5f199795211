public import NIOCore

/// A DICOM file (PS3.10 §7): a 128-byte preamble, the prefix "DICM", the file meta information
/// (group 0002, always Explicit VR Little Endian) and the data set in the transfer syntax the meta
/// information names.
///
/// Files without preamble and meta information (bare data sets, as some old systems write them)
/// are read too: the transfer syntax is then detected from the first element.
public struct DICOMFile: Sendable {
    /// The 128-byte preamble, or nil for a bare data set read without one.
    public var preamble: ByteBuffer?
    /// The file meta information, group 0002 (PS3.10 §7.1). Empty for a bare data set.
    public var fileMetaInformation: DataSet
    /// The data set.
    public var dataSet: DataSet
    /// The transfer syntax of ``dataSet``.
    public var transferSyntax: TransferSyntax

    /// Creates a file with a zero preamble and the given meta information.
    public init(fileMetaInformation: DataSet, dataSet: DataSet, transferSyntax: TransferSyntax) {
        var preamble = ByteBuffer()
        preamble.writeRepeatingByte(0, count: 128)
        self.preamble = preamble
        self.fileMetaInformation = fileMetaInformation
        self.dataSet = dataSet
        self.transferSyntax = transferSyntax
    }

    /// Creates a file for `dataSet` with meta information made by ``FileMetaInformation/make``
    /// from the data set's SOP Class and Instance UIDs.
    public init(dataSet: DataSet, transferSyntax: TransferSyntax, sourceAETitle: String? = nil) {
        let meta = FileMetaInformation.make(
            sopClassUID: dataSet.uid(.sopClassUID) ?? "",
            sopInstanceUID: dataSet.uid(.sopInstanceUID) ?? "",
            transferSyntax: transferSyntax,
            sourceAETitle: sourceAETitle)
        self.init(fileMetaInformation: meta, dataSet: dataSet, transferSyntax: transferSyntax)
    }

    // MARK: - Reading

    /// Reads the file at `path`. The file is read into memory once; every value of the result is
    /// a slice of that one copy.
    public init(contentsOf path: String, limits: DataSetReader.Limits = .default) throws(DICOMParsingError) {
        try self.init(reading: FileIO.readAll(path), limits: limits)
    }

    /// Decodes a whole file held in `buffer`.
    public init(reading buffer: ByteBuffer, limits: DataSetReader.Limits = .default) throws(DICOMParsingError) {
        let input = buffer.slice()
        let header = try DICOMFile.readHeader(input)
        self.preamble = header.preamble
        self.fileMetaInformation = header.meta
        self.transferSyntax = header.transferSyntax
        let body = input.getSlice(at: header.dataSetOffset, length: input.readableBytes - header.dataSetOffset)!
        self.dataSet = try DataSetReader.read(body, transferSyntax: header.transferSyntax, limits: limits, offsetBase: header.dataSetOffset)
    }

    /// Reads the file at `path` as far as it is well formed, for a reader that shows a damaged
    /// file as far as it goes: the file with its data set cut at the first malformed element
    /// (``DataSetReader/readSalvaging(_:transferSyntax:limits:offsetBase:characterSet:)``) and
    /// that error, nil when the whole file read; no file when not even the preamble and meta
    /// information read.
    public static func readSalvaging(contentsOf path: String, limits: DataSetReader.Limits = .default) -> (file: DICOMFile?, error: DICOMParsingError?) {
        do {
            let input = try FileIO.readAll(path).slice()
            let header = try DICOMFile.readHeader(input)
            let body = input.getSlice(at: header.dataSetOffset, length: input.readableBytes - header.dataSetOffset)!
            let (dataSet, error) = DataSetReader.readSalvaging(body, transferSyntax: header.transferSyntax, limits: limits, offsetBase: header.dataSetOffset)
            var file = DICOMFile(fileMetaInformation: header.meta, dataSet: dataSet, transferSyntax: header.transferSyntax)
            file.preamble = header.preamble
            return (file, error)
        } catch {
            return (nil, error)
        }
    }

    /// What precedes the data set: preamble, meta information and where the data set starts.
    public struct Header: Sendable {
        /// The preamble, nil when absent.
        public var preamble: ByteBuffer?
        /// The file meta information.
        public var meta: DataSet
        /// The transfer syntax of the data set.
        public var transferSyntax: TransferSyntax
        /// The offset of the data set's first byte.
        public var dataSetOffset: Int
    }

    /// Reads only the preamble and meta information: what a C-STORE SCU needs before streaming the
    /// rest of a file.
    public static func readHeader(_ input: ByteBuffer) throws(DICOMParsingError) -> Header {
        let length = input.readableBytes
        let start = input.readerIndex
        var preamble: ByteBuffer?
        var metaOffset: Int
        if length >= 132, input.getBytes(at: start + 128, length: 4) == Array("DICM".utf8) {
            preamble = input.getSlice(at: start, length: 128)
            metaOffset = 132
        } else if length >= 4, input.getBytes(at: start, length: 4) == Array("DICM".utf8) {
            metaOffset = 4  // a prefix without preamble, as a few writers leave it
        } else {
            let syntax = try detectTransferSyntax(input)
            return Header(preamble: nil, meta: DataSet(), transferSyntax: syntax, dataSetOffset: 0)
        }
        let metaBytes = input.getSlice(at: start + metaOffset, length: length - metaOffset)!
        let explicit = looksExplicit(metaBytes, at: 0)
        let (meta, metaLength) = try DataSetReader.readGroup(metaBytes, explicit: explicit, offsetBase: metaOffset) { $0.group == 0x0002 }
        let dataSetOffset = metaOffset + metaLength
        let body = input.getSlice(at: start + dataSetOffset, length: length - dataSetOffset)!
        guard let syntaxElement = meta[.transferSyntaxUID]?.bytes else {
            // As DCMTK does, fall back to detecting the encoding from the first element.
            guard let detected = try? detectTransferSyntax(body) else {
                throw DICOMParsingError(.missingTransferSyntax, offset: metaOffset, tag: .transferSyntaxUID, "the file meta information has no Transfer Syntax UID")
            }
            return Header(preamble: preamble, meta: meta, transferSyntax: detected, dataSetOffset: dataSetOffset)
        }
        let declared = TransferSyntax(uid: UID(String(decoding: syntaxElement.readableBytesView, as: UTF8.self)))
        return Header(preamble: preamble, meta: meta, transferSyntax: correctedSyntax(declared, for: body), dataSetOffset: dataSetOffset)
    }

    /// Some writers declare an explicit VR syntax and then encode the data set in Implicit VR
    /// Little Endian, or the other way round. When the first element's VR bytes name no VR but
    /// its implicit length fits, or name one where Implicit VR is declared, the data set is
    /// read (and written back, and sent) as what it is.
    private static func correctedSyntax(_ declared: TransferSyntax, for body: ByteBuffer) -> TransferSyntax {
        if declared == .implicitVRLittleEndian, body.readableBytes >= 8, looksExplicit(body, at: 0) {
            return .explicitVRLittleEndian
        }
        guard declared.isExplicitVR, !declared.isDeflated, !declared.isBigEndian, body.readableBytes >= 8,
              !looksExplicit(body, at: 0),
              let implicitLength = body.getInteger(at: body.readerIndex + 4, endianness: .little, as: UInt32.self),
              implicitLength == 0xFFFF_FFFF || Int(implicitLength) <= body.readableBytes - 8
        else { return declared }
        return .implicitVRLittleEndian
    }

    /// Guesses the encoding of a bare data set from its first element: big endian if the group
    /// reads smaller that way, explicit VR if bytes 4–5 name a VR (the approach of PS3.5 §A's
    /// rules, as every toolkit does it).
    static func detectTransferSyntax(_ input: ByteBuffer) throws(DICOMParsingError) -> TransferSyntax {
        guard input.readableBytes >= 8 else {
            throw DICOMParsingError(.notPart10, offset: 0, tag: nil, "\(input.readableBytes) bytes: neither a DICOM file nor a data set")
        }
        let start = input.readerIndex
        // Zeros (an empty disk block, a preamble cut short) would read as endless empty
        // (0000,0000) elements; a real data set's first element has a length.
        if input.getInteger(at: start, as: UInt64.self) == 0 {
            throw DICOMParsingError(.notPart10, offset: 0, tag: nil, "no DICM prefix, and it begins with zero bytes, not a DICOM element")
        }
        let little = input.getInteger(at: start, endianness: .little, as: UInt16.self)!
        let big = input.getInteger(at: start, endianness: .big, as: UInt16.self)!
        let explicit = looksExplicit(input, at: 0)
        if big < little && big != 0 {
            guard explicit else {
                throw DICOMParsingError(.notPart10, offset: 0, tag: nil, "no DICM prefix, and the first element is not a DICOM element")
            }
            return .explicitVRBigEndian
        }
        // A plausible first group: a command, meta, or the usual 0008 identifying group.
        guard little <= 0x0008 || explicit else {
            throw DICOMParsingError(.notPart10, offset: 0, tag: nil, "no DICM prefix, and the first element (group \(Tag.hex4(little))) does not look like a DICOM data set")
        }
        return explicit ? .explicitVRLittleEndian : .implicitVRLittleEndian
    }

    private static func looksExplicit(_ buffer: ByteBuffer, at offset: Int) -> Bool {
        guard let code = buffer.getInteger(at: buffer.readerIndex + offset + 4, endianness: .big, as: UInt16.self) else { return false }
        return VR(code: code) != nil
    }

    // MARK: - Writing

    /// Encodes the whole file into one buffer.
    public func encoded() throws(DICOMEncodingError) -> ByteBuffer {
        var output = ByteBuffer()
        try write { chunk in
            var chunk = chunk
            output.writeBuffer(&chunk)
        }
        return output
    }

    /// Encodes the file, handing its bytes to `handleChunk` in order (see ``DataSetWriter``).
    ///
    /// A (0002,0000) File Meta Information Group Length present in the meta information is
    /// written with the length of the group as it is now (PS3.10 §7.1).
    public func write(to handleChunk: (ByteBuffer) throws -> Void) throws(DICOMEncodingError) {
        var head = ByteBuffer()
        if let preamble {
            head.writeImmutableBuffer(preamble)
            head.writeString("DICM")
        } else if !fileMetaInformation.isEmpty {
            head.writeRepeatingByte(0, count: 128)
            head.writeString("DICM")
        }
        if !fileMetaInformation.isEmpty {
            try FileMetaInformation.encode(fileMetaInformation, into: &head)
        }
        do {
            try handleChunk(head)
        } catch {
            throw DICOMEncodingError(.outputFailed, tag: nil, "\(error)")
        }
        try DataSetWriter.write(dataSet, transferSyntax: transferSyntax, to: handleChunk)
    }

    /// Writes the file to `path` durably: into a temporary file beside it, flushed to disk, then
    /// renamed over `path`, so a reader never sees half a file and a crash never leaves one.
    public func write(toFileAt path: String, durable: Bool = true) throws(DICOMEncodingError) {
        try FileIO.writeAtomically(to: path, durable: durable) { handleChunk throws(DICOMEncodingError) in
            try write(to: handleChunk)
        }
    }
}
