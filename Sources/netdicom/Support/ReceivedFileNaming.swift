import DICOMCore
import Foundation
import Synchronization

/// How storescp names a received file (DCMTK's -uf, +uf, --timenames): after its SOP Instance
/// UID, which a second copy replaces; after the UID and a suffix unique to this reception, so
/// that every copy is kept; or after the time it arrived, in the order received.
final class ReceivedFileNaming: Sendable {
    enum Scheme: Sendable {
        case instanceUID, unique, time
    }

    let scheme: Scheme
    let fileExtension: String
    /// What makes names unique between processes: the start time and the process ID.
    private let processStamp: String
    private let sequence = Atomic<Int>(0)

    init(_ scheme: Scheme, fileExtension: String, now: Date = Date()) {
        self.scheme = scheme
        self.fileExtension = fileExtension
        processStamp = "\(Int(now.timeIntervalSince1970))\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// The file name for an instance whose SOP Instance UID is `uid`, received at `now`; nil
    /// when the UID is not safe as a file name (a unique or time name still names a refused
    /// UID's instance nil: the instance is refused whatever it would be called).
    func name(forSOPInstanceUID uid: String, at now: Date = Date()) -> String? {
        guard let base = UIDFileName.fileName(for: uid) else { return nil }
        switch scheme {
        case .instanceUID:
            return base + fileExtension
        case .unique:
            return "\(base).X\(processStamp)-\(nextNumber())\(fileExtension)"
        case .time:
            return "\(Self.timeFormat(now))-\(String(format: "%06d", nextNumber()))\(fileExtension)"
        }
    }

    /// The next number of this process's sequence: only the unique and time names take one.
    private func nextNumber() -> Int {
        sequence.add(1, ordering: .relaxed).oldValue
    }

    /// `YYYYMMDDHHMMSSmmm` in UTC.
    static func timeFormat(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02d%03d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0,
            parts.second ?? 0, (parts.nanosecond ?? 0) / 1_000_000)
    }
}
