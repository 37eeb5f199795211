import ArgumentParser
import DICOMNetworkCore

/// AE titles given as arguments, checked as PS3.5 §6.2 has them (at most 16 characters, no
/// backslash or control character), so that a bad one is an error of the arguments, told with
/// the command's usage before anything is sent.
enum AETitleArguments {
    static func validate(_ titles: String...) throws {
        for title in titles {
            do { try AETitle.validate(title) } catch { throw ValidationError(error.reason) }
        }
    }
}
