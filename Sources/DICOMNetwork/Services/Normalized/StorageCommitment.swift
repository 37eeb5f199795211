public import DICOMCore

/// The Storage Commitment Push Model SOP Class (PS3.4 Annex J) as values: the request an SCU
/// sends in an N-ACTION's Action Information (Table J.3-1), and the result the SCP reports in
/// an N-EVENT-REPORT's Event Information (Table J.3-2), each with its data set both ways.
///
/// ```swift
/// // SCU: ask, on an association where the Storage Commitment Push Model was accepted.
/// let request = StorageCommitment.Request(transactionUID: transaction, references: sent)
/// let response = try await association.nAction(
///     sopClass: .storageCommitmentPushModel, sopInstance: .storageCommitmentPushModelInstance,
///     actionTypeID: StorageCommitment.requestActionTypeID, information: request.actionInformation)
/// // …then read the N-EVENT-REPORT in the nService handler:
/// let result = try StorageCommitment.Result(eventInformation: report.dataSet ?? DataSet())
/// ```
public enum StorageCommitment {
    /// Action Type ID 1, Request Storage Commitment (PS3.4 J.3.2.1).
    public static let requestActionTypeID: UInt16 = 1
    /// Event Type ID 1: storage commitment request successful (PS3.4 J.3.3.1).
    public static let successEventTypeID: UInt16 = 1
    /// Event Type ID 2: storage commitment request complete, failures exist (PS3.4 J.3.3.1).
    public static let failuresExistEventTypeID: UInt16 = 2

    /// One SOP instance, referenced by its class and instance UIDs.
    public struct Reference: Hashable, Sendable {
        /// Referenced SOP Class UID (0008,1150).
        public var sopClassUID: UID
        /// Referenced SOP Instance UID (0008,1155).
        public var sopInstanceUID: UID

        /// A reference.
        public init(sopClassUID: UID, sopInstanceUID: UID) {
            self.sopClassUID = sopClassUID
            self.sopInstanceUID = sopInstanceUID
        }

        /// The item of a Referenced SOP Sequence or Failed SOP Sequence.
        var item: DataSet {
            var item = DataSet()
            item.setString(sopClassUID.string, for: .referencedSOPClassUID, vr: .UI)
            item.setString(sopInstanceUID.string, for: .referencedSOPInstanceUID, vr: .UI)
            return item
        }

        init(item: DataSet, in sequence: String) throws(InvalidInformation) {
            guard let sopClass = item.uid(.referencedSOPClassUID), !sopClass.string.isEmpty,
                  let sopInstance = item.uid(.referencedSOPInstanceUID), !sopInstance.string.isEmpty else {
                throw InvalidInformation("an item of the \(sequence) lacks its Referenced SOP Class UID or Referenced SOP Instance UID")
            }
            self.init(sopClassUID: sopClass, sopInstanceUID: sopInstance)
        }
    }

    /// Why the SCP does not commit to an instance: Failure Reason (0008,1197), PS3.3 C.14.1.1.
    public struct FailureReason: Hashable, Sendable, CustomStringConvertible {
        /// The code.
        public var code: UInt16

        /// A reason of code `code`.
        public init(code: UInt16) {
            self.code = code
        }

        /// 0110H: a general failure in processing the operation.
        public static let processingFailure = FailureReason(code: 0x0110)
        /// 0112H: the instance is not available.
        public static let noSuchObjectInstance = FailureReason(code: 0x0112)
        /// 0213H: the SCP lacks the resources to store the instance.
        public static let resourceLimitation = FailureReason(code: 0x0213)
        /// 0122H: the instance's SOP class is one the SCP does not support.
        public static let referencedSOPClassNotSupported = FailureReason(code: 0x0122)
        /// 0119H: the referenced SOP class is not the one the SCP holds the instance as.
        public static let classInstanceConflict = FailureReason(code: 0x0119)
        /// 0131H: the Transaction UID is already in use.
        public static let duplicateTransactionUID = FailureReason(code: 0x0131)

        public var description: String {
            let hex = String(code, radix: 16, uppercase: true)
            let name = switch code {
            case 0x0110: "processing failure"
            case 0x0112: "no such object instance"
            case 0x0213: "resource limitation"
            case 0x0122: "referenced SOP class not supported"
            case 0x0119: "class / instance conflict"
            case 0x0131: "duplicate transaction UID"
            default: "failure"
            }
            return "\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)H (\(name))"
        }
    }

    /// An instance the SCP does not commit to, and why.
    public struct Failure: Hashable, Sendable {
        /// The instance.
        public var reference: Reference
        /// Why.
        public var reason: FailureReason

        /// A failure.
        public init(_ reference: Reference, reason: FailureReason) {
            self.reference = reference
            self.reason = reason
        }
    }

    /// Action or Event Information that does not follow PS3.4 Tables J.3-1 and J.3-2.
    public struct InvalidInformation: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var detail: String

        init(_ detail: String) {
            self.detail = detail
        }

        public var description: String { detail }
    }

    // MARK: - Request

    /// A Storage Commitment request: the N-ACTION's Action Information (PS3.4 Table J.3-1).
    public struct Request: Hashable, Sendable {
        /// Transaction UID (0008,1195): names the request, and comes back in its result.
        public var transactionUID: UID
        /// Referenced SOP Sequence (0008,1199): the instances to commit to; at least one.
        public var references: [Reference]

        /// A request.
        public init(transactionUID: UID, references: [Reference]) {
            self.transactionUID = transactionUID
            self.references = references
        }

        /// The request in `actionInformation`.
        ///
        /// - Throws: ``InvalidInformation`` without a Transaction UID, without a non-empty
        ///   Referenced SOP Sequence, or with an item lacking one of its UIDs.
        public init(actionInformation: DataSet) throws(InvalidInformation) {
            guard let transaction = actionInformation.uid(.transactionUID), !transaction.string.isEmpty else {
                throw InvalidInformation("no Transaction UID (0008,1195)")
            }
            guard let items = actionInformation.sequence(.referencedSOPSequence), !items.isEmpty else {
                throw InvalidInformation("no Referenced SOP Sequence (0008,1199), or an empty one")
            }
            var references: [Reference] = []
            for item in items {
                references.append(try Reference(item: item, in: "Referenced SOP Sequence"))
            }
            self.init(transactionUID: transaction, references: references)
        }

        /// The Action Information data set.
        public var actionInformation: DataSet {
            var information = DataSet()
            information.setString(transactionUID.string, for: .transactionUID, vr: .UI)
            information.setSequence(references.map(\.item), for: .referencedSOPSequence)
            return information
        }
    }

    // MARK: - Result

    /// A Storage Commitment result: the N-EVENT-REPORT's Event Information (PS3.4 Table J.3-2).
    /// Every instance of the request is in ``committed`` or ``failed``.
    public struct Result: Hashable, Sendable {
        /// Transaction UID (0008,1195): the request's.
        public var transactionUID: UID
        /// Referenced SOP Sequence (0008,1199): the instances the SCP commits to.
        public var committed: [Reference]
        /// Failed SOP Sequence (0008,1198): the others, each with its Failure Reason.
        public var failed: [Failure]
        /// Retrieve AE Title (0008,0054): where the committed instances can be retrieved.
        public var retrieveAETitle: String?

        /// A result.
        public init(transactionUID: UID, committed: [Reference], failed: [Failure], retrieveAETitle: String? = nil) {
            self.transactionUID = transactionUID
            self.committed = committed
            self.failed = failed
            self.retrieveAETitle = retrieveAETitle
        }

        /// The Event Type ID to report: ``successEventTypeID`` when every instance is
        /// committed, ``failuresExistEventTypeID`` otherwise.
        public var eventTypeID: UInt16 {
            failed.isEmpty ? StorageCommitment.successEventTypeID : StorageCommitment.failuresExistEventTypeID
        }

        /// The result in `eventInformation`.
        ///
        /// - Throws: ``InvalidInformation`` without a Transaction UID, or with an item lacking a
        ///   UID or (in the Failed SOP Sequence) its Failure Reason.
        public init(eventInformation: DataSet) throws(InvalidInformation) {
            guard let transaction = eventInformation.uid(.transactionUID), !transaction.string.isEmpty else {
                throw InvalidInformation("no Transaction UID (0008,1195)")
            }
            var committed: [Reference] = []
            for item in eventInformation.sequence(.referencedSOPSequence) ?? [] {
                committed.append(try Reference(item: item, in: "Referenced SOP Sequence"))
            }
            var failed: [Failure] = []
            for item in eventInformation.sequence(.failedSOPSequence) ?? [] {
                let reference = try Reference(item: item, in: "Failed SOP Sequence")
                guard let code = item.integer(.failureReason), let reason = UInt16(exactly: code) else {
                    throw InvalidInformation("an item of the Failed SOP Sequence has no Failure Reason (0008,1197)")
                }
                failed.append(Failure(reference, reason: FailureReason(code: reason)))
            }
            self.init(
                transactionUID: transaction, committed: committed, failed: failed,
                retrieveAETitle: eventInformation.string(.retrieveAETitle))
        }

        /// The Event Information data set: the Referenced SOP Sequence only when some instance
        /// is committed, the Failed SOP Sequence only when some failed (PS3.4 Table J.3-2).
        public var eventInformation: DataSet {
            var information = DataSet()
            information.setString(transactionUID.string, for: .transactionUID, vr: .UI)
            if let retrieveAETitle, !committed.isEmpty {
                information.setString(retrieveAETitle, for: .retrieveAETitle, vr: .AE)
            }
            if !committed.isEmpty {
                information.setSequence(committed.map(\.item), for: .referencedSOPSequence)
            }
            if !failed.isEmpty {
                information.setSequence(failed.map { failure in
                    var item = failure.reference.item
                    // A UInt16 always fits US.
                    try? item.setIntegers([Int(failure.reason.code)], for: .failureReason, vr: .US)
                    return item
                }, for: .failedSOPSequence)
            }
            return information
        }
    }
}
