import DICOMCore
import NIOCore

/// A data set as a C-STORE, C-FIND or N-service brings one; the first input byte selects the
/// transfer syntax (its value modulo the count of ``syntaxes``), the rest is the data set.
/// scripts/fuzz-seeds.py writes its seeds in this form. Properties, beyond "nothing traps":
/// - the salvaging read reports no error exactly when the strict read succeeds, with its result;
/// - the structure check that guards a streamed C-STORE passes every data set the reader takes,
///   whole and fed in two pieces alike;
/// - every value of a data set that reads decodes as its VR says, without trapping;
/// - a data set that reads is written into bytes that read, written again byte for byte the same;
/// - padded to even lengths (as senders pad), it is written with no odd length left, and the
///   structure check passes it.
public enum DataSetProperties {
    /// The transfer syntaxes the first input byte selects from.
    static let syntaxes: [TransferSyntax] = [
        .implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian,
        .jpegBaseline8Bit,
    ]

    public static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(PropertyViolation) {
        guard let first = bytes.first else { return }
        let syntax = syntaxes[Int(first) % syntaxes.count]
        let input = ByteBuffer(bytes: bytes.dropFirst())
        let strict = Result { () throws(DICOMParsingError) -> DataSet in try DataSetReader.read(input, transferSyntax: syntax) }
        let (salvaged, salvageError) = DataSetReader.readSalvaging(input, transferSyntax: syntax)
        switch strict {
        case .success(let dataSet):
            guard salvageError == nil, salvaged == dataSet else {
                throw PropertyViolation("the salvaging read differs from the strict read, which succeeded: \(String(describing: salvageError))")
            }
        case .failure(let error):
            guard salvageError != nil else {
                throw PropertyViolation("the salvaging read finds no error, the strict read \(error)")
            }
        }
        guard case .success(let dataSet) = strict else { return }
        try checkStructure(input, syntax: syntax, split: bytes.count > 1 ? Int(bytes[bytes.count - 1]) % input.readableBytes : 0)
        decodeValues(of: dataSet)
        try checkWriting(dataSet, syntax: syntax)
        if !syntax.isDeflated { try checkPadding(dataSet, syntax: syntax) }
    }

    static func checkPadding(_ dataSet: DataSet, syntax: TransferSyntax) throws(PropertyViolation) {
        guard let encoded = try? DataSetWriter.encode(dataSet.paddedToEvenLengths(), transferSyntax: syntax) else { return }
        var check = DataSetStructureCheck(transferSyntax: syntax)
        check.consume(encoded)
        if let error = check.finish() {
            throw PropertyViolation("the structure check refuses a padded data set the writer wrote: \(error)")
        }
        if let tag = check.oddLengthTag {
            throw PropertyViolation("a padded data set, written, still has a value of odd length at \(tag)")
        }
    }

    static func checkStructure(_ input: ByteBuffer, syntax: TransferSyntax, split: Int) throws(PropertyViolation) {
        var whole = DataSetStructureCheck(transferSyntax: syntax)
        whole.consume(input)
        if let error = whole.finish() {
            throw PropertyViolation("the structure check refuses a data set the reader takes: \(error)")
        }
        var pieces = DataSetStructureCheck(transferSyntax: syntax)
        pieces.consume(input.getSlice(at: input.readerIndex, length: split)!)
        pieces.consume(input.getSlice(at: input.readerIndex + split, length: input.readableBytes - split)!)
        if let error = pieces.finish() {
            throw PropertyViolation("the structure check refuses, in two pieces cut at \(split), a data set it takes whole: \(error)")
        }
    }

    static func decodeValues(of dataSet: DataSet) {
        _ = dataSet.specificCharacterSet
        for element in dataSet {
            if let items = element.items {
                for item in items { decodeValues(of: item) }
                continue
            }
            switch element.vr {
            case .PN:
                _ = dataSet.personNames(element.tag).map { $0.description }
            case .DA:
                _ = dataSet.dates(element.tag)
            case .TM:
                _ = dataSet.times(element.tag)
            case .DT:
                _ = dataSet.dateTimes(element.tag)
            case .AS:
                _ = dataSet.ages(element.tag)
            case .UI:
                _ = dataSet.uid(element.tag)
            default:
                break
            }
            _ = dataSet.strings(element.tag)
            _ = dataSet.string(element.tag)
        }
    }

    static func checkWriting(_ dataSet: DataSet, syntax: TransferSyntax) throws(PropertyViolation) {
        let encoded: ByteBuffer
        do {
            encoded = try DataSetWriter.encode(dataSet, transferSyntax: syntax)
        } catch {
            return  // a value too long for its VR's length field, say: the writer refuses, no trap
        }
        let encodedAgain: ByteBuffer
        do {
            let again = try DataSetReader.read(encoded, transferSyntax: syntax)
            encodedAgain = try DataSetWriter.encode(again, transferSyntax: syntax)
        } catch {
            throw PropertyViolation("a data set written back does not read again: \(error)")
        }
        guard encodedAgain == encoded else {
            throw PropertyViolation("a data set written and read back is not written again the same")
        }
    }
}
