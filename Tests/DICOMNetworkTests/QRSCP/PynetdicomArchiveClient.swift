import Foundation
import TestSupport

/// A Q/R client written with pynetdicom's AE API (its apps' `getscu` cannot select roles per
/// context, and none of them can cancel), run with the virtualenv's Python against a qrscp. It
/// prints one line, `REPORT {json}`, that ``Report`` reads.
enum PynetdicomArchiveClient {
    /// What the script saw. Statuses are DIMSE status codes; nil where the response had none
    /// (an aborted association).
    struct Report: Decodable {
        var store: [Int?]?
        var find: [String: FindReport]?
        var get: RetrieveReport?
        var move: RetrieveReport?
    }

    struct FindReport: Decodable {
        var final: Int?
        var matches: [[String: String]]
    }

    struct RetrieveReport: Decodable {
        /// Every response's status, in order; the last is the final one.
        var statuses: [Int?]
        var completed: Int?
        var failed: Int?
        var warning: Int?
        var remaining: Int?
        /// How many C-STORE sub-operations the script's handler answered with success.
        var received: Int
    }

    /// The script. Arguments: mode (`all` or `cancel-get`), qrscp's port and AE title, the
    /// folder of files to store (`-` for none), the study and series to retrieve, the folders
    /// for C-GET and C-MOVE arrivals, the port of the script's own Storage SCP (AE PYSTORE) for
    /// C-MOVE, and optionally the maximum PDU length both of its ends announce (default 16382,
    /// pynetdicom's; 0 for no limit).
    static let script = #"""
        import json, os, sys
        from pydicom.dataset import Dataset
        from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
        from pynetdicom import AE, build_context, build_role, evt
        from pynetdicom.sop_class import (
            CTImageStorage,
            PatientRootQueryRetrieveInformationModelFind as PATIENT_FIND,
            StudyRootQueryRetrieveInformationModelFind as STUDY_FIND,
            StudyRootQueryRetrieveInformationModelGet as STUDY_GET,
            StudyRootQueryRetrieveInformationModelMove as STUDY_MOVE)

        mode, port, aet, files, study, series, get_dir, move_dir, move_port = sys.argv[1:10]
        port, move_port = int(port), int(move_port)
        max_pdu = int(sys.argv[10]) if len(sys.argv) > 10 else 16382
        syntaxes = [ExplicitVRLittleEndian, ImplicitVRLittleEndian]
        report = {}

        def associate(contexts, **options):
            ae = AE(ae_title="PYNET-SCU")
            ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = 10
            assoc = ae.associate("127.0.0.1", port, ae_title=aet, contexts=contexts, max_pdu=max_pdu, **options)
            if not assoc.is_established:
                raise SystemExit("association with qrscp not established")
            return assoc

        def writer(folder, tally):
            # Writes the data set exactly as it arrived (encoded_dataset does not re-encode it).
            def on_store(event):
                uid = event.request.AffectedSOPInstanceUID
                with open(os.path.join(folder, uid + ".dcm"), "wb") as file:
                    file.write(event.encoded_dataset())
                tally["received"] += 1
                return 0x0000
            return on_store

        def identifier(**keys):
            ds = Dataset()
            for keyword, value in keys.items():
                setattr(ds, keyword, value)
            return ds

        def retrieve(responses, tally, cancel=None):
            statuses, last = [], Dataset()
            for status, _ in responses:
                statuses.append(status.get("Status"))
                last = status
                if cancel and status.get("Status") == 0xFF00:
                    cancel()
                    cancel = None
            tally.update(statuses=statuses,
                         completed=last.get("NumberOfCompletedSuboperations"),
                         failed=last.get("NumberOfFailedSuboperations"),
                         warning=last.get("NumberOfWarningSuboperations"),
                         remaining=last.get("NumberOfRemainingSuboperations"))
            return tally

        if mode == "all":
            assoc = associate([build_context(CTImageStorage, [ExplicitVRLittleEndian])])
            report["store"] = [assoc.send_c_store(os.path.join(files, name)).get("Status")
                               for name in sorted(os.listdir(files))]
            assoc.release()

            assoc = associate([build_context(PATIENT_FIND, syntaxes), build_context(STUDY_FIND, syntaxes)])
            queries = {
                "PATIENT": (PATIENT_FIND, identifier(QueryRetrieveLevel="PATIENT", PatientID="QR-PAT-*", PatientName="",
                                                     NumberOfPatientRelatedInstances="")),
                "STUDY": (STUDY_FIND, identifier(QueryRetrieveLevel="STUDY", StudyInstanceUID=study, PatientName="",
                                                 NumberOfStudyRelatedSeries="", NumberOfStudyRelatedInstances="")),
                "SERIES": (STUDY_FIND, identifier(QueryRetrieveLevel="SERIES", StudyInstanceUID=study, SeriesInstanceUID="",
                                                  NumberOfSeriesRelatedInstances="")),
                "IMAGE": (STUDY_FIND, identifier(QueryRetrieveLevel="IMAGE", StudyInstanceUID=study, SeriesInstanceUID=series,
                                                 SOPInstanceUID="", InstanceNumber="")),
            }
            report["find"] = {}
            for level, (model, query) in queries.items():
                matches, final = [], None
                for status, answer in assoc.send_c_find(query, model):
                    if status.get("Status") in (0xFF00, 0xFF01):
                        matches.append({element.keyword: str(element.value) for element in answer if element.keyword})
                    else:
                        final = status.get("Status")
                report["find"][level] = {"final": final, "matches": matches}
            assoc.release()

        if mode in ("all", "cancel-get"):
            tally = {"received": 0}
            assoc = associate([build_context(STUDY_GET, syntaxes), build_context(CTImageStorage, syntaxes)],
                              ext_neg=[build_role(CTImageStorage, scp_role=True)],
                              evt_handlers=[(evt.EVT_C_STORE, writer(get_dir, tally))])
            cancel = (lambda: assoc.send_c_cancel(7, query_model=STUDY_GET)) if mode == "cancel-get" else None
            responses = assoc.send_c_get(identifier(QueryRetrieveLevel="STUDY", StudyInstanceUID=study), STUDY_GET, msg_id=7)
            report["get"] = retrieve(responses, tally, cancel)
            assoc.release()

        if mode == "all":
            tally = {"received": 0}
            storage = AE(ae_title="PYSTORE")
            storage.maximum_pdu_size = max_pdu
            storage.add_supported_context(CTImageStorage, syntaxes)
            server = storage.start_server(("127.0.0.1", move_port), block=False,
                                          evt_handlers=[(evt.EVT_C_STORE, writer(move_dir, tally))])
            assoc = associate([build_context(STUDY_MOVE, syntaxes)])
            query = identifier(QueryRetrieveLevel="SERIES", StudyInstanceUID=study, SeriesInstanceUID=series)
            report["move"] = retrieve(assoc.send_c_move(query, "PYSTORE", STUDY_MOVE), tally)
            assoc.release()
            server.shutdown()

        print("REPORT " + json.dumps(report), flush=True)
        """#

    /// Runs the script and reads its report; the log is the script's whole output, for failure
    /// messages.
    static func run(_ arguments: [String]) async throws -> (Report, log: String) {
        let output = try await PeerProcess.run(ExternalTools.require("python"), ["-c", script] + arguments, timeout: .seconds(60))
        guard let line = output.stdout.split(separator: "\n").last(where: { $0.hasPrefix("REPORT ") }) else {
            throw PeerError(description: "the pynetdicom client printed no report (status \(output.status)):\n\(output.stdout)")
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(line.dropFirst("REPORT ".count).utf8))
        return (report, output.stdout)
    }
}
