import DICOMCore
import DICOMNetworkCore
import NIOCore

/// What both roles need to talk on an established association: the channel, the peer's PDU
/// size limit and the reporting. Sends DIMSE messages as P-DATA-TF PDUs.
struct AssociationLink: Sendable {
    let channel: any Channel
    let fragmenter: DIMSEFragmenter
    let trace: AssociationTrace
    /// Whether the channel can write file regions (sendfile(2)): a plain TCP socket, not TLS.
    let writesFileRegions: Bool
    /// Held while one message's PDUs go out: PS3.8 Annex E forbids interleaving the fragments
    /// of two messages, and with an operations window several tasks send at once.
    let sending = AsyncSemaphore(permits: 1)

    init(channel: any Channel, fragmenter: DIMSEFragmenter, trace: AssociationTrace, writesFileRegions: Bool = false) {
        self.channel = channel
        self.fragmenter = fragmenter
        self.trace = trace
        self.writesFileRegions = writesFileRegions
    }

    /// Sends one DIMSE message: the command set, then the data set if any, fragmented to the
    /// peer's maximum PDU length (PS3.8 Annex E).
    func send(commandSet: DataSet, dataSet: ByteBuffer? = nil, presentationContextID: UInt8) async throws(AssociationError) {
        let command = try Self.encodeCommand(commandSet)
        let pdus = fragmenter.fragment(command: command, dataSet: dataSet, presentationContextID: presentationContextID)
        try await sending.withPermit { () async throws(AssociationError) in
            let written = try enqueue(pdus.map(UpperLayerRequest.pData))
            // Backpressure: a peer that reads slowly holds us here, not in an ever-growing buffer.
            if !channel.isWritable { try await wait(for: written) }
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
        let command = try Self.encodeCommand(commandSet)
        try await sending.withPermit { () async throws(AssociationError) in
            var pdus: [PDU.PDataTF] = []
            fragmenter.fragmentCommand(command, presentationContextID: presentationContextID) { pdus.append($0) }
            var written = try enqueue(pdus.map(UpperLayerRequest.pData))
            var stream = fragmenter.dataSetStream(presentationContextID: presentationContextID)
            while !stream.isFinished {
                let chunk: ByteBuffer?
                do {
                    // Read while the previous chunk goes out.
                    chunk = try await nextChunk()
                } catch {
                    // Half a message is on the wire; only an abort ends it cleanly (PS3.7 §8.2).
                    _ = try? enqueue([.abort])
                    throw AssociationError(.closed, "cannot read the data set to send: \(error)")
                }
                if !channel.isWritable { try await wait(for: written) }
                pdus = stream.append(chunk ?? ByteBuffer(), isLast: chunk == nil)
                if !pdus.isEmpty { written = try enqueue(pdus.map(UpperLayerRequest.pData)) }
            }
            try await wait(for: written)
        }
        trace.emit(.dimseSent(Self.name(of: commandSet)))
    }

    /// Asks the upper layer for something other than data (release, abort, responses).
    func request(_ request: UpperLayerRequest) async throws(AssociationError) {
        let written = try enqueue([request])
        // An abort is best effort: the connection closes whether or not its PDU got out.
        if case .abort = request { return }
        try await wait(for: written)
    }

    /// Writes `requests` through the channel's pipeline, in order and flushed, with nothing of
    /// another message in between; returns the last write's future.
    ///
    /// Straight into the pipeline, not through the async channel's outbound writer: on the event
    /// loop (where association tasks run) that is a plain function call, which keeps a small
    /// DIMSE round trip cheap. Not being a task's suspension point, it also lets a cancelled
    /// operation still send its final response.
    func enqueue(_ requests: [UpperLayerRequest]) throws(AssociationError) -> EventLoopFuture<Void> {
        guard channel.isActive else { throw AssociationError(.closed, "the connection is closed") }
        let channel = self.channel
        let eventLoop = channel.eventLoop
        if eventLoop.inEventLoop { return Self.write(requests, to: channel) }
        return eventLoop.flatSubmit { Self.write(requests, to: channel) }
    }

    private static func write(_ requests: [UpperLayerRequest], to channel: any Channel) -> EventLoopFuture<Void> {
        for request in requests.dropLast() { channel.write(request, promise: nil) }
        guard let last = requests.last else { return channel.eventLoop.makeSucceededVoidFuture() }
        return channel.writeAndFlush(last)
    }

    func wait(for written: EventLoopFuture<Void>) async throws(AssociationError) {
        do {
            try await written.get()
        } catch {
            throw AssociationError(.closed, "cannot send: \(error)")
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

    /// "C-ECHO-RQ", "C-STORE-RSP"…: a command set's name for events and logs.
    static func name(of commandSet: DataSet) -> String {
        guard let field = try? CommandSet.commandField(of: commandSet) else { return "DIMSE message" }
        return field.description
    }
}
