public import DICOMCore
import NIOCore

/// A data set made mostly of small elements: what parsing costs per element, as opposed to per
/// byte. The shape of a large structured report or an enhanced multi-frame header: thousands of
/// short strings and numbers, and nested sequences.
///
/// Besides the identifying attributes of a Secondary Capture, it holds `privateElementCount`
/// private elements (PS3.5 §7.8) in blocks of 256 under creators "NETDICOM BENCH nn", their VRs
/// cycling through LO, SH, CS, DS, IS, DA, TM, US, UL, FD; a Referenced Image Sequence of 100
/// items; and a Content Sequence of 20 items, each with a code item and nested content 3 deep.
public enum ManyElementsInstance {
    /// The instance, with 5,000 private elements unless told otherwise.
    public static func make(study: SyntheticStudy, instanceNumber: Int, privateElementCount: Int = 5_000) -> DataSet {
        var dataSet = TinyInstance.make(study: study, instanceNumber: instanceNumber)
        addPrivateElements(privateElementCount, to: &dataSet)
        dataSet.setSequence((0..<100).map { referencedImage($0) }, for: .referencedImageSequence)
        dataSet.setSequence((0..<20).map { contentItem($0, depth: 3) }, for: .contentSequence)
        return dataSet
    }

    /// The number of elements in `dataSet`, counting those inside items.
    public static func elementCount(_ dataSet: DataSet) -> Int {
        dataSet.reduce(0) { total, element in
            total + 1 + (element.items?.reduce(0) { $0 + elementCount($1) } ?? 0)
        }
    }

    /// 240 blocks of 256 elements: all that one private group holds (PS3.5 §7.8.1).
    public static let maximumPrivateElementCount = 0xF0 * 256

    private static let privateGroup: UInt16 = 0x0009

    private static func addPrivateElements(_ count: Int, to dataSet: inout DataSet) {
        let blocks = (count + 255) / 256
        precondition(count <= maximumPrivateElementCount, "at most 240 private blocks in one group (PS3.5 §7.8.1)")
        for block in 0..<blocks {
            let creator = Tag(group: privateGroup, element: UInt16(0x10 + block))
            dataSet.setString("NETDICOM BENCH \(block)", for: creator, vr: .LO)
        }
        for index in 0..<count {
            let block = UInt16(0x10 + index / 256)
            let tag = Tag(group: privateGroup, element: block << 8 | UInt16(index % 256))
            switch index % 10 {
            case 0: dataSet.setString("Value \(index)", for: tag, vr: .LO)
            case 1: dataSet.setString("S\(index)", for: tag, vr: .SH)
            case 2: dataSet.setString(["AXIAL", "LOCALIZER", "DERIVED"][index % 3], for: tag, vr: .CS)
            case 3: try! dataSet.setDoubles([Double(index) / 8], for: tag, vr: .DS)
            case 4: try! dataSet.setIntegers([index], for: tag, vr: .IS)
            case 5: dataSet.setDate(DICOMDate(year: 2024, month: 1 + index % 12, day: 1 + index % 28)!, for: tag)
            case 6: dataSet.setTime(DICOMTime(hour: index % 24, minute: index % 60, second: 7)!, for: tag)
            case 7: try! dataSet.setIntegers([index % 65_536], for: tag, vr: .US)
            case 8: try! dataSet.setIntegers([index * 1_000], for: tag, vr: .UL)
            default: try! dataSet.setDoubles([Double(index) * 0.001], for: tag, vr: .FD)
            }
        }
    }

    private static func referencedImage(_ index: Int) -> DataSet {
        var item = DataSet()
        item.setString(UID.ctImageStorage.string, for: .referencedSOPClassUID, vr: .UI)
        item.setString("1.2.826.0.1.3680043.10.1234.\(index + 1)", for: .referencedSOPInstanceUID, vr: .UI)
        item.itemHasUndefinedLength = index % 2 == 0
        return item
    }

    private static func contentItem(_ index: Int, depth: Int) -> DataSet {
        var item = DataSet()
        var code = DataSet()
        code.setString("\(121_000 + index)", for: .codeValue, vr: .SH)
        code.setString("DCM", for: .codingSchemeDesignator, vr: .SH)
        code.setString("Finding \(index)", for: .codeMeaning, vr: .LO)
        item.setString("CONTAINS", for: .relationshipType, vr: .CS)
        item.setString(depth > 1 ? "CONTAINER" : "TEXT", for: .valueType, vr: .CS)
        item.setSequence([code], for: .conceptNameCodeSequence)
        if depth > 1 {
            item.setSequence([contentItem(index, depth: depth - 1)], for: .contentSequence, hasUndefinedLength: false)
        } else {
            item.setString("Synthetic finding number \(index): no abnormality.", for: .textValue, vr: .UT)
        }
        return item
    }
}
