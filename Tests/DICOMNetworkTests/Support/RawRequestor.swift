import DICOMCore
import DICOMNetworkCore
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A requestor on a plain blocking socket that speaks just enough of the upper layer to start a
/// C-STORE and then vanish half way through its data set: what a crashing modality does, and
/// what our own requestor never does. Every blocking call runs on a thread of its own, never on
/// the concurrency pool that the server under test needs meanwhile.
final class RawRequestor: @unchecked Sendable {
    private let descriptor: Int32
    /// Whether the descriptor is closed: closing twice could close a descriptor number the
    /// process has since reused for another socket (a server's, under NIO).
    private let closed = Mutex(false)
    /// The acceptor's Maximum Length Received, once associated.
    private(set) var peerMaximumPDULength: UInt32 = 16384

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close() }

    /// Connects to 127.0.0.1:`port` and requests an association proposing `contexts` (their
    /// IDs 1, 3, 5…); returns once the A-ASSOCIATE-AC has arrived.
    static func associate(port: Int, calledAETitle: String, contexts: [PresentationContext]) async throws -> RawRequestor {
        let (requestor, type) = try await request(port: port, calledAETitle: calledAETitle, contexts: contexts)
        guard type == 0x02 else { throw PeerError(description: "expected an A-ASSOCIATE-AC, got PDU type \(type)") }
        return requestor
    }

    /// Connects to 127.0.0.1:`port`, requests an association proposing `contexts` (their IDs 1,
    /// 3, 5…) and, when given, `maximumLength` as its Maximum Length Received; returns the
    /// requestor and the type of the PDU that answered.
    static func request(
        port: Int, calledAETitle: String, contexts: [PresentationContext], maximumLength: UInt32? = nil
    ) async throws -> (RawRequestor, answer: UInt8) {
        var primitive = AAssociate(
            callingAETitle: "RAW-SCU", calledAETitle: calledAETitle,
            presentationContextDefinitionList: contexts.enumerated().map { index, context in
                var context = context
                context.contextID = PresentationContext.contextID(forIndex: index)
                return context
            })
        if let maximumLength { primitive.userInformation.maximumLengthReceived = maximumLength }
        let (requestor, answer, _) = try await request(port: port, pdu: PDU.AssociateRQ(primitive))
        return (requestor, answer)
    }

    /// Connects to 127.0.0.1:`port` and sends `pdu` as it is, checked or not; returns the
    /// requestor, the type of the PDU that answered and that PDU's body.
    static func request(port: Int, pdu: PDU.AssociateRQ) async throws -> (RawRequestor, answer: UInt8, body: [UInt8]) {
        var bytes = ByteBuffer()
        _ = try bytes.writePDU(.associateRQ(pdu))
        let requestBytes = bytes
        return try await onThread {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let requestor = RawRequestor(descriptor: descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw PeerError(description: "connect failed: errno \(errno)") }
            try requestor.sendAll(requestBytes)
            let (type, body) = try requestor.readPDU()
            if type == 0x02 { requestor.peerMaximumPDULength = Self.maximumLength(inAC: body) ?? 16384 }
            return (requestor, type, body)
        }
    }

    /// Sends a C-STORE-RQ on presentation context 1 and then only the first `sentBytes` of the
    /// data set `dataSet` (never its last fragment).
    func sendPartialStore(_ request: CStoreRequest, dataSet: ByteBuffer, sentBytes: Int) async throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: peerMaximumPDULength)
        let command = try CommandSet.encode(request.commandSet)
        let part = dataSet.getSlice(at: dataSet.readerIndex, length: min(sentBytes, dataSet.readableBytes - 2))!
        var bytes = ByteBuffer()
        for pdu in fragmenter.fragment(command: command, dataSet: part, presentationContextID: 1) {
            var pdu = pdu
            // The data set goes on: its last fragment is still to come.
            if let last = pdu.presentationDataValueItems.indices.last, !pdu.presentationDataValueItems[last].messageControlHeader.isCommand {
                pdu.presentationDataValueItems[last].messageControlHeader.remove(.lastFragment)
            }
            _ = try bytes.writePDU(.pDataTF(pdu))
        }
        let payload = bytes
        try await onThread { try self.sendAll(payload) }
    }

    /// Sends a whole DIMSE message, `commandSet` and `dataSet` if any, on presentation context
    /// `contextID`, whatever its abstract syntax.
    func sendMessage(_ commandSet: DataSet, dataSet: ByteBuffer? = nil, contextID: UInt8) async throws {
        let fragmenter = try DIMSEFragmenter(maximumPDULength: peerMaximumPDULength)
        let command = try CommandSet.encode(commandSet)
        var bytes = ByteBuffer()
        for pdu in fragmenter.fragment(command: command, dataSet: dataSet, presentationContextID: contextID) {
            _ = try bytes.writePDU(.pDataTF(pdu))
        }
        let payload = bytes
        try await onThread { try self.sendAll(payload) }
    }

    /// Reads P-DATA-TF PDUs up to the end of the next command set, and returns it (data set
    /// fragments before it are skipped).
    func receiveCommand() async throws -> DataSet {
        let bytes: [UInt8] = try await onThread {
            var command: [UInt8] = []
            while true {
                let (type, body) = try self.readPDU()
                guard type == 0x04 else { throw PeerError(description: "expected a P-DATA-TF, got PDU type \(type)") }
                var offset = 0
                while offset + 6 <= body.count {
                    let length = body[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
                    let header = body[offset + 5]
                    let value = body[(offset + 6)..<(offset + 4 + length)]
                    offset += 4 + length
                    guard header & 0x01 != 0 else { continue }
                    command += value
                    if header & 0x02 != 0 { return command }
                }
            }
        }
        return try CommandSet.decode(ByteBuffer(bytes: bytes))
    }

    /// Sends an A-ABORT PDU (source service-user, PS3.8 §9.3.8).
    func sendAbort() async throws {
        var bytes = ByteBuffer()
        bytes.writeBytes([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00])
        let payload = bytes
        try await onThread { try self.sendAll(payload) }
    }

    /// Sends an A-RELEASE-RQ PDU (PS3.8 §9.3.6).
    func sendReleaseRequest() async throws {
        var bytes = ByteBuffer()
        bytes.writeBytes([0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00])
        let payload = bytes
        try await onThread { try self.sendAll(payload) }
    }

    /// Reads PDUs until an A-RELEASE-RP (P-DATA-TF before it is skipped); throws on anything else
    /// or when the connection closes.
    func receiveReleaseResponse() async throws {
        while true {
            let (type, _) = try await onThread { try self.readPDU() }
            if type == 0x06 { return }
            guard type == 0x04 else { throw PeerError(description: "PDU type \(type) instead of A-RELEASE-RP") }
        }
    }

    /// Closes the socket without a word (no A-ABORT, no A-RELEASE); once only.
    func close() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed { _ = Glibc.close(descriptor) }
    }

    // MARK: - Blocking I/O

    private func sendAll(_ buffer: ByteBuffer) throws {
        var remaining = buffer
        while remaining.readableBytes > 0 {
            let sent = remaining.withUnsafeReadableBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw PeerError(description: "send failed: errno \(errno)")
            }
            remaining.moveReaderIndex(forwardBy: sent)
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let received = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + filled, count - filled, 0) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { throw PeerError(description: "the acceptor closed the connection (errno \(errno))") }
            filled += received
        }
        return bytes
    }

    private func readPDU() throws -> (type: UInt8, body: [UInt8]) {
        let header = try readExactly(6)
        let length = header[2...5].reduce(0) { $0 << 8 | Int($1) }
        return (header[0], try readExactly(length))
    }

    /// The Maximum Length Received sub-item (51H) of an A-ASSOCIATE-AC's user information.
    private static func maximumLength(inAC body: [UInt8]) -> UInt32? {
        var index = 68  // past the fixed fields (PS3.8 Table 9-17)
        while index + 4 <= body.count {
            let type = body[index]
            let length = Int(body[index + 2]) << 8 | Int(body[index + 3])
            if type == 0x50 {
                var sub = index + 4
                while sub + 4 <= index + 4 + length {
                    let subLength = Int(body[sub + 2]) << 8 | Int(body[sub + 3])
                    if body[sub] == 0x51, subLength == 4 {
                        return body[(sub + 4)..<(sub + 8)].reduce(0) { $0 << 8 | UInt32($1) }
                    }
                    sub += 4 + subLength
                }
            }
            index += 4 + length
        }
        return nil
    }
}

/// Runs blocking `body` on a new thread and waits for its result without holding a thread of
/// the concurrency pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
