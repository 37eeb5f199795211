import DICOMCore
import DICOMNetworkCore
import NIOCore

/// The bytes a peer sends, cut into PDUs by the decoder the association channel uses, and taken as
/// far as an acceptor takes them. Properties, beyond "nothing traps":
/// - a decoded PDU encodes, and decodes again to the same PDU (the decoder's view is one the
///   encoder can say);
/// - an A-ASSOCIATE-RQ that the acceptance policy passes gets an answer that encodes;
/// - the DIMSE messages of P-DATA-TF PDUs assemble or fail with a DIMSEError.
public enum PDUProperties {
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(PropertyViolation) {
        var input = ByteBuffer(bytes: bytes)
        var decoder = PDUDecoder(maximumLengthReceived: 16384, maximumAssociatePDULength: 65536)
        var assembler = DIMSEAssembler()
        while true {
            let pdu: PDU
            do {
                guard let decoded = try decoder.decode(buffer: &input) else { break }
                pdu = decoded
            } catch {
                break
            }
            try checkRoundTrip(pdu)
            switch pdu {
            case .associateRQ(let request):
                try answer(request)
            case .pDataTF(let pDataTF):
                do {
                    for output in try assembler.pDataTFReceived(pDataTF) {
                        if case .command(_, let commandSet, _) = output {
                            _ = try? DIMSEMessage(commandSet: commandSet)
                        }
                    }
                } catch {
                    assembler = DIMSEAssembler()
                }
            default:
                break
            }
        }
    }

    static func checkRoundTrip(_ pdu: PDU) throws(PropertyViolation) {
        var encoded = ByteBuffer()
        do {
            _ = try encoded.writePDU(pdu)
        } catch {
            // A PDU the decoder accepts but the encoder refuses (a field too long to say again):
            // not a defect of the decoder, which is what a peer reaches.
            return
        }
        var decoder = PDUDecoder(maximumLengthReceived: 0, maximumAssociatePDULength: .max)
        let again: PDU?
        do {
            again = try decoder.decode(buffer: &encoded)
        } catch {
            throw PropertyViolation("a decoded \(pdu.pduType) encodes into bytes the decoder refuses: \(error)")
        }
        guard again == pdu else {
            throw PropertyViolation("a decoded \(pdu.pduType) does not survive encoding, \(firstDifference(pdu, again as Any))")
        }
    }

    static let supportedContexts = [
        PresentationContext(abstractSyntax: "1.2.840.10008.1.1"),
        PresentationContext(abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntaxes: TransferSyntax.uncompressed.map(\.uid)),
        PresentationContext(abstractSyntax: "1.2.840.10008.5.1.4.1.2.2.1"),
        PresentationContext(abstractSyntax: "1.2.840.10008.5.1.4.1.2.2.3", scuRole: true, scpRole: true),
    ]

    static func answer(_ request: PDU.AssociateRQ) throws(PropertyViolation) {
        let policy = AssociationAcceptancePolicy(aeTitle: "FUZZSCP")
        let indication = AAssociate(request: request)
        switch policy.decide(request, currentAssociations: 0) {
        case .reject(let rejection):
            let response = AAssociate(rejecting: indication, with: rejection)
            do {
                _ = try PDU.AssociateRJ(response)
            } catch {
                throw PropertyViolation("the rejection of an A-ASSOCIATE-RQ cannot be encoded: \(error)")
            }
        case .accept:
            let response = AssociationNegotiation.response(
                to: indication, supportedContexts: supportedContexts,
                configuration: AssociationNegotiation.AcceptorConfiguration(
                    asynchronousOperationsWindow: AsynchronousOperationsWindow(maximumNumberOperationsInvoked: 8, maximumNumberOperationsPerformed: 8)))
            do {
                _ = try PDU.AssociateAC(response)
            } catch {
                throw PropertyViolation("the answer to an A-ASSOCIATE-RQ the policy accepts cannot be encoded: \(error)")
            }
        }
    }
}
