import DICOMCore
import DICOMNetworkCore
import NIOCore
import Testing

@testable import DICOMNetwork

/// A screening's refused contexts in the A-ASSOCIATE-AC.
@Suite("AssociationScreening")
struct AssociationScreeningTests {
    @Test("refused contexts are answered user-rejection, without roles, and lose their SOP class extended answers")
    func refusedContexts() {
        var response = AAssociate(callingAETitle: "SCU", calledAETitle: "SCP", presentationContextDefinitionList: [])
        response.presentationContextDefinitionResultList = [
            PresentationContext(contextID: 1, abstractSyntax: .studyRootQueryRetrieveInformationModelFind, transferSyntaxes: [.explicitVRLittleEndian], result: .acceptance),
            PresentationContext(contextID: 3, abstractSyntax: .ctImageStorage, transferSyntaxes: [.explicitVRLittleEndian], result: .acceptance, asSCU: true, asSCP: true),
        ]
        response.userInformation.sopClassExtendedNegotiations = [UID.studyRootQueryRetrieveInformationModelFind, .ctImageStorage].map {
            SOPClassExtendedNegotiation(sopClassUID: $0, serviceClassApplicationInformation: ByteBuffer(bytes: [1]))
        }
        let screened = AssociationScreening(refusedContextIDs: [3]).applied(to: response)
        #expect(screened.presentationContextDefinitionResultList[0] == response.presentationContextDefinitionResultList[0])
        #expect(screened.presentationContextDefinitionResultList[1].result == .userRejection)
        #expect(screened.presentationContextDefinitionResultList[1].asSCU == false && screened.presentationContextDefinitionResultList[1].asSCP == false)
        #expect(screened.userInformation.sopClassExtendedNegotiations.map(\.sopClassUID) == [.studyRootQueryRetrieveInformationModelFind])
        #expect(AssociationScreening.proceed.applied(to: response) == response)
    }
}
