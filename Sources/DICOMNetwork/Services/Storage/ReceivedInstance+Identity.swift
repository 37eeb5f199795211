import DICOMCore
import DICOMNetworkCore
import NIOCore

extension ReceivedInstance {
    /// Why the data set does not describe the instance its C-STORE request names: its SOP Class
    /// UID (0008,0016) or SOP Instance UID (0008,0018) differs from the command's Affected ones,
    /// which name the file it is stored as and its meta information (PS3.4 B.2.3: answered
    /// A900H, as DCMTK's storescp does). Read from the data set's bytes the network kept
    /// (``dataSetBytes`` or ``dataSetPrefix``), up to (0008,0018) at the top level only; nil
    /// when they agree, or when the bytes cannot tell (none kept, a deflated syntax, a sequence
    /// of undefined length before them, an element missing).
    public var identityMismatch: String? {
        let syntax = request.transferSyntax
        guard !syntax.isDeflated, let bytes = dataSetBytes ?? dataSetPrefix else { return nil }
        guard let (sopClass, sopInstance) = Self.identity(in: bytes, explicit: syntax.isExplicitVR, bigEndian: syntax.isBigEndian) else {
            return nil
        }
        let message = request.message
        if let sopClass, sopClass != message.affectedSOPClassUID.string {
            return "the data set's SOP Class UID \(sopClass.prefix(64)) is not the request's \(message.affectedSOPClassUID)"
        }
        if let sopInstance, sopInstance != message.affectedSOPInstanceUID.string {
            return "the data set's SOP Instance UID \(sopInstance.prefix(64)) is not the request's \(message.affectedSOPInstanceUID)"
        }
        return nil
    }

    /// The values of (0008,0016) and (0008,0018) at the top level of `bytes` (padding trimmed),
    /// each nil when absent; nil when the elements before them cannot be stepped over.
    private static func identity(in bytes: ByteBuffer, explicit: Bool, bigEndian: Bool) -> (String?, String?)? {
        let sopClassTag: UInt32 = 0x0008_0016
        let sopInstanceTag: UInt32 = 0x0008_0018
        var offset = bytes.readerIndex
        let end = bytes.writerIndex
        var found: (String?, String?) = (nil, nil)
        func u16(_ at: Int) -> UInt16? {
            bigEndian ? bytes.getInteger(at: at, endianness: .big) : bytes.getInteger(at: at, endianness: .little)
        }
        func u32(_ at: Int) -> UInt32? {
            bigEndian ? bytes.getInteger(at: at, endianness: .big) : bytes.getInteger(at: at, endianness: .little)
        }
        while offset + 8 <= end {
            guard let group = u16(offset), let element = u16(offset + 2) else { return nil }
            let tag = UInt32(group) << 16 | UInt32(element)
            if tag > sopInstanceTag { break }
            var valueOffset = offset + 8
            var length: UInt32
            if explicit, let code: UInt16 = bytes.getInteger(at: offset + 4, endianness: .big), let vr = VR(code: code) {
                if vr.hasLongExplicitLength {
                    guard let long = u32(offset + 8) else { return nil }
                    length = long
                    valueOffset = offset + 12
                } else {
                    guard let short = u16(offset + 6) else { return nil }
                    length = UInt32(short)
                }
            } else if explicit {
                return nil
            } else {
                guard let implicit = u32(offset + 4) else { return nil }
                length = implicit
            }
            guard length != 0xFFFF_FFFF, valueOffset + Int(length) <= end else { return nil }
            if tag == sopClassTag || tag == sopInstanceTag {
                let text = bytes.getString(at: valueOffset, length: Int(length)) ?? ""
                let value = String(text.trimmingSuffix(while: { $0 == " " || $0 == "\0" }))
                if tag == sopClassTag { found.0 = value } else { found.1 = value }
            }
            offset = valueOffset + Int(length)
        }
        return found
    }
}

extension String {
    fileprivate func trimmingSuffix(while drop: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, drop(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
