public import DICOMCore
import DICOMNetwork
public import DICOMNetworkCore
import Logging
import NIOCore
import Synchronization

/// The Query/Retrieve SCP (PS3.4 Annex C): C-FIND (hierarchical, or relational when extended
/// negotiation asks for it), C-GET and C-MOVE on the Patient Root and Study Root information
/// models.
extension ArchiveService {
    /// Attributes the SCP supplies rather than the index (PS3.4 C.4.1.2.3).
    static let suppliedAttributes: Set<Tag> = [.retrieveAETitle, .instanceAvailability]

    /// The unique key of each level (PS3.4 C.6.1.1, C.6.2.1), which a retrieve must give.
    static func uniqueKey(of level: QueryRetrieveLevel) -> Tag? {
        QueryHierarchy.uniqueKey(of: level)
    }

    /// The model a FIND, GET or MOVE SOP class belongs to, among those served.
    static func model(of sopClassUID: UID) -> QueryRetrieveModel? {
        models.first { [$0.find, $0.get, $0.move].contains(sopClassUID) }
    }

    /// The request's identifier read as a query at a level its model has, with the matching
    /// options the association negotiated (`negotiated`). With `unknownValuesMatch` (a C-FIND),
    /// an entity whose attribute is absent or zero length matches every key on it: PS3.4
    /// C.2.2.1.1 asks it of the Required Keys, and the archive matches the Optional Keys it
    /// supports "in the same manner as Required Keys", as its FF00H pending status says
    /// (C.4.1.1.4). A study without a Referring Physician's Name is then among the answers to
    /// `ReferringPhysicianName=SMITH*`, as one without a Study Date is among a date range's.
    ///
    /// - Throws: ``QueryFailure`` with A900H (Identifier does not match SOP Class) for a missing
    ///   or unknown level, a level the model lacks, or a key that cannot be read.
    func parseQuery(
        of request: QueryRequest, negotiated: FindNegotiation, unknownValuesMatch: Bool = false
    ) throws(QueryFailure) -> (Query, QueryRetrieveLevel) {
        guard let model = Self.model(of: request.sopClassUID) else {
            throw QueryFailure(.sopClassNotSupported)
        }
        var options = negotiated.matchingOptions
        if unknownValuesMatch {
            options.unknownValuesMatchEveryKey = Self.keyTags(in: request.identifier)
        }
        let query: Query
        do {
            query = try Query(identifier: request.identifier, options: options)
        } catch {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "\(error)")
        }
        guard let level = query.level else {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "no Query/Retrieve Level (0008,0052)")
        }
        guard QueryHierarchy.levels(of: model).contains(level) else {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "the \(model.rawValue) model has no \(level.rawValue) level")
        }
        return (query, level)
    }

    /// The tags of `identifier`'s elements, and of its sequences' items' elements.
    static func keyTags(in identifier: DataSet) -> Set<Tag> {
        var tags: Set<Tag> = []
        for element in identifier {
            tags.insert(element.tag)
            for item in element.items ?? [] { tags.formUnion(keyTags(in: item)) }
        }
        return tags
    }

    // MARK: - C-FIND

    /// Answers a C-FIND: the matches' identifiers, each a pending response, streamed from the
    /// index as the network side sends them, a page of matches at a time (one index page in
    /// memory at a time; where files are read, each match as it is read); a C-CANCEL cancels
    /// the iterating task, which stops the search before its next page.
    ///
    /// Without relational queries negotiated (PS3.4 C.4.1.2.2, C.4.1.3.1) the identifier must
    /// hold a single value of the unique key of each level above the query level, and no key of
    /// a level below it (C.4.1.1.3.1: the keys "allowable for the level of the query"; a Modality
    /// in a study query would otherwise be ignored, and every study returned); one that does not
    /// is answered A900H (Identifier does not match SOP Class), as PS3.4 C.4.1.1.4 gives for an
    /// identifier that does not fit the information model. With them (C.4.1.3.2) keys of any
    /// level above apply to the entities' parents, no unique key is needed, and keys of the
    /// levels below are optional keys the archive does not support (FF01H).
    ///
    /// Each match is answered FF01H when the query has keys the archive does not support at its
    /// level (``pendingStatus(for:level:)``), FF00H otherwise. An entity whose attribute is
    /// absent or zero length matches every key on it (PS3.4 C.2.2.1.1, for Optional Keys as for
    /// Required ones): a study without a Study Time is among those of a Study Time range.
    func find(_ request: QueryRequest) async throws -> AsyncThrowingStream<[FindMatch], any Error> {
        let negotiated = FindNegotiation(on: request.association, for: request.sopClassUID)
        var (query, level) = try parseQuery(of: request, negotiated: negotiated, unknownValuesMatch: true)
        if !negotiated.relationalQueries, let model = Self.model(of: request.sopClassUID) {
            let missing = QueryHierarchy.missingUniqueKeys(in: query, level: level, model: model)
            if !missing.isEmpty {
                let names = missing.map { $0.keyword ?? "\($0)" }.joined(separator: ", ")
                throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "hierarchical query without one \(names)")
            }
            let below = query.keys.filter { ArchiveIndex.isBelow($0.tag, level) }
            if !below.isEmpty {
                let names = below.map { $0.tag.keyword ?? "\($0.tag)" }.joined(separator: ", ")
                throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "hierarchical \(level.rawValue) query with keys of a lower level: \(names)")
            }
            query = Self.hierarchical(query, level: level, model: model)
        }
        let unknownTerms = query.specificCharacterSet.unsupportedTerms
        if !unknownTerms.isEmpty {
            // Matched all the same: the fallback reads ASCII right, and most queries are.
            logger.warning("C-FIND from \(request.association.peerAETitle): the query names Specific Character Set \(unknownTerms.joined(separator: "\\")), which is unknown: its text is decoded without it (as ISO 8859-1 when it is the first value)")
        }
        let unsupported = unsupportedKeys(of: query, level: level)
        let relational = negotiated.relationalQueries ? " (relational)" : ""
        if unsupported.isEmpty {
            logger.info("C-FIND \(level.rawValue)\(relational) from \(request.association.peerAETitle)")
        } else {
            let names = unsupported.map { $0.tag.keyword ?? "\($0.tag)" }.joined(separator: ", ")
            logger.info("C-FIND \(level.rawValue)\(relational) from \(request.association.peerAETitle); keys not matched: \(names)")
        }
        do {
            // An index failure after the first page ends the stream with an ArchiveError, which
            // the network side answers C000H (Unable to process).
            let status: DIMSEStatus = unsupported.isEmpty ? .pending : .pendingWithUnsupportedOptionalKeys
            if let syntax = request.transferSyntax, Self.fileKeys(of: query, level: level).isEmpty,
               let cursor = try archive.index.encodingCursor(query, level: level, aeTitle: aeTitle, transferSyntax: syntax) {
                // Identifiers written straight from the rows (FindResponseEncoder).
                return AsyncThrowingStream(unfolding: {
                    guard let page = try await ArchiveIndex.nextPage(of: cursor) else { return nil }
                    return page.compactMap { match in
                        match.response.map { FindMatch(encoded: $0, transferSyntax: syntax, status: status) }
                    }
                })
            }
            return try responseStream(to: query, level: level) { [FindMatch($0, status: status)] }
        } catch {
            logger.error("C-FIND failed: \(error)")
            throw QueryFailure(.outOfResources, comment: "the archive index failed")
        }
    }

    /// `query` as a hierarchical search at `level` reads it (PS3.4 C.4.1.3.1.1): above the query
    /// level only the unique keys select, so the other keys of those levels the index keeps are
    /// answered, not matched (Universal Matching), as dcmqrscp does. A StudyDate that contradicts
    /// the study of a series query's Study Instance UID then does not empty the answer.
    static func hierarchical(_ query: Query, level: QueryRetrieveLevel, model: QueryRetrieveModel) -> Query {
        let uniqueKeys = Set(QueryHierarchy.levels(of: model).compactMap(QueryHierarchy.uniqueKey(of:)))
        var result = query
        result.keys = query.keys.map { key in
            guard !key.isUniversal, !uniqueKeys.contains(key.tag),
                  ArchiveIndex.isAbove(key.tag, level, studyRoot: model == .studyRoot) else { return key }
            var returned = key
            returned.matching = .universal
            return returned
        }
        return result
    }

    /// The keys of `query` the archive neither matches nor returns at `level`: those of the
    /// levels below it that the index keeps (a relational query's Modality in a study query),
    /// which describe many entities under each match. A non-empty list is what PS3.4 C.4.1.1.4
    /// calls optional keys "not supported for existence and/or matching" (status FF01H): the
    /// matches then may include entities that a key the archive ignored would have excluded,
    /// and the key comes back empty.
    public func unsupportedKeys(of query: Query, level: QueryRetrieveLevel) -> [QueryKey] {
        query.keys.filter { key in
            !Self.suppliedAttributes.contains(key.tag) && !ArchiveIndex.decides(key, at: level) && ArchiveIndex.isBelow(key.tag, level)
        }
    }

    /// The keys of `query` answered from files at `level`: those the index does not keep (nor
    /// the SCP supply), but for the unsupported ones (``unsupportedKeys(of:level:)``). At the
    /// image level they are read from each candidate's file; above it from one instance of each
    /// entity, which carries its patient's, study's and series' attributes.
    static func fileKeys(of query: Query, level: QueryRetrieveLevel) -> [QueryKey] {
        query.keys.filter { key in
            !suppliedAttributes.contains(key.tag) && !ArchiveIndex.decides(key, at: level) && !ArchiveIndex.isBelow(key.tag, level)
        }
    }

    /// The pending status the matches of `query` at `level` deserve: FF01H (Matches are
    /// continuing — one or more optional keys were not supported) when ``unsupportedKeys(of:level:)``
    /// finds some, FF00H otherwise (PS3.4 C.4.1.1.4, Table C.4-1).
    public func pendingStatus(for query: Query, level: QueryRetrieveLevel) -> DIMSEStatus {
        unsupportedKeys(of: query, level: level).isEmpty ? .pending : .pendingWithUnsupportedOptionalKeys
    }

    /// The response identifiers for `query` at `level`, all at once (``responseStream(to:level:)``
    /// yields them one by one).
    public func responses(to query: Query, level: QueryRetrieveLevel) async throws(ArchiveError) -> [DataSet] {
        var responses: [DataSet] = []
        do {
            for try await response in try responseStream(to: query, level: level) {
                responses.append(response)
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.database, "cannot search the index: \(String(reflecting: error))")
        }
        return responses
    }

    /// The response identifiers for `query` at `level`, in the index's order, read from the
    /// index page by page as the sequence is iterated.
    ///
    /// Keys the index cannot decide (attributes it does not keep, sequences) are read from the
    /// files (``fileKeys(of:level:)``): at the image level each candidate's file, above it one
    /// instance's file of each entity the index matched, with the index's values laid over it
    /// (``indexValues(_:over:keeping:)``). The file is read up to its Pixel Data and the keys it
    /// answers applied to it (the whole query at the image level). Keys of the levels below are
    /// universal: matched by every entity and returned empty (``unsupportedKeys(of:level:)``).
    public func responseStream(to query: Query, level: QueryRetrieveLevel) throws(ArchiveError) -> AsyncThrowingStream<DataSet, any Error> {
        try responseStream(to: query, level: level) { $0 }
    }

    /// ``responseStream(to:level:)`` with each response made into an `Element` by `element`.
    func responseStream<Element: Sendable>(
        to query: Query, level: QueryRetrieveLevel, _ element: @escaping @Sendable (DataSet) -> Element
    ) throws(ArchiveError) -> AsyncThrowingStream<Element, any Error> {
        let cursor = try archive.index.cursor(query, level: level, keysOnly: true)
        let fileKeys = Self.fileKeys(of: query, level: level)
        if level != .image, !fileKeys.isEmpty {
            return entityFileStream(query, fileKeys: fileKeys, cursor: cursor, element)
        }
        let store = archive.store
        let logger = self.logger
        let aeTitle = self.aeTitle
        return AsyncThrowingStream(unfolding: {
            while let match = try await ArchiveIndex.next(of: cursor) {
                var candidate = match.attributes
                if !fileKeys.isEmpty, let instance = match.instance {
                    let path = store.absolutePath(instance.path)
                    do {
                        candidate = try await Archive.blocking { () throws(ArchiveError) in try InstanceReader.read(path) }.dataSet
                    } catch {
                        // A C-CANCEL cancels the task, and with it the reads not yet started: the
                        // search ends there, and no file is to blame.
                        try Task.checkCancellation()
                        logger.warning("cannot read \(path) to answer a query: \(error)")
                        continue
                    }
                    guard query.matches(candidate) else { continue }
                }
                return element(Self.response(to: query, for: candidate, aeTitle: aeTitle))
            }
            return nil
        })
    }

    /// ``responseStream(to:level:_:)`` above the image level with keys read from files: a page
    /// of the index's matches at a time, their instances looked up together and their files read
    /// in one trip to the I/O threads (a look-up and a trip per match cost more than the reads).
    /// The file keys are matched on each file, with the index's values laid over it
    /// (``indexValues(_:over:keeping:)``); the other keys the index decided.
    private func entityFileStream<Element: Sendable>(
        _ query: Query, fileKeys: [QueryKey], cursor: IndexSearchCursor, _ element: @escaping @Sendable (DataSet) -> Element
    ) -> AsyncThrowingStream<Element, any Error> {
        let fileQuery = { var fileQuery = query; fileQuery.keys = fileKeys; return fileQuery }()
        let fileTags = Set(fileKeys.map(\.tag))
        let (index, store, logger, aeTitle) = (archive.index, archive.store, logger, aeTitle)
        // The responses of the page read last, in reverse order (taken from the end).
        let ready = Mutex<[DataSet]>([])
        return AsyncThrowingStream(unfolding: {
            while true {
                if let response = ready.withLock({ $0.popLast() }) { return element(response) }
                guard let page = try await ArchiveIndex.nextPage(of: cursor) else { return nil }
                let files = try await index.representativeFiles(of: page)
                let paths = page.map { match in match.entityKey.flatMap { files[$0] }.map(store.absolutePath) }
                let reads = try await Archive.blocking { () throws(ArchiveError) in
                    paths.map { path in path.map { path in Result { () throws(ArchiveError) in try InstanceReader.read(path).dataSet } } }
                }
                var responses: [DataSet] = []
                for (match, (path, read)) in zip(page, zip(paths, reads)) {
                    guard let path, let read else { continue }
                    let candidate: DataSet
                    switch read {
                    case .success(let file):
                        candidate = Self.indexValues(match.attributes, over: file, keeping: fileTags)
                    case .failure(let error):
                        logger.warning("cannot read \(path) to answer a query: \(error)")
                        continue
                    }
                    guard fileQuery.matches(candidate) else { continue }
                    responses.append(Self.response(to: query, for: candidate, aeTitle: aeTitle))
                }
                ready.withLock { $0 = responses.reversed() }
            }
        })
    }

    /// The response identifier of `candidate` for `query`, with the attributes the SCP supplies:
    /// the Retrieve AE Title always (PS3.4 C.4.1.1.3.2: each response names where its match is
    /// retrieved from), the Instance Availability when asked.
    private static func response(to query: Query, for candidate: DataSet, aeTitle: String) -> DataSet {
        var response = query.response(for: candidate)
        response.setString(aeTitle, for: .retrieveAETitle, vr: .AE)
        if query[.instanceAvailability] != nil {
            response.setString("ONLINE", for: .instanceAvailability, vr: .CS)
        }
        return response
    }

    /// An entity's candidate above the image level: the elements `fileTags` of one of its
    /// instances (``fileKeys(of:level:)``; not the others, which may describe a sibling, such
    /// as its series' Modality) and the index's `values` (its attributes as indexed, its counts
    /// and lists). The index's values are encoded in the file's character set, whose text they
    /// sit beside; one that character set cannot hold leaves the file's own element.
    static func indexValues(_ values: DataSet, over file: DataSet, keeping fileTags: Set<Tag>) -> DataSet {
        var candidate = DataSet(file.lazy.filter { fileTags.contains($0.tag) || $0.tag == .specificCharacterSet })
        let characterSet = candidate.specificCharacterSet
        for element in values where element.tag != .specificCharacterSet {
            guard let bytes = element.bytes else { continue }
            if bytes.readableBytesView.allSatisfy({ $0 < 0x80 }) {
                candidate.insert(element)
            } else if let text = values.string(element.tag), characterSet.encode(text, vr: element.vr) != nil {
                candidate.setString(text, for: element.tag, vr: element.vr)
            }
        }
        return candidate
    }

    // MARK: - C-GET and C-MOVE

    /// Answers a C-GET or C-MOVE: the files of every instance under the entities the identifier
    /// names. The identifier must give the unique key of its level (PS3.4 C.4.2.2.1, C.4.3.2.1),
    /// so that an empty identifier cannot retrieve the whole archive; the unique keys of the
    /// levels above may be left out (relational retrieve, which the archive always performs and
    /// accepts in extended negotiation).
    func retrieve(_ request: QueryRequest, operation: String) async throws -> RetrieveResult {
        let (query, level) = try parseQuery(of: request, negotiated: FindNegotiation(on: request.association, for: request.sopClassUID))
        guard let unique = Self.uniqueKey(of: level), let key = query[unique], !key.isUniversal else {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "a \(level.rawValue) retrieve needs its unique key")
        }
        let files: [RetrieveFile]
        do {
            files = try await archive.index.retrieveFiles(matching: query)
        } catch {
            logger.error("\(operation) failed: \(error)")
            throw QueryFailure(.outOfResourcesUnableToCalculateNumberOfMatches, comment: "the archive index failed")
        }
        let destination = request.moveDestination.map { " to \($0)" } ?? ""
        logger.info("\(operation) \(level.rawValue) from \(request.association.peerAETitle)\(destination): \(files.count) instances")
        let store = archive.store
        return RetrieveResult(files.map { file in
            .indexedFile(
                path: store.absolutePath(file.path), sopClassUID: UID(file.sopClassUID), sopInstanceUID: UID(file.sopInstanceUID),
                transferSyntax: UID(file.transferSyntaxUID))
        })
    }
}
