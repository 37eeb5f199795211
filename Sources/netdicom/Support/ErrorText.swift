import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation

/// An error as the commands tell a person: its words, without the code names, source
/// locations and error domains that the libraries' descriptions carry for developers and logs.
enum ErrorText {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as AssociationError:
            // A rejection or an abort is told in words already; otherwise the detail says it.
            if error.rejection != nil || error.abort != nil || error.detail.isEmpty { return error.description }
            return error.detail
        case let error as DICOMParsingError:
            var text = error.detail.isEmpty ? words(of: "\(error.code)") : error.detail
            if error.offset > 0 { text += " (at byte \(error.offset)\(error.tag.map { ", in \($0)" } ?? ""))" }
            return text
        case let error as ACSEError:
            return error.reason
        case let error as CocoaError:
            // Foundation's own text is "The operation could not be completed"; the system's says why.
            if let underlying = error.underlying as NSError?, underlying.domain == NSPOSIXErrorDomain {
                return String(cString: strerror(Int32(underlying.code)))
            }
            return error.localizedDescription
        default:
            return "\(error)"
        }
    }

    /// A code's name in words: `valueLengthExceedsInput` → "value length exceeds input".
    static func words(of name: String) -> String {
        var text = ""
        for character in name {
            if character.isUppercase, !text.isEmpty { text += " " }
            text += character.lowercased()
        }
        return text
    }
}
