import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Logging

/// DCMTK storescp's `--exec-on-reception` (`-xcr`): a shell command run for each instance
/// stored, with `#p` (the file's directory), `#f` (its name), `#a` (the calling AE title), `#c`
/// (the called AE title) and `#r` (the peer's host name or address, without its port) replaced;
/// and its `--exec-on-eostudy` (`-xcs`), run for each study once it has ended, `#p` its
/// directory. As in DCMTK, `#p` is built on `-od` as given: relative when it is, for both.
///
/// Unlike DCMTK, the peer's values go into the command only as letters, digits and `.` `_` `-`
/// `:` (anything else becomes `_`): an AE title is the peer's to choose, and `;` or `$(…)` in it
/// must not reach the shell. File names are UIDs already, and the directory is ours.
struct ReceptionCommand: Sendable {
    /// The command, placeholders and all.
    let template: String
    /// Whether the answer waits for the command to end (`--exec-sync`); otherwise it runs on
    /// while the next instances arrive.
    let synchronous: Bool
    let logger: Logger
    /// The option's name, for the log.
    var label = "exec-on-reception"

    /// The command for the file at `path`, received on `association`.
    func command(forFileAt path: String, association: AssociationInfo) -> String {
        let (directory, fileName) = Self.split(path)
        return command(directory: directory, fileName: fileName, association: association)
    }

    /// `path`'s directory and file name, the directory as written (not made absolute, as
    /// `URL` would): "." for a bare name.
    static func split(_ path: String) -> (directory: String, fileName: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// The command for the file `fileName` in `directory` (ours: not cleaned), received on
    /// `association`.
    func command(directory: String, fileName: String, association: AssociationInfo) -> String {
        let values: [Character: String] = [
            "p": directory,
            "f": Self.safe(fileName),
            "a": Self.safe(association.peerAETitle),
            "c": Self.safe(association.request.calledAETitle),
            "r": Self.safe(association.request.callingPresentationAddress?.host ?? association.peer),
        ]
        return Self.substitute(template, values)
    }

    /// `template` with each `#` followed by a key of `values` replaced by its value, in one pass
    /// (a value holding "#a" is not replaced again); any other `#` stays.
    static func substitute(_ template: String, _ values: [Character: String]) -> String {
        var command = ""
        var characters = template.makeIterator()
        while let character = characters.next() {
            guard character == "#" else { command.append(character); continue }
            guard let next = characters.next() else { command.append(character); break }
            if let value = values[next] { command += value } else { command.append(character); command.append(next) }
        }
        return command
    }

    /// `value` with every character but letters, digits and `.` `_` `-` `:` made `_`.
    static func safe(_ value: String) -> String {
        String(value.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_:".contains($0)) ? $0 : "_" })
    }

    /// Runs the command for the file at `path` with `/bin/sh -c`; waits for it when synchronous.
    /// A command that cannot start or fails is logged, and the instance stays stored.
    func run(forFileAt path: String, association: AssociationInfo) async {
        let (directory, fileName) = Self.split(path)
        await run(directory: directory, fileName: fileName, association: association)
    }

    /// Runs the command for the file `fileName` in `directory` (for a study, its directory and
    /// no file name), as ``run(forFileAt:association:)``.
    func run(directory: String, fileName: String, association: AssociationInfo) async {
        let command = command(directory: directory, fileName: fileName, association: association)
        let label = self.label
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let logger = self.logger
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let synchronous = self.synchronous
            process.terminationHandler = { process in
                if process.terminationStatus != 0 {
                    logger.warning("\(label): \(command) exited with status \(process.terminationStatus)")
                }
                if synchronous { continuation.resume() }
            }
            do {
                try process.run()
                logger.debug("\(label): started \(command)")
                if !synchronous { continuation.resume() }
            } catch {
                logger.error("\(label): cannot run \(command): \(error)")
                continuation.resume()
            }
        }
    }
}
