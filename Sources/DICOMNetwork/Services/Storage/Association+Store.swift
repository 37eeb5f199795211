public import DICOMCore
public import DICOMNetworkCore
public import NIOCore

extension Association {
    /// Sends the Part 10 file at `path` as a C-STORE request (PS3.4 Annex B) and returns the
    /// peer's response. Only the file's meta information is read up front; the data set streams
    /// from disk in PDU-sized chunks, so memory stays flat for any size. When the peer accepted
    /// the SOP class in another uncompressed transfer syntax only, the data set is converted:
    /// from 8 MiB on, as it is read between Explicit and Implicit VR Little Endian, so memory
    /// stays flat then too; otherwise loaded whole first.
    ///
    /// With an asynchronous operations window above 1, several stores may run at once from
    /// different tasks; at most the window's worth wait for their responses.
    ///
    /// - Parameter progress: called as the data set goes out, with the bytes of it handed to
    ///   the connection so far and its length: after every chunk read (1 MiB) or batch sent
    ///   from the file (8 MiB), on the association's threads, so it must be quick. For a data
    ///   set converted between Explicit and Implicit VR Little Endian or to Big Endian, both
    ///   are the file's, a few bytes off; one converted otherwise (deflated) is not reported.
    /// - Throws: ``AssociationError/Code/invalidInput`` for an unreadable file (the association
    ///   goes on); ``AssociationError/Code/noAcceptedContext``; the reason the association ended.
    public func store(
        fileAt path: String,
        priority: DIMSEPriority = .medium,
        moveOriginator: (aeTitle: String, messageID: UInt16)? = nil,
        progress: (@Sendable (_ sentBytes: Int, _ dataSetLength: Int) -> Void)? = nil
    ) async throws(AssociationError) -> CStoreResponse {
        try await endpoint.store(.file(path: path), priority: priority, moveOriginator: moveOriginator, progress: progress)
    }

    /// Sends `dataSet` as a C-STORE request; its SOP Class and Instance UIDs come from (0008,0016)
    /// and (0008,0018). It is encoded in `transferSyntax` when accepted, else in another accepted
    /// uncompressed syntax.
    public func store(
        _ dataSet: DataSet,
        transferSyntax: TransferSyntax = TransferSyntax(uid: .explicitVRLittleEndian),
        priority: DIMSEPriority = .medium
    ) async throws(AssociationError) -> CStoreResponse {
        guard let sopClass = dataSet.uid(.sopClassUID), let sopInstance = dataSet.uid(.sopInstanceUID) else {
            throw AssociationError(.invalidInput, "the data set has no SOP Class UID (0008,0016) or SOP Instance UID (0008,0018)")
        }
        return try await endpoint.store(
            .dataSet(dataSet, sopClassUID: sopClass, sopInstanceUID: sopInstance, transferSyntax: transferSyntax),
            priority: priority)
    }

    /// Sends a data set already encoded in `transferSyntax` (a Part 10 file's bytes after its
    /// meta information, or what a C-STORE SCP received) as a C-STORE request, without decoding
    /// it: the bytes go out as they are when the peer accepted that syntax for `sopClassUID`;
    /// otherwise they are decoded and converted to another accepted uncompressed syntax.
    ///
    /// For instances already in memory; ``store(fileAt:priority:moveOriginator:)`` streams a file
    /// from disk instead.
    public func store(
        encodedDataSet bytes: ByteBuffer,
        sopClassUID: UID,
        sopInstanceUID: UID,
        transferSyntax: TransferSyntax,
        priority: DIMSEPriority = .medium
    ) async throws(AssociationError) -> CStoreResponse {
        try await endpoint.store(encoded: bytes, sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, syntax: transferSyntax, priority: priority)
    }
}
