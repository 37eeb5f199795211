import ArgumentParser
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Logging
import NIOCore

/// pynetdicom's SOP Class Extended Negotiation flags for findscu (PS3.4 C.5.1.1, Table C.5-1):
/// one byte per option of the FIND SOP class's service-class-application-information.
struct FindNegotiationOptions: ParsableArguments {
    @Flag(name: .customLong("relational-query"), help: "Ask for relational queries (keys above the level need not be unique).")
    var relationalQueries = false

    @Flag(name: .customLong("dt-matching"), help: "Ask for combined date-time range matching.")
    var dateTimeMatching = false

    @Flag(name: .customLong("fuzzy-names"), help: "Ask for fuzzy semantic matching of person names.")
    var fuzzyNames = false

    @Flag(name: .customLong("timezone-adj"), help: "Ask for timezone query adjustment.")
    var timezoneAdjustment = false

    @Flag(name: .customLong("enhanced-conversion"), help: "Ask for Enhanced Multi-Frame Image Conversion.")
    var enhancedConversion = false

    /// The options in the field's byte order, with their names.
    var options: [(name: String, asked: Bool)] {
        [("relational queries", relationalQueries), ("combined date-time matching", dateTimeMatching),
         ("fuzzy person-name matching", fuzzyNames), ("timezone adjustment", timezoneAdjustment),
         ("enhanced multi-frame conversion", enhancedConversion)]
    }
}

/// pynetdicom's SOP Class Extended Negotiation flags for getscu and movescu (PS3.4 C.5.2.1 and
/// C.5.3.1, Tables C.5-3 and C.5-6).
struct RetrieveNegotiationOptions: ParsableArguments {
    @Flag(name: .customLong("relational-retrieval"), help: "Ask for relational retrieval (keys above the level need not be given).")
    var relationalRetrieval = false

    @Flag(name: .customLong("enhanced-conversion"), help: "Ask for Enhanced Multi-Frame Image Conversion.")
    var enhancedConversion = false

    /// The options in the field's byte order, with their names.
    var options: [(name: String, asked: Bool)] {
        [("relational retrieval", relationalRetrieval), ("enhanced multi-frame conversion", enhancedConversion)]
    }
}

/// The SOP Class Extended Negotiation of a Q/R requestor's options: the item it proposes, and
/// what the peer answered.
enum ExtendedNegotiationRequest {
    /// The item for `sopClass` asking for `options` (one byte each, 1 when asked, up to the last
    /// one asked); none when nothing is asked.
    static func items(_ options: [(name: String, asked: Bool)], for sopClass: UID) -> [SOPClassExtendedNegotiation] {
        guard let last = options.lastIndex(where: \.asked) else { return [] }
        let bytes = options[...last].map { $0.asked ? UInt8(1) : 0 }
        return [SOPClassExtendedNegotiation(sopClassUID: sopClass, serviceClassApplicationInformation: ByteBuffer(bytes: bytes))]
    }

    /// Logs which of the asked `options` the peer agreed to for `sopClass` (a 1 in the answer's
    /// byte of that option), and which it declined or did not answer (no item, or a shorter one,
    /// means no: PS3.7 D.3.3.5).
    static func logAnswer(_ options: [(name: String, asked: Bool)], of association: Association, for sopClass: UID, logger: Logger) {
        guard options.contains(where: \.asked) else { return }
        let answer = association.acceptance.userInformation.sopClassExtendedNegotiations.first { $0.sopClassUID == sopClass }
        let bytes = Array(answer?.serviceClassApplicationInformation.readableBytesView ?? ByteBuffer().readableBytesView)
        var agreed: [String] = []
        var declined: [String] = []
        for (index, option) in options.enumerated() where option.asked {
            if index < bytes.count && bytes[index] == 1 { agreed.append(option.name) } else { declined.append(option.name) }
        }
        if !agreed.isEmpty { logger.info("the peer agreed to \(agreed.joined(separator: ", "))") }
        if !declined.isEmpty { logger.notice("the peer declined \(declined.joined(separator: ", "))") }
    }
}
