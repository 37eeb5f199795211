import DICOMCore
import DICOMNetwork

extension FindSCU {
    /// What findscu's printing task is handed, in order: a C-FIND's matches (a chunk at a time),
    /// then how that C-FIND ended.
    enum PrintJob: Sendable {
        /// Matches numbered from `firstNumber`; nil for a response without an identifier (it
        /// takes a number, prints nothing).
        case matches([DataSet?], firstNumber: Int)
        /// The C-FIND is over: `name` is the query's, when there are several.
        case ended(Outcome, name: String?)
    }

    /// The matches handed to the printing task at a time: a page of a long result, so that
    /// memory stays bounded while it prints.
    static let printJobSize = 256

    /// Renders and writes the matches of every C-FIND on a task of its own, so that the next
    /// C-FIND goes out while the last one's matches are printed (the peer answers it meanwhile)
    /// instead of after: printing is off the round trip. The output is the same, in the same
    /// order: each C-FIND's matches, then (without --repeat) its summary on standard error.
    /// Returns what the C-FINDs came to, once `jobs` ends.
    func printing(_ jobs: AsyncStream<PrintJob>, syntax: TransferSyntax) -> Task<Repeated, Never> {
        let (repeatCount, extract, directory) = (self.repeatCount, self.extract, output.outputDirectory)
        return Task {
            let printer = DumpPrinter(maximumValueLength: 70)
            var printed: [UInt8] = []
            var repeated = Repeated()
            for await job in jobs {
                switch job {
                case let .matches(matches, firstNumber):
                    for (offset, match) in matches.enumerated() {
                        guard let match else { continue }
                        let number = firstNumber + offset
                        if number > 1 { printed.append(UInt8(ascii: "\n")) }
                        printed.append(contentsOf: "# match \(number)\n".utf8)
                        printer.render(match, syntax: syntax, depth: 0, into: &printed)
                        if printed.count >= Self.printChunk { Self.print(&printed) }
                        if extract { Self.write(match, syntax: syntax, number: number, directory: directory) }
                    }
                case let .ended(outcome, name):
                    if repeatCount == 1 {
                        Self.print(&printed)
                        printError(outcome.summary(name: name))
                    }
                    repeated.add(outcome)
                }
            }
            Self.print(&printed)
            return repeated
        }
    }
}
