import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing
@testable import netdicom

/// How qrscp's dcmqrscp options screen an A-ASSOCIATE-RQ before negotiation.
@Suite("qrscp's dcmqrscp screening")
struct DCMQRSCPOptionsTests {
    static func request(_ classes: [UID], implementationClassUID: UID? = "1.2.3.4") -> AAssociate {
        var request = AAssociate(
            callingAETitle: "SCU", calledAETitle: "QRSCP",
            presentationContextDefinitionList: classes.enumerated().map { index, sopClass in
                PresentationContext(contextID: PresentationContext.contextID(forIndex: index), abstractSyntax: sopClass)
            })
        request.implementationClassUID = implementationClassUID
        return request
    }

    static func options(_ arguments: [String]) throws -> DCMQRSCPOptions {
        try DCMQRSCPOptions.parse(arguments)
    }

    @Test("--reject rejects a request without an Implementation Class UID (1, 1, 1), and lets one with it through")
    func rejectWithoutImplementationClassUID() throws {
        let options = try Self.options(["--reject"])
        let without = options.screening(Self.request([.verification], implementationClassUID: nil)) {}
        #expect(without.rejection == .noReasonGiven)
        #expect(options.screening(Self.request([.verification])) {} == .proceed)
        #expect(try Self.options([]).screening(Self.request([.verification], implementationClassUID: nil)) {} == .proceed)
    }

    @Test("--require-find refuses a MOVE or GET context whose model's FIND is not proposed, per model")
    func requireFind() throws {
        let request = Self.request([
            .studyRootQueryRetrieveInformationModelFind, .studyRootQueryRetrieveInformationModelMove,
            .patientRootQueryRetrieveInformationModelGet, .patientRootQueryRetrieveInformationModelMove, .ctImageStorage,
        ])
        let screening = try Self.options(["--require-find"]).screening(request) {}
        #expect(screening.rejection == nil)
        #expect(screening.refusedContextIDs == [5, 7])
    }

    @Test("--allow-shutdown: a request proposing DCMTK's Shutdown SOP Class is rejected and shuts down; without it, nothing happens")
    func allowShutdown() throws {
        let request = Self.request([DCMQRSCPOptions.shutdownSOPClass])
        var shutdowns = 0
        #expect(try Self.options(["--allow-shutdown"]).screening(request) { shutdowns += 1 }.rejection == .noReasonGiven)
        #expect(shutdowns == 1)
        #expect(try Self.options([]).screening(request) { shutdowns += 1 } == .proceed)
        #expect(shutdowns == 1)
    }

    @Test("--refuse rejects everything; -QS leaves Patient Root; both models off is refused")
    func refuseAndModels() throws {
        #expect(try Self.options(["--refuse"]).screening(Self.request([.verification])) {}.rejection == .noReasonGiven)
        #expect(try Self.options(["-QS"]).models == [.patientRoot])
        #expect(throws: (any Error).self) { try Self.options(["-QS", "-QP"]) }
    }

    @Test("qrscp's refused DCMTK options name themselves and why; accepted ones are dropped; after -- nothing is refused")
    func refusedOptions() {
        #expect(DCMTKPlusFlags.refusal(in: ["netdicom", "qrscp", "-v", "+te", "11112"])?.hasPrefix("+te: qrscp writes each data set as it was received") == true)
        #expect(DCMTKPlusFlags.refusal(in: ["netdicom", "qrscp", "--", "+te"]) == nil)
        #expect(DCMTKPlusFlags.refusal(in: ["netdicom", "storescp", "+te"])?.hasPrefix("+te: storescp writes") == true)
        #expect(DCMTKPlusFlags.refusal(in: ["netdicom", "movescu", "-F"])?.hasPrefix("-F: movescu writes") == true)
        #expect(DCMTKPlusFlags.refusal(in: ["netdicom", "storescu", "+te"]) == nil)
        for option in ["-id", "--sleep-after", "-rns", "-xf", "+ac"] {
            #expect(DCMTKPlusFlags.refusal(in: ["netdicom", "storescp", option, "11112"])?.hasPrefix("\(option): storescp ") == true, "\(option)")
        }
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "storescp", "+uf", "+v", "-up", "--single-process", "11112"])
            == ["netdicom", "storescp", "--unique-filenames", "--verbose-pc", "11112"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "storescp", "-B", "+F", "+t=", "-p", "-uc", "11112"]) == ["netdicom", "storescp", "11112"])
        #expect(DCMTKPlusFlags.dropAccepted(from: ["netdicom", "qrscp", "-s", "+B", "-XF", "-up", "-xi", "11112"]) == ["netdicom", "qrscp", "11112"])
    }
}
