// Stubs until the dictionary and character set land.
public struct SpecificCharacterSet: Sendable, Hashable { public init(_ v: String) {} }
public struct DictionaryEntry { var vr: VR; var alternativeVRs: [VR] }
enum DataDictionary {
    static func entry(for tag: Tag, privateCreator: String) -> DictionaryEntry? { nil }
    static func entry(for tag: Tag) -> DictionaryEntry? { nil }
    static func vr(for tag: Tag) -> VR { .UN }
}
extension Tag { static let specificCharacterSet = Tag(0x0008_0005) }
extension SpecificCharacterSet { static let defaultRepertoire = SpecificCharacterSet("")
 func decode(_ b: some Collection<UInt8>, vr: VR) -> String { String(decoding: b, as: UTF8.self) }
 func encode(_ s: String, vr: VR) -> [UInt8]? { Array(s.utf8) } }
extension Tag { static let sopClassUID = Tag(0x0008_0016); static let sopInstanceUID = Tag(0x0008_0018)
static let transferSyntaxUID = Tag(0x0002_0010); static let fileMetaInformationVersion = Tag(0x0002_0001)
static let mediaStorageSOPClassUID = Tag(0x0002_0002); static let mediaStorageSOPInstanceUID = Tag(0x0002_0003)
static let implementationClassUID = Tag(0x0002_0012); static let implementationVersionName = Tag(0x0002_0013)
static let sourceApplicationEntityTitle = Tag(0x0002_0016); static let fileMetaInformationGroupLength = Tag(0x0002_0000) }
