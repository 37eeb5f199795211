import DICOMCore
import DICOMNetworkCore
import NIOCore

extension AssociationLink {
    /// One DIMSE message of a batch: its encoded command set and data set, if any, and its name
    /// for the trace ("C-FIND-RSP").
    struct OutgoingMessage {
        var command: ByteBuffer
        var dataSet: ByteBuffer?
        var name: String

        /// A message whose command set is encoded here.
        init(commandSet: DataSet, dataSet: ByteBuffer?) throws(AssociationError) {
            self.init(command: try AssociationLink.encodeCommand(commandSet), dataSet: dataSet, name: AssociationLink.name(of: commandSet))
        }

        /// A message whose command set is already encoded (the same for many messages).
        init(command: ByteBuffer, dataSet: ByteBuffer?, name: String) {
            self.command = command
            self.dataSet = dataSet
            self.name = name
        }
    }

    /// Sends `messages` in order, each fragmented to the peer's maximum PDU length (PS3.8
    /// Annex E), as one batch of P-DATA requests (``UpperLayerRequest/pDataBatch(_:)``) with one
    /// flush: a burst of small responses (C-FIND matches) costs one trip to the event loop, one
    /// through the pipeline, one buffer and one socket write, not one of each per message.
    /// Messages are never interleaved with another sender's: the batch holds the send permit
    /// throughout.
    func send(batch messages: [OutgoingMessage], presentationContextID: UInt8) async throws(AssociationError) {
        guard !messages.isEmpty else { return }
        var pdus: [PDU.PDataTF] = []
        for message in messages {
            fragmenter.fragment(command: message.command, dataSet: message.dataSet, presentationContextID: presentationContextID) {
                pdus.append($0)
            }
        }
        try await sending.withPermit { () async throws(AssociationError) in
            let written = try enqueue([.pDataBatch(pdus)])
            // Backpressure, as for a single message: a slow reader holds the batch here.
            if !channel.isWritable { try await wait(for: written) }
        }
        for message in messages { trace.emit(.dimseSent(message.name)) }
    }
}
