/// Runs `body`, failing with an ``AssociationError/Code/timedOut`` error naming `what` if it takes
/// longer than `duration`. `body` is cancelled when the time is up.
func withTimeout<T: Sendable>(
    _ duration: Duration?,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let duration else { return try await body() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: duration)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw AssociationError(.timedOut, "\(what): no answer within \(duration)")
        }
        return value
    }
}
