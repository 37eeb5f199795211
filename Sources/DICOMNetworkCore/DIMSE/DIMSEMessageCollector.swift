public import DICOMCore
public import NIOCore

/// Reassembles whole DIMSE messages, data set included, for callers that want the data set in one
/// buffer (a C-FIND identifier, an N-ACTION argument) rather than streamed.
///
/// Built on ``DIMSEAssembler``, with the same protocol checks. A data set that arrives in one
/// fragment stays a slice of the received PDU; one in several is copied into one buffer, bounded
/// by ``maximumDataSetLength``. A C-STORE SCP should stream with ``DIMSEAssembler`` instead.
public struct DIMSEMessageCollector: Sendable {
    /// A received message.
    public struct Message: Equatable, Sendable {
        /// The presentation context every fragment arrived on.
        public var presentationContextID: UInt8

        /// The decoded command set.
        public var commandSet: DataSet

        /// The data set bytes, encoded in the presentation context's transfer syntax; nil when the
        /// command announced none.
        public var dataSet: ByteBuffer?

        /// Creates a message.
        public init(presentationContextID: UInt8, commandSet: DataSet, dataSet: ByteBuffer?) {
            self.presentationContextID = presentationContextID
            self.commandSet = commandSet
            self.dataSet = dataSet
        }
    }

    /// The default bound on a collected data set: 64 MiB.
    ///
    /// PS3.7 sets no maximum. Identifiers and N-service arguments are kilobytes; the bound keeps a
    /// peer from filling memory with a data set that was meant to be collected, while leaving room
    /// for a Storage Commitment request listing many thousands of instances.
    public static let defaultMaximumDataSetLength = 64 * 1024 * 1024

    /// The longest data set collected; longer ones throw ``DIMSEError/Code/dataSetTooLarge``.
    public let maximumDataSetLength: Int

    private var assembler: DIMSEAssembler
    /// The command whose data set is being collected, and the bytes so far.
    private var pending: (presentationContextID: UInt8, commandSet: DataSet, dataSet: ByteBuffer?)?

    /// Creates a collector between messages.
    public init(
        maximumCommandSetLength: Int = CommandSet.maximumLength,
        maximumDataSetLength: Int = DIMSEMessageCollector.defaultMaximumDataSetLength
    ) {
        self.assembler = DIMSEAssembler(maximumCommandSetLength: maximumCommandSetLength)
        self.maximumDataSetLength = maximumDataSetLength
    }

    /// Whether no message is partly received.
    public var isBetweenMessages: Bool { assembler.isBetweenMessages }

    /// Feeds every PDV of `pDataTF`, in order, and returns the messages they complete.
    public mutating func pDataTFReceived(_ pDataTF: PDU.PDataTF) throws(DIMSEError) -> [Message] {
        var messages: [Message] = []
        for item in pDataTF.presentationDataValueItems {
            if let message = try pdvReceived(item) { messages.append(message) }
        }
        return messages
    }

    /// Feeds one PDV; returns the message it completes, if any.
    public mutating func pdvReceived(_ pdv: PDU.PresentationDataValueItem) throws(DIMSEError) -> Message? {
        let output: DIMSEAssembler.Output?
        do {
            output = try assembler.pdvReceived(pdv)
        } catch {
            pending = nil
            throw error
        }
        switch output {
        case nil:
            return nil
        case .command(let contextID, let commandSet, let dataSetFollows):
            guard dataSetFollows else {
                return Message(presentationContextID: contextID, commandSet: commandSet, dataSet: nil)
            }
            pending = (contextID, commandSet, nil)
            return nil
        case .dataSetFragment(_, let fragment, let isLast):
            // The assembler emits data set fragments only after a command that announced them.
            guard var message = pending else { return nil }
            pending = nil  // the only reference to the bytes so far, so appending does not copy
            let length = (message.dataSet?.readableBytes ?? 0) + fragment.readableBytes
            guard length <= maximumDataSetLength else {
                assembler = DIMSEAssembler(maximumCommandSetLength: assembler.maximumCommandSetLength)
                throw DIMSEError(
                    .dataSetTooLarge,
                    presentationContextID: message.presentationContextID,
                    "a data set of \(length) bytes so far, more than \(maximumDataSetLength)"
                )
            }
            if message.dataSet == nil {
                message.dataSet = fragment
            } else {
                var fragment = fragment
                message.dataSet!.writeBuffer(&fragment)
            }
            guard isLast else {
                pending = message
                return nil
            }
            return Message(presentationContextID: message.presentationContextID, commandSet: message.commandSet, dataSet: message.dataSet)
        }
    }
}
