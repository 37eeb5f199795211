@testable import DICOMNetwork
import Testing

@Suite("Pending C-GET and C-MOVE responses, paced")
struct PendingResponsePacingTests {
    /// Which of the sub-operations ending at `offsets` (from one start) get a pending response.
    static func due(_ interval: Duration, at offsets: [Duration]) -> [Bool] {
        var pacing = PendingResponsePacing(interval: interval)
        let start = ContinuousClock.now
        return offsets.map { pacing.isDue(at: start + $0) }
    }

    @Test("an interval of zero: a pending response after every sub-operation")
    func zeroIsEveryTime() {
        #expect(Self.due(.zero, at: [.zero, .zero, .milliseconds(1), .milliseconds(2)]) == [true, true, true, true])
    }

    @Test("after the first sub-operation always, then only once the interval has passed since the last one sent")
    func firstThenOncePerInterval() {
        let offsets: [Duration] = [.zero, .milliseconds(10), .milliseconds(999), .seconds(1), .milliseconds(1500), .milliseconds(2200), .milliseconds(3100)]
        // Counted from the last one sent (at 1 s, then 2.2 s), not from the first.
        #expect(Self.due(.seconds(1), at: offsets) == [true, false, false, true, false, true, false])
    }
}
