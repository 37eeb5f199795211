import DICOMCore
import DICOMNetworkCore
import NIOCore

extension DIMSEEndpoint {
    /// The transfer syntax of the accepted context `contextID`: the encoding of every data set
    /// exchanged on it (implicit VR little endian, the default, if the context is unknown).
    func transferSyntax(of contextID: UInt8) -> TransferSyntax {
        TransferSyntax(uid: acceptedContext(contextID)?.transferSyntax ?? .implicitVRLittleEndian)
    }

    /// A received message's collected data set (identifier, attribute list, action information),
    /// decoded in `syntax`; nil when none came or it cannot be decoded.
    func decodeDataSet(_ message: DIMSEReceiver.Message, _ syntax: TransferSyntax) -> DataSet? {
        guard let bytes = message.collectedDataSet else { return nil }
        return try? DataSetReader.read(bytes, transferSyntax: syntax)
    }

    /// A data set encoded for the wire.
    func encode(_ dataSet: DataSet?, _ syntax: TransferSyntax) throws(AssociationError) -> ByteBuffer? {
        guard let dataSet else { return nil }
        do {
            return try DataSetWriter.encode(dataSet, transferSyntax: syntax)
        } catch {
            throw AssociationError(.invalidInput, "cannot encode a data set in \(syntax.uid): \(error)")
        }
    }
}
