public import DICOMNetworkCore
import DICOMCore
import NIOCore

extension ReceivedInstance {
    /// Why a received data set is not the instance its C-STORE request names, and how to answer.
    public struct IdentityFault: Sendable, Hashable, CustomStringConvertible {
        /// C000H "cannot understand" for a data set without a SOP Class or SOP Instance UID (an
        /// empty one too): an instance that cannot say what it is, as DCMTK's storescp answers;
        /// A900H "data set does not match SOP class" for one that names another (PS3.4 B.2.3).
        public var status: DIMSEStatus
        /// What is wrong, for the log.
        public var description: String
    }

    /// Why the data set does not describe the instance its C-STORE request names: its SOP Class
    /// UID (0008,0016) or SOP Instance UID (0008,0018) is absent, or differs from the command's
    /// Affected ones, which name the file it is stored as and its meta information (see
    /// ``IdentityFault/status``). Read from the data set's bytes the network kept
    /// (``dataSetBytes`` or ``dataSetPrefix``), only the top-level elements before (0008,0019);
    /// nil when they agree, or when the bytes cannot tell (none kept, a deflated syntax, a
    /// prefix that ends before them).
    public var identityFault: IdentityFault? {
        let syntax = request.transferSyntax
        guard !syntax.isDeflated, let bytes = dataSetBytes ?? dataSetPrefix else { return nil }
        let scanner = ElementScanner(buffer: bytes, explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
        let length: Int
        switch scanner.topLevelOffset(of: Tag(0x0008_0019)) {
        case .stop(let offset): length = offset
        // The end of a prefix is not the end of the data set: what it lacks may follow.
        case .end where dataSetBytes != nil: length = bytes.readableBytes
        case .end, .incomplete: return nil
        }
        guard let head = bytes.getSlice(at: bytes.readerIndex, length: length),
              let dataSet = try? DataSetReader.read(head, transferSyntax: syntax) else { return nil }
        let message = request.message
        for (tag, name, expected) in [
            (Tag.sopClassUID, "SOP Class UID", message.affectedSOPClassUID), (.sopInstanceUID, "SOP Instance UID", message.affectedSOPInstanceUID),
        ] {
            guard let uid = dataSet.uid(tag), !uid.string.isEmpty else {
                return IdentityFault(status: .cannotUnderstand, description: "the data set has no \(name) \(tag)")
            }
            if uid != expected {
                return IdentityFault(
                    status: .dataSetDoesNotMatchSOPClass, description: "the data set's \(name) \(uid.string.prefix(64)) is not the request's \(expected)")
            }
        }
        return nil
    }
}
