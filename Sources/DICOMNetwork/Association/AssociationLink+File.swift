import DICOMCore
import DICOMNetworkCore
import NIOCore

extension AssociationLink {
    /// The shortest fragment sent from a file. Each PDU sent so costs two system calls (its
    /// 12-byte header, then sendfile(2) of the fragment) where read PDUs leave in one writev per
    /// chunk; below this length that costs more than the two copies sendfile saves.
    static let shortestFileFragment = 32 << 10

    /// How much of a data set is handed to the channel at once when sent from its file: the
    /// file's bytes stay in the page cache, so this bounds only the bookkeeping of pending
    /// writes and how far ahead the kernel is asked to read.
    static let fileBatchLength = 8 << 20

    /// Whether data sets standing in files go out from them (sendfile(2)): on a plain TCP
    /// connection whose peer takes PDUs long enough to be worth it.
    var sendsDataSetsFromFiles: Bool {
        writesFileRegions && fragmenter.maximumFragmentLength >= Self.shortestFileFragment
    }

    /// Sends one DIMSE message whose data set is the bytes `range` of `file`, fragmented to the
    /// peer's maximum PDU length and written with sendfile(2): the data set never passes through
    /// memory. `prepare` runs before each batch of ``fileBatchLength`` bytes after the first
    /// (the caller prepared that one): it checks that the file still holds them and asks for
    /// them to be read ahead. `file` is closed once every write of it has completed or failed.
    ///
    /// - Precondition: `range` is not empty, and ``sendsDataSetsFromFiles``.
    func send(
        commandSet: DataSet,
        presentationContextID: UInt8,
        file: NIOFileHandle,
        dataSetRange range: Range<Int>,
        prepare: (Range<Int>) async throws -> Void
    ) async throws(AssociationError) {
        var lastWrite: EventLoopFuture<Void>?
        do {
            let command = try Self.encodeCommand(commandSet)
            try await sending.withPermit { () async throws(AssociationError) in
                var requests: [UpperLayerRequest] = []
                fragmenter.fragmentCommand(command, presentationContextID: presentationContextID) { requests.append(.pData($0)) }
                // Whole fragments per batch, so that every PDU but the last is full.
                let fragment = fragmenter.maximumFragmentLength
                let batch = max(Self.fileBatchLength / fragment, 1) * fragment
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = min(start + batch, range.upperBound)
                    if start > range.lowerBound {
                        do {
                            try await prepare(start..<end)
                        } catch {
                            // Half a message is on the wire; only an abort ends it cleanly (PS3.7 §8.2).
                            _ = try? enqueue([.abort])
                            throw AssociationError(.closed, "cannot read the data set to send: \(error)")
                        }
                    }
                    fragmenter.fileFragments(of: file, range: start..<end, endsDataSet: end == range.upperBound, presentationContextID: presentationContextID) {
                        requests.append(.pDataFromFile($0))
                    }
                    let written = try enqueue(requests)
                    lastWrite = written
                    requests.removeAll(keepingCapacity: true)
                    start = end
                    if !channel.isWritable { try await wait(for: written) }
                }
                if let lastWrite { try await wait(for: lastWrite) }
            }
        } catch {
            Self.close(file, after: lastWrite)
            throw error
        }
        Self.close(file, after: lastWrite)
        trace.emit(.dimseSent(Self.name(of: commandSet)))
    }

    /// Closes `file` once `write` (the last of its writes, completed in order) is done.
    private static func close(_ file: NIOFileHandle, after write: EventLoopFuture<Void>?) {
        guard let write else {
            try? file.close()
            return
        }
        write.whenComplete { _ in try? file.close() }
    }
}
