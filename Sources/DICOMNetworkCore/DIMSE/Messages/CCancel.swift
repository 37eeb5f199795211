public import DICOMCore

/// A C-CANCEL-RQ message: asks the peer to stop a C-FIND, C-GET or C-MOVE in progress (PS3.7
/// §9.3.2.3, §9.3.3.3, §9.3.4.3, Tables 9.3-5, 9.3-8, 9.3-11). It is never answered itself; the
/// cancelled operation ends with a final response, typically ``DIMSEStatus/cancel``. No data set
/// follows.
public struct CCancelRequest: DIMSECommand {
    /// C-CANCEL-RQ, 0FFFH.
    public static let commandField = CommandField.cCancelRequest

    /// Message ID Being Responded To (0000,0120): the Message ID of the operation to cancel.
    public var messageIDBeingRespondedTo: UInt16

    /// Creates a request cancelling the operation whose request had `messageIDBeingRespondedTo`.
    public init(messageIDBeingRespondedTo: UInt16) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
    }

    /// Always false: no data set follows a C-CANCEL-RQ.
    public var hasDataSet: Bool { false }

    /// Decodes a C-CANCEL-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To or Command Data
    ///   Set Type; ``DIMSEError/Code/invalidField`` when a data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireNoDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: false)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        return commandSet.dataSet
    }
}
