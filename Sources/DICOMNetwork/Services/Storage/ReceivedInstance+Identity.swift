import DICOMCore
import DICOMNetworkCore
import NIOCore

extension ReceivedInstance {
    /// Why the data set does not describe the instance its C-STORE request names: its SOP Class
    /// UID (0008,0016) or SOP Instance UID (0008,0018) differs from the command's Affected ones,
    /// which name the file it is stored as and its meta information (PS3.4 B.2.3: answered
    /// A900H, as DCMTK's storescp does). Read from the data set's bytes the network kept
    /// (``dataSetBytes`` or ``dataSetPrefix``), only the top-level elements before (0008,0019);
    /// nil when they agree, or when the bytes cannot tell (none kept, a deflated syntax, a
    /// prefix that ends before them).
    public var identityMismatch: String? {
        let syntax = request.transferSyntax
        guard !syntax.isDeflated, let bytes = dataSetBytes ?? dataSetPrefix else { return nil }
        let scanner = ElementScanner(buffer: bytes, explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
        let length: Int
        switch scanner.topLevelOffset(of: Tag(0x0008_0019)) {
        case .stop(let offset): length = offset
        case .end: length = bytes.readableBytes
        case .incomplete: return nil
        }
        guard let head = bytes.getSlice(at: bytes.readerIndex, length: length),
              let dataSet = try? DataSetReader.read(head, transferSyntax: syntax) else { return nil }
        let message = request.message
        if let sopClass = dataSet.uid(.sopClassUID), sopClass != message.affectedSOPClassUID {
            return "the data set's SOP Class UID \(sopClass.string.prefix(64)) is not the request's \(message.affectedSOPClassUID)"
        }
        if let sopInstance = dataSet.uid(.sopInstanceUID), sopInstance != message.affectedSOPInstanceUID {
            return "the data set's SOP Instance UID \(sopInstance.string.prefix(64)) is not the request's \(message.affectedSOPInstanceUID)"
        }
        return nil
    }
}
