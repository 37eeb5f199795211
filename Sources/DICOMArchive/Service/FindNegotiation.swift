public import DICOMCore
public import DICOMNetwork
import DICOMNetworkCore
public import NIOCore

/// The C-FIND options of SOP Class Extended Negotiation (PS3.4 C.5.1.1, Tables C.5-1 and C.5-2):
/// what a requestor proposes for a FIND SOP class, and what the archive performs.
///
/// The service-class-application-information field has one byte per option, each 0 or 1:
/// relational queries, combined date-time matching, fuzzy semantic matching of person names,
/// timezone query adjustment, Enhanced Multi-Frame Image Conversion, Empty Value Matching,
/// Multiple Value Matching. Only the first is mandatory; a missing byte is 0.
public struct FindNegotiation: Hashable, Sendable {
    /// Relational queries (byte 1; PS3.4 C.4.1.2.3, C.4.1.3.2).
    public var relationalQueries = false
    /// Combined date and time range matching (byte 2; PS3.4 C.2.2.2.5).
    public var combinedDateTimeMatching = false
    /// Empty Value Matching (byte 6; PS3.4 C.2.2.2.7).
    public var emptyValueMatching = false
    /// Multiple Value Matching (byte 7; PS3.4 C.2.2.2.8).
    public var multipleValueMatching = false

    /// Nothing negotiated: hierarchical queries and the default matching.
    public init() {}

    /// The options the archive performs of those `information` proposes: all of the above
    /// (fuzzy person-name matching, timezone adjustment and multi-frame conversion are
    /// declined).
    public init(proposal information: ByteBuffer) {
        let bytes = Array(information.readableBytesView.prefix(Self.fieldCount))
        func proposed(_ index: Int) -> Bool { index < bytes.count && bytes[index] == 1 }
        self.relationalQueries = proposed(0)
        self.combinedDateTimeMatching = proposed(1)
        self.emptyValueMatching = proposed(5)
        self.multipleValueMatching = proposed(6)
    }

    /// What the archive performs for `sopClassUID` on `association`: the FIND options its
    /// A-ASSOCIATE-AC answered for that SOP class when the association tells the answer, else
    /// the archive's answer to the requestor's proposal (``init(proposal:)``); nothing when
    /// there is none, or the class is not one of the archive's FIND classes (whose field means
    /// something else).
    public init(on association: AssociationInfo, for sopClassUID: UID) {
        guard ArchiveService.models.contains(where: { $0.find == sopClassUID }) else {
            self.init()
            return
        }
        if let acceptance = association.acceptance {
            let answer = acceptance.userInformation.sopClassExtendedNegotiations.first { $0.sopClassUID == sopClassUID }
            self.init(proposal: answer?.serviceClassApplicationInformation ?? ByteBuffer())
            return
        }
        let proposal = association.request.userInformation.sopClassExtendedNegotiations.first { $0.sopClassUID == sopClassUID }
        self.init(proposal: proposal?.serviceClassApplicationInformation ?? ByteBuffer())
    }

    /// The answer's field for a proposal of `proposedLength` bytes: as many bytes as proposed,
    /// up to the seven defined (PS3.4 C.5.1.1.2 lets the acceptor answer fewer; it must answer
    /// one byte to one).
    public func answer(proposedLength: Int) -> ByteBuffer {
        let values = [relationalQueries, combinedDateTimeMatching, false, false, false, emptyValueMatching, multipleValueMatching]
        var buffer = ByteBuffer()
        for value in values.prefix(max(1, min(proposedLength, Self.fieldCount))) {
            buffer.writeInteger(UInt8(value ? 1 : 0))
        }
        return buffer
    }

    /// The matching options a query on this association uses.
    public var matchingOptions: MatchingOptions {
        MatchingOptions(
            combinedDateTimeMatching: combinedDateTimeMatching,
            emptyValueMatching: emptyValueMatching,
            multipleValueMatching: multipleValueMatching)
    }

    /// The bytes PS3.4 Table C.5-1 defines.
    static let fieldCount = 7
}
