import Benchmark
import DICOMCore
import NIOCore
import SyntheticInstances

// DICOMCore's reading and writing, on the instances generate-instances writes:
//   - a 512 x 512 16-bit CT image (bytes dominate: what a C-STORE SCP or a viewer reads),
//   - a data set of 5,000 small elements and nested sequences (elements dominate).
// Inputs are encoded once, outside the measurement; each iteration parses or writes one whole
// file from memory, so the numbers leave out the disk.
//
// Besides package-benchmark's throughput (iterations per second) and malloc counts, each
// benchmark reports "bytes/s": the file's size divided by the measured time of one iteration.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, bytesPerSecond],
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    let study = SyntheticStudy()
    let ct = DICOMFile(dataSet: CTInstance.make(study: study, instanceNumber: 1), transferSyntax: .explicitVRLittleEndian)
    let elements = ManyElementsInstance.make(study: study, instanceNumber: 1)
    let elementCount = ManyElementsInstance.elementCount(elements)

    let inputs: [(name: String, file: DICOMFile)] = [
        ("CT 512x512 16-bit, explicit LE", ct),
        ("CT 512x512 16-bit, implicit LE", converted(ct, to: .implicitVRLittleEndian)),
        ("CT 512x512 16-bit, big endian", converted(ct, to: .explicitVRBigEndian)),
        ("\(elementCount) small elements, explicit LE", DICOMFile(dataSet: elements, transferSyntax: .explicitVRLittleEndian)),
        ("\(elementCount) small elements, implicit LE", DICOMFile(dataSet: elements, transferSyntax: .implicitVRLittleEndian)),
    ]

    for (name, file) in inputs {
        let encoded = try! file.encoded()
        let size = encoded.readableBytes

        Benchmark("Parse \(name) (\(size / 1024) KiB)") { benchmark in
            let start = ContinuousClock.now
            for _ in benchmark.scaledIterations {
                blackHole(try! DICOMFile(reading: encoded))
            }
            report(bytes: size * benchmark.scaledIterations.count, since: start, to: benchmark)
        }

        // Streaming: headers and small values gathered into 64 KiB chunks, pixel data handed over
        // as the slice it is (what a C-STORE SCU or the atomic file writer consumes).
        Benchmark("Write \(name), streamed chunks") { benchmark in
            let start = ContinuousClock.now
            for _ in benchmark.scaledIterations {
                var total = 0
                try! file.write { chunk in total += chunk.readableBytes }
                blackHole(total)
            }
            report(bytes: size * benchmark.scaledIterations.count, since: start, to: benchmark)
        }

        // Into one contiguous buffer: the bytes are copied once.
        Benchmark("Write \(name), one buffer") { benchmark in
            let start = ContinuousClock.now
            for _ in benchmark.scaledIterations {
                blackHole(try! file.encoded())
            }
            report(bytes: size * benchmark.scaledIterations.count, since: start, to: benchmark)
        }
    }

    // Parsing plus reading every value as a string: the work of a dump without the printing.
    let elementsFile = try! DICOMFile(dataSet: elements, transferSyntax: .explicitVRLittleEndian).encoded()
    Benchmark("Parse \(elementCount) small elements, explicit LE, and decode every string value") { benchmark in
        let start = ContinuousClock.now
        for _ in benchmark.scaledIterations {
            let file = try! DICOMFile(reading: elementsFile)
            var characters = 0
            for element in file.dataSet where element.vr.isString {
                characters += file.dataSet.string(element.tag)?.utf8.count ?? 0
            }
            blackHole(characters)
        }
        report(bytes: elementsFile.readableBytes * benchmark.scaledIterations.count, since: start, to: benchmark)
    }
}

/// Bytes processed per second of measured time; larger is better.
let bytesPerSecond = BenchmarkMetric.custom("bytes/s", polarity: .prefersLarger, useScalingFactor: false)

func report(bytes: Int, since start: ContinuousClock.Instant, to benchmark: Benchmark) {
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    guard seconds > 0 else { return }
    benchmark.measurement(bytesPerSecond, Int(Double(bytes) / seconds))
}

func converted(_ file: DICOMFile, to transferSyntax: TransferSyntax) -> DICOMFile {
    DICOMFile(dataSet: file.dataSet, transferSyntax: transferSyntax)
}
