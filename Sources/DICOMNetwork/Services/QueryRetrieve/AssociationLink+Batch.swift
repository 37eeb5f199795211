import DICOMCore
import DICOMNetworkCore
import NIOCore

extension AssociationLink {
    /// One DIMSE message of a batch: its command set and encoded data set, if any.
    struct OutgoingMessage {
        var commandSet: DataSet
        var dataSet: ByteBuffer?
    }

    /// Sends `messages` in order, each fragmented to the peer's maximum PDU length (PS3.8
    /// Annex E), with one flush at the end: a burst of small responses (C-FIND matches) costs
    /// one trip to the event loop and one socket write, not one of each per message. Messages
    /// are never interleaved with another sender's: the batch holds the send permit throughout.
    func send(batch messages: [OutgoingMessage], presentationContextID: UInt8) async throws(AssociationError) {
        guard !messages.isEmpty else { return }
        var requests: [UpperLayerRequest] = []
        for message in messages {
            let command: ByteBuffer
            do {
                command = try CommandSet.encode(message.commandSet)
            } catch {
                throw AssociationError(.protocolViolation, "cannot encode the command set: \(error)")
            }
            fragmenter.fragment(command: command, dataSet: message.dataSet, presentationContextID: presentationContextID) {
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
        for message in messages { trace.emit(.dimseSent(Self.name(of: message.commandSet))) }
    }

    private static func writeBatch(_ requests: [UpperLayerRequest], to channel: any Channel) -> EventLoopFuture<Void> {
        for request in requests.dropLast() { channel.write(request, promise: nil) }
        guard let last = requests.last else { return channel.eventLoop.makeSucceededVoidFuture() }
        return channel.writeAndFlush(last)
    }
}
