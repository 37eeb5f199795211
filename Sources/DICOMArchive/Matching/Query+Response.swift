public import DICOMCore
import NIOCore

/// Building the identifier of a pending C-FIND response (PS3.4 §C.4.1.2.3, §C.2.2.1.2,
/// §C.2.2.2.6).
extension Query {
    /// The response identifier for a matching `candidate`:
    ///
    /// - every key of the query, matching and return keys alike, with the candidate's element
    ///   as stored (its bytes and VR), or zero length when the candidate lacks it;
    /// - for a sequence key with item keys, the candidate's items that match them, each holding
    ///   only the item keys (§C.2.2.2.6: "A sequence of matching Items containing only the
    ///   requested Attributes is returned"); for a universal sequence key, the whole sequence;
    /// - Query/Retrieve Level (0008,0052), when the query has one;
    /// - Specific Character Set (0008,0005) of the candidate, whose text bytes the response
    ///   carries, when it names other than the default repertoire.
    ///
    /// Attributes the SCP supplies itself, such as Retrieve AE Title (0008,0054) or Instance
    /// Availability (0008,0056), are left to the caller to set.
    public func response(for candidate: DataSet) -> DataSet {
        var response = Self.response(for: candidate, keys: keys)
        if let level {
            response.setString(level.rawValue, for: .queryRetrieveLevel, vr: .CS)
        }
        let characterSet = candidate.specificCharacterSet
        if !characterSet.terms.isEmpty {
            if let own = candidate[.specificCharacterSet] {
                response.insert(own)
            } else {
                response.setStrings(characterSet.terms, for: .specificCharacterSet, vr: .CS)
            }
        }
        return response
    }

    /// The elements of `keys` taken from `candidate` (an instance or an item).
    static func response(for candidate: DataSet, keys: [QueryKey]) -> DataSet {
        var response = DataSet()
        for key in keys {
            let stored = candidate[key.tag]
            switch key.matching {
            case .sequence(let itemKeys):
                let items = (candidate.sequence(key.tag) ?? [])
                    .filter { SequenceMatching.matchingItem($0, itemKeys) }
                    .map { item in
                        var reduced = Self.response(for: item, keys: itemKeys)
                        reduced.itemHasUndefinedLength = item.itemHasUndefinedLength
                        return reduced
                    }
                response.insert(DataElement(tag: key.tag, vr: .SQ, items: items, hasUndefinedLength: stored?.hasUndefinedLength ?? true))
            case .universal, .single, .uidList, .wildcard, .range, .combinedDateTimeRange, .emptyValue, .multipleValues:
                if let stored {
                    response.insert(stored)
                } else if key.vr == .SQ {
                    response.insert(DataElement(tag: key.tag, vr: .SQ, items: []))
                } else {
                    response.insert(DataElement(tag: key.tag, vr: key.vr, bytes: ByteBuffer()))
                }
            }
        }
        return response
    }
}
