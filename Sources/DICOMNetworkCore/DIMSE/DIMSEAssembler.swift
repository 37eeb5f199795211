public import DICOMCore
public import NIOCore

/// Reassembles DIMSE messages from received Presentation-data-value Items (PS3.8 Annex E, PS3.7
/// §8.1): a pure state machine, fed one PDV or P-DATA-TF at a time.
///
/// The command is buffered (it is small and bounded by ``maximumCommandSetLength``) and handed
/// over decoded once its last fragment arrives. The data set is not buffered: each of its
/// fragments is handed over as received, a slice of the PDU, so that a C-STORE SCP can stream an
/// instance of any size to disk. ``DIMSEMessageCollector`` collects whole data sets when wanted.
///
/// Every violation of PS3.8 §E.1 throws a ``DIMSEError``, after which the association is to be
/// aborted; the assembler drops the partial message and is back between messages. Fragments of one
/// message shall share one presentation context and shall not interleave with another message's;
/// a data set shall follow its command, and only when the command's Command Data Set Type
/// announces one (PS3.7 §6.3.1, §E.1). PS3.8 §E.1 also asks that one P-DATA-TF carry fragments of
/// one message only; that is not checked, since the order of the PDVs says all that matters.
public struct DIMSEAssembler: Sendable {
    /// What a received PDV completes.
    public enum Output: Equatable, Sendable {
        /// A command has arrived whole: its decoded command set, and whether a data set follows
        /// (its Command Data Set Type is not 0101H). When one does, the next outputs are its
        /// fragments.
        case command(presentationContextID: UInt8, commandSet: DataSet, dataSetFollows: Bool)

        /// One fragment of the data set that the last command announced: a slice of the received
        /// PDU, the last one flagged.
        case dataSetFragment(presentationContextID: UInt8, fragment: ByteBuffer, isLast: Bool)
    }

    enum State: Sendable {
        /// Between messages: the next PDV starts a command.
        case idle
        /// Command fragments have arrived, not the last one yet.
        case receivingCommand(presentationContextID: UInt8, bytes: ByteBuffer)
        /// The command announced a data set; its last fragment has not arrived yet.
        case receivingDataSet(presentationContextID: UInt8)
    }

    /// The longest command set accepted, over all its fragments.
    public let maximumCommandSetLength: Int

    private(set) var state: State = .idle

    /// Creates an assembler between messages.
    public init(maximumCommandSetLength: Int = CommandSet.maximumLength) {
        self.maximumCommandSetLength = maximumCommandSetLength
    }

    /// Whether no message is partly received: the last message, data set included, is complete.
    public var isBetweenMessages: Bool {
        if case .idle = state { return true }
        return false
    }

    /// Feeds every PDV of `pDataTF`, in order, and returns what they complete.
    public mutating func pDataTFReceived(_ pDataTF: PDU.PDataTF) throws(DIMSEError) -> [Output] {
        var outputs: [Output] = []
        outputs.reserveCapacity(pDataTF.presentationDataValueItems.count)
        for item in pDataTF.presentationDataValueItems {
            if let output = try pdvReceived(item) { outputs.append(output) }
        }
        return outputs
    }

    /// Feeds one PDV; returns the command it completes, the data set fragment it is, or nil for a
    /// command fragment that is not the last.
    public mutating func pdvReceived(_ pdv: PDU.PresentationDataValueItem) throws(DIMSEError) -> Output? {
        let contextID = pdv.presentationContextID
        let header = pdv.messageControlHeader
        switch state {
        case .idle:
            guard header.isCommand else {
                throw DIMSEError(
                    .dataSetWithoutCommand,
                    presentationContextID: contextID,
                    "a data set fragment arrived when no command announcing a data set was waiting for one (PS3.8 §E.1)"
                )
            }
            guard pdv.fragment.readableBytes <= maximumCommandSetLength else {
                throw commandTooLarge(pdv.fragment.readableBytes, contextID)
            }
            guard header.isLastFragment else {
                state = .receivingCommand(presentationContextID: contextID, bytes: pdv.fragment)
                return nil
            }
            return try commandCompleted(pdv.fragment, contextID: contextID)

        case .receivingCommand(let expectedID, var bytes):
            // From here on `bytes` is the only reference, so appending to it does not copy.
            state = .idle
            guard contextID == expectedID else {
                throw Self.contextMismatch(contextID, expected: expectedID)
            }
            guard header.isCommand else {
                throw DIMSEError(
                    .dataSetDuringCommand,
                    presentationContextID: contextID,
                    "a data set fragment arrived before the last fragment of its command (PS3.8 §E.1)"
                )
            }
            let length = bytes.readableBytes + pdv.fragment.readableBytes
            guard length <= maximumCommandSetLength else {
                throw commandTooLarge(length, contextID)
            }
            var fragment = pdv.fragment
            bytes.writeBuffer(&fragment)
            guard header.isLastFragment else {
                state = .receivingCommand(presentationContextID: contextID, bytes: bytes)
                return nil
            }
            return try commandCompleted(bytes, contextID: contextID)

        case .receivingDataSet(let expectedID):
            state = .idle
            guard contextID == expectedID else {
                throw Self.contextMismatch(contextID, expected: expectedID)
            }
            guard !header.isCommand else {
                throw DIMSEError(
                    .commandDuringDataSet,
                    presentationContextID: contextID,
                    "a command fragment arrived before the last fragment of the data set the previous command announced (PS3.8 §E.1)"
                )
            }
            if !header.isLastFragment { state = .receivingDataSet(presentationContextID: contextID) }
            return .dataSetFragment(presentationContextID: contextID, fragment: pdv.fragment, isLast: header.isLastFragment)
        }
    }

    /// Decodes a command whose last fragment has arrived.
    private mutating func commandCompleted(_ bytes: ByteBuffer, contextID: UInt8) throws(DIMSEError) -> Output {
        let commandSet = try CommandSet.decode(bytes, maximumLength: maximumCommandSetLength)
        let dataSetFollows = try CommandSet.dataSetType(of: commandSet).isPresent
        state = dataSetFollows ? .receivingDataSet(presentationContextID: contextID) : .idle
        return .command(presentationContextID: contextID, commandSet: commandSet, dataSetFollows: dataSetFollows)
    }

    private func commandTooLarge(_ length: Int, _ contextID: UInt8) -> DIMSEError {
        DIMSEError(
            .commandSetTooLarge,
            presentationContextID: contextID,
            "command fragments of \(length) bytes so far, more than \(maximumCommandSetLength)"
        )
    }

    private static func contextMismatch(_ contextID: UInt8, expected: UInt8) -> DIMSEError {
        DIMSEError(
            .presentationContextMismatch,
            presentationContextID: contextID,
            "a fragment on presentation context \(contextID) inside a message on context \(expected) (PS3.8 §E.1)"
        )
    }
}
