public import NIOCore

/// Cuts an association's byte stream into ``PDU``s (PS3.8 §9.3) as reads deliver it, without
/// copying the data of a P-DATA-TF: each presentation data value stays slices of the buffers the
/// reads filled. A value spread over several reads arrives as consecutive PDVs of its presentation
/// context and kind, each but the last marked "not the last fragment": the same message,
/// fragmented further (PS3.8 Annex E), which the DIMSE layer reassembles as any fragmentation.
/// The other PDUs, small and few, are gathered and decoded by ``PDUDecoder``, which also sets the
/// limits: a header's PDU-length is checked before its body is awaited.
///
/// NIO's `ByteToMessageHandler`, which this replaces on associations, gathers reads into one
/// buffer and compacts it after each PDU. With P-DATA-TF PDUs larger than a read, that copied
/// most received bytes once more (13% of a receiving storescp's time).
///
/// A malformed PDU is reported as a ``PDUDecodingError`` through `errorCaught`, and nothing after
/// it is read.
public final class PDUFramer: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = PDU

    private let decoder: PDUDecoder
    /// Received bytes not yet framed, in order.
    private var received = CircularBuffer<ByteBuffer>()
    private var receivedBytes = 0
    /// After a malformed PDU or the end of the connection, nothing more is framed.
    private var stopped = false

    /// A framer with `decoder`'s limits.
    public init(_ decoder: PDUDecoder) {
        self.decoder = decoder
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !stopped, buffer.readableBytes > 0 else { return }
        received.append(buffer)
        receivedBytes += buffer.readableBytes
        do {
            // A PDU handed on may close the channel (an A-ABORT): stop then.
            while !stopped, let pdu = try nextPDU() {
                context.fireChannelRead(wrapInboundOut(pdu))
            }
        } catch {
            stop()
            context.fireErrorCaught(error)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        // Half a PDU at the end is dropped: the transport's close is the event (PS3.8 Evt17).
        stop()
        context.fireChannelInactive()
    }

    private func stop() {
        stopped = true
        received.removeAll()
        receivedBytes = 0
    }

    // MARK: - Framing

    /// The next whole PDU received, if there is one.
    private func nextPDU() throws(PDUDecodingError) -> PDU? {
        guard receivedBytes >= PDU.headerLength else { return nil }
        var header = peek(PDU.headerLength)
        let (typeByte, _, length) = header.readMultipleIntegers(endianness: .big, as: (UInt8, UInt8, UInt32).self)!
        let type = try decoder.checkHeader(type: typeByte, length: length)
        guard receivedBytes - PDU.headerLength >= Int(length) else { return nil }
        skip(PDU.headerLength)
        if type == .pDataTF {
            return .pDataTF(try takePDataTF(length: Int(length)))
        }
        return try PDU(type: type, body: take(Int(length)))
    }

    /// Takes a P-DATA-TF body of `length` bytes, all received, checked as ``PDU/PDataTF`` checks
    /// one (PS3.8 §9.3.5, Table 9-23), its values as slices of the received buffers.
    private func takePDataTF(length: Int) throws(PDUDecodingError) -> PDU.PDataTF {
        func failure(_ code: PDUDecodingError.Code, at offset: Int, _ reason: String) -> PDUDecodingError {
            PDUDecodingError(code, pduType: PDU.PDUType.pDataTF.rawValue, offset: PDU.headerLength + offset, reason: reason)
        }
        guard length > 0 else {
            throw failure(.missingItem, at: 0, "a P-DATA-TF PDU shall contain one or more Presentation-data-value Items (PS3.8 §9.3.5)")
        }
        var items: [PDU.PresentationDataValueItem] = []
        var offset = 0
        while offset < length {
            let remaining = length - offset
            guard remaining >= 4 else {
                throw failure(.itemLengthExceedsParent, at: offset, "a Presentation-data-value Item header needs 4 bytes but only \(remaining) remain")
            }
            var lengthField = take(4)
            let itemLength = Int(lengthField.readInteger(endianness: .big, as: UInt32.self)!)
            // The length covers the presentation context ID and the message control header
            // (PS3.8 Table 9-23, Annex E.2).
            guard itemLength >= 2 else {
                throw failure(.invalidItemLength, at: offset, "a Presentation-data-value Item length of \(itemLength) leaves no room for the presentation context ID and message control header")
            }
            guard itemLength <= remaining - 4 else {
                throw failure(.itemLengthExceedsParent, at: offset, "a Presentation-data-value Item declares \(itemLength) bytes but only \(remaining - 4) remain in the PDU")
            }
            var idAndControl = take(2)
            let (contextID, control) = idAndControl.readMultipleIntegers(as: (UInt8, UInt8).self)!
            let header = PDU.MessageControlHeader(rawValue: control)
            var valueLength = itemLength - 2
            offset += 4 + itemLength
            guard valueLength > 0 else {
                items.append(PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: header, fragment: ByteBuffer()))
                continue
            }
            while valueLength > 0 {
                let part = takeSlice(atMost: valueLength)
                valueLength -= part.readableBytes
                let partHeader = valueLength > 0 ? header.subtracting(PDU.MessageControlHeader.lastFragment) : header
                items.append(PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: partHeader, fragment: part))
            }
        }
        return PDU.PDataTF(presentationDataValueItems: items)
    }

    // MARK: - The received bytes

    /// The first `count` received bytes, left in place; `count` must be received.
    private func peek(_ count: Int) -> ByteBuffer {
        if let first = received.first, first.readableBytes >= count {
            return first.getSlice(at: first.readerIndex, length: count)!
        }
        var gathered = ByteBuffer()
        gathered.reserveCapacity(count)
        for buffer in received where gathered.readableBytes < count {
            gathered.writeImmutableBuffer(buffer.getSlice(at: buffer.readerIndex, length: min(buffer.readableBytes, count - gathered.readableBytes))!)
        }
        return gathered
    }

    /// Takes the first `count` received bytes as one buffer: a slice when one read holds them, a
    /// copy otherwise (only headers and the small PDUs other than P-DATA-TF come this way).
    private func take(_ count: Int) -> ByteBuffer {
        if let first = received.first, first.readableBytes >= count {
            return takeSlice(atMost: count)
        }
        var gathered = ByteBuffer()
        gathered.reserveCapacity(count)
        while gathered.readableBytes < count {
            var part = takeSlice(atMost: count - gathered.readableBytes)
            gathered.writeBuffer(&part)
        }
        return gathered
    }

    /// Takes up to `count` of the received bytes, as much as the first buffer holds.
    private func takeSlice(atMost count: Int) -> ByteBuffer {
        let length = min(count, received.first!.readableBytes)
        let slice = received[received.startIndex].readSlice(length: length)!
        if received.first!.readableBytes == 0 { received.removeFirst() }
        receivedBytes -= length
        return slice
    }

    private func skip(_ count: Int) {
        var left = count
        while left > 0 { left -= takeSlice(atMost: left).readableBytes }
    }
}
