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

    /// `commandSet` encoded (PS3.7 §6.3.1, Implicit VR Little Endian).
    static func encodeCommand(_ commandSet: DataSet) throws(AssociationError) -> ByteBuffer {
        do {
            return try CommandSet.encode(commandSet)
        } catch {
            throw AssociationError(.protocolViolation, "cannot encode the command set: \(error)")
        }
    }

    /// Sends `messages` in order, each fragmented to the peer's maximum PDU length (PS3.8
    /// Annex E), with one flush at the end: a burst of small responses (C-FIND matches) costs
    /// one trip to the event loop and one socket write, not one of each per message. Messages
    /// are never interleaved with another sender's: the batch holds the send permit throughout.
    func send(batch messages: [OutgoingMessage], presentationContextID: UInt8) async throws(AssociationError) {
        guard !messages.isEmpty else { return }
        var requests: [UpperLayerRequest] = []
        for message in messages {
            fragmenter.fragment(command: message.command, dataSet: message.dataSet, presentationContextID: presentationContextID) {
                requests.append(.pData($0))
            }
        }
        let channel = self.channel
        try await sending.withPermit { () async throws(AssociationError) in
            guard channel.isActive else { throw AssociationError(.closed, "the connection is closed") }
            let written: EventLoopFuture<Void> = if channel.eventLoop.inEventLoop {
                Self.writeBatch(requests, to: channel)
            } else {
                channel.eventLoop.flatSubmit { Self.writeBatch(requests, to: channel) }
            }
            // Backpressure, as for a single message: a slow reader holds the batch here.
            if !channel.isWritable {
                do {
                    try await written.get()
                } catch {
                    throw AssociationError(.closed, "cannot send: \(error)")
                }
            }
        }
        for message in messages { trace.emit(.dimseSent(message.name)) }
    }

    private static func writeBatch(_ requests: [UpperLayerRequest], to channel: any Channel) -> EventLoopFuture<Void> {
        for request in requests.dropLast() { channel.write(request, promise: nil) }
        guard let last = requests.last else { return channel.eventLoop.makeSucceededVoidFuture() }
        return channel.writeAndFlush(last)
    }
}
