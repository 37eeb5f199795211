import DICOMCore
import Testing

@Suite("Value multiplicity")
struct ValueMultiplicityTests {
    @Test("PS3.6 notation parses and prints back", arguments: [
        ("1", 1, 1, 1), ("3", 3, 3, 1), ("1-3", 1, 3, 1), ("1-n", 1, nil, 1), ("2-2n", 2, nil, 2),
        ("3-3n", 3, nil, 3), ("2-n", 2, nil, 1), ("47-47n", 47, nil, 47),
    ] as [(String, Int, Int?, Int)])
    func parse(text: String, minimum: Int, maximum: Int?, step: Int) throws {
        let vm = try #require(ValueMultiplicity(text))
        #expect(vm.minimum == minimum)
        #expect(vm.maximum == maximum)
        #expect(vm.step == step)
        #expect(vm.description == text)
    }

    @Test("Malformed text is rejected", arguments: ["", "n", "1-", "-1", "3-1", "1-2-3", "x", "1-0n"])
    func reject(text: String) {
        #expect(ValueMultiplicity(text) == nil)
    }

    @Test("contains(_:) follows minimum, maximum and step")
    func contains() throws {
        let pairs = try #require(ValueMultiplicity("2-2n"))
        #expect(!pairs.contains(0))
        #expect(pairs.contains(2))
        #expect(!pairs.contains(3))
        #expect(pairs.contains(8))
        let upToThree = try #require(ValueMultiplicity("1-3"))
        #expect(upToThree.contains(3))
        #expect(!upToThree.contains(4))
        #expect(ValueMultiplicity.one.contains(1))
        #expect(!ValueMultiplicity.one.contains(2))
        #expect(ValueMultiplicity.oneOrMore.contains(1000))
    }
}
