import DICOMNetworkCore
import NIOCore

/// Holds back the fragments of a data set still arriving, to hand them on together: one
/// P-DATA-TF indication per ``gatheredLength`` bytes of a large data set, or at its last
/// fragment, instead of one per read.
///
/// Each indication that reaches the association's task costs a trip through the async channel
/// and a wakeup of the task; at 16 or 128 KiB per PDU that trip, not the bytes, was the largest
/// cost of receiving a large data set (a C-STORE into storescp, a C-GET into getscu). Nothing is
/// lost by waiting: the task can do nothing with the middle of a data set before
/// ``FileReception/writeSize`` bytes of it have gathered.
///
/// Why not a whole write's worth: the async channel buffers up to ten indications before it
/// stops reading the socket (its high watermark), so a group's size times ten is what a slow
/// disk lets pile up in memory per association. At 256 KiB that is 2.5 MiB, and the task still
/// wakes four times less often than once per 64 KiB read.
///
/// ``DIMSEShortcutHandler`` decides what may wait (only the middle of a data set its command
/// announced) and hands on what is held before anything else. Only regrouped, never changed:
/// the PDVs handed on are those received, in their order.
struct DataSetFragmentGatherer {
    /// How much of a data set's middle is held at most.
    static let gatheredLength = 256 * 1024

    private var held: [PDU.PresentationDataValueItem] = []
    private var heldLength = 0

    /// Adds `pData`, all of it fragments of the data set under way; returns what is held once
    /// it should go on: the data set's last fragment came, or ``gatheredLength`` is reached.
    mutating func add(_ pData: PDU.PDataTF) -> PDU.PDataTF? {
        held.append(contentsOf: pData.presentationDataValueItems)
        for pdv in pData.presentationDataValueItems { heldLength += pdv.fragment.readableBytes }
        let ended = pData.presentationDataValueItems.last?.messageControlHeader.isLastFragment ?? false
        return ended || heldLength >= Self.gatheredLength ? take() : nil
    }

    /// What is held, as one P-DATA-TF, if anything.
    mutating func take() -> PDU.PDataTF? {
        guard !held.isEmpty else { return nil }
        defer {
            held = []
            heldLength = 0
        }
        return PDU.PDataTF(presentationDataValueItems: held)
    }
}
