import ArgumentParser
import DICOMNetwork

/// Where the CLI's servers listen: `--bind` when given; else every address, IPv6 and IPv4 on one
/// socket (so that a client reaching ::1 finds the server as one reaching 127.0.0.1 does), or
/// every IPv4 address on a system without IPv6.
enum ServerBinding {
    /// The `--bind` option's help.
    static let help = ArgumentHelp(
        "The address to listen on: every address by default, IPv6 and IPv4 (::), or IPv4 alone (0.0.0.0) on a system without IPv6; 0.0.0.0 for every IPv4 address only, 127.0.0.1 or ::1 for loopback only.")

    /// ``makeServer(bind:_:)`` for `command`'s server on `port`: a failure is printed with the
    /// address and the reason in words ("address already in use"), and the command fails.
    static func listen(
        command: String, bind: String?, port: Int, _ make: (String) async throws -> AssociationServer
    ) async throws -> (server: AssociationServer, host: String) {
        do {
            return try await makeServer(bind: bind, make)
        } catch {
            printError("\(command): \(failure(error, bind: bind, port: port))")
            throw ExitCode.failure
        }
    }

    /// What a failure to listen on `bind` (or every address) and `port` says.
    static func failure(_ error: any Error, bind: String?, port: Int) -> String {
        "cannot listen on \(ListeningAddress.display(host: bind ?? "*", port: port)): \(NetworkFailure.reason(error))"
    }

    /// The server `make` binds to `bind`, or to the default; with the address it listens on.
    static func makeServer(
        bind: String?, _ make: (String) async throws -> AssociationServer
    ) async throws -> (server: AssociationServer, host: String) {
        if let bind { return (try await make(bind), bind) }
        do {
            return (try await make(ListeningAddress.everyAddress), ListeningAddress.everyAddress)
        } catch {
            // No IPv6 here, or it is turned off: IPv4 alone. What fails both (a port in use) is
            // reported from this second try.
            return (try await make("0.0.0.0"), "0.0.0.0")
        }
    }
}
