import DICOMCore
import Testing

@Suite("UID registry")
struct UIDRegistryTests {
    struct Fact: Sendable, CustomTestStringConvertible {
        let uid: UID
        let name: String
        let keyword: String
        let type: UIDType
        let isRetired: Bool
        var testDescription: String { uid.string }
    }

    static let facts: [Fact] = [
        Fact(uid: "1.2.840.10008.1.1", name: "Verification SOP Class", keyword: "Verification", type: .sopClass, isRetired: false),
        Fact(uid: "1.2.840.10008.5.1.4.1.1.2", name: "CT Image Storage", keyword: "CTImageStorage", type: .sopClass, isRetired: false),
        Fact(uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian", keyword: "ExplicitVRLittleEndian", type: .transferSyntax, isRetired: false),
        Fact(uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian", keyword: "ExplicitVRBigEndian", type: .transferSyntax, isRetired: true),
        Fact(uid: "1.2.840.10008.3.1.1.1", name: "DICOM Application Context Name", keyword: "DICOMApplicationContext", type: .applicationContextName, isRetired: false),
        Fact(uid: "1.2.840.10008.1.20.1.1", name: "Storage Commitment Push Model SOP Instance", keyword: "StorageCommitmentPushModelInstance", type: .wellKnownSOPInstance, isRetired: false),
        Fact(uid: "1.2.840.10008.2.16.4", name: "DICOM Controlled Terminology", keyword: "DCM", type: .codingScheme, isRetired: false),
    ]

    @Test("A registered UID's entry carries PS3.6's name, keyword, type and status", arguments: facts)
    func entry(fact: Fact) throws {
        let entry = try #require(UIDRegistry.entry(for: fact.uid))
        #expect(entry.uid == fact.uid)
        #expect(entry.name == fact.name)
        #expect(entry.keyword == fact.keyword)
        #expect(entry.type == fact.type)
        #expect(entry.isRetired == fact.isRetired)
        #expect(UIDRegistry.name(for: fact.uid) == fact.name)
        #expect(fact.uid.name == fact.name)
        #expect(fact.uid.registryEntry == entry)
        #expect(UIDRegistry.entry(forKeyword: fact.keyword)?.uid == fact.uid)
    }

    @Test("Generated constants carry the registered UIDs")
    func constants() {
        #expect(UID.verification.string == "1.2.840.10008.1.1")
        #expect(UID.ctImageStorage.string == "1.2.840.10008.5.1.4.1.1.2")
        #expect(UID.explicitVRLittleEndian == TransferSyntax.explicitVRLittleEndian.uid)
        #expect(UID.jpegLSLossless == TransferSyntax.jpegLSLossless.uid)
        #expect(UID.ctImageStorage == UID("1.2.840.10008.5.1.4.1.1.2\0"))
    }

    @Test("Unregistered UIDs have no entry")
    func unregistered() {
        #expect(UIDRegistry.entry(for: "1.2.3.4") == nil)
        #expect(UID("1.2.3.4").name == nil)
        #expect(UIDRegistry.entry(forKeyword: "ctImageStorage") == nil)
    }

    @Test("Every type in the data has its own case; entries(of:) filters by it", arguments: UIDType.known.filter { $0 != .contextGroupName })
    func types(type: UIDType) {
        let entries = UIDRegistry.entries(of: type)
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { $0.type == type })
        #expect(UIDType(registryName: type.registryName) == type)
    }

    @Test("No row falls back to an unknown type, and the registry is in numeric UID order")
    func wholeRegistry() {
        let all = UIDRegistry.allEntries
        #expect(all.count > 400)
        #expect(all.filter { if case .other = $0.type { true } else { false } }.isEmpty)
        let keys = all.map { $0.uid.string.split(separator: ".").map { Int($0)! } }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    }

    @Test("UIDType reads PS3.6's spelling in any case and keeps unknown names")
    func typeNames() {
        #expect(UIDType(registryName: "Well-known frame of reference") == .wellKnownFrameOfReference)
        #expect(UIDType(registryName: "WELL-KNOWN FRAME OF REFERENCE") == .wellKnownFrameOfReference)
        #expect(UIDType(registryName: "Context Group Name") == .contextGroupName)
        #expect(UIDType(registryName: "Something New") == .other("Something New"))
        #expect(UIDType.ldapOID.description == "LDAP OID")
    }
}

@Suite("UID registry: storage SOP classes")
struct StorageSOPClassTests {
    @Test("The storage list holds the image storage classes", arguments: [
        UID.ctImageStorage, .mrImageStorage, .secondaryCaptureImageStorage, .enhancedCTImageStorage,
        .digitalXRayImageStorageForProcessing, .mediaStorageDirectoryStorage, .rtBeamsDeliveryInstructionStorage,
    ])
    func contains(uid: UID) {
        #expect(UIDRegistry.storageSOPClasses.contains(uid))
        #expect(UIDRegistry.isStorageSOPClass(uid))
        #expect(uid.registryEntry?.isStorageSOPClass == true)
    }

    @Test("Storage-sounding classes that do not store instances are left out", arguments: [
        UID("1.2.840.10008.1.20.1"), UID("1.2.840.10008.1.20.2"), UID("1.2.840.10008.4.2"),
        UID("1.2.840.10008.5.1.4.1.1.201.1.1"), UID("1.2.840.10008.1.20.1.1"), UID.verification,
        UID.inventoryFind,
    ])
    func excludes(uid: UID) {
        #expect(!UIDRegistry.storageSOPClasses.contains(uid))
        #expect(!UIDRegistry.retiredStorageSOPClasses.contains(uid))
        #expect(!UIDRegistry.isStorageSOPClass(uid))
    }

    @Test("Retired storage classes are listed apart")
    func retired() {
        let retired = UIDRegistry.retiredStorageSOPClasses
        #expect(retired.contains(.storedPrintStorage))
        #expect(retired.contains(.nuclearMedicineImageStorageRetired))
        #expect(!UIDRegistry.storageSOPClasses.contains(.storedPrintStorage))
        #expect(retired.allSatisfy { $0.registryEntry?.isRetired == true })
        #expect(UIDRegistry.storageSOPClasses.allSatisfy { $0.registryEntry?.isRetired == false })
        #expect(UIDRegistry.isStorageSOPClass(.storedPrintStorage))
    }

    @Test("The storage lists' own pass gives the entries' rule applied to the whole registry")
    func ownPassAgreesWithEntries() {
        let storage = UIDRegistry.allEntries.filter(\.isStorageSOPClass)
        #expect(UIDRegistry.storageSOPClasses == storage.filter { !$0.isRetired }.map(\.uid))
        #expect(UIDRegistry.retiredStorageSOPClasses == storage.filter(\.isRetired).map(\.uid))
    }

    @Test("The list is long, without duplicates, in UID order")
    func shape() {
        let list = UIDRegistry.storageSOPClasses
        #expect(list.count > 100)
        #expect(Set(list).count == list.count)
        let keys = list.map { $0.string.split(separator: ".").map { Int($0)! } }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    }
}
