import DICOMCore
import DICOMNetworkCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

extension DIMSEEndpoint {
    /// How a data set goes out on a context: as it is, or converted to the context's syntax.
    struct StorePlan {
        var contextID: UInt8
        var transferSyntax: TransferSyntax
        var needsConversion: Bool
    }

    /// The accepted context to send an instance of `sopClass` encoded in `syntax` on: one with
    /// that very syntax if accepted; else, for an uncompressed syntax, one with another
    /// uncompressed syntax to convert to (PS3.5 §A); nil when there is none. Only contexts where
    /// the local AE may act as SCU qualify (a C-GET's sub-operations use the requestor's SCP role).
    func storePlan(sopClass: UID, syntax: TransferSyntax) -> StorePlan? {
        // One pass over the contexts, nothing allocated: this runs for every instance sent.
        var conversion: StorePlan?
        for context in outcome.presentationContexts where context.isAccepted && context.abstractSyntax == sopClass && context.asSCU != false {
            guard let id = context.contextID, let uid = context.transferSyntax else { continue }
            if uid == syntax.uid { return StorePlan(contextID: id, transferSyntax: syntax, needsConversion: false) }
            guard conversion == nil, syntax.isUncompressed else { continue }
            let target = TransferSyntax(uid: uid)
            if target.isKnown && target.isUncompressed {
                conversion = StorePlan(contextID: id, transferSyntax: target, needsConversion: true)
            }
        }
        return conversion
    }

    /// Sends one instance as a C-STORE request and returns the peer's response. A file goes out
    /// in chunks read as they are sent, unless it must be converted to another transfer syntax;
    /// one whose data set is truncated or malformed is not sent (``AssociationError/Code/invalidInput``).
    ///
    /// `progress` learns how much of a file's data set went out (see
    /// ``Association/store(fileAt:priority:moveOriginator:progress:)``).
    func store(
        _ item: RetrieveItem,
        priority: DIMSEPriority = .medium,
        moveOriginator: (aeTitle: String, messageID: UInt16)? = nil,
        progress: StoreProgress? = nil
    ) async throws(AssociationError) -> CStoreResponse {
        try await onChannelLoop { () async throws(AssociationError) in
            try await send(item, priority: priority, moveOriginator: moveOriginator, progress: progress)
        }
    }

    /// Told the bytes of a data set handed to the connection so far, and its length.
    typealias StoreProgress = @Sendable (_ sentBytes: Int, _ dataSetLength: Int) -> Void

    private func send(
        _ item: RetrieveItem,
        priority: DIMSEPriority,
        moveOriginator: (aeTitle: String, messageID: UInt16)?,
        progress: StoreProgress?
    ) async throws(AssociationError) -> CStoreResponse {
        switch item {
        case .file(let path), .indexedFile(let path, _, _, _):
            if link.sendsDataSetsFromFiles {
                return try await sendFromFile(path, priority: priority, moveOriginator: moveOriginator, progress: progress)
            }
            return try await sendInChunks(path, priority: priority, moveOriginator: moveOriginator, progress: progress)
        case .dataSet(let dataSet, let sopClassUID, let sopInstanceUID, let syntax):
            let plan = try storePlan(sopClassUID, syntax, what: "\(sopInstanceUID)")
            return try await store(storeRequest(sopClassUID, sopInstanceUID, priority, moveOriginator), dataSet: dataSet, plan: plan)
        }
    }

    /// Sends a file's data set in chunks read as they go out.
    private func sendInChunks(
        _ path: String,
        priority: DIMSEPriority,
        moveOriginator: (aeTitle: String, messageID: UInt16)?,
        progress: StoreProgress? = nil
    ) async throws(AssociationError) -> CStoreResponse {
        let chunkSize = Self.chunkSize(for: link.fragmenter)
        // The header and the first chunk in one trip to the I/O threads: for a small
        // instance, that is the whole file.
        let (source, firstChunk, oddLengthTag): (Part10FileSource, ByteBuffer?, Tag?)
        do {
            (source, firstChunk, oddLengthTag) = try await BlockingIO.transfer.runIfActive {
                var source = try Part10FileSource(path: path)
                let first = try source.nextChunkToSend(maximumLength: chunkSize)
                let odd = try source.checkStructure(startingWith: first)
                return (source, first, odd)
            }
        } catch {
            throw AssociationError(.invalidInput, "\(path): \(error)")
        }
        let plan = try storePlan(source.sopClassUID, source.header.transferSyntax, what: path)
        let request = storeRequest(source.sopClassUID, source.sopInstanceUID, priority, moveOriginator)
        if let oddLengthTag {
            return try await storePadded(path, oddLengthTag: oddLengthTag, request: request, plan: plan)
        }
        if plan.needsConversion {
            return try await storeConverted(source, request: request, plan: plan, progress: progress)
        }
        let reader = Mutex((source: source, first: firstChunk, sent: 0))
        let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
            try await link.send(commandSet: request.commandSet, presentationContextID: plan.contextID) {
                let (first, done, sent, length) = reader.withLock { state -> (ByteBuffer?, Bool, Int, Int) in
                    if let first = state.first {
                        state.first = nil
                        state.sent += first.readableBytes
                        return (first, false, state.sent, state.source.dataSetLength)
                    }
                    return (nil, state.sent >= state.source.dataSetLength, state.sent, state.source.dataSetLength)
                }
                if let first {
                    progress?(sent, length)
                    return first
                }
                if done { return nil }
                let (chunk, total) = try await BlockingIO.transfer.runIfActive {
                    try reader.withLock { state in
                        let chunk = try state.source.nextChunkToSend(maximumLength: chunkSize)
                        state.sent += chunk?.readableBytes ?? 0
                        return (chunk, state.sent)
                    }
                }
                if chunk != nil { progress?(total, length) }
                return chunk
            }
        }
        return try Self.storeResponse(response)
    }

    /// Sends a file's data set from the file itself (sendfile(2)): opening reads only its meta
    /// information and first elements, and the kernel is asked to read the rest ahead; a data
    /// set that must be converted, is empty, or lacks its deflate padding is read instead. One
    /// of at most ``longestDataSetSentFromMemory`` bytes is read whole as the file is opened
    /// and goes out from memory.
    private func sendFromFile(
        _ path: String,
        priority: DIMSEPriority,
        moveOriginator: (aeTitle: String, messageID: UInt16)?,
        progress: StoreProgress?
    ) async throws(AssociationError) -> CStoreResponse {
        let (source, data, oddLengthTag): (Part10FileSource, FileDataSet?, Tag?)
        do {
            (source, data, oddLengthTag) = try await BlockingIO.transfer.runIfActive {
                let source = try Part10FileSource(path: path)
                let range = source.dataSetRange
                if !range.isEmpty, range.count <= Self.longestDataSetSentFromMemory, !source.lacksDeflatePadding,
                    self.storePlan(sopClass: source.sopClassUID, syntax: source.header.transferSyntax)?.needsConversion == false
                {
                    // Read whole, and checked in memory rather than by a second pass over the file.
                    var reader = source
                    let bytes = try reader.nextChunk(maximumLength: range.count)
                    let odd = try source.checkStructure(startingWith: bytes)
                    return (source, odd == nil ? bytes.map(FileDataSet.bytes) : nil, odd)
                }
                let odd = try source.checkStructure()
                guard !range.isEmpty, odd == nil else { return (source, nil, odd) }
                try source.prepareToSend(range.lowerBound..<min(range.upperBound, range.lowerBound + AssociationLink.fileBatchLength))
                return (source, .file(try source.duplicateFileHandle()), nil)
            }
        } catch {
            throw AssociationError(.invalidInput, "\(path): \(error)")
        }
        let request = storeRequest(source.sopClassUID, source.sopInstanceUID, priority, moveOriginator)
        if case .bytes(let bytes) = data {
            let plan = try storePlan(source.sopClassUID, source.header.transferSyntax, what: path)
            let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
                try await link.send(commandSet: request.commandSet, dataSet: bytes, presentationContextID: plan.contextID)
                progress?(bytes.readableBytes, bytes.readableBytes)
            }
            return try Self.storeResponse(response)
        }
        if source.lacksDeflatePadding {
            // The padding byte is not in the file: read and sent in chunks instead (rare).
            data?.close()
            return try await sendInChunks(path, priority: priority, moveOriginator: moveOriginator, progress: progress)
        }
        let plan: StorePlan
        do {
            plan = try storePlan(source.sopClassUID, source.header.transferSyntax, what: path)
        } catch {
            data?.close()
            throw error
        }
        if let oddLengthTag {
            // No handle was taken: the file is read whole to be padded (rare).
            return try await storePadded(path, oddLengthTag: oddLengthTag, request: request, plan: plan)
        }
        guard case .file(let file) = data, !plan.needsConversion else {
            data?.close()
            if plan.needsConversion { return try await storeConverted(source, request: request, plan: plan, progress: progress) }
            // An empty data set: one empty PDV.
            let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
                try await link.send(commandSet: request.commandSet, dataSet: ByteBuffer(), presentationContextID: plan.contextID)
            }
            return try Self.storeResponse(response)
        }
        let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
            let whole = source.dataSetRange
            try await link.send(commandSet: request.commandSet, presentationContextID: plan.contextID, file: file, dataSetRange: whole) { range in
                // Before each batch after the first: what went before it is with the connection.
                progress?(range.lowerBound - whole.lowerBound, whole.count)
                try await BlockingIO.transfer.runIfActive { try source.prepareToSend(range) }
            }
            progress?(whole.count, whole.count)
        }
        return try Self.storeResponse(response)
    }

    /// The longest data set that ``sendFromFile(_:priority:moveOriginator:progress:)`` reads
    /// whole rather than sends with sendfile(2). Sent from memory, a message's PDUs leave in one
    /// writev, read on an I/O thread while the message before it is on the wire; from the
    /// file, each PDU costs two system calls on the event loop (its header, then sendfile) and
    /// reaches the peer as a segment of its own. The bound keeps what the sub-operations of a
    /// retrieve hold read ahead small (see ``subOperationsAtOnce(over:listed:)``); a longer data set
    /// would also block its I/O thread for longer.
    static let longestDataSetSentFromMemory = 1 << 20

    /// A file's data set as it is about to go out: read, or a handle to send it from.
    private enum FileDataSet {
        case bytes(ByteBuffer)
        case file(NIOFileHandle)

        func close() {
            if case .file(let handle) = self { try? handle.close() }
        }
    }

    /// A data set at least this long, converted between Little Endian syntaxes or to Big
    /// Endian or Deflated, is converted as it is sent; a shorter one is read whole first, so
    /// that a file that cannot be converted fails alone, before its C-STORE starts, rather than
    /// in the middle, which only an abort of the association could end.
    static let streamedConversionLength = 8 << 20

    /// Sends the data set of the file `source` opened converted to the plan's syntax: a long
    /// one between Explicit and Implicit VR Little Endian, or from either to Explicit VR Big
    /// Endian, as it is read (``TranscodingFileReader``: memory stays flat for any size), or
    /// from either to Deflated Explicit VR Little Endian (``DeflatingFileReader``), else read
    /// whole and converted.
    private func storeConverted(
        _ source: Part10FileSource, request: CStoreRequest, plan: StorePlan, progress: StoreProgress? = nil
    ) async throws(AssociationError) -> CStoreResponse {
        let path = source.path
        if source.dataSetLength >= Self.streamedConversionLength, DeflatingFileReader.converts(source.transferSyntax, to: plan.transferSyntax) {
            let chunkSize = Self.chunkSize(for: link.fragmenter)
            let reader: DeflatingFileReader
            do {
                reader = try DeflatingFileReader(source)
            } catch {
                throw AssociationError(.invalidInput, "\(path): \(error)")
            }
            // No progress: the deflated length is known only at the end.
            let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
                try await link.send(commandSet: request.commandSet, presentationContextID: plan.contextID) {
                    try await BlockingIO.transfer.runIfActive { try reader.nextChunk(maximumLength: chunkSize) }
                }
            }
            return try Self.storeResponse(response)
        }
        if source.dataSetLength >= Self.streamedConversionLength, TranscodingFileReader.converts(source.transferSyntax, to: plan.transferSyntax) {
            let chunkSize = Self.chunkSize(for: link.fragmenter)
            // The file's data set length: the converted one differs by a few bytes per element.
            let length = source.dataSetLength
            let reader = Mutex((reader: TranscodingFileReader(source, to: plan.transferSyntax), sent: 0))
            let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
                try await link.send(commandSet: request.commandSet, presentationContextID: plan.contextID) {
                    let (chunk, sent) = try await BlockingIO.transfer.runIfActive {
                        try reader.withLock { state in
                            let chunk = try state.reader.nextChunk(maximumLength: chunkSize)
                            state.sent += chunk?.readableBytes ?? 0
                            return (chunk, state.sent)
                        }
                    }
                    if chunk != nil { progress?(min(sent, length), length) }
                    return chunk
                }
            }
            return try Self.storeResponse(response)
        }
        let file: DICOMFile
        do {
            file = try await BlockingIO.transfer.runIfActive { try DICOMFile(contentsOf: path) }
        } catch {
            throw AssociationError(.invalidInput, "\(path): \(error)")
        }
        return try await store(request, dataSet: file.dataSet, plan: plan)
    }

    /// Sends the data set of the file at `path`, whose values include some of odd length (the
    /// first is `oddLengthTag`), with each padded to even (``DataSet/paddedToEvenLengths()``), as
    /// DCMTK's storescu sends such a file: read whole, padded, and encoded in the plan's syntax.
    /// Sent as they are, they would make a data set of odd length, which DCMTK's receivers abort
    /// the association over, or one it would keep with the lengths PS3.5 §7.1.1 forbids.
    private func storePadded(
        _ path: String, oddLengthTag: Tag, request: CStoreRequest, plan: StorePlan
    ) async throws(AssociationError) -> CStoreResponse {
        logger.notice("\(path): values of odd length, from \(oddLengthTag) on, are sent padded to even length")
        let file: DICOMFile
        do {
            file = try await BlockingIO.transfer.runIfActive { try DICOMFile(contentsOf: path) }
        } catch {
            throw AssociationError(.invalidInput, "\(path): \(error)")
        }
        return try await store(request, dataSet: file.dataSet.paddedToEvenLengths(), plan: plan)
    }

    /// Sends a data set already encoded in `syntax` as a C-STORE request: as it is when a context
    /// with that syntax was accepted, else decoded and converted like any data set.
    func store(
        encoded bytes: ByteBuffer,
        sopClassUID: UID,
        sopInstanceUID: UID,
        syntax: TransferSyntax,
        priority: DIMSEPriority
    ) async throws(AssociationError) -> CStoreResponse {
        try await onChannelLoop { () async throws(AssociationError) in
            let plan = try storePlan(sopClassUID, syntax, what: "\(sopInstanceUID)")
            let request = storeRequest(sopClassUID, sopInstanceUID, priority, nil)
            guard !plan.needsConversion else {
                let dataSet: DataSet
                do {
                    dataSet = try DataSetReader.read(bytes, transferSyntax: syntax)
                } catch {
                    throw AssociationError(.invalidInput, "\(sopInstanceUID): cannot read the data set to convert it: \(error)")
                }
                return try await store(request, dataSet: dataSet, plan: plan)
            }
            var bytes = bytes
            // A deflated stream written without its padding gets it on the wire.
            if syntax.isDeflated { bytes.padDeflatedDataSet() }
            let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
                try await link.send(commandSet: request.commandSet, dataSet: bytes, presentationContextID: plan.contextID)
            }
            return try Self.storeResponse(response)
        }
    }

    private func store(_ request: CStoreRequest, dataSet: DataSet, plan: StorePlan) async throws(AssociationError) -> CStoreResponse {
        let bytes: ByteBuffer
        do {
            bytes = try DataSetWriter.encode(dataSet, transferSyntax: plan.transferSyntax)
        } catch {
            throw AssociationError(.invalidInput, "cannot encode \(request.affectedSOPInstanceUID) in \(plan.transferSyntax.uid): \(error)")
        }
        let response = try await exchange(messageID: request.messageID) { () async throws(AssociationError) in
            try await link.send(commandSet: request.commandSet, dataSet: bytes, presentationContextID: plan.contextID)
        }
        return try Self.storeResponse(response)
    }

    private func storePlan(_ sopClass: UID, _ syntax: TransferSyntax, what: String) throws(AssociationError) -> StorePlan {
        guard let plan = storePlan(sopClass: sopClass, syntax: syntax) else {
            throw AssociationError(.noAcceptedContext, "\(what): the peer accepted no context for \(sopClass.name ?? sopClass.string) (\(sopClass.string)) in \(syntax.uid.name ?? syntax.uid.string) or a syntax it converts to")
        }
        return plan
    }

    private func storeRequest(_ sopClass: UID, _ sopInstance: UID, _ priority: DIMSEPriority, _ moveOriginator: (aeTitle: String, messageID: UInt16)?) -> CStoreRequest {
        CStoreRequest(
            messageID: nextMessageID(), affectedSOPClassUID: sopClass, affectedSOPInstanceUID: sopInstance, priority: priority,
            moveOriginatorApplicationEntityTitle: moveOriginator?.aeTitle, moveOriginatorMessageID: moveOriginator?.messageID)
    }

    private static func storeResponse(_ message: AssociationRouter.Message) throws(AssociationError) -> CStoreResponse {
        do {
            return try CStoreResponse(commandSet: message.commandSet)
        } catch {
            throw AssociationError(.protocolViolation, "malformed C-STORE-RSP: \(error)")
        }
    }

    /// Commits a data set streamed to a file for `request`; returns the store handler's status
    /// when it answers as the file is committed (``StoreHandler/receivedWhileCommitting``,
    /// ``StoreHandler/receivedOnFileThread``), nil when ``StoreHandler/received`` answers.
    func commitFile(_ reception: FileReception, for request: StoreRequest, handler: StoreHandler) async throws -> DIMSEStatus? {
        let path = reception.path
        if let whileCommitting = handler.receivedWhileCommitting, reception.keepsWholeDataSet {
            let (committed, answer) = try await reception.commit(on: link.channel.eventLoop) { kept in
                kept.flatMap { kept in
                    whileCommitting(ReceivedInstance(request: request, location: .file(path), dataSetLength: kept.readableBytes, dataSetBytes: kept))
                }
            }
            return answer?(ReceivedInstance(
                request: request, location: .file(path), dataSetLength: committed.dataSetLength, dataSetBytes: committed.kept,
                fileLength: committed.fileLength))
        }
        guard let answer = handler.receivedOnFileThread else {
            try await reception.commit()
            return nil
        }
        return try await reception.commit { committed in
            answer(ReceivedInstance(
                request: request, location: .file(path), dataSetLength: committed.dataSetLength, dataSetBytes: committed.kept,
                dataSetPrefixFragments: committed.prefix, fileLength: committed.fileLength))
        }
    }

    /// File reads of about 1 MiB, a whole number of PDV fragments so that every PDU is full.
    static func chunkSize(for fragmenter: DIMSEFragmenter) -> Int {
        let fragment = max(2, fragmenter.maximumFragmentLength)
        return fragment >= 1 << 20 ? fragment : (1 << 20) / fragment * fragment
    }
}
