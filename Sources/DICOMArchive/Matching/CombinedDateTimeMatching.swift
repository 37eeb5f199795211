import DICOMCore

/// Combined date-time Range Matching (PS3.4 §C.2.2.2.5, with Extended Negotiation of "Date-time
/// matching", Table C.5-2 byte 2): a date key and a time key that both specify the same form of
/// range are matched as if their concatenated bounds were one DT key. `StudyDate` of
/// `20060705-20060707` with `StudyTime` of `1000-1800` then selects 10:00 on 5 July to 18:00 on
/// 7 July, where the two keys apart would select 10:00 to 18:00 of each of the three days.
///
/// The pairs are the `…Date` keys with the `…Time` key of the same name (Study, Series,
/// Acquisition, Content, Patient Birth, Scheduled Procedure Step Start, …).
enum CombinedDateTimeMatching {
    /// The time tag that pairs with `dateTag`: the tag whose keyword is the date's with `Date`
    /// turned into `Time`.
    static func timeTag(pairedWith dateTag: Tag) -> Tag? {
        guard let keyword = dateTag.keyword, keyword.hasSuffix("Date") else { return nil }
        return Tag(keyword: String(keyword.dropLast(4)) + "Time")
    }

    /// `keys` with each date range whose time key gives a range of the same form turned into one
    /// ``QueryKey/Matching/combinedDateTimeRange(timeTag:lower:upper:)``; the time key becomes a
    /// universal (return) key.
    static func combining(_ keys: [QueryKey]) -> [QueryKey] {
        var keys = keys
        for dateIndex in keys.indices {
            guard keys[dateIndex].vr == .DA,
                  case .range(let dateLower, let dateUpper) = keys[dateIndex].matching,
                  let timeTag = timeTag(pairedWith: keys[dateIndex].tag),
                  let timeIndex = keys.firstIndex(where: { $0.tag == timeTag && $0.vr == .TM }),
                  case .range(let timeLower, let timeUpper) = keys[timeIndex].matching,
                  (dateLower == nil) == (timeLower == nil), (dateUpper == nil) == (timeUpper == nil),
                  let lower = concatenated(dateLower, timeLower),
                  let upper = concatenated(dateUpper, timeUpper) else { continue }
            keys[dateIndex].matching = .combinedDateTimeRange(timeTag: timeTag, lower: lower.text, upper: upper.text)
            keys[timeIndex].matching = .universal
        }
        return keys
    }

    /// One end of a combined range.
    private enum Bound {
        case open
        case dateTime(String)

        var text: String? {
            switch self {
            case .open: nil
            case .dateTime(let text): text
            }
        }
    }

    /// A date bound and a time bound as one DT bound, in the DICOM forms (the ACR-NEMA forms
    /// would not concatenate); nil when a bound does not parse.
    private static func concatenated(_ date: String?, _ time: String?) -> Bound? {
        guard let date, let time else { return .open }
        guard let parsedDate = DICOMDate(date), let parsedTime = DICOMTime(time) else { return nil }
        return .dateTime(parsedDate.description + parsedTime.description)
    }

    /// Whether `candidate`'s date and time fall in the DT range. One without a date is unknown.
    /// A candidate without a time is taken at the start of its day, unless the time's unknown
    /// value matches every key (a Required Key, PS3.4 C.2.2.1.1): then it matches when any
    /// moment of its day is in the range, as the time could be any.
    static func matches(dateTag: Tag, timeTag: Tag, lower: String?, upper: String?, candidate: DataSet, options: MatchingOptions) -> Bool {
        let dates = AttributeText.values(of: dateTag, in: candidate)
        guard !dates.isEmpty else { return options.unknownValuesMatchEveryKey.contains(dateTag) }
        let times = AttributeText.values(of: timeTag, in: candidate)
        let time = times.first.flatMap { DICOMTime($0) }
        let timeIsUnknown = times.isEmpty && options.unknownValuesMatchEveryKey.contains(timeTag)
        return dates.contains { text in
            guard let date = DICOMDate(text) else { return false }
            if timeIsUnknown {
                return RangeMatching.overlaps(lower: lower, upper: upper, value: date.description, vr: .DT)
            }
            return RangeMatching.matches(lower: lower, upper: upper, value: date.description + (time?.description ?? ""), vr: .DT)
        }
    }
}
