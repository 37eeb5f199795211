internal import DICOMCore
internal import NIOCore

/// Builds a message's command set with every value in one buffer (see `PackedDataSetBuilder`):
/// the named fields of PS3.7 Annex E, for every message sent.
struct CommandSetBuilder {
    private var builder = PackedDataSetBuilder(reservingElements: 10, bytes: 160)

    /// Starts a command set with its Command Field and Command Data Set Type.
    init(_ field: CommandField, hasDataSet: Bool) {
        setCommandUInt16(field.rawValue, for: .commandField)
        setCommandUInt16(CommandDataSetType(hasDataSet: hasDataSet).rawValue, for: .commandDataSetType)
    }

    /// Starts the command set of a C-STORE-RQ, C-FIND-RQ, C-GET-RQ or C-MOVE-RQ: a data set
    /// follows, with the Message ID, Affected SOP Class UID and Priority they share (PS3.7 Tables
    /// 9.3-1, 9.3-3, 9.3-6, 9.3-9).
    static func prioritizedRequest(_ field: CommandField, messageID: UInt16, affectedSOPClassUID: UID, priority: DIMSEPriority) -> CommandSetBuilder {
        var builder = CommandSetBuilder(field, hasDataSet: true)
        builder.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        builder.setCommandUInt16(messageID, for: .messageID)
        builder.setCommandUInt16(priority.rawValue, for: .priority)
        return builder
    }

    /// Starts the command set of an N-GET-RQ, N-SET-RQ, N-ACTION-RQ or N-DELETE-RQ: the Message
    /// ID with the Requested SOP Class and Instance UIDs (PS3.7 Tables 10.3-3, -5, -7, -11).
    static func requestedInstance(
        _ field: CommandField,
        hasDataSet: Bool,
        messageID: UInt16,
        sopClassUID: UID,
        sopInstanceUID: UID
    ) -> CommandSetBuilder {
        var builder = CommandSetBuilder(field, hasDataSet: hasDataSet)
        builder.setCommandUInt16(messageID, for: .messageID)
        builder.setCommandUID(sopClassUID, for: .requestedSOPClassUID)
        builder.setCommandUID(sopInstanceUID, for: .requestedSOPInstanceUID)
        return builder
    }

    /// The command set, in tag order.
    var dataSet: DataSet { builder.dataSet }

    mutating func setCommandUInt16(_ value: UInt16, for tag: Tag) {
        builder.append(tag, .US) { $0.writeInteger(value, endianness: .little) }
    }

    mutating func setCommandUInt16(_ value: UInt16?, for tag: Tag) {
        if let value { setCommandUInt16(value, for: tag) }
    }

    mutating func setCommandUID(_ uid: UID?, for tag: Tag) {
        if let uid { builder.append(tag, .UI) { $0.writeString(uid.string) } }
    }

    /// An AE or LO value. Command sets have no Specific Character Set, so text is encoded in the
    /// default repertoire; beyond it, as Latin-1 when every character has a byte there, else as
    /// UTF-8 (as `DataSet.setString` does).
    mutating func setCommandText(_ text: String?, for tag: Tag, vr: VR) {
        guard let text else { return }
        // Latin-1 first: a peer's bytes, which a command set's reader decodes as Latin-1 (as any
        // value without a character set), then go back as they came (a Move Destination or Move
        // Originator relayed).
        let bytes = SpecificCharacterSet.defaultRepertoire.encode(text, vr: vr)
            ?? Self.latin1(text) ?? Array(text.utf8)
        builder.append(tag, vr) { $0.writeBytes(bytes) }
    }

    /// `text` as ISO 8859-1 bytes, when every character has one.
    private static func latin1(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    mutating func setCommandTags(_ tags: [Tag]?, for tag: Tag) {
        guard let tags else { return }
        builder.append(tag, .AT) { buffer in
            for value in tags { buffer.writeMultipleIntegers(value.group, value.element, endianness: .little) }
        }
    }

    /// Status (0000,0900) with the optional fields PS3.7 Annex C attaches to it: Offending Element
    /// (0000,0901), Error Comment (0000,0902), Error ID (0000,0903). The Error Comment is cut to
    /// the 64 characters an LO value holds (PS3.5 Table 6.2-1).
    mutating func setCommandStatus(_ status: DIMSEStatus, offendingElements: [Tag]? = nil, errorComment: String?, errorID: UInt16?) {
        setCommandUInt16(status.code, for: .status)
        setCommandTags(offendingElements, for: .offendingElement)
        setCommandText(errorComment.map(CommandSet.fittedErrorComment), for: .errorComment, vr: .LO)
        setCommandUInt16(errorID, for: .errorID)
    }
}
