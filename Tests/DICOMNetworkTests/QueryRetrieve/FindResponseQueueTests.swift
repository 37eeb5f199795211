@testable import DICOMNetwork
import DICOMNetworkCore
import Synchronization
import Testing

/// The queue between a C-FIND handler's task and the sender of its responses: what is ready is
/// taken at once, nothing waits for a later match, and a sender that falls behind holds the
/// handler back.
@Suite("FindResponseQueue")
struct FindResponseQueueTests {
    @Test("elements added while the sender is away are taken together, in order, then the end with the failure")
    func takesWhatIsReady() async {
        let queue = FindResponseQueue<Int>()
        await queue.add(1, bytes: 10)
        await queue.add(2, bytes: 10)
        await queue.add(3, bytes: 10)
        let first = await queue.take()
        #expect(first.elements == [1, 2, 3])
        #expect(!first.finished)
        await queue.add(4, bytes: 10)
        queue.finish(throwing: QueryFailure(.outOfResources, comment: "stopped"))
        let last = await queue.take()
        #expect(last.elements == [4])
        #expect(last.finished)
        #expect((queue.failure as? QueryFailure)?.comment == "stopped")
    }

    @Test("a waiting sender gets the first element as soon as it is added, not with a later one")
    func senderWakesForOne() async throws {
        let queue = FindResponseQueue<Int>()
        let taken = Mutex<[Int]?>(nil)
        let sender = Task {
            let result = await queue.take()
            taken.withLock { $0 = result.elements }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(taken.withLock { $0 } == nil, "take() returned with nothing added")
        await queue.add(7, bytes: 1)
        await sender.value
        #expect(taken.withLock { $0 } == [7])
    }

    @Test("past maximumBytes not taken, the producer waits for the sender; finishing releases it and drops what follows")
    func producerWaitsForSender() async throws {
        let queue = FindResponseQueue<Int>()
        await queue.add(1, bytes: FindResponseQueue<Int>.maximumBytes)
        let added = Mutex(false)
        let producer = Task {
            await queue.add(2, bytes: 1)
            added.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!added.withLock { $0 }, "add() did not wait for the sender")
        #expect(await queue.take().elements == [1])
        await producer.value
        #expect(await queue.take().elements == [2])

        await queue.add(3, bytes: FindResponseQueue<Int>.maximumBytes)
        let blocked = Task { await queue.add(4, bytes: 1) }
        try await Task.sleep(for: .milliseconds(20))
        queue.finish()
        await blocked.value
        let rest = await queue.take()
        #expect(rest.elements == [3])
        #expect(rest.finished)
    }
}
