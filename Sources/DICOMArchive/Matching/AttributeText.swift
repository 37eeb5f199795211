import DICOMCore
import NIOCore

/// The values of an attribute as text, the form every matching type compares: decoded with the
/// data set's character set and stripped of padding (PS3.5 §6.2), split at `\` for VRs with
/// value multiplicity, numbers and tags of binary VRs written out.
enum AttributeText {
    /// The non-empty values of `tag` in `dataSet`; empty when the attribute is absent, zero
    /// length, a sequence, or holds only empty values (all of which are an unknown value).
    static func values(of tag: Tag, in dataSet: DataSet) -> [String] {
        guard let element = dataSet[tag] else { return [] }
        return values(of: element, in: dataSet).filter { !$0.isEmpty }
    }

    /// The first of ``values(of:in:)``, without building the filtered list: what the index
    /// keeps of each attribute of every instance it records.
    static func firstValue(of tag: Tag, in dataSet: DataSet) -> String? {
        guard let element = dataSet[tag] else { return nil }
        return values(of: element, in: dataSet).first { !$0.isEmpty }
    }

    /// The VR whose rules read `element`: its own, or the dictionary's for UN (an implicit VR
    /// reader's answer for tags it does not know, or a writer's for tags it did not).
    static func effectiveVR(of element: DataElement) -> VR {
        element.vr == .UN ? DataDictionary.vr(for: element.tag) : element.vr
    }

    /// Every value of `element`, a member of `dataSet`, as text (empty ones included).
    static func values(of element: DataElement, in dataSet: DataSet) -> [String] {
        guard let bytes = element.bytes, bytes.readableBytes > 0 else { return [] }
        let vr = effectiveVR(of: element)
        guard vr == element.vr else {
            // Read the bytes again under the VR they really have, in the same character set.
            var retyped = element
            retyped.vr = vr
            var container = DataSet([retyped])
            container.inheritedCharacterSet = dataSet.specificCharacterSet
            return values(of: retyped, in: container)
        }
        let tag = element.tag
        switch vr {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT:
            return dataSet.strings(tag)
        case .US, .SS, .UL, .SL, .SV, .UV:
            return dataSet.integers(tag).map { String($0) }
        case .FL, .FD:
            return dataSet.doubles(tag).map { String($0) }
        case .AT:
            return dataSet.attributeTags(tag).map(\.description)
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN:
            return [hexadecimal(bytes)]
        case .SQ:
            return []
        }
    }

    /// The bytes in lower-case hexadecimal: how values without a text form compare.
    static func hexadecimal(_ bytes: ByteBuffer) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.readableBytes * 2)
        for byte in bytes.readableBytesView {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
