/// Reading and writing dates, times, date-times and ages (PS3.5 §6.2, Table 6.2-1).
///
/// Each accessor reads elements of its own VR only (DA, TM, DT, AS). The plural accessors return
/// every value or none: an absent or empty element, another VR, or a value that does not parse
/// (an empty one between backslashes included) gives `[]`; the singular ones return the first of
/// those values.
extension DataSet {
    // MARK: - DA

    /// The dates of a DA element.
    public func dates(_ tag: Tag) -> [DICOMDate] {
        parsedValues(tag, vr: .DA) { DICOMDate($0) }
    }

    /// The first of ``dates(_:)``.
    public func date(_ tag: Tag) -> DICOMDate? {
        dates(tag).first
    }

    /// Stores `dates` as a DA element.
    public mutating func setDates(_ dates: [DICOMDate], for tag: Tag) {
        setStrings(dates.map(\.description), for: tag, vr: .DA)
    }

    /// Stores `date` as a DA element of one value.
    public mutating func setDate(_ date: DICOMDate, for tag: Tag) {
        setDates([date], for: tag)
    }

    // MARK: - TM

    /// The times of a TM element, each as precise as written.
    public func times(_ tag: Tag) -> [DICOMTime] {
        parsedValues(tag, vr: .TM) { DICOMTime($0) }
    }

    /// The first of ``times(_:)``.
    public func time(_ tag: Tag) -> DICOMTime? {
        times(tag).first
    }

    /// Stores `times` as a TM element.
    public mutating func setTimes(_ times: [DICOMTime], for tag: Tag) {
        setStrings(times.map(\.description), for: tag, vr: .TM)
    }

    /// Stores `time` as a TM element of one value.
    public mutating func setTime(_ time: DICOMTime, for tag: Tag) {
        setTimes([time], for: tag)
    }

    // MARK: - DT

    /// The date-times of a DT element, each as precise as written.
    public func dateTimes(_ tag: Tag) -> [DICOMDateTime] {
        parsedValues(tag, vr: .DT) { DICOMDateTime($0) }
    }

    /// The first of ``dateTimes(_:)``.
    public func dateTime(_ tag: Tag) -> DICOMDateTime? {
        dateTimes(tag).first
    }

    /// Stores `dateTimes` as a DT element.
    public mutating func setDateTimes(_ dateTimes: [DICOMDateTime], for tag: Tag) {
        setStrings(dateTimes.map(\.description), for: tag, vr: .DT)
    }

    /// Stores `dateTime` as a DT element of one value.
    public mutating func setDateTime(_ dateTime: DICOMDateTime, for tag: Tag) {
        setDateTimes([dateTime], for: tag)
    }

    // MARK: - AS

    /// The ages of an AS element.
    public func ages(_ tag: Tag) -> [AgeString] {
        parsedValues(tag, vr: .AS) { AgeString($0) }
    }

    /// The first of ``ages(_:)``.
    public func age(_ tag: Tag) -> AgeString? {
        ages(tag).first
    }

    /// Stores `age` as an AS element of one value.
    public mutating func setAge(_ age: AgeString, for tag: Tag) {
        setStrings([age.description], for: tag, vr: .AS)
    }

    // MARK: - Shared

    /// Every value of the element with `tag`, if it has VR `vr`, parsed by `parse`; `[]` when any
    /// value fails to parse.
    func parsedValues<Value>(_ tag: Tag, vr: VR, parse: (String) -> Value?) -> [Value] {
        guard self[tag]?.vr == vr else { return [] }
        var values: [Value] = []
        for text in strings(tag) {
            guard let value = parse(text) else { return [] }
            values.append(value)
        }
        return values
    }
}
