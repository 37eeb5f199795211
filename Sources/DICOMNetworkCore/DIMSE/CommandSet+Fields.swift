internal import DICOMCore
internal import NIOCore

/// Reads the fields of one decoded command set for a message type's `init(commandSet:)`.
///
/// An element that is present with an empty value counts as absent: a required field then
/// throws ``DIMSEError/Code/missingField``. A value of the wrong length for its VR throws
/// ``DIMSEError/Code/invalidField``. VRs are not compared: in Implicit VR Little Endian the VR is
/// implied by the tag (PS3.7 §6.3.1, PS3.5 §7.1.3).
struct CommandSetFields {
    let commandSet: DataSet
    let commandField: CommandField

    /// Checks that `commandSet` is a `expected` command.
    init(_ commandSet: DataSet, expecting expected: CommandField) throws(DIMSEError) {
        let actual = try CommandSet.commandField(of: commandSet)
        guard actual == expected else {
            throw DIMSEError(.commandFieldMismatch, tag: .commandField, "expected \(expected), found \(actual)")
        }
        self.commandSet = commandSet
        self.commandField = expected
    }

    // MARK: US

    static func uint16(_ tag: Tag, in commandSet: DataSet) throws(DIMSEError) -> UInt16? {
        guard let element = commandSet[tag], let bytes = element.bytes, bytes.readableBytes > 0 else { return nil }
        guard bytes.readableBytes == 2, let value = bytes.getInteger(at: bytes.readerIndex, endianness: .little, as: UInt16.self) else {
            throw DIMSEError(.invalidField, tag: tag, "a US value of \(bytes.readableBytes) bytes, not 2")
        }
        return value
    }

    static func requiredUInt16(_ tag: Tag, in commandSet: DataSet) throws(DIMSEError) -> UInt16 {
        guard let value = try uint16(tag, in: commandSet) else {
            throw DIMSEError(.missingField, tag: tag, "the command set has no \(tag)")
        }
        return value
    }

    func uint16(_ tag: Tag) throws(DIMSEError) -> UInt16? {
        try Self.uint16(tag, in: commandSet)
    }

    func requiredUInt16(_ tag: Tag) throws(DIMSEError) -> UInt16 {
        guard let value = try uint16(tag) else { throw missing(tag) }
        return value
    }

    // MARK: UI, AE, LO

    func uid(_ tag: Tag) -> UID? {
        guard let uid = commandSet.uid(tag), !uid.string.isEmpty else { return nil }
        return uid
    }

    func requiredUID(_ tag: Tag) throws(DIMSEError) -> UID {
        guard let uid = uid(tag) else { throw missing(tag) }
        return uid
    }

    /// A text value (AE, LO) without its padding.
    func text(_ tag: Tag) -> String? {
        guard let text = commandSet.string(tag), !text.isEmpty else { return nil }
        return text
    }

    func requiredText(_ tag: Tag) throws(DIMSEError) -> String {
        guard let text = text(tag) else { throw missing(tag) }
        return text
    }

    // MARK: AT

    func tags(_ tag: Tag) throws(DIMSEError) -> [Tag]? {
        guard let bytes = commandSet[tag]?.bytes, bytes.readableBytes > 0 else { return nil }
        guard bytes.readableBytes % 4 == 0 else {
            throw DIMSEError(.invalidField, tag: tag, "an AT value of \(bytes.readableBytes) bytes, not a multiple of 4")
        }
        var tags: [Tag] = []
        tags.reserveCapacity(bytes.readableBytes / 4)
        var offset = bytes.readerIndex
        while offset < bytes.writerIndex {
            let group = bytes.getInteger(at: offset, endianness: .little, as: UInt16.self)!
            let element = bytes.getInteger(at: offset + 2, endianness: .little, as: UInt16.self)!
            tags.append(Tag(group: group, element: element))
            offset += 4
        }
        return tags
    }

    // MARK: Message-level fields

    func status() throws(DIMSEError) -> DIMSEStatus {
        DIMSEStatus(code: try requiredUInt16(.status))
    }

    func priority() throws(DIMSEError) -> DIMSEPriority {
        DIMSEPriority(rawValue: try requiredUInt16(.priority))
    }

    /// Whether a data set follows, from the required Command Data Set Type.
    func hasDataSet() throws(DIMSEError) -> Bool {
        CommandDataSetType(rawValue: try requiredUInt16(.commandDataSetType)).isPresent
    }

    /// Checks that a data set follows: the message requires one (a C-STORE-RQ, a C-FIND-RQ).
    func requireDataSet() throws(DIMSEError) {
        guard try hasDataSet() else {
            throw DIMSEError(.invalidField, tag: .commandDataSetType, "a \(commandField) carries a data set, but the Command Data Set Type is 0101H")
        }
    }

    /// Checks that no data set follows: the message has none (a C-ECHO, a C-STORE-RSP).
    func requireNoDataSet() throws(DIMSEError) {
        guard try !hasDataSet() else {
            throw DIMSEError(.invalidField, tag: .commandDataSetType, "a \(commandField) has no data set, but the Command Data Set Type announces one")
        }
    }

    /// The Message ID, Requested SOP Class UID and Requested SOP Instance UID, all mandatory, of
    /// an N-GET-RQ, N-SET-RQ, N-ACTION-RQ or N-DELETE-RQ (PS3.7 Tables 10.3-3, -5, -7, -11).
    func requestedInstance() throws(DIMSEError) -> (messageID: UInt16, sopClassUID: UID, sopInstanceUID: UID) {
        (try requiredUInt16(.messageID), try requiredUID(.requestedSOPClassUID), try requiredUID(.requestedSOPInstanceUID))
    }

    private func missing(_ tag: Tag) -> DIMSEError {
        DIMSEError(.missingField, tag: tag, "a \(commandField) requires \(tag)")
    }
}
