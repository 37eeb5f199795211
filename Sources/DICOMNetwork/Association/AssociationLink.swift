import DICOMCore
import DICOMNetworkCore
import NIOCore

/// What both roles need to talk on an established association: the channel's outbound writer,
/// the peer's PDU size limit and the reporting. Sends DIMSE messages as P-DATA-TF PDUs.
struct AssociationLink: Sendable {
    let channel: any Channel
    let outbound: NIOAsyncChannelOutboundWriter<UpperLayerRequest>
    let fragmenter: DIMSEFragmenter
    let trace: AssociationTrace
    /// Held while one message's PDUs go out: PS3.8 Annex E forbids interleaving the fragments
    /// of two messages, and with an operations window several tasks send at once.
    let sending = AsyncSemaphore(permits: 1)

    init(channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<UpperLayerRequest>, fragmenter: DIMSEFragmenter, trace: AssociationTrace) {
        self.channel = channel
        self.outbound = outbound
        self.fragmenter = fragmenter
        self.trace = trace
    }

    /// Sends one DIMSE message: the command set, then the data set if any, fragmented to the
    /// peer's maximum PDU length (PS3.8 Annex E).
    func send(commandSet: DataSet, dataSet: ByteBuffer? = nil, presentationContextID: UInt8) async throws(AssociationError) {
        let command = try Self.encode(commandSet)
        let pdus = fragmenter.fragment(command: command, dataSet: dataSet, presentationContextID: presentationContextID)
        try await sending.withPermit { () async throws(AssociationError) in
            try await write(pdus)
        }
        trace.emit(.dimseSent(Self.name(of: commandSet)))
    }

    /// Sends one DIMSE message whose data set comes in chunks from `nextChunk` (nil at the
    /// end), each sent as soon as it is read: memory holds one chunk, whatever the data set's size.
    func send(
        commandSet: DataSet,
        presentationContextID: UInt8,
        dataSetChunks nextChunk: () async throws -> ByteBuffer?
    ) async throws(AssociationError) {
        let command = try Self.encode(commandSet)
        try await sending.withPermit { () async throws(AssociationError) in
            var pdus: [PDU.PDataTF] = []
            fragmenter.fragmentCommand(command, presentationContextID: presentationContextID) { pdus.append($0) }
            try await write(pdus)
            var stream = fragmenter.dataSetStream(presentationContextID: presentationContextID)
            while !stream.isFinished {
                let chunk: ByteBuffer?
                do {
                    chunk = try await nextChunk()
                } catch {
                    // Half a message is on the wire; only an abort ends it cleanly (PS3.7 §8.2).
                    try? await outbound.write(.abort)
                    throw AssociationError(.closed, "cannot read the data set to send: \(error)")
                }
                pdus = stream.append(chunk ?? ByteBuffer(), isLast: chunk == nil)
                try await write(pdus)
            }
        }
        trace.emit(.dimseSent(Self.name(of: commandSet)))
    }

    /// Asks the upper layer for something other than data (release, abort, responses).
    func request(_ request: UpperLayerRequest) async throws(AssociationError) {
        do {
            try await outbound.write(request)
        } catch {
            throw AssociationError(.closed, "cannot send \(request): \(error)")
        }
    }

    private func write(_ pdus: [PDU.PDataTF]) async throws(AssociationError) {
        guard !pdus.isEmpty else { return }
        let requests = pdus.map { UpperLayerRequest.pData($0) }
        do {
            if Task.isCancelled {
                // A cancelled operation (C-CANCEL) still owes the peer its final response, and
                // the writer refuses cancelled tasks: write from a task the cancellation does not reach.
                let outbound = self.outbound
                try await Task { try await outbound.write(contentsOf: requests) }.value
            } else {
                try await outbound.write(contentsOf: requests)
            }
        } catch {
            throw AssociationError(.closed, "cannot send: \(error)")
        }
    }

    private static func encode(_ commandSet: DataSet) throws(AssociationError) -> ByteBuffer {
        do {
            return try CommandSet.encode(commandSet)
        } catch {
            throw AssociationError(.protocolViolation, "cannot encode the command set: \(error)")
        }
    }

    /// "C-ECHO-RQ", "C-STORE-RSP"…: a command set's name for events and logs.
    static func name(of commandSet: DataSet) -> String {
        guard let field = try? CommandSet.commandField(of: commandSet) else { return "DIMSE message" }
        return field.description
    }
}
