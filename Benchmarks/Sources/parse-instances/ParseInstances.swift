import DICOMCore
import Foundation

/// `parse-instances FILE...`: reads each file with DICOMFile and prints its SOP Instance UID,
/// one line per file; nothing else. The parse-only row of scripts/bench, the counterpart of
/// `dcmdump +P SOPInstanceUID` and of pydicom's `dcmread(f).SOPInstanceUID`: every tool reads
/// and structures the whole file and prints one value, so printing costs nothing worth counting.
@main
enum ParseInstances {
    static func main() {
        var failed = false
        var output = ""
        for path in CommandLine.arguments.dropFirst() {
            do {
                let file = try DICOMFile(contentsOf: path)
                output += (file.dataSet.uid(.sopInstanceUID)?.string ?? "-") + "\n"
            } catch {
                failed = true
                output += "\(path): \(error)\n"
            }
            if output.utf8.count > 1 << 16 {
                print(output, terminator: "")
                output = ""
            }
        }
        print(output, terminator: "")
        if failed { exit(1) }
    }
}
