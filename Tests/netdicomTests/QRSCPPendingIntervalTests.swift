import ArgumentParser
import Testing
@testable import netdicom

@Suite("qrscp --pending-interval")
struct QRSCPPendingIntervalTests {
    @Test("0 and 1.5 seconds parse; negative, huge and NaN intervals are refused before the archive opens")
    func validation() throws {
        for good in ["0", "1.5", "86400"] {
            _ = try NetDICOMCommand.parseAsRoot(["qrscp", "--pending-interval", good])
        }
        for bad in ["-1", "1e300", "nan", "86401"] {
            #expect(throws: (any Error).self, "\(bad)") { try NetDICOMCommand.parseAsRoot(["qrscp", "--pending-interval", bad]) }
        }
    }
}
