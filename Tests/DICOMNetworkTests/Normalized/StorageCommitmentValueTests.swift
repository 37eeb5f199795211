import DICOMCore
import DICOMNetwork
import NIOCore
import Testing

/// The Storage Commitment request and result as data sets (PS3.4 Tables J.3-1 and J.3-2), both
/// ways, through the encoded bytes.
@Suite("Storage Commitment values")
struct StorageCommitmentValueTests {
    static let ct = StorageCommitment.Reference(sopClassUID: .ctImageStorage, sopInstanceUID: "1.2.826.0.1.3680043.10.546.1")
    static let mr = StorageCommitment.Reference(sopClassUID: .mrImageStorage, sopInstanceUID: "1.2.826.0.1.3680043.10.546.2")

    /// `dataSet` written in Explicit VR Little Endian and read back.
    static func roundTrip(_ dataSet: DataSet) throws -> DataSet {
        let syntax = TransferSyntax(uid: .explicitVRLittleEndian)
        return try DataSetReader.read(DataSetWriter.encode(dataSet, transferSyntax: syntax), transferSyntax: syntax)
    }

    @Test("a request survives encoding")
    func request() throws {
        let request = StorageCommitment.Request(transactionUID: "1.2.826.0.1.3680043.10.546.9", references: [Self.ct, Self.mr])
        let information = try Self.roundTrip(request.actionInformation)
        #expect(information.sequence(.referencedSOPSequence)?.count == 2)
        #expect(try StorageCommitment.Request(actionInformation: information) == request)
    }

    @Test("a result with failures: event 2, both sequences, the Failure Reason as US")
    func resultWithFailures() throws {
        let result = StorageCommitment.Result(
            transactionUID: "1.2.826.0.1.3680043.10.546.9", committed: [Self.ct],
            failed: [.init(Self.mr, reason: .classInstanceConflict)], retrieveAETitle: "QRSCP")
        #expect(result.eventTypeID == 2)
        let information = try Self.roundTrip(result.eventInformation)
        #expect(information[.failureReason] == nil)
        #expect(information.sequence(.failedSOPSequence)?.first?.integer(.failureReason) == 0x0119)
        #expect(information.sequence(.failedSOPSequence)?.first?[.failureReason]?.vr == .US)
        #expect(try StorageCommitment.Result(eventInformation: information) == result)
    }

    @Test("a result without failures: event 1, no Failed SOP Sequence; without successes, no Referenced SOP Sequence nor Retrieve AE Title")
    func resultShapes() throws {
        let success = StorageCommitment.Result(transactionUID: "1.2.3", committed: [Self.ct], failed: [], retrieveAETitle: "QRSCP")
        #expect(success.eventTypeID == 1)
        #expect(!success.eventInformation.contains(.failedSOPSequence))
        let failure = StorageCommitment.Result(transactionUID: "1.2.3", committed: [], failed: [.init(Self.ct, reason: .noSuchObjectInstance)], retrieveAETitle: "QRSCP")
        #expect(!failure.eventInformation.contains(.referencedSOPSequence))
        #expect(!failure.eventInformation.contains(.retrieveAETitle))
    }

    @Test("malformed information is refused with what is wrong")
    func malformed() throws {
        var noTransaction = StorageCommitment.Request(transactionUID: "1.2.3", references: [Self.ct]).actionInformation
        noTransaction[.transactionUID] = nil
        #expect(throws: StorageCommitment.InvalidInformation.self) { try StorageCommitment.Request(actionInformation: noTransaction) }

        var itemWithoutInstance = DataSet()
        itemWithoutInstance.setString(UID.ctImageStorage.string, for: .referencedSOPClassUID, vr: .UI)
        var information = DataSet()
        information.setString("1.2.3", for: .transactionUID, vr: .UI)
        information.setSequence([itemWithoutInstance], for: .referencedSOPSequence)
        #expect(throws: StorageCommitment.InvalidInformation.self) { try StorageCommitment.Request(actionInformation: information) }

        var failedWithoutReason = DataSet()
        failedWithoutReason.setString("1.2.3", for: .transactionUID, vr: .UI)
        failedWithoutReason.setSequence([Self.ct].map { reference in
            var item = DataSet()
            item.setString(reference.sopClassUID.string, for: .referencedSOPClassUID, vr: .UI)
            item.setString(reference.sopInstanceUID.string, for: .referencedSOPInstanceUID, vr: .UI)
            return item
        }, for: .failedSOPSequence)
        #expect(throws: StorageCommitment.InvalidInformation.self) { try StorageCommitment.Result(eventInformation: failedWithoutReason) }
    }
}
