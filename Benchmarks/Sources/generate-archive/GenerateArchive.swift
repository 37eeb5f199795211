import ArgumentParser
import DICOMCore
import Foundation
import SyntheticInstances

/// `generate-archive`: many small instances spread over many patients and studies, the
/// population of an archive's index for query benchmarks (scripts/bench find-100k).
@main
struct GenerateArchive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-archive",
        abstract: "Write tiny instances of many patients, studies and series (an archive's population).",
        discussion: """
            Study s (0-based) belongs to patient s % --patients; each study has --series series \
            of --per-series instances, until --instances are written. Patients are named \
            FAMILY^GIVEN from fixed lists (FAMILY is one of 26 names starting A...Z, so that \
            PatientName=B* finds about 1/26 of them) with Patient ID PID%06d; studies have \
            Accession Number ACC%08d, a Study Date spread over 2015-2024, and modality CT or MR \
            (MR for every third study). Files go to DIR/NNN/IMnnnnnnnn.dcm, 1,000 per directory.
            """
    )

    @Option(help: "How many instances in all.")
    var instances = 100_000

    @Option(help: "How many patients the studies cycle through.")
    var patients = 2_000

    @Option(help: "Series per study.")
    var series = 2

    @Option(help: "Instances per series.")
    var perSeries = 10

    @Option(name: .shortAndLong, help: "The directory to write into; created if missing.")
    var output = "."

    static let families = [
        "ADAMS", "BROWN", "CLARK", "DAVIS", "EVANS", "FISHER", "GARCIA", "HARRIS", "IRWIN", "JONES",
        "KING", "LEWIS", "MILLER", "NELSON", "OWEN", "PARKER", "QUINN", "ROBERTS", "SMITH", "TAYLOR",
        "UNDERWOOD", "VINCENT", "WILSON", "XAVIER", "YOUNG", "ZIMMER",
    ]
    static let givens = ["ANNA", "BEN", "CARLA", "DAVID", "EMMA", "FELIX", "GRETA", "HUGO"]

    func validate() throws {
        guard instances >= 1, patients >= 1, series >= 1, perSeries >= 1 else {
            throw ValidationError("--instances, --patients, --series and --per-series must be at least 1")
        }
    }

    func run() throws {
        var written = 0
        var studyNumber = 0
        while written < instances {
            let patient = studyNumber % patients
            var study = SyntheticStudy()
            study.patientID = String(format: "PID%06d", patient)
            study.patientName = PersonName(
                familyName: Self.families[patient % Self.families.count],
                givenName: "\(Self.givens[(patient / Self.families.count) % Self.givens.count]) \(patient)")
            study.studyDate = DICOMDate(year: 2015 + studyNumber % 10, month: 1 + studyNumber % 12, day: 1 + studyNumber % 28)!
            let modality = studyNumber % 3 == 2 ? "MR" : "CT"
            for seriesNumber in 1...series where written < instances {
                study.seriesInstanceUID = UID.generate()
                for number in 1...perSeries where written < instances {
                    var dataSet = TinyInstance.make(study: study, instanceNumber: number)
                    dataSet.setString(String(format: "ACC%08d", studyNumber), for: .accessionNumber, vr: .SH)
                    dataSet.setString(modality, for: .modality, vr: .CS)
                    try dataSet.setIntegers([seriesNumber], for: .seriesNumber, vr: .IS)
                    dataSet.setString("STUDY \(studyNumber)", for: .studyDescription, vr: .LO)
                    let directory = output + String(format: "/%03d", written / 1_000)
                    if written % 1_000 == 0 {
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    }
                    // Benchmark inputs need not survive a power cut: no fsync.
                    try DICOMFile(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian, sourceAETitle: "NETDICOM_GEN")
                        .write(toFileAt: directory + String(format: "/IM%08d.dcm", written), durable: false)
                    written += 1
                }
            }
            studyNumber += 1
        }
    }
}
