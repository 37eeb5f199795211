import Testing
@testable import netdicom

/// storescu's progress line: files that failed before the transfer (not DICOM, unreadable) are
/// in its counts from the start, so that it ends where the summary does (found by a black-box
/// review: it ended at 13/13 files, 0 failed, under a summary of 13 sent, 5 failed).
@Suite("storescu's progress line")
struct TransferProgressTests {
    @Test("13 files sent after 5 that failed before sending: the line ends at 18/18 files, 5 failed")
    func failedBeforeSending() {
        let progress = TransferProgress(total: 13, show: false, failedBeforeSending: 5)
        // 5 of 18 done: 8 of the bar's 30 marks.
        #expect(progress.line == "[" + String(repeating: "#", count: 8) + String(repeating: ".", count: 22) + "] 5/18 files, 5 failed, 0 MB")
        for slot in 0..<13 { progress.sent(slot: slot % 2, bytes: 1_000_000) }
        #expect(progress.line == "[" + String(repeating: "#", count: 30) + "] 18/18 files, 5 failed, 13 MB")
    }

    @Test("without failures before sending, the counts are the transfer's alone")
    func noneFailedBefore() {
        let progress = TransferProgress(total: 4, show: false)
        progress.sent(slot: 0, bytes: 2_000_000)
        progress.failed(slot: 1)
        #expect(progress.line == "[" + String(repeating: "#", count: 15) + String(repeating: ".", count: 15) + "] 2/4 files, 1 failed, 2 MB")
    }
}
