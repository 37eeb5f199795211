import DICOMCore
import DICOMNetworkCore
import NIOCore

/// Turns the P-DATA-TF PDUs of an association into whole DIMSE messages, with each data set
/// going where ``IncomingDataSet`` says as its fragments arrive: collected, streamed to a file,
/// or dropped. Used by the one task that reads the association, so it needs no locking.
struct DIMSEReceiver {
    /// A received message.
    struct Message {
        var presentationContextID: UInt8
        var commandSet: DataSet
        /// Where its data set went; nil when the command announced none.
        var dataSet: IncomingDataSet?
        /// The check of a stored data set's structure as it arrives (a C-STORE's, kept or
        /// collected); nil for other data sets.
        var structure: DataSetStructureCheck?

        /// What is wrong with the data set's structure, once it has all arrived; nil when it is
        /// whole and well formed, or was not checked.
        var structureError: DICOMParsingError? {
            structure?.finish()
        }

        /// The collected data set bytes, if collected.
        var collectedDataSet: ByteBuffer? {
            if case .collect(let bytes) = dataSet { return bytes }
            return nil
        }
    }

    /// Chooses where a data set goes, once its command has arrived, and whether its structure
    /// is checked on the way.
    typealias Placement = (_ presentationContextID: UInt8, _ commandSet: DataSet) async -> (IncomingDataSet, DataSetStructureCheck?)

    private var assembler = DIMSEAssembler()
    private var current: Message?
    let maximumCollectedLength: Int
    let placement: Placement

    init(maximumCollectedLength: Int = DIMSEMessageCollector.defaultMaximumDataSetLength, placement: @escaping Placement) {
        self.maximumCollectedLength = maximumCollectedLength
        self.placement = placement
    }

    /// Feeds a P-DATA-TF; returns the messages it completes. A protocol violation or a failed
    /// write throws; the partly received message's file, if any, is discarded first.
    mutating func received(_ pData: PDU.PDataTF) async throws -> [Message] {
        var messages: [Message] = []
        for pdv in pData.presentationDataValueItems {
            do {
                if let message = try await received(pdv) { messages.append(message) }
            } catch {
                if case .stream(let reception)? = current?.dataSet { reception.discard() }
                current = nil
                throw error
            }
        }
        return messages
    }

    /// The association ended: drops a partly received message (and its unfinished file).
    /// Returns what was dropped, for the log (a C-STORE's data set cut short is an instance
    /// lost); nil when no message was under way.
    @discardableResult
    mutating func abandon() -> String? {
        defer { current = nil }
        guard let message = current else { return nil }
        if case .stream(let reception)? = message.dataSet { reception.discard() }
        let command = message.commandSet.integer(.commandField).map { CommandField(rawValue: UInt16(truncatingIfNeeded: $0)).description } ?? "a message"
        let instance = message.commandSet.uid(.affectedSOPInstanceUID).map { " of \($0.string.prefix(64))" } ?? ""
        return "\(command)\(instance), its data set not all received"
    }

    private mutating func received(_ pdv: PDU.PresentationDataValueItem) async throws -> Message? {
        switch try assembler.pdvReceived(pdv) {
        case nil:
            return nil
        case .command(let contextID, let commandSet, let dataSetFollows):
            guard dataSetFollows else {
                return Message(presentationContextID: contextID, commandSet: commandSet, dataSet: nil)
            }
            let (dataSet, structure) = await placement(contextID, commandSet)
            current = Message(presentationContextID: contextID, commandSet: commandSet, dataSet: dataSet, structure: structure)
            return nil
        case .dataSetFragment(_, let fragment, let isLast):
            guard var message = current else { return nil }
            message.structure?.consume(fragment)
            switch message.dataSet {
            case .collect(let bytes)?:
                current = nil  // the only reference to the bytes, so appending does not copy
                let length = (bytes?.readableBytes ?? 0) + fragment.readableBytes
                guard length <= maximumCollectedLength else {
                    throw AssociationError(.protocolViolation, "a data set of \(length) bytes so far on presentation context \(message.presentationContextID), more than the \(maximumCollectedLength) this AE collects")
                }
                if var bytes {
                    var fragment = fragment
                    bytes.writeBuffer(&fragment)
                    message.dataSet = .collect(bytes)
                } else {
                    message.dataSet = .collect(fragment)
                }
            case .stream(let reception)?:
                try await reception.append(fragment)
            case .drop(let length)?:
                message.dataSet = .drop(length: length + fragment.readableBytes)
            case .refuse?:
                break
            case nil:
                return nil
            }
            guard isLast else {
                current = message
                return nil
            }
            current = nil
            return message
        }
    }
}
