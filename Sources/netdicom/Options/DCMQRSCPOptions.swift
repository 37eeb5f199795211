import ArgumentParser
import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore

/// DCMTK dcmqrscp's options that change what the archive does, so that a dcmqrscp command line
/// runs unchanged against `netdicom qrscp`. (The ones that ask for what qrscp always does are
/// accepted in ``DCMTKPlusFlags``; those asking for what it cannot do are refused there, with
/// the reason.)
struct DCMQRSCPOptions: ParsableArguments {
    @Flag(name: .customLong("disable-get"), help: "Refuse the C-GET contexts (dcmqrscp's --disable-get).")
    var disableGet = false

    @Flag(name: [.customLong("no-patient-root"), .customLong("QP", withSingleDash: true)], help: "Do not serve the Patient Root models.")
    var noPatientRoot = false

    @Flag(name: [.customLong("no-study-root"), .customLong("QS", withSingleDash: true)], help: "Do not serve the Study Root models.")
    var noStudyRoot = false

    @Flag(name: .customLong("require-find"), help: "Refuse a MOVE or GET context unless its model's FIND is proposed too.")
    var requireFind = false

    @Flag(help: "Which known C-MOVE destinations a requestor may name (others are answered A801H):")
    var moveRestriction: MoveRestrictionFlag = .unrestricted

    @Flag(name: .customLong("allow-shutdown"), help: "Shut down gracefully when an association proposes DCMTK's private Shutdown SOP Class (termscu); it is rejected.")
    var allowShutdown = false

    @OptionGroup var refusal: AcceptorRefusalOptions

    @Flag(name: [.customLong("promiscuous"), .customLong("pm", withSingleDash: true)],
          help: "Also store instances of SOP classes the standard does not know (private ones), as DCMTK storescp's -pm.")
    var promiscuous = false

    @Flag(name: .customLong("ignore"), help: "Answer C-STOREs with success without storing or indexing them (for measurements).")
    var ignore = false

    /// DCMTK's private Shutdown SOP Class, which its termscu proposes.
    static let shutdownSOPClass = UID("1.2.276.0.7230010.3.4.1915765545.18030.917282194.0")

    /// The Query/Retrieve models served.
    var models: [QueryRetrieveModel] {
        ArchiveService.models.filter { model in
            switch model {
            case .patientRoot: !noPatientRoot
            case .studyRoot: !noStudyRoot
            default: true
            }
        }
    }

    /// Whether an association needs screening before negotiation.
    var screens: Bool { refusal.refuses || allowShutdown || requireFind }

    /// What to do with `request`; `shutdown` is called when it asks the archive to shut down
    /// and --allow-shutdown lets it.
    func screening(_ request: AAssociate, shutdown: () -> Void) -> AssociationScreening {
        if let rejection = refusal.rejection(of: request) { return .reject(rejection) }
        let proposed = request.presentationContextDefinitionList
        // As dcmqrscp: the association is rejected, then the archive shuts down.
        if allowShutdown, proposed.contains(where: { $0.abstractSyntax == Self.shutdownSOPClass }) {
            shutdown()
            return .reject(.noReasonGiven)
        }
        guard requireFind else { return .proceed }
        let proposedClasses = Set(proposed.map(\.abstractSyntax))
        let refused = proposed.filter { context in
            guard let model = QueryRetrieveModel(sopClass: context.abstractSyntax), context.abstractSyntax != model.find else { return false }
            return !proposedClasses.contains(model.find)
        }
        return AssociationScreening(refusedContextIDs: Set(refused.compactMap(\.contextID)))
    }

    func validate() throws {
        if noPatientRoot && noStudyRoot { throw ValidationError("--no-patient-root and --no-study-root leave no model to serve") }
    }
}

/// dcmqrscp's move destination restriction flags.
enum MoveRestrictionFlag: String, EnumerableFlag {
    case unrestricted, callingAETitle, callingHost, sameVendor

    static func name(for value: Self) -> NameSpecification {
        switch value {
        case .unrestricted: .customLong("move-unrestricted")
        case .callingAETitle: [.customLong("move-aetitle"), .customLong("ZA", withSingleDash: true)]
        case .callingHost: [.customLong("move-host"), .customLong("ZH", withSingleDash: true)]
        case .sameVendor: [.customLong("move-vendor"), .customLong("ZV", withSingleDash: true)]
        }
    }

    static func help(for value: Self) -> ArgumentHelp? {
        switch value {
        case .unrestricted: "Any known destination (the default)."
        case .callingAETitle: "Only the requestor's own AE title (-ZA)."
        case .callingHost: "Only a destination on the requestor's host (-ZH)."
        case .sameVendor: "Only a destination of a vendor the requestor's AE title is of, in the VendorTable of a dcmqrscp --config (-ZV)."
        }
    }

    /// The restriction; `vendors` are the AE titles of each vendor of a dcmqrscp
    /// configuration's VendorTable, nil without one.
    func restriction(vendors: [Set<String>]?) throws(ConfigurationFileError) -> MoveRestriction {
        switch self {
        case .unrestricted: return .unrestricted
        case .callingAETitle: return .callingAETitle
        case .callingHost: return .callingHost
        case .sameVendor:
            guard let vendors, !vendors.isEmpty else {
                throw ConfigurationFileError("-ZV (--move-vendor) needs a dcmqrscp --config whose VendorTable groups the AE titles by vendor")
            }
            return .sameVendor(vendors)
        }
    }
}
