public import NIOCore
internal import DICOMCore

/// Splits DIMSE messages into P-DATA-TF PDUs that respect the peer's maximum PDU length (PS3.8
/// Annex E, §9.3.5; PS3.7 §8.1).
///
/// The rules it follows, from PS3.8 §E.1 and §E.2:
/// - the command comes first, then the data set; a PDV holds command or data set bytes, never
///   both, and the last PDV of each has the last-fragment bit set;
/// - every fragment has an even length (PS3.8 §E.1), so ``maximumFragmentLength`` is even;
/// - no PDV is sent empty, except the single PDV of a data set that is empty;
/// - a P-DATA-TF carries one PDV. PS3.8 §E.1 allows a command and a data set fragment in one
///   PDU, and "strongly recommends" against two PDVs of the same type in one; one PDV per PDU is
///   what DCMTK and pynetdicom send, and costs 6 bytes a PDU.
///
/// The Maximum Length Received a peer announces (PS3.8 §D.1) bounds a P-DATA-TF's PDU-length,
/// the bytes after its 6-byte header: each PDV there costs 4 (item-length) + 1 (presentation
/// context ID) + 1 (message control header) + its fragment. So a fragment is at most that maximum
/// minus 6, rounded down to even.
///
/// Fragments are slices of the input buffers: nothing is copied, except when a streamed chunk
/// has an odd length (see ``DataSetStream``).
public struct DIMSEFragmenter: Hashable, Sendable {
    /// The peer's Maximum Length Received: the largest PDU-length this fragmenter produces, or 0
    /// for no limit.
    public let maximumPDULength: UInt32

    /// The largest fragment one PDV carries: ``maximumPDULength`` minus 6, rounded down to even,
    /// and at most ``largestFragmentLength`` (also with no limit).
    ///
    /// Streaming callers get full PDUs without copies by handing ``DataSetStream`` chunks whose
    /// length is a multiple of this.
    public let maximumFragmentLength: Int

    /// The largest fragment sent whatever the peer allows, 1 MiB: a peer announcing no limit (0)
    /// or a huge one still gets PDUs it can take in. Receivers commonly read a whole PDU into
    /// memory before using it (DCMTK and pynetdicom do), and a streaming sender reads its file a
    /// fragment or more at a time, so without a bound one PDU of a 1 GiB instance would cost
    /// 1 GiB on both sides. At 1 MiB the 12 bytes of PDU and PDV headers are nothing.
    public static let largestFragmentLength = 1 << 20

    /// The smallest maximum PDU length that carries data: a 6-byte PDV header and a 2-byte
    /// fragment, the shortest non-empty even fragment PS3.8 §E.1 allows. PS3.8 sets no lower
    /// bound on Maximum Length Received; DCMTK and pynetdicom negotiate 16 KiB by default.
    public static let minimumMaximumPDULength: UInt32 = 8

    /// The bytes every PDV adds before its fragment in the PDU's variable field.
    static let pdvOverhead = PDU.PresentationDataValueItem.headerLength

    /// Creates a fragmenter for a peer whose Maximum Length Received is `maximumPDULength`
    /// (0 for no limit).
    ///
    /// - Throws: ``DIMSEError/Code/maximumPDULengthTooSmall`` for 1…7, which leave no room for an
    ///   even fragment.
    public init(maximumPDULength: UInt32) throws(DIMSEError) {
        if maximumPDULength == 0 {
            self.maximumFragmentLength = Self.largestFragmentLength
        } else {
            guard maximumPDULength >= Self.minimumMaximumPDULength else {
                throw DIMSEError(
                    .maximumPDULengthTooSmall,
                    "a maximum PDU length of \(maximumPDULength) leaves no room for a fragment; the smallest usable is \(Self.minimumMaximumPDULength)"
                )
            }
            self.maximumFragmentLength = min(Int(maximumPDULength - UInt32(Self.pdvOverhead)) & ~1, Self.largestFragmentLength)
        }
        self.maximumPDULength = maximumPDULength
    }

    // MARK: Whole messages

    /// The P-DATA-TF PDUs of a message: the command, then the data set if there is one.
    public func fragment(command: ByteBuffer, dataSet: ByteBuffer? = nil, presentationContextID: UInt8) -> [PDU.PDataTF] {
        var pdus: [PDU.PDataTF] = []
        fragment(command: command, dataSet: dataSet, presentationContextID: presentationContextID) { pdus.append($0) }
        return pdus
    }

    /// The P-DATA-TF PDUs of `message`: its command set encoded, then `dataSet` when the message
    /// has one.
    ///
    /// - Throws: ``DIMSEError/Code/invalidField`` when `dataSet` is given for a message whose
    ///   Command Data Set Type says none follows, or missing for one that says one does; what
    ///   ``CommandSet/encode(_:maximumLength:)`` throws.
    public func fragment(_ message: DIMSEMessage, dataSet: ByteBuffer? = nil, presentationContextID: UInt8) throws(DIMSEError) -> [PDU.PDataTF] {
        guard message.hasDataSet == (dataSet != nil) else {
            throw DIMSEError(
                .invalidField,
                tag: .commandDataSetType,
                message.hasDataSet ? "a \(message.commandField) needs a data set" : "a \(message.commandField) announces no data set"
            )
        }
        return fragment(command: try CommandSet.encode(message.commandSet), dataSet: dataSet, presentationContextID: presentationContextID)
    }

    /// Hands `emit` the P-DATA-TF PDUs of a message, in order, without collecting them.
    public func fragment(
        command: ByteBuffer,
        dataSet: ByteBuffer? = nil,
        presentationContextID: UInt8,
        into emit: (PDU.PDataTF) throws -> Void
    ) rethrows {
        try fragmentCommand(command, presentationContextID: presentationContextID, into: emit)
        if let dataSet {
            var stream = dataSetStream(presentationContextID: presentationContextID)
            try stream.append(dataSet, isLast: true, into: emit)
        }
    }

    /// Hands `emit` the P-DATA-TF PDUs of a command alone, the first part of a message whose data
    /// set then goes through a ``DataSetStream``.
    public func fragmentCommand(_ command: ByteBuffer, presentationContextID: UInt8, into emit: (PDU.PDataTF) throws -> Void) rethrows {
        var remaining = command
        while remaining.readableBytes > maximumFragmentLength {
            try emit(Self.pDataTF(remaining.readSlice(length: maximumFragmentLength)!, presentationContextID, [.command]))
        }
        try emit(Self.pDataTF(remaining, presentationContextID, [.command, .lastFragment]))
    }

    /// A stream for a data set handed over in chunks, after its command.
    public func dataSetStream(presentationContextID: UInt8) -> DataSetStream {
        DataSetStream(presentationContextID: presentationContextID, maximumFragmentLength: maximumFragmentLength)
    }

    /// Hands `emit` the P-DATA-TF PDUs of the data set bytes `range` of `file`, each fragment a
    /// region of the file (sent with sendfile(2), never read into memory). A data set sent in
    /// several ranges, in order, gets full PDUs when each range but the last is a multiple of
    /// ``maximumFragmentLength`` long; `endsDataSet` marks the last PDV of the last range.
    ///
    /// - Precondition: `range` is not empty (an empty data set is one empty PDV: send it as a
    ///   ``DataSetStream``).
    public func fileFragments(
        of file: NIOFileHandle,
        range: Range<Int>,
        endsDataSet: Bool,
        presentationContextID: UInt8,
        into emit: (PDU.FileRegionPDataTF) throws -> Void
    ) rethrows {
        precondition(!range.isEmpty, "DIMSEFragmenter.fileFragments: an empty range")
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + maximumFragmentLength, range.upperBound)
            let header: PDU.MessageControlHeader = endsDataSet && end == range.upperBound ? .lastFragment : []
            try emit(PDU.FileRegionPDataTF(
                presentationContextID: presentationContextID, messageControlHeader: header,
                fragment: FileRegion(fileHandle: file, readerIndex: start, endIndex: end)))
            start = end
        }
    }

    static func pDataTF(_ fragment: ByteBuffer, _ presentationContextID: UInt8, _ header: PDU.MessageControlHeader) -> PDU.PDataTF {
        PDU.PDataTF(presentationDataValueItems: [
            PDU.PresentationDataValueItem(presentationContextID: presentationContextID, messageControlHeader: header, fragment: fragment)
        ])
    }
}

// MARK: - Streaming a data set

extension DIMSEFragmenter {
    /// Turns a data set arriving in chunks (read from a file, produced by an encoder) into
    /// P-DATA-TF PDUs, holding back at most one fragment so that the last one can carry the
    /// last-fragment bit.
    ///
    /// Every fragment is a slice of one chunk. A chunk's tail shorter than
    /// ``DIMSEFragmenter/maximumFragmentLength`` becomes a short PDU once the next chunk arrives,
    /// so chunks sized to a multiple of that length give full PDUs. A chunk of odd length (a short
    /// read) would make an odd fragment, which PS3.8 §E.1 forbids: its tail is then joined to the
    /// next chunk by copying, the one copy this type makes.
    public struct DataSetStream: Sendable {
        /// The presentation context of every PDV.
        public let presentationContextID: UInt8

        /// The largest fragment in one PDV.
        public let maximumFragmentLength: Int

        /// Bytes received but not yet sent: the tail that may turn out to be the last fragment.
        private var held: ByteBuffer?

        /// Whether the last chunk has been appended.
        public private(set) var isFinished = false

        init(presentationContextID: UInt8, maximumFragmentLength: Int) {
            self.presentationContextID = presentationContextID
            self.maximumFragmentLength = maximumFragmentLength
        }

        /// The number of bytes held back, waiting for the next chunk.
        public var heldByteCount: Int { held?.readableBytes ?? 0 }

        /// Appends `chunk` and returns the PDUs it completes; with `isLast`, the rest of the data
        /// set, its last PDV marked as such. An empty `chunk` with `isLast` ends the data set.
        public mutating func append(_ chunk: ByteBuffer, isLast: Bool) -> [PDU.PDataTF] {
            var pdus: [PDU.PDataTF] = []
            append(chunk, isLast: isLast) { pdus.append($0) }
            return pdus
        }

        /// Appends `chunk` and hands `emit` the PDUs it completes, in order.
        ///
        /// - Precondition: the last chunk has not been appended yet.
        public mutating func append(_ chunk: ByteBuffer, isLast: Bool, into emit: (PDU.PDataTF) throws -> Void) rethrows {
            precondition(!isFinished, "DIMSEFragmenter.DataSetStream: a chunk appended after the last one")
            var input = chunk
            if var tail = held {
                held = nil
                if tail.readableBytes % 2 == 1 {
                    var joined = ByteBuffer()
                    joined.reserveCapacity(tail.readableBytes + input.readableBytes)
                    joined.writeBuffer(&tail)
                    joined.writeBuffer(&input)
                    input = joined
                } else if input.readableBytes > 0 {
                    try emit(pdu(tail, isLast: false))
                } else if isLast {
                    isFinished = true
                    try emit(pdu(tail, isLast: true))
                    return
                } else {
                    held = tail
                    return
                }
            }
            while input.readableBytes > maximumFragmentLength {
                try emit(pdu(input.readSlice(length: maximumFragmentLength)!, isLast: false))
            }
            if isLast {
                // Empty only when the whole data set is: after any PDU, the tail held back is not.
                isFinished = true
                try emit(pdu(input, isLast: true))
            } else if input.readableBytes > 0 {
                held = input
            }
        }

        private func pdu(_ fragment: ByteBuffer, isLast: Bool) -> PDU.PDataTF {
            DIMSEFragmenter.pDataTF(fragment, presentationContextID, isLast ? .lastFragment : [])
        }
    }
}
