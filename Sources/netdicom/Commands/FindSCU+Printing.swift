import DICOMCore
import DICOMNetwork
import Logging

extension FindSCU {
    /// What findscu's printing task is handed, in order: a C-FIND's matches (a chunk at a time),
    /// then how that C-FIND ended.
    enum PrintJob: Sendable {
        /// Pending responses numbered from `firstNumber`; one without an identifier takes a
        /// number and prints nothing.
        case matches([QueryResponse], firstNumber: Int)
        /// The C-FIND is over: `name` is the query's, when there are several.
        case ended(Outcome, name: String?)
    }

    /// The matches handed to the printing task at a time: a page of a long result, so that
    /// memory stays bounded while it prints, or the jobs of several short C-FINDs (--repeat),
    /// so that the printing task is not woken for each.
    static let printJobSize = 256

    /// The jobs for the printing task, gathered and handed over ``printJobSize`` matches at a
    /// time, or when ``flush()`` asks.
    struct PrintQueue {
        let continuation: AsyncStream<[PrintJob]>.Continuation
        private var jobs: [PrintJob] = []
        private var matches = 0

        init(_ continuation: AsyncStream<[PrintJob]>.Continuation) {
            self.continuation = continuation
        }

        mutating func add(_ job: PrintJob) {
            jobs.append(job)
            if case .matches(let responses, _) = job { matches += responses.count }
            if matches >= FindSCU.printJobSize { flush() }
        }

        /// Hands over what is gathered.
        mutating func flush() {
            guard !jobs.isEmpty else { return }
            continuation.yield(jobs)
            jobs = []
            matches = 0
        }

        /// Hands over what is gathered and ends the printing task's jobs.
        mutating func finish() {
            flush()
            continuation.finish()
        }
    }

    /// Decodes, renders and writes the matches of every C-FIND on a task of its own, so that the next
    /// C-FIND goes out while the last one's matches are printed (the peer answers it meanwhile)
    /// instead of after: printing is off the round trip. The output is the same, in the same
    /// order: each C-FIND's matches, then (without --repeat) its summary on standard error.
    /// Returns what the C-FINDs came to, once `batches` ends.
    func printing(_ batches: AsyncStream<[PrintJob]>, syntax: TransferSyntax, findClass: UID, logger: Logger) -> Task<Repeated, Never> {
        let (repeatCount, extract, directory, hide) = (self.repeatCount, self.extract, output.outputDirectory, hideResponses)
        let (extractXML, singleXML, limit) = (self.extractXML, extractXMLSingle, limitOutput ?? .max)
        return Task {
            var xmlResponses: [DataSet] = []
            defer { if let singleXML { Self.writeXML(XMLDataSetWriter.responses(xmlResponses, type: "C-FIND", syntax: syntax), to: singleXML) } }
            let printer = DumpPrinter(maximumValueLength: 70)
            var printed: [UInt8] = []
            var repeated = Repeated()
            for await jobs in batches {
                for job in jobs {
                    switch job {
                    case let .matches(responses, firstNumber):
                        for (offset, response) in responses.enumerated() {
                            let number = firstNumber + offset
                            guard let match = response.identifier else {
                                logger.warning("C-FIND response \(number) has no identifier")
                                continue
                            }
                            if !hide {
                                if number > 1 { printed.append(UInt8(ascii: "\n")) }
                                printed.append(contentsOf: "# match \(number)\n".utf8)
                                printer.render(match, syntax: syntax, depth: 0, into: &printed)
                                if printed.count >= Self.printChunk { Self.print(&printed) }
                            }
                            guard number <= limit else { continue }
                            if extract { Self.write(match, syntax: syntax, findClass: findClass, number: number, directory: directory) }
                            if extractXML {
                                Self.writeXML(XMLDataSetWriter.document(match, syntax: syntax), to: "\(directory)/\(Self.responseName(number)).xml")
                            }
                            if singleXML != nil { xmlResponses.append(match) }
                        }
                    case let .ended(outcome, name):
                        if repeatCount == 1 {
                            Self.print(&printed)
                            printError(outcome.summary(name: name))
                        }
                        repeated.add(outcome)
                    }
                }
            }
            Self.print(&printed)
            return repeated
        }
    }
}
