import DICOMCore
@testable import DICOMArchive
import NIOCore

/// A C-FIND identifier as the archive reads one, and a candidate to match: the input is cut at its
/// first 00H byte after the eighth; the part before is the identifier, the part after the
/// candidate, both in Implicit VR Little Endian (the syntax of most C-FINDs). Properties, beyond
/// "nothing traps": a query that reads gets an index search at each level or an ArchiveError,
/// and matches or not any candidate.
public enum QueryProperties {
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(PropertyViolation) {
        let cut = bytes.dropFirst(8).firstIndex(of: 0) ?? bytes.count
        let identifierBytes = ByteBuffer(bytes: bytes[..<cut])
        let candidateBytes = ByteBuffer(bytes: bytes[min(cut + 1, bytes.count)...])
        guard let identifier = try? DataSetReader.read(identifierBytes, transferSyntax: .implicitVRLittleEndian) else { return }
        let candidate = try? DataSetReader.read(candidateBytes, transferSyntax: .implicitVRLittleEndian)
        for options in [MatchingOptions(), MatchingOptions(personNamesIgnoreCase: false, combinedDateTimeMatching: true, emptyValueMatching: true, multipleValueMatching: true)] {
            guard let query = try? Query(identifier: identifier, options: options) else { continue }
            _ = query.matchingKeys.map(\.description)
            for level in QueryRetrieveLevel.allCases {
                for matching in [true, false] {
                    if let search = try? IndexSearch(query, level: level, matching: matching) {
                        _ = search.statement(after: nil, limit: 64)
                        _ = search.statement(after: "1.2.3", limit: 2048)
                    }
                }
            }
            if let candidate { _ = query.matches(candidate) }
            _ = query.matches(identifier)
        }
    }
}
