import DICOMCore
import DICOMNetworkCore
import FuzzSupport
import NIOCore

/// A command set as a peer's command fragments bring it. Properties, beyond "nothing traps": a
/// command set that decodes into a DIMSE message is one whose message encodes into a command set
/// that decodes, and that encoding is a fixed point: the message it decodes to is encoded again
/// byte for byte the same, and decodes to itself. (The first encoding may differ from the input:
/// an Error Comment longer than its 64 characters is cut, as every one we send is.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandSet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    guard let commandSet = try? CommandSet.decode(input),
        let message = try? DIMSEMessage(commandSet: commandSet)
    else { return 0 }
    _ = message.messageID
    _ = message.status
    _ = message.hasDataSet
    let encoded: ByteBuffer
    do {
        encoded = try CommandSet.encode(message.commandSet)
    } catch {
        return 0  // a command set too long to send again: nothing a peer reaches
    }
    do {
        let sent = try DIMSEMessage(commandSet: CommandSet.decode(encoded))
        let encodedAgain = try CommandSet.encode(sent.commandSet)
        guard encodedAgain == encoded else {
            fatalError("a \(message.commandField) is not encoded the same twice, \(firstDifference(Array(encoded.readableBytesView), Array(encodedAgain.readableBytesView)))")
        }
        let again = try DIMSEMessage(commandSet: CommandSet.decode(encodedAgain))
        guard again == sent else {
            fatalError("a \(message.commandField) does not survive encoding, \(firstDifference(sent, again))")
        }
    } catch {
        fatalError("a \(message.commandField) encodes into a command set that does not decode: \(error)")
    }
    return 0
}
