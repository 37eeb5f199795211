import DICOMCore
import DICOMNetwork
import Foundation
import Logging
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// DCMTK storescp's sorting of received instances into a subdirectory of the output directory
/// per study (`-su`, `-ss`, `-sp`), and its end-of-study command (`--exec-on-eostudy`).
///
/// An instance arrives as DIR/SOPInstanceUID.dcm, durably; it is then renamed into its study's
/// directory, which is fsynced, before it is answered. The study's directory is named from the
/// data set's Study Instance UID (`-su PREFIX`: PREFIX_UID) or from the time the study's first
/// instance arrived (`-ss PREFIX`: PREFIX_YYYYMMDD_HHMMSSmmm; `-sp`: the patient's name, then the
/// time). A Study Instance UID that is not a valid UID is refused (C000H), never used as a path.
/// A study ends when an instance of another study comes from the same calling AE title (as
/// DCMTK's storescp ends it when another study arrives; per sender here, since associations
/// run at once), or when none of its instances has arrived for the end-of-study timeout; its
/// directory is then forgotten (a later instance of it starts a new one under `-ss` and `-sp`)
/// and the end-of-study command runs.
final class StudySorting: Sendable {
    enum Scheme: Sendable {
        /// `-su PREFIX`: PREFIX_StudyInstanceUID.
        case studyUID(prefix: String)
        /// `-ss PREFIX`: PREFIX_YYYYMMDD_HHMMSSmmm.
        case timestamp(prefix: String)
        /// `-sp`: PatientName_YYYYMMDD_HHMMSSmmm.
        case patientName
    }

    /// A study that is receiving instances.
    private struct Study {
        var directory: String
        var lastArrival: ContinuousClock.Instant
        var association: AssociationInfo
    }

    private let scheme: Scheme
    private let root: String
    private let durable: Bool
    private let endOfStudyTimeout: Duration
    private let endOfStudyCommand: ReceptionCommand?
    private let logger: Logger
    private let studies = Mutex<[String: Study]>([:])

    /// Bytes of a file read for its Study Instance UID when the network kept too few.
    static let headLength = 1 << 20

    init(scheme: Scheme, root: String, durable: Bool, endOfStudyTimeout: Duration, endOfStudyCommand: ReceptionCommand?, logger: Logger) {
        self.scheme = scheme
        self.root = root
        self.durable = durable
        self.endOfStudyTimeout = endOfStudyTimeout
        self.endOfStudyCommand = endOfStudyCommand
        self.logger = logger
    }

    /// Moves the received instance at `path` into its study's directory and returns its new path;
    /// throws (having removed the file) when its Study Instance UID is missing or unsafe. Blocks.
    func file(_ instance: ReceivedInstance, at path: String) throws(SortingError) -> String {
        let attributes: DataSet
        do {
            attributes = try Self.attributes(of: instance, at: path)
        } catch {
            _ = unlink(path)
            throw error
        }
        guard let studyUID = attributes.uid(.studyInstanceUID)?.string, UIDFileName.fileName(for: studyUID) != nil else {
            _ = unlink(path)
            let found = attributes.string(.studyInstanceUID).map { "\"\($0.prefix(80))\"" } ?? "none"
            throw SortingError("the Study Instance UID (\(found)) is not a valid UID", isInstanceFault: true)
        }
        let now = ContinuousClock.now
        let sender = instance.request.association.peerAETitle
        let (directory, isNew, superseded) = studies.withLock { studies in
            if var study = studies[studyUID] {
                study.lastArrival = now
                study.association = instance.request.association
                studies[studyUID] = study
                return (study.directory, false, [(String, Study)]())
            }
            // A new study from this sender ends the sender's others.
            let superseded = studies.filter { $0.value.association.peerAETitle == sender }.map { ($0.key, $0.value) }
            for (uid, _) in superseded { studies[uid] = nil }
            let directory = root + "/" + directoryName(studyUID: studyUID, attributes: attributes)
            studies[studyUID] = Study(directory: directory, lastArrival: now, association: instance.request.association)
            return (directory, true, superseded)
        }
        if isNew { scheduleEnd(of: studyUID) }
        for (uid, study) in superseded {
            Task { await end(study, uid: uid, why: "another study from \(sender) began") }
        }
        let destination = directory + "/" + (path.split(separator: "/").last.map(String.init) ?? path)
        // The directory is made only when the rename finds it missing: no look-up per instance.
        var moved = rename(path, destination) == 0
        if !moved, errno == ENOENT {
            try makeDirectory(directory)
            moved = rename(path, destination) == 0
        }
        guard moved else {
            let reason = String(cString: strerror(errno))
            _ = unlink(path)
            throw SortingError("cannot move \(path) into \(directory): \(reason)")
        }
        if durable { try syncDirectory(directory) }
        return destination
    }

    /// The subdirectory name of a new study.
    private func directoryName(studyUID: String, attributes: DataSet) -> String {
        switch scheme {
        case .studyUID(let prefix):
            return prefix.isEmpty ? studyUID : prefix + "_" + studyUID
        case .timestamp(let prefix):
            return (prefix.isEmpty ? "" : prefix + "_") + Self.timestamp()
        case .patientName:
            return Self.safeName(attributes.string(.patientName) ?? "") + "_" + Self.timestamp()
        }
    }

    /// The local time as YYYYMMDD_HHMMSSmmm, as DCMTK names its study directories.
    static func timestamp(_ date: Date = Date()) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&time, &parts)
        let milliseconds = Int(date.timeIntervalSince1970 * 1000) % 1000
        return String(
            format: "%04d%02d%02d_%02d%02d%02d%03d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }

    /// A patient's name as a directory name: ASCII letters and digits kept, anything else `_`, at
    /// most 64 characters; ANONYMOUS when empty.
    static func safeName(_ name: String) -> String {
        let kept = String(name.prefix(64).map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return kept.isEmpty ? "ANONYMOUS" : kept
    }

    /// The data set's attributes: of the whole data set the network kept, else before the point
    /// where its kept first bytes (or the file's first MiB, of which a deflated data set inflates
    /// as far as it goes) end.
    private static func attributes(of instance: ReceivedInstance, at path: String) throws(SortingError) -> DataSet {
        let syntax = instance.request.transferSyntax
        let deflated = syntax == .deflatedExplicitVRLittleEndian
        if let kept = instance.dataSetBytes ?? (deflated ? nil : instance.dataSetPrefix) {
            let (dataSet, _) = DataSetReader.readSalvaging(kept, transferSyntax: syntax)
            if dataSet.uid(.studyInstanceUID) != nil { return dataSet }
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SortingError("cannot read \(path)") }
        defer { try? handle.close() }
        let head = ByteBuffer(bytes: (try? handle.read(upToCount: headLength)) ?? Data())
        do {
            let header = try DICOMFile.readHeader(head)
            let body = head.getSlice(at: header.dataSetOffset, length: head.readableBytes - header.dataSetOffset) ?? ByteBuffer()
            return DataSetReader.readSalvaging(body, transferSyntax: header.transferSyntax).0
        } catch {
            throw SortingError("cannot read the data set of \(path): \(error)", isInstanceFault: true)
        }
    }

    /// Creates `directory` (in the output directory) if missing, durably.
    private func makeDirectory(_ directory: String) throws(SortingError) {
        if mkdir(directory, 0o755) == 0 {
            if durable { try syncDirectory(root) }
        } else if errno != EEXIST {
            throw SortingError("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// fsyncs `directory`, in one sync with the arrivals of other associations landing there
    /// (``DirectorySync``, as the network's own file sink does).
    private func syncDirectory(_ directory: String) throws(SortingError) {
        do {
            try DirectorySync.sync(directory)
        } catch {
            throw SortingError("cannot make \(directory) durable: \(error)")
        }
    }

    /// Runs the end-of-study command of `study`, which has ended.
    private func end(_ study: Study, uid: String, why: String) async {
        logger.info("end of study \(uid) in \(study.directory): \(why)")
        await endOfStudyCommand?.run(directory: study.directory, fileName: "", association: study.association)
    }

    /// Ends the study once none of its instances has arrived for the timeout.
    private func scheduleEnd(of studyUID: String) {
        let timeout = endOfStudyTimeout
        Task { [self] in
            var deadline = ContinuousClock.now + timeout
            while true {
                do {
                    try await Task.sleep(until: deadline)
                } catch {
                    return
                }
                let ended: Study? = studies.withLock { studies in
                    guard let study = studies[studyUID] else { return nil }
                    if study.lastArrival + timeout > ContinuousClock.now {
                        deadline = study.lastArrival + timeout
                        return nil
                    }
                    studies[studyUID] = nil
                    return study
                }
                if let ended {
                    await end(ended, uid: studyUID, why: "none of its instances came for \(timeout)")
                    return
                }
                if studies.withLock({ $0[studyUID] == nil }) { return }
            }
        }
    }
}

/// Why a received instance could not be sorted into its study's directory.
struct SortingError: Error, CustomStringConvertible {
    var description: String
    /// Whether the instance is at fault (no valid Study Instance UID: C000H), not the file
    /// system (A700H).
    var isInstanceFault = false
    init(_ description: String, isInstanceFault: Bool = false) {
        self.description = description
        self.isInstanceFault = isInstanceFault
    }
}
