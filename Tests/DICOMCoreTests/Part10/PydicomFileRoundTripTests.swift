import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// Every file pydicom ships as test data, read and written back by NetDICOM.
@Suite("Round trips of pydicom's test files", .enabled(if: ExternalTools.shouldRun(needing: "python")))
struct PydicomFileRoundTripTests {
    /// Files of pydicom's test data that are not valid DICOM, with the error each must raise.
    static let malformed: [String: DICOMParsingError.Code] = [
        "MR_truncated.dcm": .valueLengthExceedsInput,  // pixel data cut short
        "rtplan_truncated.dcm": .valueLengthExceedsInput,  // a sequence cut short
        "no_meta.dcm": .notPart10,  // a stray byte before the first element
    ]

    /// Files whose encapsulated pixel data is labelled OW: DICOMCore reads it as OB, the VR
    /// PS3.5 §8.2 and §A.4 give encapsulated pixel data (as DCMTK does), and writes it so.
    static let encapsulatedOW: Set<String> = [
        "693_J2KI.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "SC_rgb_rle_16bit.dcm",
        "SC_rgb_rle_16bit_2frame.dcm", "rtdose_rle.dcm", "rtdose_rle_1frame.dcm",
    ]

    /// `original` with the VR of its encapsulated pixel data header, (7FE0,0010) OW 0000 FFFFFFFF,
    /// changed to OB; nil when it has no such header.
    static func relabelledOB(_ original: ByteBuffer) -> ByteBuffer? {
        let header: [UInt8] = [0xE0, 0x7F, 0x10, 0x00, 0x4F, 0x57, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]
        let bytes = Array(original.readableBytesView)
        guard let start = (0...(bytes.count - header.count)).last(where: { bytes[$0..<$0 + header.count].elementsEqual(header) }) else {
            return nil
        }
        var relabelled = original
        relabelled.setInteger(UInt8(ascii: "B"), at: original.readerIndex + start + 5)
        return relabelled
    }

    @Test("every well-formed file writes back byte for byte")
    func byteIdenticalRoundTrip() throws {
        let urls = try PydicomTestFiles.all()
        #expect(urls.count >= 90, "pydicom ships about 95 .dcm test files; found \(urls.count)")
        var checked = 0
        for url in urls where Self.malformed[url.lastPathComponent] == nil {
            let original = try ByteBuffer(bytes: Data(contentsOf: url))
            let file = try DICOMFile(reading: original)
            let written = try file.encoded()
            if file.transferSyntax.isDeflated {
                // zlib output depends on its settings; what must not change is the data set.
                let reread = try DICOMFile(reading: written)
                #expect(reread.dataSet == file.dataSet, "\(url.lastPathComponent)")
                #expect(reread.fileMetaInformation == file.fileMetaInformation, "\(url.lastPathComponent)")
            } else if Self.encapsulatedOW.contains(url.lastPathComponent) {
                let expected = try #require(Self.relabelledOB(original), "\(url.lastPathComponent) has no OW pixel data header")
                #expect(written == expected, "\(url.lastPathComponent): more than the pixel data VR changed")
            } else {
                #expect(written == original, "\(url.lastPathComponent) changed on a read-write round trip")
            }
            checked += 1
        }
        #expect(checked >= 85)
    }

    @Test("malformed files fail with the error that names their fault", arguments: malformed.sorted { $0.key < $1.key })
    func malformedFiles(name: String, code: DICOMParsingError.Code) throws {
        let url = try ExternalTools.pydicomTestFiles().appendingPathComponent(name)
        #expect {
            _ = try DICOMFile(contentsOf: url.path)
        } throws: { error in
            (error as? DICOMParsingError)?.code == code
        }
    }
}
