import DICOMCore
@testable import DICOMNetwork
import DICOMNetworkCore
import Testing

/// ApplicationEntity.unknownSOPClassContext (storescp -pm): a proposed SOP class the registry
/// does not know gets a supported context like the template; a registered one still does not.
@Suite("Unknown SOP classes accepted as storage")
struct UnknownSOPClassContextTests {
    static let privateClass = UID("1.3.6.1.4.1.99999.42.1.1")

    @Test("a private class is answered as the template says; a registered class that is not supported (Print) and a supported one keep their answers")
    func answers() throws {
        var entity = ApplicationEntity(aeTitle: "SCP")
        try entity.addSupportedContext(.ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian])
        let proposed = [Self.privateClass, .basicGrayscalePrintManagementMeta, .ctImageStorage].map { PresentationContext(abstractSyntax: $0) }
        #expect(entity.supportedContexts(answering: proposed).map(\.abstractSyntax) == [.ctImageStorage])
        entity.unknownSOPClassContext = PresentationContext(abstractSyntax: .secondaryCaptureImageStorage, transferSyntaxes: [.implicitVRLittleEndian])
        let supported = entity.supportedContexts(answering: proposed + proposed)
        #expect(supported.map(\.abstractSyntax) == [.ctImageStorage, Self.privateClass])
        #expect(supported.last?.transferSyntaxes == [.implicitVRLittleEndian])
    }
}
