import DICOMCore
import DICOMNetworkCore
import FuzzSupport
import NIOCore

/// A command set as a peer's command fragments bring it. Properties, beyond "nothing traps": a
/// command set that decodes into a DIMSE message is one whose message, encoded again, decodes to
/// the same message.
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
        let again = try DIMSEMessage(commandSet: CommandSet.decode(encoded))
        guard again == message else {
            fatalError("a \(message.commandField) does not survive encoding, \(firstDifference(message, again))")
        }
    } catch {
        fatalError("a \(message.commandField) encodes into a command set that does not decode: \(error)")
    }
    return 0
}
