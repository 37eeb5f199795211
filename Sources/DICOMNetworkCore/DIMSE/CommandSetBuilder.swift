internal import DICOMCore
internal import NIOCore

/// Builds a message's command set with every value in one buffer.
///
/// Storing each field into a `DataSet` as its own `ByteBuffer` cost two allocations per field and
/// a sorted insert, for every message sent; here the values are appended to one buffer and the
/// elements, slices of it, are put in tag order once, by ``dataSet``.
struct CommandSetBuilder {
    private var values = ByteBuffer()
    private var fields: [(tag: Tag, vr: VR, offset: Int, length: Int)] = []

    /// Starts a command set with its Command Field and Command Data Set Type.
    init(_ field: CommandField, hasDataSet: Bool) {
        values.reserveCapacity(160)
        fields.reserveCapacity(10)
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

    /// The command set, in tag order; a field set twice keeps its last value.
    var dataSet: DataSet {
        // Insertion sort: about six fields, most already in order.
        var ordered = fields
        for index in ordered.indices.dropFirst() {
            var position = index
            while position > 0, ordered[position - 1].tag > ordered[position].tag {
                ordered.swapAt(position - 1, position)
                position -= 1
            }
        }
        var commandSet = DataSet()
        commandSet.reserveCapacity(ordered.count)
        for (index, field) in ordered.enumerated() {
            // The sort is stable, so the last of equal tags is the one set last.
            if index + 1 < ordered.count, ordered[index + 1].tag == field.tag { continue }
            let bytes = values.getSlice(at: field.offset, length: field.length)!
            commandSet.appendAsRead(DataElement(tag: field.tag, vr: field.vr, bytes: bytes))
        }
        return commandSet
    }

    mutating func setCommandUInt16(_ value: UInt16, for tag: Tag) {
        let offset = values.writerIndex
        values.writeInteger(value, endianness: .little)
        fields.append((tag, .US, offset, 2))
    }

    mutating func setCommandUInt16(_ value: UInt16?, for tag: Tag) {
        if let value { setCommandUInt16(value, for: tag) }
    }

    mutating func setCommandUID(_ uid: UID?, for tag: Tag) {
        guard let uid else { return }
        let offset = values.writerIndex
        values.writeString(uid.string)
        padAndAppend(tag, .UI, from: offset)
    }

    /// An AE or LO value. Command sets have no Specific Character Set, so text is encoded in the
    /// default repertoire (UTF-8 bytes where it has no encoding, as `DataSet.setString` does).
    mutating func setCommandText(_ text: String?, for tag: Tag, vr: VR) {
        guard let text else { return }
        appendText(SpecificCharacterSet.defaultRepertoire.encode(text, vr: vr) ?? Array(text.utf8), for: tag, vr: vr)
    }

    mutating func setCommandTags(_ tags: [Tag]?, for tag: Tag) {
        guard let tags else { return }
        let offset = values.writerIndex
        for value in tags {
            values.writeMultipleIntegers(value.group, value.element, endianness: .little)
        }
        fields.append((tag, .AT, offset, values.writerIndex - offset))
    }

    /// Status (0000,0900) with the optional fields PS3.7 Annex C attaches to it: Offending Element
    /// (0000,0901), Error Comment (0000,0902), Error ID (0000,0903). The Error Comment is cut to
    /// the 64 characters an LO value holds (PS3.5 Table 6.2-1).
    mutating func setCommandStatus(_ status: DIMSEStatus, offendingElements: [Tag]? = nil, errorComment: String?, errorID: UInt16?) {
        setCommandUInt16(status.code, for: .status)
        setCommandTags(offendingElements, for: .offendingElement)
        setCommandText(errorComment.map { String($0.prefix(CommandSet.maximumErrorCommentLength)) }, for: .errorComment, vr: .LO)
        setCommandUInt16(errorID, for: .errorID)
    }

    /// Appends text bytes padded to even length with the VR's padding byte (PS3.5 §6.2).
    private mutating func appendText(_ bytes: [UInt8], for tag: Tag, vr: VR) {
        let offset = values.writerIndex
        values.writeBytes(bytes)
        padAndAppend(tag, vr, from: offset)
    }

    /// Pads the value written since `offset` to even length and records it as `tag`'s.
    private mutating func padAndAppend(_ tag: Tag, _ vr: VR, from offset: Int) {
        if (values.writerIndex - offset) % 2 == 1 { values.writeInteger(vr.paddingByte) }
        fields.append((tag, vr, offset, values.writerIndex - offset))
    }
}
