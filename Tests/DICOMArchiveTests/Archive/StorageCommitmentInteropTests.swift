@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// The archive's Storage Commitment SCP against pynetdicom as the SCU: pynetdicom sends the
/// N-ACTION with `send_n_action` and takes the N-EVENT-REPORT with an `EVT_N_EVENT_REPORT`
/// handler on the same association.
@Suite("Storage Commitment SCP interop with pynetdicom", .tags(.interop))
struct StorageCommitmentInteropTests {
    /// What both scripts start with: the imports, and `say`, which prints one line.
    static let scriptPrelude = """
    import sys, threading, time
    from pydicom.dataset import Dataset
    from pynetdicom import AE, evt
    from pynetdicom.sop_class import StorageCommitmentPushModel
    # One write per line under a lock: the report's handler thread prints while the main
    # thread does, and print() writes the text and the newline apart.
    lock = threading.Lock()
    def say(line):
        with lock:
            sys.stdout.write(line + "\\n")
            sys.stdout.flush()
    def send_action(assoc, transaction, references):
        # The N-ACTION of CLASS:INSTANCE references; prints its status.
        info = Dataset()
        info.TransactionUID = transaction
        items = []
        for reference in references:
            item = Dataset()
            item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID = reference.split(":")
            items.append(item)
        info.ReferencedSOPSequence = items
        status, reply = assoc.send_n_action(info, 1, StorageCommitmentPushModel, "1.2.840.10008.1.20.1.1")
        say("action %04X" % status.Status)
    def listen(port, on_report):
        # PYNET-SCU's own listener, taking reports as the SCU of a new association.
        listener = AE(ae_title="PYNET-SCU")
        listener.add_supported_context(StorageCommitmentPushModel, scu_role=False, scp_role=True)
        return listener.start_server(("127.0.0.1", port), block=False, evt_handlers=[(evt.EVT_N_EVENT_REPORT, on_report)])

    """

    /// A pynetdicom Storage Commitment SCU: argv is the port, the Transaction UID, then
    /// CLASS:INSTANCE references. Prints the N-ACTION status, then the report line by line.
    static let pynetdicomSCU = scriptPrelude + """
    reported = threading.Event()
    answered = threading.Event()
    def on_sent(event):
        # Release only once the N-EVENT-REPORT-RSP is queued before the A-RELEASE-RQ.
        if type(event.message).__name__ == "N_EVENT_REPORT_RSP":
            answered.set()
    def on_report(event):
        info = event.event_information
        say("event %d" % event.event_type)
        say("transaction " + str(info.TransactionUID))
        say("retrieve " + str(info.get("RetrieveAETitle", "")))
        for item in info.get("ReferencedSOPSequence", []):
            say("committed %s %s" % (item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID))
        for item in info.get("FailedSOPSequence", []):
            say("failed %s %s %04X" % (item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID, item.FailureReason))
        sys.stdout.flush()
        reported.set()
        return 0x0000, None
    ae = AE(ae_title="PYNET-SCU")
    ae.add_requested_context(StorageCommitmentPushModel)
    assoc = ae.associate("127.0.0.1", int(sys.argv[1]), ae_title="QRSCP", evt_handlers=[(evt.EVT_N_EVENT_REPORT, on_report), (evt.EVT_DIMSE_SENT, on_sent)])
    assert assoc.is_established, "not established"
    send_action(assoc, sys.argv[2], sys.argv[3:])
    sys.stdout.flush()
    say("reported" if reported.wait(15) and answered.wait(5) else "no report")
    assoc.release()
    """

    @Test("pynetdicom's N-ACTION → our archive: the N-EVENT-REPORT on the same association lists stored and failed instances",
          .enabled(if: ExternalTools.shouldRun(needing: "python")), arguments: TestBackend.all)
    func pynetdicomSCU(_ backend: TestBackend) async throws {
        let test = try await StorageCommitmentTests.populatedArchive(backend)
        defer { Task { await test.close() } }
        let server = try await StorageCommitmentTests.startArchive(test.archive)
        defer { Task { await server.shutdown() } }
        let messages = StorageCommitmentTests.ReceivedMessages(server)
        let ct = UID.ctImageStorage.string
        let mr = UID.mrImageStorage.string
        let transaction = "1.2.826.0.1.3680043.10.545.2000"
        let result = try await ExternalTools.runOffPool(ExternalTools.require("python"), [
            "-c", Self.pynetdicomSCU, String(server.port), transaction,
            "\(ct):\(StorageCommitmentTests.stored)",
            "\(ct):\(StorageCommitmentTests.storedAsCT)",
            "\(mr):\(StorageCommitmentTests.storedAsCT)",
            "\(ct):\(StorageCommitmentTests.fileRemoved)",
            "\(ct):\(StorageCommitmentTests.neverStored)",
        ])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let context = "\(result.stdout)\n\(result.stderr)"
        // The report may be printed before the N-ACTION status: it comes right after the response.
        #expect(lines.contains("action 0000"), "\(context)")
        #expect(lines.contains("reported"), "\(context)")
        #expect(lines.contains("event 2"))
        #expect(lines.contains("transaction \(transaction)"))
        #expect(lines.contains("retrieve QRSCP"))
        #expect(lines.filter { $0.hasPrefix("committed ") }.sorted() == [
            "committed \(ct) \(StorageCommitmentTests.stored)",
            "committed \(ct) \(StorageCommitmentTests.storedAsCT)",
        ])
        #expect(lines.filter { $0.hasPrefix("failed ") } == [
            "failed \(mr) \(StorageCommitmentTests.storedAsCT) 0119",
            "failed \(ct) \(StorageCommitmentTests.fileRemoved) 0112",
            "failed \(ct) \(StorageCommitmentTests.neverStored) 0112",
        ])
        // The archive had pynetdicom's answer to the report: it did not need another association.
        #expect(await StorageCommitmentTests.eventually { messages.names.contains("N-EVENT-REPORT-RSP") })
    }

    @Test("every instance stored: pynetdicom gets event 1 and no failures",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomAllCommitted() async throws {
        let test = try await StorageCommitmentTests.populatedArchive(.sqlite)
        defer { Task { await test.close() } }
        let server = try await StorageCommitmentTests.startArchive(test.archive)
        defer { Task { await server.shutdown() } }
        let ct = UID.ctImageStorage.string
        let result = try await ExternalTools.runOffPool(ExternalTools.require("python"), [
            "-c", Self.pynetdicomSCU, String(server.port), "1.2.826.0.1.3680043.10.545.2001",
            "\(ct):\(StorageCommitmentTests.stored)",
        ])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("reported"), "\(result.stdout)\n\(result.stderr)")
        #expect(lines.contains("event 1"))
        #expect(lines.contains("committed \(ct) \(StorageCommitmentTests.stored)"))
        #expect(!lines.contains { $0.hasPrefix("failed ") })
    }
    /// A pynetdicom SCU that also listens for the report (argv: the archive's port, its own
    /// port, the Transaction UID, then CLASS:INSTANCE references), and answers the report on the
    /// request's association only after three seconds: the archive gives up on that one and
    /// reports on a new association, proposing the SCP role.
    static let pynetdicomListeningSCU = scriptPrelude + """
    reported = threading.Event()
    def slow(event):
        time.sleep(3)
        return 0x0000, None
    def on_report(event):
        info = event.event_information
        say("event %d" % event.event_type)
        say("transaction " + str(info.TransactionUID))
        say("calling " + event.assoc.requestor.ae_title)
        for cx in event.assoc.accepted_contexts:
            if cx.abstract_syntax == StorageCommitmentPushModel:
                say("listener scu=%s scp=%s" % (cx.as_scu, cx.as_scp))
        for item in info.get("ReferencedSOPSequence", []):
            say("committed %s" % item.ReferencedSOPInstanceUID)
        for item in info.get("FailedSOPSequence", []):
            say("failed %s %04X" % (item.ReferencedSOPInstanceUID, item.FailureReason))
        sys.stdout.flush()
        reported.set()
        return 0x0000, None
    server = listen(int(sys.argv[2]), on_report)
    ae = AE(ae_title="PYNET-SCU")
    ae.add_requested_context(StorageCommitmentPushModel)
    assoc = ae.associate("127.0.0.1", int(sys.argv[1]), ae_title="QRSCP", evt_handlers=[(evt.EVT_N_EVENT_REPORT, slow)])
    assert assoc.is_established, "not established"
    send_action(assoc, sys.argv[3], sys.argv[4:])
    sys.stdout.flush()
    say("reported" if reported.wait(20) else "no report")
    if assoc.is_established:
        assoc.release()
    server.shutdown()
    """

    @Test("pynetdicom as a listening SCU: the report comes on a new association where pynetdicom accepted our SCP role",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomOnNewAssociation() async throws {
        let python = try ExternalTools.require("python")
        let test = try await StorageCommitmentTests.populatedArchive(.sqlite)
        defer { Task { await test.close() } }
        let listenPort = try await Self.freePort(python)
        let server = try await StorageCommitmentTests.startArchive(
            test.archive, dimseTimeout: .seconds(1), destinations: ["PYNET-SCU": MoveDestination(host: "127.0.0.1", port: listenPort)])
        defer { Task { await server.shutdown() } }
        let ct = UID.ctImageStorage.string
        let result = try await ExternalTools.runOffPool(python, [
            "-c", Self.pynetdicomListeningSCU, String(server.port), String(listenPort), "1.2.826.0.1.3680043.10.545.2002",
            "\(ct):\(StorageCommitmentTests.stored)", "\(ct):\(StorageCommitmentTests.neverStored)",
        ])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let context = "\(result.stdout)\n\(result.stderr)"
        #expect(lines.contains("action 0000"), "\(context)")
        #expect(lines.contains("reported"), "\(context)")
        #expect(lines.contains("calling QRSCP"))
        #expect(lines.contains("listener scu=True scp=False"), "pynetdicom, the acceptor, is the SCU: \(context)")
        #expect(lines.contains("event 2"))
        #expect(lines.contains("transaction 1.2.826.0.1.3680043.10.545.2002"))
        #expect(lines.contains("committed \(StorageCommitmentTests.stored)"))
        #expect(lines.contains("failed \(StorageCommitmentTests.neverStored) 0112"))
    }

    /// A pynetdicom SCU that releases a moment after the N-ACTION is answered and takes the report
    /// on its own listening association, as most modalities do (argv: the archive's port, its
    /// own port, the Transaction UID, then CLASS:INSTANCE references). Prints how the release
    /// ended and, per report, the association it came on.
    static let pynetdicomReleasingSCU = scriptPrelude + """
    reported = threading.Event()
    def on_report(event):
        say("report on " + ("the request's association" if event.assoc.is_requestor else "a new association"))
        for item in event.event_information.get("ReferencedSOPSequence", []):
            say("committed %s" % item.ReferencedSOPInstanceUID)
        reported.set()
        return 0x0000, None
    server = listen(int(sys.argv[2]), on_report)
    ae = AE(ae_title="PYNET-SCU")
    ae.add_requested_context(StorageCommitmentPushModel)
    assoc = ae.associate("127.0.0.1", int(sys.argv[1]), ae_title="QRSCP", evt_handlers=[(evt.EVT_N_EVENT_REPORT, on_report)])
    assert assoc.is_established, "not established"
    send_action(assoc, sys.argv[3], sys.argv[4:])
    # A moment's bookkeeping, as a modality's: by then the archive's result is ready.
    time.sleep(0.1)
    assoc.release()
    say("release " + ("aborted" if assoc.is_aborted else "released" if assoc.is_released else "unfinished"))
    reported.wait(20)
    # Long enough for a second report, were one to come.
    time.sleep(2)
    server.shutdown()
    """

    @Test("pynetdicom releasing just after the N-ACTION response: one report, on a new association, and a clean release",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomReleasingAtOnce() async throws {
        let python = try ExternalTools.require("python")
        let test = try await StorageCommitmentTests.populatedArchive(.sqlite)
        defer { Task { await test.close() } }
        let listenPort = try await Self.freePort(python)
        let server = try await StorageCommitmentTests.startArchive(
            test.archive, destinations: ["PYNET-SCU": MoveDestination(host: "127.0.0.1", port: listenPort)])
        defer { Task { await server.shutdown() } }
        let ct = UID.ctImageStorage.string
        let result = try await ExternalTools.runOffPool(python, [
            "-c", Self.pynetdicomReleasingSCU, String(server.port), String(listenPort), "1.2.826.0.1.3680043.10.545.2003",
            "\(ct):\(StorageCommitmentTests.stored)",
        ])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let context = "\(result.stdout)\n\(result.stderr)"
        #expect(lines.contains("action 0000"), "\(context)")
        #expect(lines.contains("release released"), "the report must not cross the release: \(context)")
        #expect(lines.filter { $0.hasPrefix("report on ") } == ["report on a new association"], "\(context)")
        #expect(lines.contains("committed \(StorageCommitmentTests.stored)"), "\(context)")
    }

    /// A port free on 127.0.0.1 for pynetdicom's listener, as Python finds one.
    static func freePort(_ python: String) async throws -> Int {
        let free = try await ExternalTools.runOffPool(python, ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return try #require(Int(free.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
