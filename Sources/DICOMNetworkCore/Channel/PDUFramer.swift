public import NIOCore

/// Cuts an association's byte stream into ``PDU``s (PS3.8 §9.3) as reads deliver it, and hands
/// on the data of a P-DATA-TF as it arrives, without copying it: each presentation data value
/// goes on as slices of the buffers the reads filled, at the end of each read, whether or not the
/// rest of its PDU has come. So one P-DATA-TF on the wire may come out as several, and a value
/// spread over several reads as consecutive PDVs of its presentation context and kind, each but
/// the last marked "not the last fragment": the same message, fragmented further (PS3.8 Annex E),
/// which the DIMSE layer reassembles as any fragmentation. Memory holds a read, whatever the PDU
/// size (even with no maximum length negotiated). The other PDUs, small and few, are gathered
/// whole and decoded by ``PDUDecoder``, which also sets the limits: a header's PDU-length is
/// checked before its body is awaited.
///
/// NIO's `ByteToMessageHandler`, which this replaces on associations, gathers reads into one
/// buffer and compacts it after each PDU. With P-DATA-TF PDUs larger than a read, that copied
/// most received bytes once more (13% of a receiving storescp's time).
///
/// A malformed PDU is reported as a ``PDUDecodingError`` through `errorCaught` (the values before
/// the fault in its PDU may have been handed on already), and nothing after it is read.
public final class PDUFramer: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = PDU

    /// Where the stream stands.
    private enum Position {
        case betweenPDUs
        /// In a P-DATA-TF's body, `consumed` of `length` bytes framed, between its PDVs.
        case betweenValues(length: Int, consumed: Int)
        /// In a PDV's value, `left` bytes of it to come.
        case inValue(length: Int, consumed: Int, contextID: UInt8, header: PDU.MessageControlHeader, left: Int)
    }

    private let decoder: PDUDecoder
    /// Received bytes not yet framed, in order.
    private var received = CircularBuffer<ByteBuffer>()
    private var receivedBytes = 0
    private var position = Position.betweenPDUs
    /// The PDVs (or parts) of the current P-DATA-TF framed since it was last handed on.
    private var values: [PDU.PresentationDataValueItem] = []
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
            // The values of a P-DATA-TF still arriving go on now, not when it ends.
            if !stopped, !values.isEmpty {
                context.fireChannelRead(wrapInboundOut(.pDataTF(PDU.PDataTF(presentationDataValueItems: takeValues()))))
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
        values = []
    }

    private func takeValues() -> [PDU.PresentationDataValueItem] {
        defer { values = [] }
        return values
    }

    // MARK: - Framing

    /// The next PDU to hand on, if the bytes received make one: a whole PDU, or a whole P-DATA-TF
    /// (the rest of it, when values went on before).
    private func nextPDU() throws(PDUDecodingError) -> PDU? {
        while true {
            switch position {
            case .betweenPDUs:
                guard receivedBytes >= PDU.headerLength else { return nil }
                var header = peek(PDU.headerLength)
                let (typeByte, _, length) = header.readMultipleIntegers(endianness: .big, as: (UInt8, UInt8, UInt32).self)!
                let type = try decoder.checkHeader(type: typeByte, length: length)
                if type == .pDataTF {
                    guard length > 0 else {
                        throw failure(.missingItem, at: 0, "a P-DATA-TF PDU shall contain one or more Presentation-data-value Items (PS3.8 §9.3.5)")
                    }
                    skip(PDU.headerLength)
                    position = .betweenValues(length: Int(length), consumed: 0)
                    continue
                }
                guard receivedBytes - PDU.headerLength >= Int(length) else { return nil }
                skip(PDU.headerLength)
                return try PDU(type: type, body: take(Int(length)))

            case .betweenValues(let length, let consumed):
                if consumed == length {
                    position = .betweenPDUs
                    // Its last value is always framed in this same call: never an empty PDU.
                    return .pDataTF(PDU.PDataTF(presentationDataValueItems: takeValues()))
                }
                let remaining = length - consumed
                // Checked as PDU.PDataTF checks a whole body (PS3.8 Table 9-23): the item-length
                // covers the presentation context ID and the message control header (Annex E.2).
                guard remaining >= 4 else {
                    throw failure(.itemLengthExceedsParent, at: consumed, "a Presentation-data-value Item header needs 4 bytes but only \(remaining) remain")
                }
                guard receivedBytes >= 4 else { return nil }
                var lengthField = peek(4)
                let itemLength = Int(lengthField.readInteger(endianness: .big, as: UInt32.self)!)
                guard itemLength >= 2 else {
                    throw failure(.invalidItemLength, at: consumed, "a Presentation-data-value Item length of \(itemLength) leaves no room for the presentation context ID and message control header")
                }
                guard itemLength <= remaining - 4 else {
                    throw failure(.itemLengthExceedsParent, at: consumed, "a Presentation-data-value Item declares \(itemLength) bytes but only \(remaining - 4) remain in the PDU")
                }
                guard receivedBytes >= 6 else { return nil }
                skip(4)
                var idAndControl = take(2)
                let (contextID, control) = idAndControl.readMultipleIntegers(as: (UInt8, UInt8).self)!
                let header = PDU.MessageControlHeader(rawValue: control)
                if itemLength == 2 {
                    values.append(PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: header, fragment: ByteBuffer()))
                    position = .betweenValues(length: length, consumed: consumed + 6)
                } else {
                    position = .inValue(length: length, consumed: consumed + 6, contextID: contextID, header: header, left: itemLength - 2)
                }

            case .inValue(let length, let consumed, let contextID, let header, let left):
                guard receivedBytes > 0 else { return nil }
                let part = takeSlice(atMost: left)
                let stillLeft = left - part.readableBytes
                let partHeader = stillLeft > 0 ? header.subtracting(PDU.MessageControlHeader.lastFragment) : header
                values.append(PDU.PresentationDataValueItem(presentationContextID: contextID, messageControlHeader: partHeader, fragment: part))
                position = stillLeft > 0
                    ? .inValue(length: length, consumed: consumed + part.readableBytes, contextID: contextID, header: header, left: stillLeft)
                    : .betweenValues(length: length, consumed: consumed + part.readableBytes)
            }
        }
    }

    /// An error at `offset` bytes into a P-DATA-TF's body.
    private func failure(_ code: PDUDecodingError.Code, at offset: Int, _ reason: String) -> PDUDecodingError {
        PDUDecodingError(code, pduType: PDU.PDUType.pDataTF.rawValue, offset: PDU.headerLength + offset, reason: reason)
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
