public import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Logging
import NIOCore

/// The Query/Retrieve SCP (PS3.4 Annex C): hierarchical C-FIND, C-GET and C-MOVE on the Patient
/// Root and Study Root information models.
extension ArchiveService {
    /// Attributes the SCP supplies rather than the index (PS3.4 C.4.1.2.3).
    static let suppliedAttributes: Set<Tag> = [.retrieveAETitle, .instanceAvailability]

    /// The unique key of each level (PS3.4 C.6.1.1, C.6.2.1), which a retrieve must give.
    static func uniqueKey(of level: QueryRetrieveLevel) -> Tag? {
        switch level {
        case .patient: .patientID
        case .study: .studyInstanceUID
        case .series: .seriesInstanceUID
        case .image: .sopInstanceUID
        case .frame: nil
        }
    }

    /// The model a FIND, GET or MOVE SOP class belongs to, among those served.
    static func model(of sopClassUID: UID) -> QueryRetrieveModel? {
        models.first { [$0.find, $0.get, $0.move].contains(sopClassUID) }
    }

    /// The request's identifier read as a query at a level its model has.
    ///
    /// - Throws: ``QueryFailure`` with A900H (Identifier does not match SOP Class) for a missing
    ///   or unknown level, a level the model lacks, or a key that cannot be read.
    func parseQuery(of request: QueryRequest) throws(QueryFailure) -> (Query, QueryRetrieveLevel) {
        guard let model = Self.model(of: request.sopClassUID) else {
            throw QueryFailure(.sopClassNotSupported)
        }
        let query: Query
        do {
            query = try Query(identifier: request.identifier)
        } catch {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "\(error)")
        }
        guard let level = query.level else {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "no Query/Retrieve Level (0008,0052)")
        }
        let levels: [QueryRetrieveLevel] = model == .studyRoot ? [.study, .series, .image] : [.patient, .study, .series, .image]
        guard levels.contains(level) else {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "the \(model.rawValue) model has no \(level.rawValue) level")
        }
        return (query, level)
    }

    // MARK: - C-FIND

    /// Answers a C-FIND: the matches' identifiers, each a pending response.
    func find(_ request: QueryRequest) async throws -> AsyncThrowingStream<DataSet, any Error> {
        let (query, level) = try parseQuery(of: request)
        let responses: [DataSet]
        do {
            responses = try await self.responses(to: query, level: level)
        } catch {
            logger.error("C-FIND failed: \(error)")
            throw QueryFailure(.outOfResources, comment: "the archive index failed")
        }
        logger.info("C-FIND \(level.rawValue) from \(request.association.peerAETitle): \(responses.count) matches")
        return AsyncThrowingStream { continuation in
            for response in responses { continuation.yield(response) }
            continuation.finish()
        }
    }

    /// The response identifiers for `query` at `level`, in the index's order.
    ///
    /// At the image level, keys the index cannot decide (attributes it does not keep) are read
    /// from the files: each candidate's file is read up to its Pixel Data and the whole query
    /// applied to it. At other levels such keys are universal: matched by every entity and
    /// returned empty.
    public func responses(to query: Query, level: QueryRetrieveLevel) async throws(ArchiveError) -> [DataSet] {
        let matches = try await archive.index.search(query, level: level)
        let readsFiles = level == .image && query.keys.contains { key in
            !Self.suppliedAttributes.contains(key.tag) && !ArchiveIndex.decides(key, at: level)
        }
        var responses: [DataSet] = []
        responses.reserveCapacity(matches.count)
        for match in matches {
            var candidate = match.attributes
            if readsFiles, let instance = match.instance {
                let path = archive.store.absolutePath(instance.path)
                guard let read = try? await Archive.blocking({ () throws(ArchiveError) in try InstanceReader.read(path) }) else {
                    logger.warning("cannot read \(path) to answer a query")
                    continue
                }
                candidate = read.dataSet
                guard query.matches(candidate) else { continue }
            }
            var response = query.response(for: candidate)
            if query[.retrieveAETitle] != nil {
                response.setString(aeTitle, for: .retrieveAETitle, vr: .AE)
            }
            if query[.instanceAvailability] != nil {
                response.setString("ONLINE", for: .instanceAvailability, vr: .CS)
            }
            responses.append(response)
        }
        return responses
    }

    // MARK: - C-GET and C-MOVE

    /// Answers a C-GET or C-MOVE: the files of every instance under the entities the identifier
    /// names. The identifier must give the unique key of its level (PS3.4 C.4.2.2.1, C.4.3.2.1),
    /// so that an empty identifier cannot retrieve the whole archive.
    func retrieve(_ request: QueryRequest, operation: String) async throws -> RetrieveResult {
        let (query, level) = try parseQuery(of: request)
        guard let unique = Self.uniqueKey(of: level), let key = query[unique], !key.isUniversal else {
            throw QueryFailure(.identifierDoesNotMatchSOPClass, comment: "a \(level.rawValue) retrieve needs its unique key")
        }
        let instances: [IndexedInstance]
        do {
            instances = try await archive.index.instances(matching: query)
        } catch {
            logger.error("\(operation) failed: \(error)")
            throw QueryFailure(.outOfResourcesUnableToCalculateNumberOfMatches, comment: "the archive index failed")
        }
        let destination = request.moveDestination.map { " to \($0)" } ?? ""
        logger.info("\(operation) \(level.rawValue) from \(request.association.peerAETitle)\(destination): \(instances.count) instances")
        let store = archive.store
        return RetrieveResult(instances.map { .file(path: store.absolutePath($0.path)) })
    }
}
