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

    /// Sends one DIMSE message: the command set, then the data set if any, fragmented to the
    /// peer's maximum PDU length (PS3.8 Annex E).
    func send(commandSet: DataSet, dataSet: ByteBuffer? = nil, presentationContextID: UInt8) async throws(AssociationError) {
        let command: ByteBuffer
        do {
            command = try CommandSet.encode(commandSet)
        } catch {
            throw AssociationError(.protocolViolation, "cannot encode the command set: \(error)")
        }
        let pdus = fragmenter.fragment(command: command, dataSet: dataSet, presentationContextID: presentationContextID)
        do {
            try await outbound.write(contentsOf: pdus.map { UpperLayerRequest.pData($0) })
        } catch {
            throw AssociationError(.closed, "cannot send: \(error)")
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

    /// "C-ECHO-RQ", "C-STORE-RSP"…: a command set's name for events and logs.
    static func name(of commandSet: DataSet) -> String {
        guard let field = try? CommandSet.commandField(of: commandSet) else { return "DIMSE message" }
        return field.description
    }
}
