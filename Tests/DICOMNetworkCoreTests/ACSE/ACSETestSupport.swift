import DICOMCore
import DICOMNetworkCore
import Testing

/// Expects `body` to throw an ``ACSEError`` with `code`.
func expectACSEError(
    _ code: ACSEError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected ACSEError.\(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ACSEError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected ACSEError.\(code), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Fixture UIDs for the ACSE tests.
enum ACSETest {
    static let verification = UID.verification
    static let ct = UID.ctImageStorage
    static let mr = UID.mrImageStorage
    static let implicit = UID.implicitVRLittleEndian
    static let explicit = UID.explicitVRLittleEndian
    static let deflated = UID.deflatedExplicitVRLittleEndian
    static let bigEndian = UID.explicitVRBigEndian
    static let jpegBaseline = UID("1.2.840.10008.1.2.4.50")
    static let jpegLossless = UID("1.2.840.10008.1.2.4.70")

    /// A requested context with an ID.
    static func requested(_ id: UInt8, _ abstractSyntax: UID, _ transferSyntaxes: [UID]) -> PresentationContext {
        PresentationContext(contextID: id, abstractSyntax: abstractSyntax, transferSyntaxes: transferSyntaxes)
    }

    /// A supported context.
    static func supported(_ abstractSyntax: UID, _ transferSyntaxes: [UID], scu: Bool? = nil, scp: Bool? = nil) -> PresentationContext {
        PresentationContext(abstractSyntax: abstractSyntax, transferSyntaxes: transferSyntaxes, scuRole: scu, scpRole: scp)
    }
}
