// MARK: - General statuses (PS3.7 Annex C)

extension DIMSEStatus {
    /// 0000H: success (PS3.7 §C.1.1).
    public static let success = DIMSEStatus(code: 0x0000)

    /// FF00H: pending; for C-FIND a match is supplied, for C-GET and C-MOVE sub-operations are
    /// continuing (PS3.7 Annex C; PS3.4 Tables C.4-1, C.4-2, C.4-3).
    public static let pending = DIMSEStatus(code: 0xFF00)

    /// FF01H: pending, a C-FIND match is supplied but one or more Optional Keys were not
    /// supported for this Identifier (PS3.4 Table C.4-1).
    public static let pendingWithUnsupportedOptionalKeys = DIMSEStatus(code: 0xFF01)

    /// FE00H: cancel; matching or sub-operations terminated by a C-CANCEL (PS3.7 Annex C).
    public static let cancel = DIMSEStatus(code: 0xFE00)

    /// 0001H: warning, requested optional attributes are not supported (used by N-CREATE, N-SET and
    /// N-GET responses of several PS3.4 service classes).
    public static let requestedOptionalAttributesNotSupported = DIMSEStatus(code: 0x0001)

    /// 0107H: warning, attribute list error (PS3.7 Annex C).
    public static let attributeListError = DIMSEStatus(code: 0x0107)

    /// 0116H: warning, attribute value out of range (PS3.7 Annex C).
    public static let attributeValueOutOfRange = DIMSEStatus(code: 0x0116)

    /// 0105H: failure, no such attribute (PS3.7 Annex C).
    public static let noSuchAttribute = DIMSEStatus(code: 0x0105)

    /// 0106H: failure, invalid attribute value (PS3.7 Annex C).
    public static let invalidAttributeValue = DIMSEStatus(code: 0x0106)

    /// 0110H: failure, processing failure (PS3.7 Annex C).
    public static let processingFailure = DIMSEStatus(code: 0x0110)

    /// 0111H: failure, duplicate SOP Instance (PS3.7 Annex C).
    public static let duplicateSOPInstance = DIMSEStatus(code: 0x0111)

    /// 0112H: failure, no such SOP Instance (PS3.7 Annex C).
    public static let noSuchSOPInstance = DIMSEStatus(code: 0x0112)

    /// 0113H: failure, no such event type (PS3.7 Annex C).
    public static let noSuchEventType = DIMSEStatus(code: 0x0113)

    /// 0114H: failure, no such argument (PS3.7 Annex C).
    public static let noSuchArgument = DIMSEStatus(code: 0x0114)

    /// 0115H: failure, invalid argument value (PS3.7 Annex C).
    public static let invalidArgumentValue = DIMSEStatus(code: 0x0115)

    /// 0117H: failure, invalid object instance (PS3.7 Annex C).
    public static let invalidObjectInstance = DIMSEStatus(code: 0x0117)

    /// 0118H: failure, no such SOP Class (PS3.7 Annex C).
    public static let noSuchSOPClass = DIMSEStatus(code: 0x0118)

    /// 0119H: failure, class-instance conflict (PS3.7 Annex C).
    public static let classInstanceConflict = DIMSEStatus(code: 0x0119)

    /// 0120H: failure, missing attribute (PS3.7 Annex C).
    public static let missingAttribute = DIMSEStatus(code: 0x0120)

    /// 0121H: failure, missing attribute value (PS3.7 Annex C).
    public static let missingAttributeValue = DIMSEStatus(code: 0x0121)

    /// 0122H: failure, refused: SOP Class not supported (PS3.7 Annex C).
    public static let sopClassNotSupported = DIMSEStatus(code: 0x0122)

    /// 0123H: failure, no such action (PS3.7 Annex C).
    public static let noSuchAction = DIMSEStatus(code: 0x0123)

    /// 0124H: failure, refused: not authorized (PS3.7 Annex C).
    public static let notAuthorized = DIMSEStatus(code: 0x0124)

    /// 0210H: failure, duplicate invocation (PS3.7 Annex C).
    public static let duplicateInvocation = DIMSEStatus(code: 0x0210)

    /// 0211H: failure, unrecognized operation (PS3.7 Annex C).
    public static let unrecognizedOperation = DIMSEStatus(code: 0x0211)

    /// 0212H: failure, mistyped argument (PS3.7 Annex C).
    public static let mistypedArgument = DIMSEStatus(code: 0x0212)

    /// 0213H: failure, resource limitation (PS3.7 Annex C).
    public static let resourceLimitation = DIMSEStatus(code: 0x0213)
}

// MARK: - Storage (PS3.4 §B.2.3, Table B.2-1)

extension DIMSEStatus {
    /// A700H (any A7xx): failure, refused: out of resources. Also the C-FIND code (PS3.4 Table
    /// C.4-1).
    public static let outOfResources = DIMSEStatus(code: 0xA700)

    /// A900H (any A9xx): failure, error: data set does not match SOP Class.
    public static let dataSetDoesNotMatchSOPClass = DIMSEStatus(code: 0xA900)

    /// C000H (any Cxxx): failure, error: cannot understand.
    public static let cannotUnderstand = DIMSEStatus(code: 0xC000)

    /// B000H: warning, coercion of data elements.
    public static let coercionOfDataElements = DIMSEStatus(code: 0xB000)

    /// B007H: warning, data set does not match SOP Class.
    public static let dataSetDoesNotMatchSOPClassWarning = DIMSEStatus(code: 0xB007)

    /// B006H: warning, elements discarded.
    public static let elementsDiscarded = DIMSEStatus(code: 0xB006)
}

// MARK: - Query/Retrieve (PS3.4 §C.4, Tables C.4-1, C.4-2, C.4-3)

extension DIMSEStatus {
    /// A900H: failure, identifier does not match SOP Class (C-FIND, C-GET, C-MOVE).
    public static let identifierDoesNotMatchSOPClass = DIMSEStatus(code: 0xA900)

    /// C000H (any Cxxx): failure, unable to process (C-FIND, C-GET, C-MOVE).
    public static let unableToProcess = DIMSEStatus(code: 0xC000)

    /// A701H: failure, refused: out of resources, unable to calculate the number of matches
    /// (C-GET, C-MOVE).
    public static let outOfResourcesUnableToCalculateNumberOfMatches = DIMSEStatus(code: 0xA701)

    /// A702H: failure, refused: out of resources, unable to perform sub-operations (C-GET, C-MOVE).
    public static let outOfResourcesUnableToPerformSubOperations = DIMSEStatus(code: 0xA702)

    /// A801H: failure, refused: move destination unknown (C-MOVE).
    public static let moveDestinationUnknown = DIMSEStatus(code: 0xA801)

    /// B000H: warning, sub-operations complete with one or more failures or warnings (C-GET,
    /// C-MOVE).
    public static let subOperationsCompleteWithFailures = DIMSEStatus(code: 0xB000)

    /// AA00H: failure, none of the frames requested were found in the SOP Instance (C-GET of the
    /// instance and frame level retrieve SOP Classes, PS3.4 Annex Y).
    public static let noneOfTheFramesFound = DIMSEStatus(code: 0xAA00)

    /// AA01H: failure, unable to create new object for this SOP Class (frame-level retrieve).
    public static let unableToCreateNewObject = DIMSEStatus(code: 0xAA01)

    /// AA02H: failure, unable to extract frames (frame-level retrieve).
    public static let unableToExtractFrames = DIMSEStatus(code: 0xAA02)

    /// AA03H: failure, time-based request received for a non-time-based original SOP Instance.
    public static let timeBasedRequestForNonTimeBasedInstance = DIMSEStatus(code: 0xAA03)

    /// AA04H: failure, invalid request (frame-level retrieve).
    public static let invalidRequest = DIMSEStatus(code: 0xAA04)
}

// MARK: - Meanings

extension DIMSEStatus {
    /// What the code means in words, or nil for a code with no general meaning (a Bxxx warning
    /// other than the named ones, an 01xx/02xx code PS3.7 does not assign, a code outside every
    /// status class).
    var meaning: String? {
        switch code {
        case 0x0000: "Success"
        case 0xFF00: "Pending: matches or sub-operations are continuing"
        case 0xFF01: "Pending: matches are continuing, one or more optional keys were not supported"
        case 0xFE00: "Cancel: matching or sub-operations terminated by C-CANCEL"
        case 0x0001: "Requested optional attributes are not supported"
        case 0x0107: "Attribute list error"
        case 0x0116: "Attribute value out of range"
        case 0x0105: "No such attribute"
        case 0x0106: "Invalid attribute value"
        case 0x0110: "Processing failure"
        case 0x0111: "Duplicate SOP Instance"
        case 0x0112: "No such SOP Instance"
        case 0x0113: "No such event type"
        case 0x0114: "No such argument"
        case 0x0115: "Invalid argument value"
        case 0x0117: "Invalid object instance"
        case 0x0118: "No such SOP Class"
        case 0x0119: "Class-instance conflict"
        case 0x0120: "Missing attribute"
        case 0x0121: "Missing attribute value"
        case 0x0122: "Refused: SOP Class not supported"
        case 0x0123: "No such action"
        case 0x0124: "Refused: not authorized"
        case 0x0210: "Duplicate invocation"
        case 0x0211: "Unrecognized operation"
        case 0x0212: "Mistyped argument"
        case 0x0213: "Resource limitation"
        case 0xA701: "Refused: out of resources, unable to calculate number of matches"
        case 0xA702: "Refused: out of resources, unable to perform sub-operations"
        case 0xA700...0xA7FF: "Refused: out of resources"
        case 0xA801: "Refused: move destination unknown"
        case 0xA900...0xA9FF: "Data set or identifier does not match SOP Class"
        case 0xAA00: "None of the frames requested were found in the SOP Instance"
        case 0xAA01: "Unable to create new object for this SOP Class"
        case 0xAA02: "Unable to extract frames"
        case 0xAA03: "Time-based request received for a non-time-based original SOP Instance"
        case 0xAA04: "Invalid request"
        case 0xB000: "Coercion of data elements (C-STORE), or sub-operations complete with one or more failures or warnings (C-GET, C-MOVE)"
        case 0xB006: "Elements discarded"
        case 0xB007: "Data set does not match SOP Class"
        case 0xC000...0xCFFF: "Cannot understand or unable to process"
        default: nil
        }
    }
}
