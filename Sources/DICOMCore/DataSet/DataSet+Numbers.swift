import Foundation
import NIOCore

/// Reading and writing numbers and attribute tags (PS3.5 §6.2, Table 6.2-1).
///
/// Binary values are little endian in memory whatever the transfer syntax (the reader swaps
/// big-endian input, PS3.5 §7.3). The accessors never trap: an absent element, a VR they do not
/// read, a length that is not a whole number of values, or a value that does not parse gives
/// `[]` (or `nil`), never part of the values.
extension DataSet {
    // MARK: - Integers

    /// The integer values of a US, SS, UL, SL, SV, UV, OW, OL or OV element (binary, little
    /// endian) or an IS element (decimal text, values split at `\`). Empty when the element is
    /// absent, of another VR or malformed, or when a UV/OV value exceeds `Int.max`.
    public func integers(_ tag: Tag) -> [Int] {
        guard let element = self[tag], let bytes = element.bytes else { return [] }
        return DataSet.integers(in: bytes, vr: element.vr) ?? []
    }

    /// The first of ``integers(_:)``.
    public func integer(_ tag: Tag) -> Int? {
        integers(tag).first
    }

    /// Stores `values` as one element of `vr`: US, SS, UL, SL, SV, UV, OW, OL or OV (binary, little
    /// endian) or IS (decimal text, padded with a space to even length).
    ///
    /// - Throws: ``DICOMEncodingError/Code/invalidValueForVR`` when `vr` holds no integers or a
    ///   value is outside the VR's range (IS: −2³¹…2³¹−1, Table 6.2-1).
    public mutating func setIntegers(_ values: [Int], for tag: Tag, vr: VR) throws(DICOMEncodingError) {
        var bytes = ByteBuffer()
        func write<T: FixedWidthInteger>(_ type: T.Type) throws(DICOMEncodingError) {
            bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
            for value in values {
                guard let fitted = T(exactly: value) else {
                    throw DICOMEncodingError(.invalidValueForVR, tag: tag, "\(value) is outside the range of \(vr)")
                }
                bytes.writeInteger(fitted, endianness: .little)
            }
        }
        switch vr {
        case .US, .OW: try write(UInt16.self)
        case .SS: try write(Int16.self)
        case .UL, .OL: try write(UInt32.self)
        case .SL: try write(Int32.self)
        case .SV: try write(Int64.self)
        case .UV, .OV: try write(UInt64.self)
        case .IS:
            for value in values where Int32(exactly: value) == nil {
                throw DICOMEncodingError(.invalidValueForVR, tag: tag, "\(value) is outside the range of IS")
            }
            setStrings(values.map { String($0) }, for: tag, vr: .IS)
            return
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .LO, .LT, .OB, .OD, .OF, .PN, .SH, .SQ,
             .ST, .TM, .UC, .UI, .UN, .UR, .UT:
            throw DICOMEncodingError(.invalidValueForVR, tag: tag, "\(vr) does not hold integers")
        }
        self[tag] = DataElement(tag: tag, vr: vr, bytes: bytes)
    }

    // MARK: - Floating point

    /// The values of an FL, FD, OF or OD element (binary IEEE 754, little endian) or a DS element
    /// (decimal text, values split at `\`). Empty when the element is absent, of another VR or
    /// malformed.
    public func doubles(_ tag: Tag) -> [Double] {
        guard let element = self[tag], let bytes = element.bytes else { return [] }
        return DataSet.doubles(in: bytes, vr: element.vr) ?? []
    }

    /// The first of ``doubles(_:)``.
    public func double(_ tag: Tag) -> Double? {
        doubles(tag).first
    }

    /// Stores `values` as one element of `vr`: FL or OF (rounded to single precision), FD or OD, or
    /// DS (each value written in at most 16 characters, PS3.5 Table 6.2-1: the shortest text that
    /// reads back as the same double when it fits, else rounded to the significant digits that fit).
    ///
    /// - Throws: ``DICOMEncodingError/Code/invalidValueForVR`` when `vr` holds no floating-point
    ///   numbers, a DS value is not finite, or a finite value overflows single precision.
    public mutating func setDoubles(_ values: [Double], for tag: Tag, vr: VR) throws(DICOMEncodingError) {
        var bytes = ByteBuffer()
        switch vr {
        case .FL, .OF:
            bytes.reserveCapacity(values.count * 4)
            for value in values {
                let single = Float(value)
                guard single.isFinite || !value.isFinite else {
                    throw DICOMEncodingError(.invalidValueForVR, tag: tag, "\(value) overflows \(vr)")
                }
                bytes.writeInteger(single.bitPattern, endianness: .little)
            }
        case .FD, .OD:
            bytes.reserveCapacity(values.count * 8)
            for value in values {
                bytes.writeInteger(value.bitPattern, endianness: .little)
            }
        case .DS:
            var texts: [String] = []
            for value in values {
                guard let text = DataSet.decimalString(value) else {
                    throw DICOMEncodingError(.invalidValueForVR, tag: tag, "\(value) has no DS form")
                }
                texts.append(text)
            }
            setStrings(texts, for: tag, vr: .DS)
            return
        case .AE, .AS, .AT, .CS, .DA, .DT, .IS, .LO, .LT, .OB, .OL, .OV, .OW, .PN, .SH, .SL, .SQ, .SS,
             .ST, .SV, .TM, .UC, .UI, .UL, .UN, .UR, .US, .UT, .UV:
            throw DICOMEncodingError(.invalidValueForVR, tag: tag, "\(vr) does not hold floating-point numbers")
        }
        self[tag] = DataElement(tag: tag, vr: vr, bytes: bytes)
    }

    // MARK: - Attribute tags

    /// The tags in an AT element, each a pair of 16-bit numbers, group first (PS3.5 Table 6.2-1).
    /// Empty when the element is absent, not AT, or its length is not a multiple of 4.
    public func attributeTags(_ tag: Tag) -> [Tag] {
        guard let element = self[tag], element.vr == .AT, let bytes = element.bytes,
              bytes.readableBytes % 4 == 0 else { return [] }
        var tags: [Tag] = []
        tags.reserveCapacity(bytes.readableBytes / 4)
        var offset = bytes.readerIndex
        while offset < bytes.writerIndex {
            guard let group = bytes.getInteger(at: offset, endianness: .little, as: UInt16.self),
                  let number = bytes.getInteger(at: offset + 2, endianness: .little, as: UInt16.self) else { return [] }
            tags.append(Tag(group: group, element: number))
            offset += 4
        }
        return tags
    }

    /// Stores `tags` as an AT element.
    public mutating func setAttributeTags(_ tags: [Tag], for tag: Tag) {
        var bytes = ByteBuffer()
        bytes.reserveCapacity(tags.count * 4)
        for value in tags {
            bytes.writeInteger(value.group, endianness: .little)
            bytes.writeInteger(value.element, endianness: .little)
        }
        self[tag] = DataElement(tag: tag, vr: .AT, bytes: bytes)
    }

    // MARK: - Decoding

    static func integers(in bytes: ByteBuffer, vr: VR) -> [Int]? {
        switch vr {
        case .US, .OW: binaryIntegers(bytes, as: UInt16.self)
        case .SS: binaryIntegers(bytes, as: Int16.self)
        case .UL, .OL: binaryIntegers(bytes, as: UInt32.self)
        case .SL: binaryIntegers(bytes, as: Int32.self)
        case .SV: binaryIntegers(bytes, as: Int64.self)
        case .UV, .OV: binaryIntegers(bytes, as: UInt64.self)
        case .IS: textValues(bytes, allowed: DataSet.integerStringCharacters) { Int($0) }
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .LO, .LT, .OB, .OD, .OF, .PN, .SH, .SQ, .ST,
             .TM, .UC, .UI, .UN, .UR, .UT:
            nil
        }
    }

    static func doubles(in bytes: ByteBuffer, vr: VR) -> [Double]? {
        switch vr {
        case .FL, .OF: binaryIntegers(bytes, as: UInt32.self, convert: { Double(Float(bitPattern: $0)) })
        case .FD, .OD: binaryIntegers(bytes, as: UInt64.self, convert: { Double(bitPattern: $0) })
        case .DS: textValues(bytes, allowed: DataSet.decimalStringCharacters) { Double($0) }
        case .AE, .AS, .AT, .CS, .DA, .DT, .IS, .LO, .LT, .OB, .OL, .OV, .OW, .PN, .SH, .SL, .SQ, .SS,
             .ST, .SV, .TM, .UC, .UI, .UL, .UN, .UR, .US, .UT, .UV:
            nil
        }
    }

    /// Every `T` of `bytes` (little endian) as an `Int`; nil when the length is not a whole number
    /// of values or a value does not fit.
    private static func binaryIntegers<T: FixedWidthInteger>(_ bytes: ByteBuffer, as type: T.Type) -> [Int]? {
        binaryIntegers(bytes, as: type) { Int(exactly: $0) }
    }

    private static func binaryIntegers<T: FixedWidthInteger, Result>(
        _ bytes: ByteBuffer, as type: T.Type, convert: (T) -> Result?
    ) -> [Result]? {
        let size = MemoryLayout<T>.size
        guard bytes.readableBytes % size == 0 else { return nil }
        var values: [Result] = []
        values.reserveCapacity(bytes.readableBytes / size)
        var offset = bytes.readerIndex
        while offset < bytes.writerIndex {
            guard let raw = bytes.getInteger(at: offset, endianness: .little, as: T.self),
                  let value = convert(raw) else { return nil }
            values.append(value)
            offset += size
        }
        return values
    }

    /// The values of a DS or IS element: split at `\`, leading and trailing spaces (and NUL
    /// padding) dropped, every character in `allowed`. Nil when a value is empty or does not parse.
    private static func textValues<Result>(
        _ bytes: ByteBuffer, allowed: Set<UInt8>, parse: (String) -> Result?
    ) -> [Result]? {
        let text = Array(bytes.readableBytesView)
        guard !DICOMText.trimmingPadding(text).isEmpty else { return [] }
        var values: [Result] = []
        for part in text.split(separator: UInt8(ascii: "\\"), omittingEmptySubsequences: false) {
            let trimmed = DICOMText.trimmingPadding(Array(part))
            guard !trimmed.isEmpty, trimmed.allSatisfy(allowed.contains),
                  let value = parse(String(decoding: trimmed, as: UTF8.self)) else { return nil }
            values.append(value)
        }
        return values
    }

    /// IS characters other than padding spaces: digits and signs (Table 6.2-1).
    static let integerStringCharacters = Set(Array("0123456789+-".utf8))
    /// DS characters other than padding spaces: digits, signs, `E`, `e` and `.` (Table 6.2-1).
    static let decimalStringCharacters = Set(Array("0123456789+-Ee.".utf8))

    // MARK: - Encoding DS

    /// The longest DS value, in bytes (PS3.5 Table 6.2-1).
    static let decimalStringMaximumLength = 16

    /// `value` as DS text of at most 16 characters: Swift's shortest round-trip form when it fits
    /// (without a trailing `.0`), else rounded to the most significant digits that fit. Nil for
    /// NaN and ±∞, which DS cannot express.
    static func decimalString(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        if text.utf8.count <= decimalStringMaximumLength { return text }
        for significantDigits in stride(from: 16, through: 1, by: -1) {
            let rounded = String(format: "%.\(significantDigits)g", value)
            if rounded.utf8.count <= decimalStringMaximumLength, Double(rounded)?.isFinite == true { return rounded }
        }
        // Next to ±greatestFiniteMagnitude every rounding goes out of range: cut digits instead.
        let parts = String(format: "%.16e", value).split(separator: "e")
        guard parts.count == 2 else { return nil }
        let exponent = "e" + parts[1]
        var mantissa = parts[0].prefix(decimalStringMaximumLength - exponent.utf8.count)
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return String(mantissa) + exponent
    }
}
