public import DICOMCore
internal import NIOCore

extension PDU {
    /// The SCP/SCU Role Selection Sub-Item (item-type 54H, PS3.7 §D.3.3.4, Tables D.3-9 and
    /// D.3-10): the roles proposed (-RQ) or accepted (-AC) for one SOP class.
    public struct SCPSCURoleSelectionSubItem: Hashable, Sendable {
        /// The SOP-class-uid the roles apply to.
        public var sopClassUID: UID

        /// SCU-role: in the -RQ, whether the requestor proposes to act as SCU; in the -AC, whether
        /// the acceptor accepts that. Any non-zero byte decodes as `true`.
        public var scuRole: Bool

        /// SCP-role: in the -RQ, whether the requestor proposes to act as SCP; in the -AC, whether
        /// the acceptor accepts that. Any non-zero byte decodes as `true`.
        public var scpRole: Bool

        /// Creates the sub-item.
        public init(sopClassUID: UID, scuRole: Bool, scpRole: Bool) {
            self.sopClassUID = sopClassUID
            self.scuRole = scuRole
            self.scpRole = scpRole
        }
    }
}

extension PDU.SCPSCURoleSelectionSubItem {
    /// Decodes UID-length, SOP-class-uid, SCU-role and SCP-role, which fill the sub-item.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let uid = try reader.readLengthPrefixedUID("SOP-class-uid")
        let scuRole: UInt8 = try reader.readInteger("SCU-role")
        let scpRole: UInt8 = try reader.readInteger("SCP-role")
        try reader.expectEnd("SCP/SCU Role Selection Sub-Item")
        self.init(sopClassUID: uid, scuRole: scuRole != 0, scpRole: scpRole != 0)
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.roleSelection) { (buffer) throws(PDUEncodingError) in
            try buffer.writePDULengthPrefixed("SOP-class-uid", sopClassUID.string.utf8)
            buffer.writeMultipleIntegers(UInt8(scuRole ? 1 : 0), UInt8(scpRole ? 1 : 0), endianness: .big)
        }
    }
}
