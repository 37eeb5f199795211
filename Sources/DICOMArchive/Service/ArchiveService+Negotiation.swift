public import DICOMNetwork
public import DICOMNetworkCore
import NIOCore

/// The archive's answers to SOP Class Extended Negotiation (PS3.7 D.3.3.5), the handler
/// ``DICOMNetwork/ServiceHandlers/sopClassExtendedNegotiation`` takes.
extension ArchiveService {
    /// The answers to `proposals`: for each FIND SOP class of ``models``, the options of
    /// ``FindNegotiation`` the archive performs (relational queries among them); for each GET
    /// and MOVE SOP class, relational retrieve (PS3.4 C.5.2.1, C.5.3.1: byte 1) when proposed,
    /// which the archive performs anyway, and no Enhanced Multi-Frame Image Conversion (byte 2).
    /// Other SOP classes get no answer.
    public static func extendedNegotiationAnswers(to proposals: [SOPClassExtendedNegotiation]) -> [SOPClassExtendedNegotiation] {
        proposals.compactMap { proposal in
            let information = proposal.serviceClassApplicationInformation
            if models.contains(where: { $0.find == proposal.sopClassUID }) {
                let answer = FindNegotiation(proposal: information).answer(proposedLength: information.readableBytes)
                return SOPClassExtendedNegotiation(sopClassUID: proposal.sopClassUID, serviceClassApplicationInformation: answer)
            }
            if models.contains(where: { $0.get == proposal.sopClassUID || $0.move == proposal.sopClassUID }) {
                var answer = ByteBuffer()
                answer.writeInteger(UInt8(information.readableBytesView.first == 1 ? 1 : 0))
                if information.readableBytes > 1 { answer.writeInteger(UInt8(0)) }
                return SOPClassExtendedNegotiation(sopClassUID: proposal.sopClassUID, serviceClassApplicationInformation: answer)
            }
            return nil
        }
    }

    /// ``extendedNegotiationAnswers(to:)`` in the shape of the handler.
    public var sopClassExtendedNegotiationHandler: @Sendable ([SOPClassExtendedNegotiation], AssociationInfo) async -> [SOPClassExtendedNegotiation] {
        { proposals, _ in Self.extendedNegotiationAnswers(to: proposals) }
    }
}
