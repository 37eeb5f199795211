import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing

/// AEs for tests, with short timeouts so a hung peer fails a test in seconds.
enum Entities {
    static func scu(_ aeTitle: String = "TEST-SCU") throws -> ApplicationEntity {
        var entity = ApplicationEntity(aeTitle: aeTitle)
        entity.acseTimeout = .seconds(5)
        entity.dimseTimeout = .seconds(5)
        entity.networkTimeout = .seconds(10)
        try entity.addRequestedContext(.verification)
        return entity
    }

    static func scp(_ aeTitle: String = "TEST-SCP") throws -> ApplicationEntity {
        var entity = ApplicationEntity(aeTitle: aeTitle)
        entity.acseTimeout = .seconds(5)
        entity.dimseTimeout = .seconds(5)
        entity.networkTimeout = .seconds(10)
        try entity.addSupportedContext(.verification)
        return entity
    }
}

extension Testing.Tag {
    /// Tests that talk to third-party peers.
    @Tag static var interop: Self
}

/// Polls `condition` every 10 ms for up to `timeout`; true as soon as it holds. The timeout is
/// generous: tests run in parallel on a busy machine, and a condition that holds returns at once.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

