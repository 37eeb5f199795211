public import DICOMCore

/// One of the 23 DIMSE message types of PS3.7 §9.3 and §10.3, as its command set: named fields
/// that encode to, and decode from, the group 0000 elements of PS3.7 Annex E.
///
/// Each conforming type checks what its table marks mandatory (M) when it decodes, throwing
/// ``DIMSEError/Code/missingField``, and accepts a peer's message without the user options (U).
/// ``DIMSEMessage`` wraps any of them, chosen by the Command Field.
public protocol DIMSECommand: Hashable, Sendable {
    /// The Command Field (0000,0100) of this message type (PS3.7 Table E.1-1).
    static var commandField: CommandField { get }

    /// Decodes a command set of this message type.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command,
    ///   ``DIMSEError/Code/missingField`` without a field the message requires,
    ///   ``DIMSEError/Code/invalidField`` for a value of the wrong length or a Command Data Set Type
    ///   that contradicts the message.
    init(commandSet: DataSet) throws(DIMSEError)

    /// The command set, without Command Group Length (``CommandSet/encode(_:maximumLength:)``
    /// adds it).
    var commandSet: DataSet { get }

    /// Whether a data set follows the command: the Command Data Set Type (0000,0800) is other than
    /// 0101H (PS3.7 §E.1).
    var hasDataSet: Bool { get }
}

/// A request (or notification) that opens an operation: it carries the Message ID (0000,0110)
/// that its response echoes. C-CANCEL-RQ is not one; it refers to another request instead.
public protocol DIMSERequest: DIMSECommand {
    /// Message ID (0000,0110).
    var messageID: UInt16 { get }
}

/// A response: it answers the request whose Message ID it carries, with a Status (0000,0900)
/// (PS3.7 Annex C).
public protocol DIMSEResponse: DIMSECommand {
    /// Message ID Being Responded To (0000,0120).
    var messageIDBeingRespondedTo: UInt16 { get }

    /// Status (0000,0900).
    var status: DIMSEStatus { get }
}

/// A C-GET-RQ or C-MOVE-RQ: the requests answered by a ``RetrieveResponse`` that counts C-STORE
/// sub-operations (PS3.7 §9.1.3, §9.1.4).
public protocol RetrieveRequest: DIMSERequest {
    /// Affected SOP Class UID (0000,0002): the retrieve information model.
    var affectedSOPClassUID: UID { get }
}

/// A DIMSE-N request (PS3.7 §10.3): answered by an ``NResponse``, whose Affected SOP Class and
/// Instance UIDs echo the SOP Instance the request concerns.
public protocol NRequest: DIMSERequest {
    /// The SOP Class the request concerns: its Affected SOP Class UID (0000,0002) for
    /// N-EVENT-REPORT and N-CREATE, its Requested SOP Class UID (0000,0003) otherwise.
    var sopClassUID: UID { get }

    /// The SOP Instance the request concerns: its Affected SOP Instance UID (0000,1000) for
    /// N-EVENT-REPORT and N-CREATE (nil when an N-CREATE leaves the choice to the peer), its
    /// Requested SOP Instance UID (0000,1001) otherwise.
    var sopInstanceUID: UID? { get }
}
