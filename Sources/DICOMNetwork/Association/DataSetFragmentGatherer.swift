import DICOMNetworkCore
import NIOCore

/// Holds back the fragments of a data set still arriving, and hands them on together: one
/// P-DATA-TF indication per ``gatheredLength`` bytes of a large data set, or when the data set's
/// last fragment (or anything else) arrives, instead of one per PDU.
///
/// Each indication that reaches the association's task costs a trip through the async
/// channel and a wakeup of the task; at 16 or 128 KiB per PDU that trip, not the bytes, was the
/// largest cost of receiving a large data set (a C-STORE into storescp, a C-GET into getscu).
/// Nothing is lost by waiting: the task can do nothing with the middle of a data set before
/// ``FileReception/writeSize`` bytes of it have gathered, and everything else (commands, last
/// fragments, releases, aborts) goes on at once, after whatever was held, in order.
///
/// Only regrouped, never changed: the PDVs handed on are those received, in their order.
final class DataSetFragmentGatherer: ChannelInboundHandler {
    typealias InboundIn = UpperLayerIndication
    typealias InboundOut = UpperLayerIndication

    /// How much of a data set's middle is held at most: one write of its file.
    static let gatheredLength = FileReception.writeSize

    private var held: [PDU.PresentationDataValueItem] = []
    private var heldLength = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .pData(let pData) = unwrapInboundIn(data), let last = pData.presentationDataValueItems.last else {
            handOn(context)
            context.fireChannelRead(data)
            return
        }
        let moreToCome = !last.messageControlHeader.isCommand && !last.messageControlHeader.isLastFragment
        if held.isEmpty, !moreToCome {
            context.fireChannelRead(data)
            return
        }
        held.append(contentsOf: pData.presentationDataValueItems)
        for pdv in pData.presentationDataValueItems { heldLength += pdv.fragment.readableBytes }
        if !moreToCome || heldLength >= Self.gatheredLength { handOn(context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        handOn(context)
        context.fireChannelInactive()
    }

    /// Hands on what is held, as one P-DATA-TF.
    private func handOn(_ context: ChannelHandlerContext) {
        guard !held.isEmpty else { return }
        let pData = PDU.PDataTF(presentationDataValueItems: held)
        held = []
        heldLength = 0
        context.fireChannelRead(wrapInboundOut(.pData(pData)))
    }
}
