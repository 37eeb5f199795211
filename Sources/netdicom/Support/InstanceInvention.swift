import DICOMCore
import Foundation
import Synchronization

/// DCMTK storescu's load-test options (+II, +IR, +IS, +IP): every instance sent gets a new SOP
/// Instance UID, and the instances are regrouped into invented series, studies and patients: a
/// new series after every `seriesSize` instances, a new study after every `studySize` series, a
/// new patient after every `patientSize` studies (DCMTK's defaults: 100, 50, 25). The same files
/// sent over and over (--repeat) thus fill an archive as new data would.
final class InstanceInvention: Sendable {
    /// What one instance sent gets.
    struct Identity: Sendable, Equatable {
        var sopInstanceUID: UID
        var instanceNumber: Int
        var seriesInstanceUID: UID
        var seriesNumber: Int
        var studyInstanceUID: UID
        var studyID: String
        var accessionNumber: String
        var patientID: String
        var patientName: String
    }

    private struct State {
        var images = 0, series = 0, studies = 0, patients = 0
        var current: Identity?
    }

    let seriesSize: Int
    let studySize: Int
    let patientSize: Int
    /// What makes invented IDs and names unique between runs: the time the run began.
    private let stamp: String
    private let state = Mutex(State())

    init(seriesSize: Int = 100, studySize: Int = 50, patientSize: Int = 25, now: Date = Date()) {
        self.seriesSize = max(1, seriesSize)
        self.studySize = max(1, studySize)
        self.patientSize = max(1, patientSize)
        stamp = String(Int(now.timeIntervalSince1970))
    }

    /// The identity of the next instance sent, in the order they are sent.
    func next() -> Identity {
        state.withLock { state in
            if var identity = state.current {
                if state.images >= seriesSize {
                    state.images = 0
                    state.series += 1
                    identity.seriesInstanceUID = .generate()
                    identity.seriesNumber = state.series + 1
                }
                if state.series >= studySize {
                    state.series = 0
                    state.studies += 1
                    identity.seriesNumber = 1
                    identity.studyInstanceUID = .generate()
                    (identity.studyID, identity.accessionNumber) = study(state.studies)
                }
                if state.studies >= patientSize {
                    state.studies = 0
                    state.patients += 1
                    (identity.patientID, identity.patientName) = patient(state.patients)
                }
                state.current = identity
            } else {
                let (studyID, accession) = study(0)
                let (patientID, patientName) = patient(0)
                state.current = Identity(
                    sopInstanceUID: .generate(), instanceNumber: 0, seriesInstanceUID: .generate(), seriesNumber: 1,
                    studyInstanceUID: .generate(), studyID: studyID, accessionNumber: accession, patientID: patientID, patientName: patientName)
            }
            state.images += 1
            state.current!.sopInstanceUID = .generate()
            state.current!.instanceNumber = state.images
            return state.current!
        }
    }

    /// Study ID (SH, 16 characters at most) and Accession Number of the `number`th study.
    private func study(_ number: Int) -> (String, String) {
        (String("S\(stamp.suffix(9))\(number)".prefix(16)), String("A\(stamp)\(number)".prefix(16)))
    }

    /// Patient ID and Name of the `number`th patient.
    private func patient(_ number: Int) -> (String, String) {
        ("NETDICOM\(stamp)-\(number)", "NETDICOM^\(stamp)-\(number)")
    }

    /// `dataSet` with `identity`'s UIDs, numbers, IDs and names.
    static func apply(_ identity: Identity, to dataSet: inout DataSet) {
        dataSet.setString(identity.sopInstanceUID.string, for: .sopInstanceUID, vr: .UI)
        dataSet.setString(String(identity.instanceNumber), for: .instanceNumber, vr: .IS)
        dataSet.setString(identity.seriesInstanceUID.string, for: .seriesInstanceUID, vr: .UI)
        dataSet.setString(String(identity.seriesNumber), for: .seriesNumber, vr: .IS)
        dataSet.setString(identity.studyInstanceUID.string, for: .studyInstanceUID, vr: .UI)
        dataSet.setString(identity.studyID, for: .studyID, vr: .SH)
        dataSet.setString(identity.accessionNumber, for: .accessionNumber, vr: .SH)
        dataSet.setString(identity.patientID, for: .patientID, vr: .LO)
        dataSet.setString(identity.patientName, for: .patientName, vr: .PN)
    }
}
