import DICOMCore
import NIOCore

/// The transfer syntaxes the first input byte selects from (its value modulo their count); the
/// rest of the input is the data set. scripts/fuzz-seeds.py writes its seeds in this form.
let syntaxes: [TransferSyntax] = [
    .implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian,
    .jpegBaseline8Bit,
]

/// A data set as a C-STORE, C-FIND or N-service brings one. Properties, beyond "nothing traps":
/// - the salvaging read reports no error exactly when the strict read succeeds, with its result;
/// - the structure check that guards a streamed C-STORE passes every data set the reader takes,
///   whole and fed in two pieces alike;
/// - every value of a data set that reads decodes as its VR says, without trapping;
/// - a data set that reads is written into bytes that read, written again byte for byte the same;
/// - padded to even lengths (as senders pad), it is written with no odd length left, and the
///   structure check passes it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataSet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let syntax = syntaxes[Int(data[0]) % syntaxes.count]
    let input = ByteBuffer(bytes: UnsafeBufferPointer(start: data + 1, count: size - 1))
    let strict = Result { () throws(DICOMParsingError) -> DataSet in try DataSetReader.read(input, transferSyntax: syntax) }
    let (salvaged, salvageError) = DataSetReader.readSalvaging(input, transferSyntax: syntax)
    switch strict {
    case .success(let dataSet):
        guard salvageError == nil, salvaged == dataSet else {
            fatalError("the salvaging read differs from the strict read, which succeeded: \(String(describing: salvageError))")
        }
    case .failure(let error):
        guard salvageError != nil else {
            fatalError("the salvaging read finds no error, the strict read \(error)")
        }
    }
    guard case .success(let dataSet) = strict else { return 0 }
    checkStructure(input, syntax: syntax, split: size > 1 ? Int(data[size - 1]) % input.readableBytes : 0)
    decodeValues(of: dataSet)
    checkWriting(dataSet, syntax: syntax)
    if !syntax.isDeflated { checkPadding(dataSet, syntax: syntax) }
    return 0
}

func checkPadding(_ dataSet: DataSet, syntax: TransferSyntax) {
    guard let encoded = try? DataSetWriter.encode(dataSet.paddedToEvenLengths(), transferSyntax: syntax) else { return }
    var check = DataSetStructureCheck(transferSyntax: syntax)
    check.consume(encoded)
    if let error = check.finish() {
        fatalError("the structure check refuses a padded data set the writer wrote: \(error)")
    }
    if let tag = check.oddLengthTag {
        fatalError("a padded data set, written, still has a value of odd length at \(tag)")
    }
}

func checkStructure(_ input: ByteBuffer, syntax: TransferSyntax, split: Int) {
    var whole = DataSetStructureCheck(transferSyntax: syntax)
    whole.consume(input)
    if let error = whole.finish() {
        fatalError("the structure check refuses a data set the reader takes: \(error)")
    }
    var pieces = DataSetStructureCheck(transferSyntax: syntax)
    pieces.consume(input.getSlice(at: input.readerIndex, length: split)!)
    pieces.consume(input.getSlice(at: input.readerIndex + split, length: input.readableBytes - split)!)
    if let error = pieces.finish() {
        fatalError("the structure check refuses, in two pieces cut at \(split), a data set it takes whole: \(error)")
    }
}

func decodeValues(of dataSet: DataSet) {
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

func checkWriting(_ dataSet: DataSet, syntax: TransferSyntax) {
    let encoded: ByteBuffer
    do {
        encoded = try DataSetWriter.encode(dataSet, transferSyntax: syntax)
    } catch {
        return  // a value too long for its VR's length field, say: the writer refuses, no trap
    }
    do {
        let again = try DataSetReader.read(encoded, transferSyntax: syntax)
        guard try DataSetWriter.encode(again, transferSyntax: syntax) == encoded else {
            fatalError("a data set written and read back is not written again the same")
        }
    } catch {
        fatalError("a data set written back does not read again: \(error)")
    }
}
